#include "sim/resources/cpu_quota.hpp"

#include <algorithm>

#include "sim/core/check.hpp"

namespace tbsim::sim {

CpuQuota::CpuQuota(Simulation& sim, double quota_cores, Time period, Time phase)
    : sim_(sim), quota_s_(quota_cores * period.seconds()), period_(period), offset_(period - phase) {
    TBSIM_CHECK(quota_cores > 0.0 && period > Time::zero(), "a CPU quota needs a positive quota and period");
    TBSIM_CHECK(phase >= Time::zero() && phase < period, "a CPU quota's phase lies within its period");
}

void CpuQuota::refill() {
    const std::int64_t index = (sim_.now() + offset_).ns() / period_.ns();
    if (index != period_index_) {
        period_index_ = index;
        used_s_ = 0.0;
    }
}

Process CpuQuota::run(ProcessorSharing& cpu, double work, std::size_t cpu_group) {
    // Below a nanosecond of CPU, a chunk is not worth an event.
    constexpr double kNegligible = 1e-9;
    while (work > kNegligible) {
        refill();
        const double left = quota_s_ - used_s_;
        if (left <= kNegligible) {
            // Throttled until the next period refills the quota.
            const Time period_end = Time::from_ns((period_index_ + 1) * period_.ns()) - offset_;
            if (last_throttled_period_ != period_index_) {
                last_throttled_period_ = period_index_;
                ++throttled_periods_;
                throttled_ += period_end - sim_.now();
            }
            co_await sim_.until(period_end);
            continue;
        }
        const double chunk = std::min(work, left);
        used_s_ += chunk;
        co_await cpu.run(chunk, cpu_group);
        work -= chunk;
    }
}

}  // namespace tbsim::sim
