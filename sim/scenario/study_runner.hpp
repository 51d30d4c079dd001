// Runs the replications of a study's points on worker threads. The (point, replication) runs are
// independent: each has its own Simulation seeded from (the point's seed, its stream names, the
// replication), so results never depend on the number of threads or their order; they come back in
// point, then replication order. With a store, runs it already holds are reused and each new one
// is saved as soon as it ends.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/run_schedule.hpp"
#include "sim/scenario/run_store.hpp"

namespace tbsim::sim {

/// Counters a progress display reads while the runs go on.
struct RunProgress {
    std::atomic<std::size_t> known{0};     // runs known so far
    std::atomic<std::size_t> finished{0};  // runs done or failed, kept ones included
    std::atomic<std::size_t> kept{0};      // runs found in the store
    std::atomic<std::size_t> failed{0};
    std::atomic<std::uint64_t> thousandths{0};  // of runs done, summed (run_ticker.hpp): runs in progress count their part
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
};

struct RunOptions {
    unsigned jobs = 1;                 // threads
    RunStore* store = nullptr;         // runs kept and saved (resume)
    std::vector<std::size_t> points;   // the points to run (a shard's slice); empty: all
    bool keep_going = false;           // a failed run: go on with the others (false: stop, rethrow)
    RunProgress* progress = nullptr;
};

struct RunReport {
    StudyRuns runs;                     // runs[p][r]
    std::vector<std::string> failures;  // with keep_going
};

RunReport run_study(const Study& study, const RunOptions& options);

/// Every replication of every point, all threads, stopping at the first failure.
StudyRuns run_study(const Study& study, unsigned jobs, RunStore* store = nullptr);

}  // namespace tbsim::sim
