// `tbsim run`: runs a prepared scenario's replications, pools them, writes summary.json and the
// result tables into the output folder (each file atomically), and tells what it did.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::app {

struct RunOutcome {
    sim::Json summary;                // as written to summary.json
    std::vector<std::string> files;   // paths written
    double wall_s = 0.0;              // wall-clock time of the simulation (not in summary.json)
};

/// Runs and writes into `out_dir` (created if needed). `jobs` threads run replications. Finished
/// replications are kept under `out_dir` until the results are written, so that an interrupted
/// run of the same scenario (same `identity`) resumes where it stopped.
RunOutcome run_and_write(const sim::PreparedScenario& scenario, const std::string& identity, const std::string& out_dir, unsigned jobs);

/// The readable account printed by `tbsim run`.
std::string describe_outcome(const sim::PreparedScenario& scenario, const RunOutcome& outcome);

}  // namespace tbsim::app
