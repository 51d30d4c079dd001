// Independent replications of a prepared scenario, run on worker threads and pooled in
// replication order, so that results never depend on the number of threads.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::sim {

class ReplicationStore;

/// Runs replications [0, count) on up to `jobs` threads; results are in replication order. With a
/// store, replications it already holds are reused and each new one is saved as soon as it ends.
std::vector<RunResult> run_replications(const PreparedScenario& scenario, std::uint64_t count, unsigned jobs,
                                        ReplicationStore* store = nullptr);

/// Pools replications: numeric leaves become their mean across replications; `ci95` mirrors them
/// with Student-t 95% half-widths (0 with one replication); tables are concatenated.
RunResult pool_replications(const std::vector<RunResult>& runs, Json* ci95);

}  // namespace tbsim::sim
