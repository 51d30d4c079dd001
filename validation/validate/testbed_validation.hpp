// `tbsim validate` for the MySQL replication testbed: calibrate the plan's free parameters on its
// training traces, replay the held-out traces (and the training ones, for comparison) with the
// fitted profile, and judge each metric against its tolerance.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "validation/calibration/parameter_fit.hpp"
#include "validation/calibration/testbed_calibration.hpp"
#include "validation/validate/metric_verdict.hpp"
#include "validation/validate/validation_plan.hpp"

namespace tbsim::validation {

struct ValidationOptions {
    unsigned jobs = 1;
    bool refit = true;  // false: replay with the base profile as it is (no calibration)
    std::function<void(const FitProgress&)> progress;
};

struct TestbedValidation {
    ValidationPlan plan;
    std::vector<TestbedTrace> training_traces, held_out_traces;
    std::optional<TestbedCalibration> calibration;  // none when not refitted
    std::string profile_text;                       // the profile the held-out traces were replayed with
    std::vector<TraceReplay> training, held_out;
    std::vector<LimitRate> limits_training, limits_held_out;
    std::vector<MetricVerdict> verdicts;
    double calibration_s = 0.0, replay_s = 0.0;
    bool passed() const;
};

/// A figure of one replay for a metric name of known_testbed_metrics() (not limit_rate); none
/// when the trace has no such operation.
std::optional<Comparison> metric_comparison(const TraceReplay& replay, const std::string& metric, double* ks = nullptr);

TestbedValidation validate_testbed(const ValidationPlan& plan, const ValidationOptions& options, const std::string& version);

}  // namespace tbsim::validation
