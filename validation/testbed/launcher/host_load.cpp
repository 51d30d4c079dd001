#include "validation/testbed/launcher/host_load.hpp"

#include <fstream>
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

double busy_fraction(const HostCpuTimes& before, const HostCpuTimes& after) {
    const auto total = after.total - before.total;
    return total ? static_cast<double>(after.busy - before.busy) / static_cast<double>(total) : 0.0;
}

}  // namespace tbsim::testbed
