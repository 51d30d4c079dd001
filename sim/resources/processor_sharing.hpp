// A multi-core processor shared among the jobs in progress (processor sharing): the cores of a
// host that VM boots or database queries run on. With n jobs on c cores, each job progresses at
// min(per_job_cores, c / n) cores, so contention emerges from the load instead of being assumed.
//
// Jobs may belong to groups, as the threads of a Linux control group with the CPU controller
// (CFS group scheduling, equal weights): the cores are first shared fairly among the groups with
// jobs, a group taking no more than its jobs can use (per_job_cores each) and leaving the rest to
// the others (water filling); then each group's share is split equally among its jobs. A group
// with one busy thread gets as much as a group with ten. With every job in group 0 (the default)
// this is plain processor sharing.
//
// A group may be a background one (`set_background`): the groups are first served without it, and
// the background groups share what they leave (their jobs run in the cores' idle time, as threads
// that lose every wake-up to the others' do; they may get nothing for a while).
//
// Work is in core-seconds (the CPU time a job would need on one dedicated core). The jobs of a
// group get the same rate, so each group tracks the service attained by any of its jobs since the
// start and keeps its jobs in a heap by the attained service at which they finish: O(log n) per
// arrival or completion plus O(g log g) for the g groups with jobs, and one pending event (the
// next completion).
#pragma once

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <queue>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/simulation.hpp"

namespace tbsim::sim {

class ProcessorSharing {
public:
    /// `cores` > 0: capacity; `per_job_cores` > 0: the most one job can use (1 for a single thread).
    ProcessorSharing(Simulation& sim, double cores, double per_job_cores = 1.0);
    ProcessorSharing(const ProcessorSharing&) = delete;
    ProcessorSharing& operator=(const ProcessorSharing&) = delete;
    ~ProcessorSharing();

    /// Starts a job of `work` core-seconds in `group`; calls `done` when it completes.
    void start(double work, Callback done, std::size_t group = 0);
    /// Awaitable: `co_await cpu.run(work)` resumes when the job completes.
    auto run(double work, std::size_t group = 0) {
        struct Awaiter {
            ProcessorSharing& cpu;
            double work;
            std::size_t group;
            bool await_ready() const noexcept { return work <= 0.0; }
            void await_suspend(std::coroutine_handle<> h) { cpu.start(work, [h] { h.resume(); }, group); }
            void await_resume() const noexcept {}
        };
        return Awaiter{*this, work, group};
    }

    /// Makes `group` a background group: it shares only the cores the other groups leave.
    void set_background(std::size_t group);

    std::size_t jobs() const { return jobs_; }
    double cores() const { return cores_; }
    /// Cores each job of `group` gets now (0 if it has none).
    double rate(std::size_t group = 0) const;
    /// Mean fraction of the cores busy over [0, now].
    double utilisation() const;
    /// Core-seconds of work done so far.
    double work_done() const;
    /// When the processor last became idle (time zero if it never ran); meaningful while jobs() == 0.
    Time idle_since() const { return idle_since_; }

private:
    struct Job {
        double finish;  // attained service of its group at which the job is done
        std::uint64_t order;
        Callback done;
    };
    struct Later {
        bool operator()(const Job& a, const Job& b) const { return a.finish > b.finish || (a.finish == b.finish && a.order > b.order); }
    };
    struct Group {
        std::priority_queue<Job, std::vector<Job>, Later> jobs;
        double attained = 0.0;  // seconds of service each of its jobs has received while it had jobs
        double rate = 0.0;      // cores each of its jobs gets now
        bool background = false;
    };
    void advance();
    void share();
    void reschedule();
    void complete();
    /// Core-seconds the jobs in progress receive over `elapsed` seconds at today's rates.
    double busy_over(double elapsed) const;

    Simulation& sim_;
    double cores_;
    double per_job_cores_;
    std::vector<Group> groups_;         // by group number
    std::vector<std::size_t> active_;   // groups with jobs, in the order they got their first
    std::vector<std::uint64_t> by_demand_;  // share()'s scratch: the active groups by demand
    std::vector<Callback> finished_;      // complete()'s scratch, empty between calls
    std::size_t jobs_ = 0;
    double busy_area_ = 0.0;  // busy core-seconds
    Time last_;
    std::uint64_t order_ = 0;
    EventId next_;
    Time idle_since_;
};

}  // namespace tbsim::sim
