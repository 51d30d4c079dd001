// `tbsim run`: loads a scenario (or a sweep file), runs every replication of every point on worker
// threads, pools them, writes summary.json and the result tables into the output folder (each file
// atomically) and tells what it did. With `--search KEY --until FIGURE<=BOUND` it first finds the
// largest KEY within the bound, then runs the scenario there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/output/figure_json.hpp"
#include "sim/scenario/key_search.hpp"

namespace tbsim::app {

struct RunRequest {
    std::string file;                       // empty: the embedded default scenario
    std::vector<sim::Override> overrides;   // --set, --seed, --replications
    std::string out_dir;                    // empty: out/<name>
    unsigned jobs = 1;
    std::optional<std::string> search_key;  // --search
    std::optional<std::string> until;       // --until
    bool progress = false;                  // a progress bar on stderr for runs that last
};

struct RunOutcome {
    sim::Json summary;                // as written to summary.json
    std::vector<std::string> files;   // paths written, summary.json first
    std::string account;              // the readable account
    double wall_s = 0.0;              // wall-clock time of the simulations (not in summary.json)
};

/// Loads, runs and writes. Finished runs are kept under the output folder until the results are
/// written, so that an interrupted run of the same scenario resumes where it stopped.
RunOutcome run_scenario(const RunRequest& request);

/// `tbsim check`: validates every point; returns the line to print.
std::string check_scenario(const std::string& file, const std::vector<sim::Override>& overrides);

}  // namespace tbsim::app
