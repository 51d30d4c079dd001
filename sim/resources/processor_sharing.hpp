// A multi-core processor shared equally among the jobs in progress (processor sharing): the cores
// of a host that VM boots or database queries run on. With n jobs on c cores, each job progresses
// at min(per_job_cores, c / n) cores, so contention emerges from the load instead of being assumed.
//
// Work is in core-seconds (the CPU time a job would need on one dedicated core). Every job gets the
// same rate, so the processor tracks the service attained by any job since the start and keeps jobs
// in a heap by the attained service at which they finish: O(log n) per arrival or completion, and
// one pending event (the next completion).
#pragma once

#include <coroutine>
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

    /// Starts a job of `work` core-seconds; calls `done` when it completes.
    void start(double work, Callback done);
    /// Awaitable: `co_await cpu.run(work)` resumes when the job completes.
    auto run(double work) {
        struct Awaiter {
            ProcessorSharing& cpu;
            double work;
            bool await_ready() const noexcept { return work <= 0.0; }
            void await_suspend(std::coroutine_handle<> h) { cpu.start(work, [h] { h.resume(); }); }
            void await_resume() const noexcept {}
        };
        return Awaiter{*this, work};
    }

    std::size_t jobs() const { return jobs_.size(); }
    double cores() const { return cores_; }
    /// Cores each job gets now.
    double rate() const;
    /// Mean fraction of the cores busy over [0, now].
    double utilisation() const;
    /// Core-seconds of work done so far.
    double work_done() const;
    /// When the processor last became idle (time zero if it never ran); meaningful while jobs() == 0.
    Time idle_since() const { return idle_since_; }

private:
    struct Job {
        double finish;  // attained service at which the job is done
        std::uint64_t order;
        Callback done;
    };
    struct Later {
        bool operator()(const Job& a, const Job& b) const { return a.finish > b.finish || (a.finish == b.finish && a.order > b.order); }
    };
    void advance();
    void reschedule();
    void complete();

    Simulation& sim_;
    double cores_;
    double per_job_cores_;
    std::priority_queue<Job, std::vector<Job>, Later> jobs_;
    double attained_ = 0.0;   // seconds of service each job has received since time zero
    double busy_area_ = 0.0;  // busy core-seconds
    Time last_;
    std::uint64_t order_ = 0;
    EventId next_;
    Time idle_since_;
};

}  // namespace tbsim::sim
