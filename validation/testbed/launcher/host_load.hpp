// The load of the machine that hosts the testbed, recorded with every trace: every container shares
// its cores, so a busy host makes slower operations.
#pragma once

#include <array>
#include <cstdint>

namespace tbsim::testbed {

struct HostCpuTimes {
    std::uint64_t busy = 0, total = 0;  // jiffies since boot, all cores (/proc/stat)
};

/// The 1, 5 and 15 minute load averages (/proc/loadavg).
std::array<double, 3> load_averages();

HostCpuTimes host_cpu_times();

/// Fraction of all cores' time that was busy between two readings.
double busy_fraction(const HostCpuTimes& before, const HostCpuTimes& after);

}  // namespace tbsim::testbed
