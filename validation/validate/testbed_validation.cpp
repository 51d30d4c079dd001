#include "validation/validate/testbed_validation.hpp"

#include <chrono>
#include <cmath>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"
#include "validation/replay/testbed_profile.hpp"

namespace tbsim::validation {

bool TestbedValidation::passed() const { return all_pass(verdicts); }

std::optional<Comparison> metric_comparison(const TraceReplay& r, const std::string& metric, double* ks) {
    if (metric == "main_loop_s") return r.main_loop_s;
    if (metric == "slowdown") return r.slowdown;
    if (metric == "bytes_sent") return r.bytes_sent;
    if (metric == "cpu_s") return r.cpu_s;
    const auto dot = metric.find('.');
    if (dot == std::string::npos) return std::nullopt;
    const auto op = metric.substr(0, dot), figure = metric.substr(dot + 1);
    for (const auto& o : r.ops) {
        if (models::mysqlrep::op_name(o.op) != op) continue;
        if (o.count_measured == 0 || o.count_simulated == 0) return std::nullopt;
        if (figure == "p50_ms") return o.p50_ms;
        if (figure == "p95_ms") return o.p95_ms;
        if (figure == "p99_ms") return o.p99_ms;
        if (figure == "mean_ms") return o.mean_ms;
        if (figure == "ks") {
            if (ks) *ks = o.ks;
            return o.p50_ms;
        }
    }
    return std::nullopt;
}

namespace {

std::vector<MetricSample> samples(const MetricTolerance& m, const std::vector<TraceReplay>& replays, const std::vector<LimitRate>& limits) {
    std::vector<MetricSample> out;
    if (m.metric == "limit_rate") {
        for (const auto& l : limits)
            if (l.measured && l.predicted)
                out.push_back({fmt::format("N={} AG={}", l.instances, l.aggregation), *l.measured, *l.predicted, std::abs(l.error()), {}});
        return out;
    }
    for (const auto& r : replays) {
        double ks = 0.0;
        const auto c = metric_comparison(r, m.metric, &ks);
        if (!c) continue;
        if (m.relative) out.push_back({r.trace, c->measured, c->simulated, std::abs(c->error()), {}});
        else out.push_back({r.trace, 0.0, ks, ks, {}});
    }
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TestbedValidation validate_testbed(const ValidationPlan& plan, const ValidationOptions& options, const std::string& version) {
    TestbedValidation v;
    v.plan = plan;
    // Everything read before anything runs: a bad trace stops with FILE:LINE first.
    v.training_traces = read_testbed_traces(plan.training, options.jobs);
    v.held_out_traces = read_testbed_traces(plan.held_out, options.jobs);
    TestbedCalibrationRequest request;
    request.profile = testbed_profile_text(plan.profile);
    request.keys = plan.fit;
    request.bounds = plan.bounds;
    request.replay = plan.replay;
    request.replay.replications = plan.fit_runs();
    request.jobs = options.jobs;
    request.fit = plan.fit_options();
    request.fit.progress = options.progress;
    request.traces = v.training_traces;
    read_testbed_profile(request.profile);  // a bad profile stops here

    auto t0 = std::chrono::steady_clock::now();
    v.profile_text = request.profile.text;
    if (options.refit) {
        v.calibration = calibrate_testbed(request, version);
        v.profile_text = v.calibration->fitted_text;
    }
    v.calibration_s = seconds_since(t0);
    if (v.calibration && !v.calibration->fit.converged) return v;  // no verdict on a fit that did not converge

    t0 = std::chrono::steady_clock::now();
    const auto fitted = read_testbed_profile({v.profile_text, request.profile.source + " (fitted)"});
    v.held_out = replay_traces(v.held_out_traces, fitted.spec, plan.replay, options.jobs);
    v.training = replay_traces(v.training_traces, fitted.spec, plan.replay, options.jobs);
    v.limits_held_out = limit_rates(v.held_out);
    v.limits_training = limit_rates(v.training);
    v.replay_s = seconds_since(t0);

    for (const auto& m : plan.metrics)
        v.verdicts.push_back(judge_metric(m, plan.judge, samples(m, v.held_out, v.limits_held_out), samples(m, v.training, v.limits_training)));
    return v;
}

}  // namespace tbsim::validation
