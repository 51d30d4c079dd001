// `tbsim sweep SWEEP.yaml`: a sweep at scale. Every (point, replication) runs once: finished runs
// go to the result store in the output folder (DIR/store/), so a sweep killed and started again
// runs only what is missing, on threads (--jobs), over the ranks of an MPI job (mpirun), or as
// one fixed slice of several (--shard I/K, for job arrays) whose stores `--merge` assembles. The
// final files (sweep.json, runs.csv, points.csv) are the same bytes whichever way it ran.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/output/figure_json.hpp"
#include "sim/scenario/study.hpp"

namespace tbsim::app {

struct SweepRequest {
    std::string file;                       // a sweep file, or a scenario with a `sweep:` section
    std::vector<sim::Override> overrides;   // --set, to the swept scenario
    std::string out_dir;                    // empty: out/<name>
    unsigned jobs = 1;
    std::optional<std::string> precision;   // --precision 2%
    std::optional<std::string> shard;       // --shard I/K
    std::vector<std::string> merge;         // --merge DIR...
    bool quiet = false;                     // --json: no progress, the JSON on stdout
};

struct SweepOutcome {
    sim::Json summary;                     // sweep.json (empty on a shard, or on an MPI rank other than 0)
    std::string account;                   // the readable account
    std::vector<std::string> failures;
    bool wrote_files = false;
};

SweepOutcome run_sweep(const SweepRequest& request);

}  // namespace tbsim::app
