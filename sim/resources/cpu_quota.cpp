#include "sim/resources/cpu_quota.hpp"

#include <algorithm>

#include "sim/core/check.hpp"

namespace tbsim::sim {

namespace {
// Below a nanosecond of CPU, a chunk is not worth an event.
constexpr double kNegligible = 1e-9;
// kernel/sched/fair.c: what a run queue keeps when its last thread sleeps (min_cfs_rq_runtime), how
// long the slack timer waits before handing runtime given back to throttled run queues
// (cfs_bandwidth_slack_period), and how close to the period's end it is not started
// (min_bandwidth_expiration plus that wait).
constexpr double kKeptOnSleep = 0.001;
constexpr Time kSlackWait = Time::from_ms(5);
constexpr Time kNoSlackWithin = Time::from_ms(7);
}  // namespace

CpuQuota::CpuQuota(Simulation& sim, double quota_cores, Time period, Time phase)
    : sim_(sim), quota_s_(quota_cores * period.seconds()), period_(period), offset_(period - phase), pool_s_(quota_s_) {
    TBSIM_CHECK(quota_cores > 0.0 && period > Time::zero(), "a CPU quota needs a positive quota and period");
    TBSIM_CHECK(phase >= Time::zero() && phase < period, "a CPU quota's phase lies within its period");
}

CpuQuota::~CpuQuota() {
    sim_.cancel(period_timer_);
    sim_.cancel(slack_timer_);
}

void CpuQuota::use_run_queues(std::size_t cpus, Time slice, RandomStream placement) {
    TBSIM_CHECK(cpus > 0 && slice > Time::zero(), "per-CPU run queues need a CPU and a positive slice");
    TBSIM_CHECK(queues_.empty(), "a quota's run queues are set once");
    queues_.resize(cpus);
    slice_s_ = slice.seconds();
    placement_ = placement;
}

void CpuQuota::refill() {
    const std::int64_t index = (sim_.now() + offset_).ns() / period_.ns();
    if (index != period_index_) {
        period_index_ = index;
        pool_s_ = quota_s_;  // the period timer tops the pool up to the quota (no burst allowance)
    }
}

Time CpuQuota::period_end() const { return Time::from_ns((period_index_ + 1) * period_.ns()) - offset_; }

std::optional<std::size_t> CpuQuota::draw_run_queue() {
    if (queues_.empty()) return std::nullopt;
    return placement_->below(queues_.size());
}

Process CpuQuota::run(ProcessorSharing& cpu, double work, std::size_t cpu_group) {
    if (const auto queue = draw_run_queue()) return run_on_cpu(*queue, cpu, work, cpu_group);
    return run_from_pool(cpu, work, cpu_group);
}

Process CpuQuota::run_from_pool(ProcessorSharing& cpu, double work, std::size_t cpu_group) {
    while (work > kNegligible) {
        refill();
        if (pool_s_ <= kNegligible) {
            // Throttled until the next period refills the quota.
            const Time end = period_end();
            if (last_throttled_period_ != period_index_) {
                last_throttled_period_ = period_index_;
                ++throttled_periods_;
                throttled_ += end - sim_.now();
            }
            co_await sim_.until(end);
            continue;
        }
        const double chunk = std::min(work, pool_s_);
        pool_s_ -= chunk;
        co_await cpu.run(chunk, cpu_group);
        work -= chunk;
    }
}

Process CpuQuota::run_on_cpu(std::size_t cpu_index, ProcessorSharing& cpu, double work, std::size_t cpu_group) {
    TBSIM_CHECK(cpu_index < queues_.size(), "a job on a CPU the quota has no run queue for");
    RunQueue& queue = queues_[cpu_index];
    ++queue.jobs;
    while (work > kNegligible) {
        refill();
        if (queue.throttled) {
            co_await unthrottled(queue);
            continue;
        }
        if (queue.runtime_s <= kNegligible) {
            // Its slice is spent: it asks the pool for another.
            const double take = std::min(pool_s_, slice_s_ - queue.runtime_s);
            if (take > 0.0) {
                pool_s_ -= take;
                queue.runtime_s += take;
            }
            if (queue.runtime_s <= kNegligible) {
                throttle(queue);
                co_await unthrottled(queue);
                continue;
            }
        }
        const double chunk = std::min(work, queue.runtime_s);
        queue.runtime_s -= chunk;
        co_await cpu.run(chunk, cpu_group);
        work -= chunk;
    }
    if (--queue.jobs == 0) give_back(queue);
}

void CpuQuota::throttle(RunQueue& queue) {
    queue.throttled = true;
    queue.throttled_since = sim_.now();
    ++throttled_queues_;
    if (!sim_.is_pending(period_timer_)) period_timer_ = sim_.schedule_at(period_end(), [this] { period_timer(); });
}

void CpuQuota::unthrottle_all() {
    for (RunQueue& queue : queues_) {
        if (!queue.throttled) continue;
        queue.throttled = false;
        throttled_ += sim_.now() - queue.throttled_since;
        for (auto h : queue.waiting) sim_.schedule_in(Time::zero(), [h] { h.resume(); });
        queue.waiting.clear();
    }
    throttled_queues_ = 0;
}

void CpuQuota::period_timer() {
    refill();
    if (throttled_queues_ == 0) return;
    ++throttled_periods_;
    unthrottle_all();
}

void CpuQuota::give_back(RunQueue& queue) {
    refill();
    const double slack = queue.runtime_s - kKeptOnSleep;
    if (slack <= 0.0) return;
    queue.runtime_s -= slack;
    pool_s_ += slack;
    if (pool_s_ > slice_s_ && throttled_queues_ > 0 && !sim_.is_pending(slack_timer_) && period_end() - sim_.now() > kNoSlackWithin)
        slack_timer_ = sim_.schedule_in(kSlackWait, [this] { slack_timer(); });
}

void CpuQuota::slack_timer() {
    refill();
    if (pool_s_ > slice_s_ && throttled_queues_ > 0) unthrottle_all();
}

}  // namespace tbsim::sim
