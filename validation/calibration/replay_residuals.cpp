#include "validation/calibration/replay_residuals.hpp"

#include <algorithm>
#include <cmath>

namespace tbsim::validation {
namespace {

using models::mysqlrep::BenchmarkOp;

// How far the main loop fell behind, as the log-ratio of the slowdowns' excess over 1 (plus 1%, so
// that configurations that keep up, 1.00 against 1.01, weigh little): the onset of the slowdown,
// which decides the limit rate D*, not only its size once saturated.
double excess_log_ratio(const Comparison& slowdown) {
    constexpr double kOffset = 0.01;
    return std::log((std::max(slowdown.simulated - 1.0, 0.0) + kOffset) / (std::max(slowdown.measured - 1.0, 0.0) + kOffset));
}

}  // namespace

double bounded_log_ratio(const Comparison& c) {
    constexpr double kFloor = 1e-9;
    return std::clamp(std::log(std::max(c.simulated, kFloor) / std::max(c.measured, kFloor)), -5.0, 5.0);
}

double Residuals::loss() const {
    double sum = 0.0;
    for (const double r : values) sum += r * r;
    return sum;
}

Residuals soft_l1(Residuals residuals, double scale) {
    for (double& r : residuals.values) {
        const double z = r / scale;
        r = std::copysign(scale * std::sqrt(2.0 * (std::sqrt(1.0 + z * z) - 1.0)), r);
    }
    return residuals;
}

Residuals replay_residuals(const std::vector<TraceReplay>& replays) {
    Residuals out;
    auto add = [&](const TraceReplay& r, const std::string& what, double value, double weight) {
        out.values.push_back(weight * value);
        out.names.push_back(r.trace + " " + what);
    };
    for (const auto& r : replays) {
        add(r, "main_loop_s", bounded_log_ratio(r.main_loop_s), 3.0);
        add(r, "slowdown_excess", excess_log_ratio(r.slowdown), 1.0);
        for (const auto op : {BenchmarkOp::local_insert, BenchmarkOp::batch_send}) {
            const auto* o = r.op(op);
            if (o == nullptr || o->count_measured == 0) continue;
            const std::string name(models::mysqlrep::op_name(op));
            add(r, name + ".p50_ms", bounded_log_ratio(o->p50_ms), 1.0);
            add(r, name + ".p95_ms", bounded_log_ratio(o->p95_ms), 1.0);
            add(r, name + ".p99_ms", bounded_log_ratio(o->p99_ms), 0.5);
            add(r, name + ".ks", o->ks, 1.0);
        }
        // Bytes per node are counted, not timed: the same configuration recorded on three days
        // differs by under 0.1% in bytes and by up to 3.7x in a latency median, so bytes weigh
        // ten times a quantile, which keeps the message sizes from serving as a latency knob.
        add(r, "bytes_sent", bounded_log_ratio(r.bytes_sent), 5.0);
        add(r, "cpu_s", bounded_log_ratio(r.cpu_s), 0.5);
    }
    return out;
}

}  // namespace tbsim::validation
