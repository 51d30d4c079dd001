// `tbsim calibrate TRACE... [--profile BASE] --fit KEY[,KEY...] [--bounds KEY=LOW:HIGH] [--out FITTED.yaml]
// [--jobs N] [--max-evaluations E] [--mode model|driven] [--replications R] [--seed S] [--set KEY=VALUE]
// [--scenario KIND=FILE] [--json]`: fits numeric keys of a testbed profile to recorded traces, or of
// a release profile to OpenStack captures (validation/calibration, docs/calibration.md), and writes
// the fitted profile. A fit that does not converge writes nothing: it prints the best point found
// and the command exits 3.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/study.hpp"
#include "validation/calibration/testbed_calibration.hpp"

namespace tbsim::app {

struct CalibrateRequest {
    std::vector<std::string> traces;
    std::string profile = "testbed";
    std::vector<sim::Override> overrides;
    std::vector<std::string> fit;     // keys
    std::vector<std::string> bounds;  // "KEY=LOW:HIGH"
    std::vector<std::string> scenarios;  // captures: "idle=FILE", "create-delete=FILE", "boot-and-delete=FILE"
    std::string out;                  // empty: out/calibrate/<base>-fitted.yaml
    std::string mode = "model";
    std::optional<std::int64_t> replications;
    std::optional<std::uint64_t> seed;
    std::optional<int> max_evaluations;  // per local search
    int starts = 1;                      // local searches (validation::FitOptions::starts)
    double start_spread = validation::kDefaultStartSpread;  // FitOptions::start_spread
    double robust_scale = 0.0;                              // FitOptions::robust_scale
    int other_draws = validation::kDefaultOtherDraws;       // FitOptions::other_draws
    unsigned jobs = 1;
    bool quiet = false;  // no progress line
};

struct CalibrateOutcome {
    validation::FitResult fit;
    std::string fitted_text;
    std::string account;   // the readable account
    nlohmann::json json;   // the same for scripts
    std::string written;   // the fitted profile's path; empty when the fit did not converge
    double wall_s = 0.0;
};

/// The request as the library takes it: the traces read, the base profile's text, the keys, the
/// bounds. Everything is checked here, before any replay (ConfigError, FILE:LINE).
validation::TestbedCalibrationRequest calibration_request(const CalibrateRequest& request);

CalibrateOutcome run_calibrate(const CalibrateRequest& request);

/// The fit as a table (parameter, start, fitted, standard error, bounds) and its loss, for people.
std::string fit_account(const validation::FitResult& fit);

/// The fit as JSON (parameters, loss, rmse, evaluations, converged, unidentified, correlations).
nlohmann::json fit_json(const validation::FitResult& fit);

}  // namespace tbsim::app
