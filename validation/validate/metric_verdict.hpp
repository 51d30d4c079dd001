// One row of a validation's verdict: a metric's errors over the held-out traces (or captures, or
// ladders) judged against its tolerance, beside the same errors over the training ones.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "validation/validate/validation_plan.hpp"

namespace tbsim::validation {

/// A metric on one trace: measured and simulated values and the error judged (|relative error|,
/// or an absolute difference for KS distances and autocorrelations).
struct MetricSample {
    std::string who;  // the trace, capture or ladder
    double measured = 0.0, simulated = 0.0, error = 0.0;
    // The lowest and highest replication's value, where the simulated value is their mean and the
    // replay keeps them (a capture's rate figures): a measured value inside is within the model's
    // own spread from run to run.
    struct Range {
        double low = 0.0, high = 0.0;
    };
    std::optional<Range> simulated_range;
};

struct MetricVerdict {
    MetricTolerance tolerance;
    std::size_t count = 0;                     // held-out traces that have the metric
    double measured = 0.0, simulated = 0.0;    // means over them
    double error = 0.0;                        // mean error
    double training_error = 0.0;               // the same over the training traces (the fit's own)
    std::string worst;                         // the one with the largest error
    double worst_error = 0.0;
    // Within its tolerance. A metric no held-out trace has (D* without a ladder among them, a batch
    // figure on baselines only) is not judged: it neither passes nor fails the validation.
    bool pass = false;
    bool judged() const { return count > 0; }
    std::vector<MetricSample> held_out;        // each held-out trace's values, in the order judged
};

MetricVerdict judge_metric(const MetricTolerance& tolerance, Judge judge, const std::vector<MetricSample>& held_out,
                           const std::vector<MetricSample>& training);

/// Every judged metric within its tolerance, and at least one judged.
bool all_pass(const std::vector<MetricVerdict>& verdicts);

/// The verdict in one line: "PASS: ..." or "FAIL: ...", naming the metrics not judged; `what` names
/// the held-out cases ("traces", "captures").
std::string verdict_line(const std::vector<MetricVerdict>& verdicts, const std::string& what);

}  // namespace tbsim::validation
