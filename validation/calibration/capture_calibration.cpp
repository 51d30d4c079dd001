#include "validation/calibration/capture_calibration.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/output/atomic_file.hpp"
#include "validation/calibration/fitted_profile.hpp"
#include "validation/calibration/replay_residuals.hpp"

namespace tbsim::validation {

namespace fs = std::filesystem;

namespace {

// A private folder for trial profiles, removed when it goes.
struct ScratchFolder {
    fs::path path;
    ScratchFolder() {
        static std::atomic<unsigned> counter{0};
        path = fs::temp_directory_path() / fmt::format("tbsim-profiles-{}-{}", getpid(), counter++);
        fs::create_directories(path);
    }
    ~ScratchFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
};

}  // namespace

Residuals capture_residuals(const std::vector<CaptureReplay>& replays) {
    Residuals out;
    auto add = [&](const CaptureReplay& r, const std::string& what, double value, double weight) {
        out.values.push_back(weight * value);
        out.names.push_back(r.capture + " " + what);
    };
    for (const auto& r : replays) {
        for (const auto& [series, c] : r.mean_kbps) {
            if (series == "total" || c.measured <= 0.0) continue;
            add(r, series + ".mean_kbps", bounded_log_ratio(c), 1.0);
            add(r, series + ".p95_kbps", bounded_log_ratio(r.p95_kbps.at(series)), 0.25);
            add(r, series + ".peak_kbps", bounded_log_ratio(r.peak_kbps.at(series)), 0.25);
        }
        for (const auto* d : {&r.run_s, &r.create_s, &r.delete_s})
            if (*d && (*d)->measured > 0.0) add(r, "duration", bounded_log_ratio(**d), 1.0);
    }
    return out;
}

std::vector<CaptureReplay> replay_captures_with(const std::vector<OpenStackCapture>& captures, const std::string& profile_text,
                                                const CaptureScenarios& scenarios, const CaptureReplayOptions& replay, unsigned jobs) {
    ScratchFolder scratch;
    const auto path = (scratch.path / "profile.yaml").string();
    sim::write_file_atomically(path, profile_text);
    return replay_captures(captures, scenarios, path, replay, jobs);
}

CaptureCalibration calibrate_captures(const CaptureCalibrationRequest& request, const std::string& version) {
    if (request.captures.empty()) throw sim::ConfigError("tbsim calibrate: give at least one capture");
    if (request.keys.empty()) throw sim::ConfigError("tbsim calibrate: --fit names no key");
    const auto doc = sim::ConfigDocument::from_text(request.profile.text, request.profile.source);
    const auto parameters = fit_parameters_of(*doc, request.keys, request.bounds);
    FittedProfileInfo info{version, request.profile.source, {},
                           fmt::format("per capture: mean, p95 and peak of 1 s bins per protocol and direction, boot-and-delete durations "
                                       "({} replication(s), seed {})",
                                       request.replay.replications, request.replay.seed),
                           {}};
    for (const auto& c : request.captures) info.traces.push_back(c.name);
    auto profile_at = [&](const std::vector<double>& values) {
        FitResult trial;
        trial.parameters = parameters;
        for (std::size_t i = 0; i < values.size(); ++i) trial.parameters[i].value = values[i];
        return fitted_profile_text(request.profile, trial, info);
    };
    // The starting point replayed once before the fit: a bad profile or a capture no scenario
    // covers stops here, not after minutes.
    std::vector<double> start;
    for (const auto& p : parameters) start.push_back(p.initial);
    CaptureReplayOptions once = request.replay;
    once.replications = 1;
    replay_captures_with(request.captures, profile_at(start), request.scenarios, once, request.jobs);

    auto residuals_in_draw = [&](const std::vector<double>& values, int draw) {
        auto options = request.replay;
        options.seed += static_cast<std::uint64_t>(draw);
        return capture_residuals(replay_captures_with(request.captures, profile_at(values), request.scenarios, options, request.jobs));
    };
    auto fit = request.fit;
    fit.residuals_in_draw = residuals_in_draw;
    CaptureCalibration out;
    out.fit = fit_parameters(
        parameters, [&](const std::vector<double>& values) { return residuals_in_draw(values, 0); }, fit);
    out.fitted_text = fitted_profile_text(request.profile, out.fit, info);
    return out;
}

}  // namespace tbsim::validation
