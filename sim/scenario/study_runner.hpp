// Runs every replication of every point of a study on worker threads. The (point, replication)
// runs are independent: each has its own Simulation seeded from (the point's seed, its stream
// names, the replication), so results never depend on the number of threads or their order; they
// come back in point, then replication order. With a store, runs it already holds are reused and
// each new one is saved as soon as it ends.
#pragma once

#include <vector>

#include "sim/scenario/run_store.hpp"
#include "sim/scenario/study.hpp"

namespace tbsim::sim {

/// runs[p][r]: replication r of point p.
using StudyRuns = std::vector<std::vector<RunResult>>;

StudyRuns run_study(const Study& study, unsigned jobs, RunStore* store = nullptr);

}  // namespace tbsim::sim
