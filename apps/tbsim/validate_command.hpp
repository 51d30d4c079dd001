// `tbsim validate validation/NAME.yaml [--held-out DIR...] [--no-fit] [--seed S] [--replications R] [--jobs N] [--json]
// [--report DIR]`:
// calibrates on the file's training traces, replays the held-out ones with the fitted profile and
// judges each metric against its tolerance (validation/validate, docs/validation.md). Exit 0 when
// every metric passes, 3 when one fails or the fit does not converge, 2 on bad input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tbsim::app {

struct ValidateRequest {
    std::string file;
    std::vector<std::string> held_out;  // replaces the file's held-out traces (the same tolerances)
    bool refit = true;
    // Replace the file's `replay:` seed and replications (the fit's and the held-out replays'): run
    // again under other seeds, or more replications, to see how much of a verdict is chance.
    std::optional<std::uint64_t> seed;
    std::optional<std::int64_t> replications;
    unsigned jobs = 1;
    std::string report;                 // a folder for index.html and fitted.yaml; empty: none
    bool quiet = false;
};

struct ValidateOutcome {
    bool passed = false;
    bool converged = true;
    std::string account;
    nlohmann::json json;
    std::vector<std::string> files;
    double wall_s = 0.0;
};

ValidateOutcome run_validate(const ValidateRequest& request);

}  // namespace tbsim::app
