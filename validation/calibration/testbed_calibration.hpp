// Calibrating the testbed profile on recorded traces (`tbsim calibrate`): every evaluation
// replays all the traces with the same seeds (common random numbers: the loss moves only with the
// parameters) on `jobs` threads, and compares them as replay_residuals says.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "validation/calibration/parameter_fit.hpp"
#include "validation/readers/testbed_trace.hpp"
#include "validation/replay/testbed_profile.hpp"
#include "validation/replay/testbed_replay.hpp"

namespace tbsim::validation {

struct TestbedCalibrationRequest {
    std::vector<TestbedTrace> traces;
    sim::ScenarioText profile;                 // the base profile's text
    std::vector<sim::Override> overrides;      // applied to the base before fitting
    std::vector<std::string> keys;             // the parameters to fit
    std::map<std::string, std::string> bounds; // key -> "LOW:HIGH"
    ReplayOptions replay;                      // mode, replications, seed
    unsigned jobs = 1;
    FitOptions fit;
};

struct TestbedCalibration {
    FitResult fit;
    std::string fitted_text;  // the fitted profile (fitted_profile.hpp)
};

/// Reads the base and the parameters (ConfigError on a bad key), fits, writes the fitted text.
TestbedCalibration calibrate_testbed(const TestbedCalibrationRequest& request, const std::string& version);

/// The same evaluation the fit makes: the profile at `values` of `parameters`, every trace replayed
/// (`measured[i]` is request.traces[i]'s measure_trace), with the seed `draw` after the request's.
std::vector<TraceReplay> replay_at(const TestbedCalibrationRequest& request, const std::vector<MeasuredTrace>& measured,
                                   const std::vector<FitParameter>& parameters, const std::vector<double>& values, int draw = 0);

}  // namespace tbsim::validation
