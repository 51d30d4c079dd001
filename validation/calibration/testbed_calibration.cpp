#include "validation/calibration/testbed_calibration.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "validation/calibration/fitted_profile.hpp"

namespace tbsim::validation {

std::vector<TraceReplay> replay_at(const TestbedCalibrationRequest& request, const std::vector<MeasuredTrace>& measured,
                                   const std::vector<FitParameter>& parameters, const std::vector<double>& values, int draw) {
    auto overrides = request.overrides;
    for (std::size_t i = 0; i < parameters.size(); ++i)
        overrides.push_back({parameter_override(parameters[i], values[i]), sim::OverrideOrigin{"--fit", "--fit", true}});
    const auto profile = read_testbed_profile(request.profile, overrides);
    auto options = request.replay;
    options.fit_figures_only = true;  // what replay_residuals reads
    options.seed += static_cast<std::uint64_t>(draw);
    return replay_traces(request.traces, measured, profile.spec, options, request.jobs);
}

TestbedCalibration calibrate_testbed(const TestbedCalibrationRequest& request, const std::string& version) {
    if (request.traces.empty()) throw sim::ConfigError("tbsim calibrate: give at least one trace");
    if (request.keys.empty()) throw sim::ConfigError("tbsim calibrate: --fit names no key");
    for (const auto& key : request.keys)
        for (const auto& set : keys_set_by_traces())
            if (key == set || key.rfind(set + ".", 0) == 0)
                throw sim::ConfigError(fmt::format("tbsim calibrate: --fit {}: every replay sets {} from its trace's meta.json, so fitting it "
                                                   "would change nothing",
                                                   key, set));
    // The base with its overrides, read strictly first: a bad profile stops before any fitting.
    read_testbed_profile(request.profile, request.overrides);
    auto doc = sim::ConfigDocument::from_text(request.profile.text, request.profile.source);
    for (const auto& o : request.overrides) doc->apply_override(o.assignment, o.origin);
    const auto parameters = fit_parameters_of(*doc, request.keys, request.bounds);

    FittedProfileInfo info;
    info.version = version;
    info.base = request.profile.source;
    for (const auto& t : request.traces) info.traces.push_back(t.name);
    for (const auto& o : request.overrides) info.settings.push_back(o.assignment);
    info.metrics = fmt::format("per trace: main loop span and slowdown's excess, local_insert and batch_send p50, p95, p99 and KS, "
                               "bytes and CPU per node (docs/calibration.md; {} mode, {} replication(s), seed {})",
                               replay_mode_name(request.replay.mode), request.replay.replications, request.replay.seed);
    // That the fitted profile can be written is checked before the fit, not after minutes of it.
    FitResult unfitted;
    unfitted.parameters = parameters;
    fitted_profile_text(request.profile, unfitted, info);

    // What the traces measured does not move with the parameters: read once, compared at every evaluation.
    const auto measured = measure_traces(request.traces, request.jobs);
    TestbedCalibration out;
    auto fit = request.fit;
    fit.residuals_in_draw = [&](const std::vector<double>& values, int draw) {
        return replay_residuals(replay_at(request, measured, parameters, values, draw));
    };
    out.fit = fit_parameters(
        parameters, [&](const std::vector<double>& values) { return replay_residuals(replay_at(request, measured, parameters, values)); },
        fit);
    out.fitted_text = fitted_profile_text(request.profile, out.fit, info);
    return out;
}

}  // namespace tbsim::validation
