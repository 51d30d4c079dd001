// `tbsim validate validation/NAME.yaml [--held-out DIR...] [--no-fit] [--jobs N] [--json] [--report DIR]`:
// calibrates on the file's training traces, replays the held-out ones with the fitted profile and
// judges each metric against its tolerance (validation/validate, docs/validation.md). Exit 0 when
// every metric passes, 3 when one fails or the fit does not converge, 2 on bad input.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tbsim::app {

struct ValidateRequest {
    std::string file;
    std::vector<std::string> held_out;  // replaces the file's held-out traces (the same tolerances)
    bool refit = true;
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
