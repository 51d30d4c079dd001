#include "validation/testbed/launcher/container_cgroup.hpp"

#include "validation/testbed/launcher/testbed_error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

namespace tbsim::testbed {
namespace fs = std::filesystem;
namespace {

constexpr const char* kV1Cpu = "/sys/fs/cgroup/cpu";
constexpr const char* kV1Cpuacct = "/sys/fs/cgroup/cpuacct";
constexpr const char* kV2 = "/sys/fs/cgroup";
constexpr long long kPeriodUs = 100'000;  // the CFS period of the quota

bool has_v1_cpu() { return fs::exists(fmt::format("{}/cpu.cfs_quota_us", kV1Cpu)); }

bool v2_has_cpu() {
    std::ifstream in(fmt::format("{}/cgroup.controllers", kV2));
    std::string controller;
    while (in >> controller)
        if (controller == "cpu") return true;
    return false;
}

void write_value(const std::string& file, const std::string& value) {
    std::ofstream out(file);
    out << value;
    out.flush();
    if (!out) throw RunError(fmt::format("cannot write {} to {}", value, file));
}

std::uint64_t read_number(const std::string& file) {
    std::ifstream in(file);
    std::uint64_t value = 0;
    in >> value;
    return value;
}

std::map<std::string, std::uint64_t> read_keyed(const std::string& file) {
    std::map<std::string, std::uint64_t> values;
    std::ifstream in(file);
    std::string key;
    std::uint64_t value = 0;
    while (in >> key >> value) values[key] = value;
    return values;
}

std::string make_dir(const std::string& path, TeardownLedger& ledger) {
    if (!fs::create_directory(path)) throw RunError(fmt::format("cgroup {} already exists", path));
    ledger.made_cgroup(path);
    return path;
}

}  // namespace

std::optional<std::string> ContainerCgroup::unavailable_reason() {
    if (has_v1_cpu() && fs::exists(fmt::format("{}/cpuacct.usage", kV1Cpuacct))) return std::nullopt;
    if (v2_has_cpu()) return std::nullopt;
    return "neither a cgroup v1 cpu hierarchy (/sys/fs/cgroup/cpu) nor a cgroup v2 cpu controller is available";
}

ContainerCgroup::ContainerCgroup(const std::string& name, std::optional<double> cpu_quota, TeardownLedger& ledger) {
    const long long quota_us = cpu_quota ? std::llround(*cpu_quota * kPeriodUs) : 0;  // 0: no cap
    if (has_v1_cpu()) {
        cpu_dir_ = make_dir(fmt::format("{}/{}", kV1Cpu, name), ledger);
        cpuacct_dir_ = make_dir(fmt::format("{}/{}", kV1Cpuacct, name), ledger);
        if (quota_us > 0) {
            write_value(cpu_dir_ + "/cpu.cfs_period_us", std::to_string(kPeriodUs));
            write_value(cpu_dir_ + "/cpu.cfs_quota_us", std::to_string(quota_us));
        }
        procs_files_ = {cpu_dir_ + "/cgroup.procs", cpuacct_dir_ + "/cgroup.procs"};
        return;
    }
    v1_ = false;
    cpu_dir_ = make_dir(fmt::format("{}/{}", kV2, name), ledger);
    if (quota_us > 0) write_value(cpu_dir_ + "/cpu.max", fmt::format("{} {}", quota_us, kPeriodUs));
    procs_files_ = {cpu_dir_ + "/cgroup.procs"};
}

CgroupCpu ContainerCgroup::read_cpu() const {
    CgroupCpu cpu;
    if (v1_) {
        cpu.usage_ns = read_number(cpuacct_dir_ + "/cpuacct.usage");
        const auto stat = read_keyed(cpu_dir_ + "/cpu.stat");
        if (auto it = stat.find("throttled_time"); it != stat.end()) cpu.throttled_ns = it->second;
        if (auto it = stat.find("nr_throttled"); it != stat.end()) cpu.throttled_periods = it->second;
        return cpu;
    }
    const auto stat = read_keyed(cpu_dir_ + "/cpu.stat");
    if (auto it = stat.find("usage_usec"); it != stat.end()) cpu.usage_ns = it->second * 1000;
    if (auto it = stat.find("throttled_usec"); it != stat.end()) cpu.throttled_ns = it->second * 1000;
    if (auto it = stat.find("nr_throttled"); it != stat.end()) cpu.throttled_periods = it->second;
    return cpu;
}

}  // namespace tbsim::testbed
