#include "validation/validate/openstack_validation.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/output/atomic_file.hpp"
#include "validation/calibration/fitted_profile.hpp"
#include "validation/readers/compressed_file.hpp"

namespace tbsim::validation {

namespace fs = std::filesystem;

namespace {

const Comparison* figure_of(const CaptureReplay& r, const std::string& series, const std::string& figure) {
    const auto& table = figure == "mean_kbps" ? r.mean_kbps : figure == "p95_kbps" ? r.p95_kbps : r.peak_kbps;
    const auto it = table.find(series);
    return it == table.end() ? nullptr : &it->second;
}

double log_ratio(const Comparison& c) {
    constexpr double kFloor = 1e-6;
    return std::clamp(std::log(std::max(c.simulated, kFloor) / std::max(c.measured, kFloor)), -5.0, 5.0);
}

std::vector<OpenStackCapture> read_all(const std::vector<std::string>& folders) {
    std::vector<OpenStackCapture> out;
    for (const auto& f : folders) out.push_back(read_openstack_capture(f));
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// A private folder for the trial profiles of one validation, removed when it ends.
struct ScratchFolder {
    fs::path path = fs::temp_directory_path() / fmt::format("tbsim-validate-{}", getpid());
    ScratchFolder() { fs::create_directories(path); }
    ~ScratchFolder() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
};

}  // namespace

std::optional<MetricSample> capture_metric(const CaptureReplay& r, const std::string& metric) {
    if (metric == "period.acf_10s") return MetricSample{r.capture, r.acf_10s.measured, r.acf_10s.simulated, std::abs(r.acf_10s.simulated - r.acf_10s.measured)};
    if (metric == "period.acf_60s") return MetricSample{r.capture, r.acf_60s.measured, r.acf_60s.simulated, std::abs(r.acf_60s.simulated - r.acf_60s.measured)};
    const std::optional<Comparison>* duration = metric == "run_s" ? &r.run_s : metric == "create_s" ? &r.create_s : metric == "delete_s" ? &r.delete_s : nullptr;
    if (duration != nullptr) {
        if (!*duration) return std::nullopt;
        return MetricSample{r.capture, (*duration)->measured, (*duration)->simulated, std::abs((*duration)->error())};
    }
    const auto dot = metric.rfind('.');
    const auto* c = figure_of(r, metric.substr(0, dot), metric.substr(dot + 1));
    if (c == nullptr) return std::nullopt;
    const double error = c->measured > 0.0 ? std::abs(c->error()) : (c->simulated > 0.0 ? 1.0 : 0.0);
    return MetricSample{r.capture, c->measured, c->simulated, error};
}

Residuals capture_residuals(const std::vector<CaptureReplay>& replays) {
    Residuals out;
    auto add = [&](const CaptureReplay& r, const std::string& what, double value, double weight) {
        out.values.push_back(weight * value);
        out.names.push_back(r.capture + " " + what);
    };
    for (const auto& r : replays) {
        for (const auto& [series, c] : r.mean_kbps) {
            if (series == "total" || c.measured <= 0.0) continue;
            add(r, series + ".mean_kbps", log_ratio(c), 1.0);
            add(r, series + ".p95_kbps", log_ratio(r.p95_kbps.at(series)), 0.25);
            add(r, series + ".peak_kbps", log_ratio(r.peak_kbps.at(series)), 0.25);
        }
        for (const auto* d : {&r.run_s, &r.create_s, &r.delete_s})
            if (*d && (*d)->measured > 0.0) add(r, "duration", log_ratio(**d), 1.0);
    }
    return out;
}

OpenStackValidation validate_openstack(const ValidationPlan& plan, const ValidationOptions& options, const std::string& version) {
    OpenStackValidation v;
    v.plan = plan;
    // Everything read before anything runs.
    v.training_captures = read_all(plan.training);
    v.held_out_captures = read_all(plan.held_out);
    const sim::ScenarioText base{read_possibly_gzipped(plan.profile), plan.profile};
    const auto doc = sim::ConfigDocument::from_text(base.text, base.source);
    std::vector<FitParameter> parameters;
    for (const auto& key : plan.fit) {
        const auto b = plan.bounds.find(key);
        parameters.push_back(fit_parameter(*doc, key, b == plan.bounds.end() ? std::nullopt : std::optional<std::string>(b->second)));
    }
    FittedProfileInfo info{version, plan.profile, {}, "per capture: mean, p95 and peak of 1 s bins per protocol and direction; workload durations"};
    for (const auto& c : v.training_captures) info.traces.push_back(c.name);

    ScratchFolder scratch;
    const auto trial_path = (scratch.path / "profile.yaml").string();
    const CaptureReplayOptions replay{plan.replay.replications, plan.replay.seed};
    auto profile_at = [&](const std::vector<double>& values) {
        FitResult trial;
        trial.parameters = parameters;
        for (std::size_t i = 0; i < values.size(); ++i) trial.parameters[i].value = values[i];
        return fitted_profile_text(base, trial, info);
    };
    std::vector<double> start;
    for (const auto& p : parameters) start.push_back(p.initial);
    sim::write_file_atomically(trial_path, profile_at(start));
    // The base with every capture's scenario, read once before any fitting: bad input stops here.
    for (const auto* list : {&v.training_captures, &v.held_out_captures})
        for (const auto& c : *list) capture_overrides(c, trial_path);

    auto t0 = std::chrono::steady_clock::now();
    v.profile_text = base.text;
    if (options.refit) {
        FitOptions fit_options;
        fit_options.max_evaluations = plan.max_evaluations;
        fit_options.progress = options.progress;
        v.fit = fit_parameters(
            parameters,
            [&](const std::vector<double>& values) {
                sim::write_file_atomically(trial_path, profile_at(values));
                return capture_residuals(replay_captures(v.training_captures, plan.scenarios, trial_path, replay, options.jobs));
            },
            fit_options);
        v.profile_text = fitted_profile_text(base, *v.fit, info);
    }
    v.calibration_s = seconds_since(t0);
    if (v.fit && !v.fit->converged) return v;

    t0 = std::chrono::steady_clock::now();
    sim::write_file_atomically(trial_path, v.profile_text);
    v.held_out = replay_captures(v.held_out_captures, plan.scenarios, trial_path, replay, options.jobs);
    v.training = replay_captures(v.training_captures, plan.scenarios, trial_path, replay, options.jobs);
    v.replay_s = seconds_since(t0);
    for (const auto& m : plan.metrics) {
        std::vector<MetricSample> held, train;
        for (const auto& r : v.held_out)
            if (auto s = capture_metric(r, m.metric)) held.push_back(*s);
        for (const auto& r : v.training)
            if (auto s = capture_metric(r, m.metric)) train.push_back(*s);
        v.verdicts.push_back(judge_metric(m, plan.judge, held, train));
    }
    return v;
}

}  // namespace tbsim::validation
