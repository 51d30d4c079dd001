// A validation file (validation/NAME.yaml, docs/validation.md): the traces a profile is fitted on,
// the traces held out to judge it, the base profile, the free parameters, and the metrics with
// their tolerances. Read strictly: an unknown key, a missing trace, an unknown metric or a bad
// tolerance is a ConfigError naming FILE:LINE:COL and the key.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "validation/calibration/parameter_fit.hpp"
#include "validation/replay/capture_replay.hpp"
#include "validation/replay/testbed_replay.hpp"

namespace tbsim::validation {

/// One metric of the verdict. Over the held-out traces, its error is the mean absolute relative
/// error of simulated against measured (a tolerance such as "25%"), or for a KS distance the mean
/// distance (a tolerance such as 0.35).
struct MetricTolerance {
    std::string metric;     // "main_loop_s", "local_insert.p95_ms", "local_insert.ks", "limit_rate"
    double tolerance = 0.0;
    bool relative = true;   // false: an absolute bound (KS distances)
    std::string written;    // the tolerance as the file writes it
};

/// What a validation compares: MySQL replication traces of the real testbed, or captures of a real
/// OpenStack control plane.
enum class ValidationKind { testbed, openstack };

/// How a metric's errors over the held-out traces are judged: their mean, or every one of them.
enum class Judge { mean, every };

struct ValidationPlan {
    std::string source;     // the file
    std::string text;       // its text, for the report
    std::string name;
    std::string description;
    ValidationKind kind = ValidationKind::testbed;
    Judge judge = Judge::mean;
    std::string profile;    // a file (resolved against the validation file's folder) or `testbed`
    CaptureScenarios scenarios;  // openstack: the scenario of each workload kind
    std::vector<std::string> fit;
    std::map<std::string, std::string> bounds;  // key -> "LOW:HIGH"
    std::vector<std::string> training, held_out;  // trace folders, resolved
    std::vector<MetricTolerance> metrics;
    ReplayOptions replay;   // the held-out and training traces' replays, and the fit's unless fit_replications
    std::optional<std::int64_t> fit_replications;  // simulated runs per trace in each evaluation of the fit
    int max_evaluations = 200;  // per local search
    int starts = 1;             // local searches of the fit (FitOptions::starts)
    double start_spread = kDefaultStartSpread;  // where the other searches start (FitOptions::start_spread)
    double robust_scale = 0.0;  // 0: least squares; above 0: a soft L1 loss (FitOptions::robust_scale)
    int other_draws = kDefaultOtherDraws;  // the start and the fit replayed with other seeds (FitOptions::other_draws)

    /// Simulated runs per trace in each evaluation of the fit: fit_replications, or the replays'.
    std::int64_t fit_runs() const { return fit_replications.value_or(replay.replications); }
    /// The fit's options the file sets (budget, starts, their spread); no progress callback.
    FitOptions fit_options() const {
        FitOptions f;
        f.max_evaluations = max_evaluations;
        f.starts = starts;
        f.start_spread = start_spread;
        f.robust_scale = robust_scale;
        f.other_draws = other_draws;
        return f;
    }
};

/// The metrics a testbed validation knows, with what each compares (for help text and errors).
const std::vector<std::pair<std::string, std::string>>& known_testbed_metrics();
/// The same for an OpenStack validation.
const std::vector<std::pair<std::string, std::string>>& known_openstack_metrics();
/// Whether a metric's tolerance is absolute (a KS distance, a difference of autocorrelations).
bool absolute_metric(const std::string& metric);
/// Whether a metric is a KS distance (no measured side: the distance is the simulated value).
bool ks_metric(const std::string& metric);

ValidationPlan read_validation_plan(const std::string& path);
/// The same from the file's text; `path` names it in errors and anchors its relative references.
ValidationPlan parse_validation_plan(std::string text, const std::string& path);

}  // namespace tbsim::validation
