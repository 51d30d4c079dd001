// Which runs of a study remain. Every (point, replication) is a task, handed out in point order;
// with a precision target (sweep.precision), a point whose replications are all done and whose
// collected figures are not yet precise enough gets more replications. The decision depends only
// on that point's results, never on the order runs finished in, so the final replications, and the
// files, are the same for any number of threads, ranks or shards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/study.hpp"

namespace tbsim::sim {

/// runs[p][r]: replication r of point p.
using StudyRuns = std::vector<std::vector<RunResult>>;

struct Task {
    std::size_t point = 0;
    std::uint64_t replication = 0;
};

class RunSchedule {
public:
    /// `points`: the points to run (a shard's slice); empty: every point of the study.
    RunSchedule(const Study& study, std::vector<std::size_t> points = {});

    enum class Next { run, wait, done };
    /// The next task to run; `wait` while every known task is out but finishing one may add more.
    Next next(Task& task);
    /// A run that finished.
    void complete(const Task& task, RunResult result);
    /// A run that failed (an exception in the model): its point gets no more replications.
    void fail(const Task& task, const std::string& why);

    std::size_t known() const { return known_; }       // tasks known so far (grows with a precision target)
    std::size_t finished() const { return finished_; }  // done or failed
    const std::vector<std::string>& failures() const { return failures_; }
    /// Every run, per point in replication order (points outside the slice: none). Call once, at the end.
    StudyRuns take_runs();

private:
    struct PointState {
        std::uint64_t target = 0;  // replications asked for so far
        std::uint64_t done = 0;
        bool failed = false;
        std::vector<std::optional<RunResult>> runs;
    };
    void point_done(std::size_t point);

    const Study& study_;
    std::vector<PointState> points_;
    std::deque<Task> queue_;
    std::size_t out_ = 0;  // handed out, not finished
    std::size_t known_ = 0;
    std::size_t finished_ = 0;
    std::vector<std::string> failures_;
};

}  // namespace tbsim::sim
