#include "validation/validate/metric_verdict.hpp"

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
    for (const auto& v : verdicts)
        if (!v.pass) return false;
    return true;
}

}  // namespace tbsim::validation
