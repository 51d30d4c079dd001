#include "validation/replay/repeat_recordings.hpp"

#include <cmath>
#include <functional>
#include <map>

#include "validation/replay/sample_stats.hpp"

namespace tbsim::validation {
namespace {

using models::mysqlrep::BenchmarkOp;

// How far recording b's figure is from a's, as the error of predicting each by the other.
double pair_difference(double a, double b) {
    if (!(a > 0.0) || !(b > 0.0)) return std::nan("");
    const double d = std::abs(a - b);
    return (d / a + d / b) / 2.0;
}

// A figure of a recording: its measured value and the model's error on it (NaN where absent).
struct Figure {
    std::string name;
    std::function<double(const TraceReplay&)> measured;
    std::function<double(const TraceReplay&)> model_error;
    // Two recordings compared by their samples (a KS distance) rather than by a value.
    std::function<double(const TraceReplay&, const TraceReplay&)> between;
};

std::vector<Figure> figures() {
    std::vector<Figure> out;
    out.push_back({"slowdown", [](const TraceReplay& r) { return r.slowdown.measured; },
                   [](const TraceReplay& r) { return std::abs(r.slowdown.error()); }, nullptr});
    for (const auto op : {BenchmarkOp::local_insert, BenchmarkOp::batch_send}) {
        const std::string kind(models::mysqlrep::op_name(op));
        auto quantile_figure = [&](const char* suffix, Comparison OperationComparison::*field) {
            out.push_back({kind + suffix,
                           [=](const TraceReplay& r) {
                               const auto* o = r.op(op);
                               return o ? (o->*field).measured : std::nan("");
                           },
                           [=](const TraceReplay& r) {
                               const auto* o = r.op(op);
                               return o ? std::abs((o->*field).error()) : std::nan("");
                           },
                           nullptr});
        };
        quantile_figure(".p50_ms", &OperationComparison::p50_ms);
        quantile_figure(".p95_ms", &OperationComparison::p95_ms);
        out.push_back({kind + ".ks", nullptr,
                       [=](const TraceReplay& r) {
                           const auto* o = r.op(op);
                           return o ? o->ks : std::nan("");
                       },
                       [=](const TraceReplay& a, const TraceReplay& b) {
                           const auto *x = a.op(op), *y = b.op(op);
                           return x && y ? ks_distance(x->measured_sorted_ms, y->measured_sorted_ms) : std::nan("");
                       }});
    }
    return out;
}

}  // namespace

RepeatRecordings repeat_recordings(const std::vector<TraceReplay>& replays) {
    RepeatRecordings out;
    std::map<std::string, std::vector<const TraceReplay*>> by_configuration;
    for (const auto& r : replays) by_configuration[r.configuration].push_back(&r);
    std::vector<std::vector<const TraceReplay*>> groups;
    for (const auto& [configuration, recordings] : by_configuration) {
        if (recordings.size() < 2) continue;
        RepeatGroup g{configuration, {}};
        for (const auto* r : recordings) g.traces.push_back(r->trace);
        out.groups.push_back(std::move(g));
        groups.push_back(recordings);
        out.pairs += recordings.size() * (recordings.size() - 1) / 2;
    }
    if (groups.empty()) return out;
    for (const auto& f : figures()) {
        RepeatFigure rf{f.name, 0.0, 0.0, 0, 0.0, 0};
        double model_sum = 0.0;
        std::size_t model_n = 0;
        for (const auto& recordings : groups) {
            for (std::size_t i = 0; i < recordings.size(); ++i) {
                if (const double e = f.model_error(*recordings[i]); std::isfinite(e)) model_sum += e, ++model_n;
                for (std::size_t j = i + 1; j < recordings.size(); ++j) {
                    const double d = f.between ? f.between(*recordings[i], *recordings[j])
                                               : pair_difference(f.measured(*recordings[i]), f.measured(*recordings[j]));
                    if (!std::isfinite(d)) continue;
                    rf.between += d, ++rf.pairs;
                    if (recordings[i]->day == recordings[j]->day) rf.between_same_day += d, ++rf.pairs_same_day;
                }
            }
        }
        if (rf.pairs == 0) continue;
        rf.between /= static_cast<double>(rf.pairs);
        rf.between_same_day = rf.pairs_same_day ? rf.between_same_day / static_cast<double>(rf.pairs_same_day) : std::nan("");
        rf.model = model_n ? model_sum / static_cast<double>(model_n) : std::nan("");
        out.figures.push_back(rf);
    }
    return out;
}

}  // namespace tbsim::validation
