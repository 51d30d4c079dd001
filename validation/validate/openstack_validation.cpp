#include "validation/validate/openstack_validation.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "validation/calibration/capture_calibration.hpp"
#include "validation/readers/compressed_file.hpp"

namespace tbsim::validation {

namespace fs = std::filesystem;

namespace {

const RateFigure* figure_of(const CaptureReplay& r, const std::string& series, const std::string& figure) {
    const auto& table = figure == "mean_kbps" ? r.mean_kbps : figure == "p95_kbps" ? r.p95_kbps : r.peak_kbps;
    const auto it = table.find(series);
    return it == table.end() ? nullptr : &it->second;
}

std::vector<OpenStackCapture> read_all(const std::vector<std::string>& folders) {
    std::vector<OpenStackCapture> out;
    for (const auto& f : folders) out.push_back(read_openstack_capture(f));
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::optional<MetricSample> capture_metric(const CaptureReplay& r, const std::string& metric) {
    if (metric == "period.acf_10s") return MetricSample{r.capture, r.acf_10s.measured, r.acf_10s.simulated, std::abs(r.acf_10s.simulated - r.acf_10s.measured), {}};
    if (metric == "period.acf_60s") return MetricSample{r.capture, r.acf_60s.measured, r.acf_60s.simulated, std::abs(r.acf_60s.simulated - r.acf_60s.measured), {}};
    const std::optional<Comparison>* duration = metric == "run_s" ? &r.run_s : metric == "create_s" ? &r.create_s : metric == "delete_s" ? &r.delete_s : nullptr;
    if (duration != nullptr) {
        if (!*duration) return std::nullopt;
        return MetricSample{r.capture, (*duration)->measured, (*duration)->simulated, std::abs((*duration)->error()), {}};
    }
    const auto dot = metric.rfind('.');
    const auto* c = figure_of(r, metric.substr(0, dot), metric.substr(dot + 1));
    if (c == nullptr) return std::nullopt;
    const double error = c->measured > 0.0 ? std::abs(c->error()) : (c->simulated > 0.0 ? 1.0 : 0.0);
    return MetricSample{r.capture, c->measured, c->simulated, error, MetricSample::Range{c->low, c->high}};
}

OpenStackValidation validate_openstack(const ValidationPlan& plan, const ValidationOptions& options, const std::string& version) {
    OpenStackValidation v;
    v.plan = plan;
    // Everything read before anything runs.
    v.training_captures = read_all(plan.training);
    v.held_out_captures = read_all(plan.held_out);
    CaptureCalibrationRequest request;
    request.captures = v.training_captures;
    request.profile = {read_possibly_compressed(plan.profile), plan.profile};
    request.keys = plan.fit;
    request.bounds = plan.bounds;
    request.scenarios = plan.scenarios;
    request.replay = {plan.fit_runs(), plan.replay.seed};
    request.jobs = options.jobs;
    request.fit = plan.fit_options();
    request.fit.progress = options.progress;
    // The held-out captures' scenarios checked before any fitting.
    for (const auto& c : v.held_out_captures) capture_overrides(c, plan.profile);

    auto t0 = std::chrono::steady_clock::now();
    v.profile_text = request.profile.text;
    if (options.refit) {
        auto calibration = calibrate_captures(request, version);
        v.fit = std::move(calibration.fit);
        v.profile_text = std::move(calibration.fitted_text);
    }
    v.calibration_s = seconds_since(t0);
    if (v.fit && !v.fit->converged) return v;

    t0 = std::chrono::steady_clock::now();
    v.held_out = replay_captures_with(v.held_out_captures, v.profile_text, plan.scenarios, request.replay, options.jobs);
    v.training = replay_captures_with(v.training_captures, v.profile_text, plan.scenarios, request.replay, options.jobs);
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
