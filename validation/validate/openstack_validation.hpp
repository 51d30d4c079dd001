// `tbsim validate` for OpenStack captures (kind: openstack): fit the release profile's free keys
// (message sizes, periods, controller times) on the training captures, replay the held-out ones
// with the fitted profile, and judge each metric (traffic per protocol and direction, the period
// structure, the workloads' durations) against its tolerance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "validation/calibration/parameter_fit.hpp"
#include "validation/readers/openstack_capture.hpp"
#include "validation/replay/capture_replay.hpp"
#include "validation/validate/metric_verdict.hpp"
#include "validation/validate/testbed_validation.hpp"

namespace tbsim::validation {

struct OpenStackValidation {
    ValidationPlan plan;
    std::vector<OpenStackCapture> training_captures, held_out_captures;
    std::optional<FitResult> fit;  // none when not refitted
    std::string profile_text;      // the profile the held-out captures were replayed with
    std::vector<CaptureReplay> training, held_out;
    std::vector<MetricVerdict> verdicts;
    double calibration_s = 0.0, replay_s = 0.0;
    bool passed() const { return all_pass(verdicts); }
};

/// A metric of known_openstack_metrics() on one replayed capture; none when it does not apply
/// (a duration on an idle capture).
std::optional<MetricSample> capture_metric(const CaptureReplay& replay, const std::string& metric);

OpenStackValidation validate_openstack(const ValidationPlan& plan, const ValidationOptions& options, const std::string& version);

}  // namespace tbsim::validation
