// CFS bandwidth control: a control group's CPU quota (cgroup v2 `cpu.max` "QUOTA PERIOD").
//
// Real system: the threads of a group run at full speed until the group has used QUOTA of CPU
// time within the current PERIOD; then none of them runs until the period ends and the quota is
// refilled. A container held to half a core therefore runs 50 ms at full speed and waits 50 ms,
// not at half speed: a short query that meets a spent quota waits up to a period. `cpu.stat`
// counts the periods in which the group was throttled and the time it spent throttled; this
// class counts the same (docs/mysqlrep.md, the testbed's limits).
//
// The kernel does not keep the quota in one place (kernel/sched/fair.c, Linux 5.4 and later): the
// period timer refills the group's pool, and each CPU's run queue of the group takes runtime from
// the pool in slices (`sched_cfs_bandwidth_slice_us`, 5 ms by default) as its threads run. A run
// queue whose slice is spent while the pool is empty is throttled, although another CPU may hold
// runtime it is not using; when a run queue's last thread sleeps it gives back all but 1 ms of its
// slice (`min_cfs_rq_runtime`), and the throttled run queues get that back 5 ms later (the slack
// timer) only if the pool then holds more than a slice, otherwise at the period's end. A slice
// kept on a CPU does not expire. So a group whose quota is one or two slices is throttled far more
// often, and for longer, than its mean use says. `cpu.stat`'s throttled time is the sum over the
// run queues.
//
// Model: work of the group runs on its processor in chunks of the runtime its run queue holds; a
// chunk is charged when it starts, so concurrent jobs of a run queue share what is left. Each job
// is placed on a run queue drawn at random (the host's other load decides where a thread wakes),
// unless its caller names the CPU (a thread woken synchronously by another runs on the waker's).
// With one pool (`use_run_queues` not called) the quota is the group's alone, without slices.
// Periods start at `phase` plus multiples of PERIOD: each group's period timer runs on its own
// clock (the testbed's containers end their throttling at different points of the period).
#pragma once

#include <coroutine>
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/process.hpp"
#include "sim/core/random_stream.hpp"
#include "sim/resources/processor_sharing.hpp"

namespace tbsim::sim {

class CpuQuota {
public:
    /// `quota_cores`: CPU time allowed per period, as a fraction of the period (0.5 = half a core);
    /// `phase`, in [0, period): where the group's periods start.
    CpuQuota(Simulation& sim, double quota_cores, Time period, Time phase = Time::zero());
    CpuQuota(const CpuQuota&) = delete;
    CpuQuota& operator=(const CpuQuota&) = delete;
    ~CpuQuota();

    /// Takes the quota through `cpus` per-CPU run queues in slices of `slice` (> 0), each job on
    /// the run queue `placement` draws. Call before the first job.
    void use_run_queues(std::size_t cpus, Time slice, RandomStream placement);

    /// Runs `work` core-seconds of the group on `cpu` (as its group `cpu_group` there), waiting out
    /// the times its run queue is throttled.
    Process run(ProcessorSharing& cpu, double work, std::size_t cpu_group = 0);
    /// As `run`, on the run queue of CPU `cpu_index` (the CPU the thread woke on) instead of a drawn one.
    Process run_on_cpu(std::size_t cpu_index, ProcessorSharing& cpu, double work, std::size_t cpu_group = 0);
    /// Draws the run queue a thread wakes on, as `run` does for each job: for threads that wake
    /// one another on the same CPU (`run_on_cpu` with the index drawn once). None without per-CPU
    /// run queues (`use_run_queues` not called): the quota is one pool.
    std::optional<std::size_t> draw_run_queue();

    /// Summed over the run queues, as cgroup v2 `cpu.stat` throttled_usec.
    Time throttled_time() const { return throttled_; }
    /// Periods that ended with a run queue throttled (cpu.stat nr_throttled).
    std::int64_t throttled_periods() const { return throttled_periods_; }
    double quota_cores() const { return quota_s_ / period_.seconds(); }
    Time period() const { return period_; }

private:
    struct RunQueue {
        double runtime_s = 0.0;  // the slice it holds (runtime_remaining), CPU seconds
        std::size_t jobs = 0;    // jobs placed on it, running or waiting
        bool throttled = false;
        Time throttled_since;
        std::vector<std::coroutine_handle<>> waiting;
    };

    Process run_from_pool(ProcessorSharing& cpu, double work, std::size_t cpu_group);
    auto unthrottled(RunQueue& queue) {
        struct Awaiter {
            RunQueue& queue;
            bool await_ready() const noexcept { return !queue.throttled; }
            void await_suspend(std::coroutine_handle<> h) { queue.waiting.push_back(h); }
            void await_resume() const noexcept {}
        };
        return Awaiter{queue};
    }

    void refill();
    Time period_end() const;
    void throttle(RunQueue& queue);
    void unthrottle_all();
    void period_timer();
    void give_back(RunQueue& queue);
    void slack_timer();

    Simulation& sim_;
    double quota_s_;       // CPU seconds per period
    Time period_;
    Time offset_;                    // period - phase: period k is [k * period - offset, (k + 1) * period - offset)
    std::int64_t period_index_ = 0;  // the period `pool_s_` belongs to
    double pool_s_ = 0.0;  // the group's runtime left in the period (with run queues: not yet taken by one)
    Time throttled_;
    std::int64_t throttled_periods_ = 0;

    // One pool: the last period a job found it empty.
    std::int64_t last_throttled_period_ = -1;

    // Per-CPU run queues.
    std::vector<RunQueue> queues_;
    double slice_s_ = 0.0;
    std::optional<RandomStream> placement_;
    std::size_t throttled_queues_ = 0;
    EventId period_timer_;  // pending while a run queue is throttled
    EventId slack_timer_;
};

}  // namespace tbsim::sim
