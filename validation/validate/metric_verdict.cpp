#include "validation/validate/metric_verdict.hpp"

#include <string>

namespace tbsim::validation {

MetricVerdict judge_metric(const MetricTolerance& tolerance, Judge judge, const std::vector<MetricSample>& held_out,
                           const std::vector<MetricSample>& training) {
    MetricVerdict v;
    v.tolerance = tolerance;
    v.held_out = held_out;
    v.worst_error = -1.0;
    for (const auto& s : held_out) {
        ++v.count;
        v.measured += s.measured;
        v.simulated += s.simulated;
        v.error += s.error;
        if (s.error > v.worst_error) {
            v.worst_error = s.error;
            v.worst = s.who;
        }
    }
    if (v.count > 0) {
        const double n = static_cast<double>(v.count);
        v.measured /= n;
        v.simulated /= n;
        v.error /= n;
    }
    for (const auto& s : training) v.training_error += s.error / static_cast<double>(training.size());
    const double judged = judge == Judge::every ? v.worst_error : v.error;
    v.pass = v.count > 0 && judged <= tolerance.tolerance;
    if (v.count == 0) v.worst_error = 0.0;
    return v;
}

bool all_pass(const std::vector<MetricVerdict>& verdicts) {
    bool any_judged = false;
    for (const auto& v : verdicts) {
        if (!v.judged()) continue;
        if (!v.pass) return false;
        any_judged = true;
    }
    return any_judged;
}

std::string verdict_line(const std::vector<MetricVerdict>& verdicts, const std::string& what) {
    std::string unjudged;
    for (const auto& v : verdicts)
        if (!v.judged()) unjudged += (unjudged.empty() ? "" : ", ") + v.tolerance.metric;
    const std::string not_judged = unjudged.empty() ? "" : " (not judged, no held-out " + what + " have them: " + unjudged + ")";
    if (all_pass(verdicts)) return "PASS: every metric within its tolerance on the held-out " + what + not_judged;
    for (const auto& v : verdicts)
        if (v.judged()) return "FAIL: a metric outside its tolerance on the held-out " + what + not_judged;
    return "FAIL: no metric could be judged on the held-out " + what;
}

}  // namespace tbsim::validation
