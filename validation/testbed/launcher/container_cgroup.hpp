// The control group of one container (an instance's MariaDB server and its application): it measures
// the CPU the container uses and, when asked, caps it with a CFS quota. cgroup v1 ("cpu" and "cpuacct"
// hierarchies, as on this project's Debian 12 machines) or, where v1 has no cpu controller, cgroup v2
// (cpu.max, cpu.stat).
#pragma once

#include "validation/testbed/launcher/teardown_ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tbsim::testbed {

struct CgroupCpu {
    std::uint64_t usage_ns = 0;      // CPU time used by the container's processes
    std::uint64_t throttled_ns = 0;  // time its runnable processes waited for quota
    std::uint64_t throttled_periods = 0;
};

class ContainerCgroup {
public:
    /// Creates the cgroup `name`; `cpu_quota` in cores (0.5 = half a core per 100 ms period).
    ContainerCgroup(const std::string& name, std::optional<double> cpu_quota, TeardownLedger& ledger);

    /// The files a process writes its PID into to join (before it executes).
    [[nodiscard]] const std::vector<std::string>& procs_files() const { return procs_files_; }

    [[nodiscard]] CgroupCpu read_cpu() const;

    /// Whether this machine can make such cgroups at all (checked before the run starts).
    static std::optional<std::string> unavailable_reason();

private:
    bool v1_ = true;
    std::string cpu_dir_, cpuacct_dir_;
    std::vector<std::string> procs_files_;
};

}  // namespace tbsim::testbed
