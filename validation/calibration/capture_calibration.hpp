// Calibrating a release profile on captures of a real OpenStack plane (`tbsim calibrate` on
// capture folders, and `tbsim validate` with kind: openstack): every evaluation writes the trial
// profile to a private file and replays every capture with the same seeds (common random numbers)
// on `jobs` threads.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sim/scenario/study.hpp"
#include "validation/calibration/parameter_fit.hpp"
#include "validation/replay/capture_replay.hpp"

namespace tbsim::validation {

/// What the fit minimises, per capture: log(sim / meas) of the mean (weight 1), p95 and peak
/// (0.25 each: 1 s bins of a bursty series vary from run to run) of each protocol and direction,
/// and of the boot-and-delete durations (1 each).
Residuals capture_residuals(const std::vector<CaptureReplay>& replays);

struct CaptureCalibrationRequest {
    std::vector<OpenStackCapture> captures;
    sim::ScenarioText profile;                  // the base release profile's text and file
    std::vector<std::string> keys;              // the parameters to fit
    std::map<std::string, std::string> bounds;  // key -> "LOW:HIGH"
    CaptureScenarios scenarios;
    CaptureReplayOptions replay;
    unsigned jobs = 1;
    FitOptions fit;
};

struct CaptureCalibration {
    FitResult fit;
    std::string fitted_text;
};

/// Reads the base and the parameters (ConfigError on a bad key or a capture no scenario covers),
/// fits, writes the fitted text.
CaptureCalibration calibrate_captures(const CaptureCalibrationRequest& request, const std::string& version);

/// Replays `captures` with the release profile `profile_text` (written to a private file meanwhile).
std::vector<CaptureReplay> replay_captures_with(const std::vector<OpenStackCapture>& captures, const std::string& profile_text,
                                                const CaptureScenarios& scenarios, const CaptureReplayOptions& replay, unsigned jobs);

}  // namespace tbsim::validation
