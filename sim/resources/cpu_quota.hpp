// CFS bandwidth control: a control group's CPU quota (cgroup v2 `cpu.max` "QUOTA PERIOD").
//
// Real system: the threads of a group run at full speed until the group has used QUOTA of CPU
// time within the current PERIOD; then none of them runs until the period ends and the quota is
// refilled. A container held to half a core therefore runs 50 ms at full speed and waits 50 ms,
// not at half speed: a short query that meets a spent quota waits up to a period. `cpu.stat`
// counts the periods in which the group was throttled and the time it spent throttled; this
// class counts the same (docs/mysqlrep.md, the testbed's limits).
//
// Model: work of the group runs on its processor in chunks of the quota left in the period; a
// chunk is charged when it starts, so concurrent jobs of the group share what is left. Periods
// start at `phase` plus multiples of PERIOD: each group's period timer runs on its own clock (the
// testbed's containers end their throttling at different points of the period).
#pragma once

#include <cstdint>

#include "sim/core/process.hpp"
#include "sim/resources/processor_sharing.hpp"

namespace tbsim::sim {

class CpuQuota {
public:
    /// `quota_cores`: CPU time allowed per period, as a fraction of the period (0.5 = half a core);
    /// `phase`, in [0, period): where the group's periods start.
    CpuQuota(Simulation& sim, double quota_cores, Time period, Time phase = Time::zero());

    /// Runs `work` core-seconds of the group on `cpu` (as its group `cpu_group` there), waiting out
    /// the periods where the quota is spent.
    Process run(ProcessorSharing& cpu, double work, std::size_t cpu_group = 0);

    Time throttled_time() const { return throttled_; }
    std::int64_t throttled_periods() const { return throttled_periods_; }
    double quota_cores() const { return quota_s_ / period_.seconds(); }
    Time period() const { return period_; }

private:
    void refill();

    Simulation& sim_;
    double quota_s_;       // CPU seconds per period
    Time period_;
    Time offset_;                    // period - phase: period k is [k * period - offset, (k + 1) * period - offset)
    std::int64_t period_index_ = 0;  // the period `used_s_` belongs to
    double used_s_ = 0.0;
    std::int64_t last_throttled_period_ = -1;
    Time throttled_;
    std::int64_t throttled_periods_ = 0;
};

}  // namespace tbsim::sim
