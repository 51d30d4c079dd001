// The load of the machine that hosts the testbed, recorded with every trace: every container shares
// its cores, so a busy host makes slower operations.
#pragma once

#include <array>
#include <cstdint>

namespace tbsim::testbed {

struct HostCpuTimes {
    std::uint64_t busy = 0, total = 0;  // jiffies since boot, all cores (/proc/stat)
};

/// The host's block devices, summed over every whole disk (/proc/diskstats; partitions, loop, ram
/// and device-mapper devices left out, so nothing counts twice): a foreign process that writes and
/// flushes the disk slows the servers' log flushes, where one that only computes barely touches
/// them (docs/mysqlrep.md, "Foreign load, measured").
struct HostDiskCounters {
    std::uint64_t writes = 0;         // write requests completed
    std::uint64_t write_sectors = 0;  // of 512 bytes
    std::uint64_t flushes = 0;        // flush requests completed (kernels since 5.5; 0 before)
    std::uint64_t busy_ms = 0;        // time with at least one request in flight (io_ticks)
};

HostDiskCounters host_disk_counters();

/// Bytes process `pid` has caused to be written to storage (/proc/PID/io write_bytes; 0 if unreadable).
std::uint64_t process_write_bytes(long pid);

/// The 1, 5 and 15 minute load averages (/proc/loadavg).
std::array<double, 3> load_averages();

HostCpuTimes host_cpu_times();

/// Fraction of all cores' time that was busy between two readings.
double busy_fraction(const HostCpuTimes& before, const HostCpuTimes& after);

}  // namespace tbsim::testbed
