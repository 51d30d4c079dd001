#include "validation/testbed/launcher/host_load.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace tbsim::testbed {

std::array<double, 3> load_averages() {
    std::array<double, 3> load{};
    std::ifstream in("/proc/loadavg");
    in >> load[0] >> load[1] >> load[2];
    return load;
}

HostCpuTimes host_cpu_times() {
    std::ifstream in("/proc/stat");
    std::string label;
    in >> label;  // "cpu": the sum over all cores
    // user nice system idle iowait irq softirq steal
    std::uint64_t field[8] = {};
    for (auto& f : field) in >> f;
    HostCpuTimes t;
    for (auto f : field) t.total += f;
    t.busy = t.total - field[3] - field[4];
    return t;
}

namespace {

// A whole disk: a /sys/block entry with a device behind it, not a loop, RAM or device-mapper device
// (whose requests the disks under them count again).
bool whole_disk(const std::string& name) {
    for (const char* prefix : {"loop", "ram", "zram", "dm-", "md", "nbd"})
        if (name.rfind(prefix, 0) == 0) return false;
    return std::filesystem::exists("/sys/block/" + name + "/device");
}

}  // namespace

HostDiskCounters host_disk_counters() {
    HostDiskCounters sum;
    std::ifstream in("/proc/diskstats");
    std::string line;
    while (std::getline(in, line)) {
        // major minor name, then reads: completed merged sectors ms; writes: completed merged
        // sectors ms; in flight, io_ticks, weighted ms; discards (4 fields); flushes: completed ms.
        std::istringstream fields(line);
        unsigned major = 0, minor = 0;
        std::string name;
        std::uint64_t f[17] = {};
        fields >> major >> minor >> name;
        int count = 0;
        while (count < 17 && fields >> f[count]) ++count;
        if (count < 11 || !whole_disk(name)) continue;
        sum.writes += f[4];
        sum.write_sectors += f[6];
        sum.busy_ms += f[9];
        if (count >= 16) sum.flushes += f[15];
    }
    return sum;
}

std::uint64_t process_write_bytes(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/io");
    std::string key;
    std::uint64_t value = 0;
    while (in >> key >> value)
        if (key == "write_bytes:") return value;
    return 0;
}

double busy_fraction(const HostCpuTimes& before, const HostCpuTimes& after) {
    const auto total = after.total - before.total;
    return total ? static_cast<double>(after.busy - before.busy) / static_cast<double>(total) : 0.0;
}

}  // namespace tbsim::testbed
