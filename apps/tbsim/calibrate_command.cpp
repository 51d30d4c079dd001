#include "apps/tbsim/calibrate_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "apps/tbsim/replay_command.hpp"
#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/output_folder.hpp"
#include "validation/calibration/capture_calibration.hpp"
#include "validation/readers/compressed_file.hpp"
#include "validation/readers/openstack_capture.hpp"
#include "validation/replay/testbed_profile.hpp"

namespace tbsim::app {

namespace fs = std::filesystem;

namespace {

// One line on stderr, redrawn in place on a terminal, every tenth evaluation otherwise.
std::function<void(const validation::FitProgress&)> progress_line(bool quiet) {
    if (quiet) return {};
    const bool terminal = isatty(fileno(stderr)) != 0;
    return [terminal](const validation::FitProgress& p) {
        if (!terminal && p.evaluation % 10 != 0) return;
        const double per = p.evaluation > 0 ? p.elapsed_s / p.evaluation : 0.0;
        const double left = per * std::max(0, p.max_evaluations - p.evaluation);
        const auto text = fmt::format("calibrate: evaluation {}{} loss {:.4g} (best {:.4g}), {:.0f} s elapsed, at most {:.0f} s left",
                                      p.evaluation, p.jacobian ? " (standard errors)" : "", p.loss, p.best_loss, p.elapsed_s, left);
        if (terminal) fmt::print(stderr, "\r{:<110}", text);
        else fmt::print(stderr, "{}\n", text);
        std::fflush(stderr);
    };
}

// The optimiser's options the command line sets, with the progress line.
validation::FitOptions fit_options(const CalibrateRequest& request) {
    validation::FitOptions fit;
    if (request.max_evaluations) fit.max_evaluations = *request.max_evaluations;
    fit.starts = request.starts;
    fit.start_spread = request.start_spread;
    fit.robust_scale = request.robust_scale;
    fit.other_draws = request.other_draws;
    fit.progress = progress_line(request.quiet);
    return fit;
}

}  // namespace

validation::TestbedCalibrationRequest calibration_request(const CalibrateRequest& request) {
    validation::TestbedCalibrationRequest out;
    if (request.traces.empty()) throw sim::ConfigError("tbsim calibrate: give at least one trace folder");
    if (request.fit.empty()) throw sim::ConfigError("tbsim calibrate: --fit names no key");
    if (request.mode == "model") out.replay.mode = validation::ReplayMode::model;
    else if (request.mode == "driven") out.replay.mode = validation::ReplayMode::driven;
    else throw sim::ConfigError(fmt::format("--mode {}: expected model or driven", request.mode));
    out.profile = validation::testbed_profile_text(request.profile);
    out.overrides = request.overrides;
    const auto base = validation::read_testbed_profile(out.profile, out.overrides);
    // One run of each trace per evaluation, whatever the profile pools for a replay: under common
    // random numbers the loss is smooth and the fit takes a third of the time of three, but the
    // optimum carries that run's noise (docs/calibration.md: --replications).
    out.replay.replications = request.replications.value_or(1);
    out.replay.seed = request.seed.value_or(base.header.seed);
    if (out.replay.replications < 1) throw sim::ConfigError("--replications must be at least 1");
    out.traces = validation::read_testbed_traces(expand_trace_folders(request.traces), request.jobs);
    out.keys = request.fit;
    for (const auto& b : request.bounds) {
        const auto eq = b.find('=');
        if (eq == std::string::npos || eq == 0) throw sim::ConfigError(fmt::format("--bounds {}: expected KEY=LOW:HIGH", b));
        out.bounds[b.substr(0, eq)] = b.substr(eq + 1);
    }
    out.jobs = request.jobs;
    out.fit = fit_options(request);
    return out;
}

std::string fit_account(const validation::FitResult& fit) {
    std::string out = fmt::format("{:<40} {:>12} {:>12} {:>10} {:>25}\n", "parameter", "start", "fitted", "std error", "bounds");
    for (const auto& p : fit.parameters) {
        const auto se = p.standard_error > 0.0 ? validation::format_parameter(p, p.standard_error) : std::string("-");
        out += fmt::format("{:<40} {:>12} {:>12} {:>10} {:>25}\n", p.key, validation::format_parameter(p, p.initial),
                           validation::format_parameter(p, p.value), se,
                           validation::format_parameter(p, p.lower) + ".." + validation::format_parameter(p, p.upper));
    }
    if (fit.robust_scale > 0.0) out += fmt::format("soft L1 loss, scale {:g} (residuals beyond it count linearly)\n", fit.robust_scale);
    out += fmt::format("loss {:.4g} -> {:.4g}, RMSE {:.4g} -> {:.4g} over {} residuals, {} evaluations, {}\n", fit.loss_before,
                       fit.loss_after, fit.rmse_before, fit.rmse_after, fit.residuals, fit.evaluations,
                       fit.converged ? fit.stop_reason : "DID NOT CONVERGE (" + fit.stop_reason + ")");
    if (!fit.draws_loss_after.empty()) out += draws_account(fit) + "\n";
    if (fit.infeasible > 0)
        out += fmt::format("{} evaluation(s) at points the model could not run, scored as a high loss; the first: {}\n", fit.infeasible,
                           fit.first_infeasible);
    if (fit.starts.size() > 1) {
        out += fmt::format("{} local searches (the given values, then points spread {}); loss at each start -> end:\n",
                           fit.starts.size(),
                           fit.start_spread > 1.0 ? fmt::format("within {:g}x of them", fit.start_spread) : std::string("over the bounds"));
        for (std::size_t k = 0; k < fit.starts.size(); ++k) {
            const auto& s = fit.starts[k];
            out += fmt::format("  start {}: {:.4g} -> {:.4g}, {} evaluations, {}{}\n", k + 1, s.loss_start, s.loss_end, s.evaluations,
                               s.stop_reason, k == fit.best_start ? "  (the fit)" : "");
        }
    }
    for (const auto& k : fit.unidentified) out += fmt::format("not identified by these traces: {}\n", k);
    for (const auto& c : fit.correlations) out += fmt::format("correlated: {} and {} (r = {:+.2f})\n", c.a, c.b, c.correlation);
    return out;
}

nlohmann::json fit_json(const validation::FitResult& fit) {
    nlohmann::json j;
    j["parameters"] = nlohmann::json::array();
    for (const auto& p : fit.parameters)
        j["parameters"].push_back({{"key", p.key},
                                   {"start", validation::format_parameter(p, p.initial)},
                                   {"value", validation::format_parameter(p, p.value)},
                                   {"standard_error", validation::format_parameter(p, p.standard_error)},
                                   {"lower", validation::format_parameter(p, p.lower)},
                                   {"upper", validation::format_parameter(p, p.upper)}});
    j["loss_before"] = fit.loss_before;
    j["loss_after"] = fit.loss_after;
    j["rmse_before"] = fit.rmse_before;
    j["rmse_after"] = fit.rmse_after;
    j["residuals"] = fit.residuals;
    j["evaluations"] = fit.evaluations;
    j["converged"] = fit.converged;
    j["stop_reason"] = fit.stop_reason;
    j["infeasible_evaluations"] = fit.infeasible;
    j["start_spread"] = fit.start_spread;
    j["robust_scale"] = fit.robust_scale;
    j["draws_loss_before"] = fit.draws_loss_before;
    j["draws_loss_after"] = fit.draws_loss_after;
    j["starts"] = nlohmann::json::array();
    for (std::size_t k = 0; k < fit.starts.size(); ++k) {
        const auto& s = fit.starts[k];
        j["starts"].push_back({{"loss_start", s.loss_start},
                               {"loss_end", s.loss_end},
                               {"evaluations", s.evaluations},
                               {"converged", s.converged},
                               {"stop_reason", s.stop_reason},
                               {"best", k == fit.best_start}});
    }
    j["unidentified"] = fit.unidentified;
    j["correlations"] = nlohmann::json::array();
    for (const auto& c : fit.correlations) j["correlations"].push_back({{"a", c.a}, {"b", c.b}, {"r", c.correlation}});
    return j;
}

namespace {

// Captures: a release profile fitted on them (validation/calibration/capture_calibration.hpp).
validation::CaptureCalibrationRequest capture_request(const CalibrateRequest& request, const std::vector<std::string>& folders) {
    validation::CaptureCalibrationRequest out;
    if (request.profile == "testbed" || !sim::input_path_exists(request.profile))
        throw sim::ConfigError(fmt::format("--profile {}: captures need a release profile file (scenarios/profiles/openstack-zed.yaml)",
                                           request.profile));
    if (request.mode != "model") throw sim::ConfigError("--mode: captures replay in model mode only");
    if (!request.overrides.empty()) throw sim::ConfigError("--set: not for captures (edit the release profile)");
    out.profile = {validation::read_possibly_compressed(request.profile), request.profile};
    for (const auto& s : request.scenarios) {
        const auto eq = s.find('=');
        const auto kind = eq == std::string::npos ? s : s.substr(0, eq);
        const auto file = eq == std::string::npos ? std::string() : s.substr(eq + 1);
        if (file.empty() || !sim::input_path_exists(file)) throw sim::ConfigError(fmt::format("--scenario {}: expected KIND=FILE, an existing file", s));
        if (kind == "idle") out.scenarios.idle = file;
        else if (kind == "create-delete") out.scenarios.create_delete = file;
        else if (kind == "boot-and-delete") out.scenarios.boot_and_delete = file;
        else throw sim::ConfigError(fmt::format("--scenario {}: the kind is idle, create-delete or boot-and-delete", s));
    }
    for (const auto& f : folders) out.captures.push_back(validation::read_openstack_capture(f));
    out.keys = request.fit;
    for (const auto& b : request.bounds) {
        const auto eq = b.find('=');
        if (eq == std::string::npos || eq == 0) throw sim::ConfigError(fmt::format("--bounds {}: expected KEY=LOW:HIGH", b));
        out.bounds[b.substr(0, eq)] = b.substr(eq + 1);
    }
    out.replay.replications = request.replications.value_or(3);
    out.replay.seed = request.seed.value_or(1);
    out.jobs = request.jobs;
    out.fit = fit_options(request);
    return out;
}

}  // namespace

CalibrateOutcome run_calibrate(const CalibrateRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    if (request.fit.empty()) throw sim::ConfigError("tbsim calibrate: --fit names no key");
    if (request.max_evaluations && *request.max_evaluations < 2 * static_cast<int>(request.fit.size()) + 2)
        throw sim::ConfigError(fmt::format("--max-evaluations {}: at least {} for {} parameter(s)", *request.max_evaluations,
                                           2 * request.fit.size() + 2, request.fit.size()));
    // Where the fitted profile goes, checked before the fit (minutes), not after it.
    if (request.out.empty()) sim::check_output_folder("out/calibrate", "the default output folder");
    else sim::check_output_file(request.out, "--out");
    const auto folders = expand_trace_folders(request.traces);
    const auto captures = static_cast<std::size_t>(std::count_if(folders.begin(), folders.end(), validation::is_openstack_capture));
    if (captures != 0 && captures != folders.size())
        throw sim::ConfigError("tbsim calibrate: testbed traces and OpenStack captures cannot be fitted together");
    if (captures == 0 && !request.scenarios.empty()) throw sim::ConfigError("--scenario: only for OpenStack captures");
    CalibrateOutcome outcome;
    std::vector<std::string> names;
    std::string source;
    if (captures == 0) {
        const auto lib_request = calibration_request(request);
        auto calibration = validation::calibrate_testbed(lib_request, TBSIM_VERSION);
        outcome.fit = std::move(calibration.fit);
        outcome.fitted_text = std::move(calibration.fitted_text);
        for (const auto& t : lib_request.traces) names.push_back(t.name);
        source = lib_request.profile.source;
    } else {
        const auto lib_request = capture_request(request, folders);
        auto calibration = validation::calibrate_captures(lib_request, TBSIM_VERSION);
        outcome.fit = std::move(calibration.fit);
        outcome.fitted_text = std::move(calibration.fitted_text);
        for (const auto& c : lib_request.captures) names.push_back(c.name);
        source = lib_request.profile.source;
    }
    if (!request.quiet && isatty(fileno(stderr))) fmt::print(stderr, "\n");
    const auto& fit = outcome.fit;
    outcome.account = fit_account(fit);
    outcome.json = fit_json(fit);
    outcome.json["traces"] = names;
    outcome.json["profile"] = source;
    if (fit.converged) {
        std::string path = request.out;
        if (path.empty()) {
            const auto stem = fs::path(source).stem().string();
            path = "out/calibrate/" + (stem.empty() ? std::string("profile") : stem) + "-fitted.yaml";
        }
        if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path());
        sim::write_file_atomically(path, outcome.fitted_text);
        outcome.written = path;
        outcome.json["fitted_profile"] = path;
    }
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return outcome;
}

}  // namespace tbsim::app
