#include "validation/replay/operation_patterns.hpp"

#include <algorithm>
#include <cmath>

#include "validation/replay/sample_stats.hpp"

namespace tbsim::validation {

using models::mysqlrep::BenchmarkOp;
using models::mysqlrep::BenchmarkPhase;
using models::mysqlrep::OperationRecord;
using sim::Time;

PhaseSpans::PhaseSpans(const std::vector<OperationRecord>& ops, std::size_t instances)
    : first_(instances), last_(instances), seen_(instances) {
    for (const auto& r : ops) {
        if (r.instance >= instances) continue;
        const auto p = static_cast<std::size_t>(models::mysqlrep::phase_of(r.op));
        auto& seen = seen_[r.instance][p];
        if (!seen || r.start < first_[r.instance][p]) first_[r.instance][p] = r.start;
        if (!seen || r.end > last_[r.instance][p]) last_[r.instance][p] = r.end;
        seen = true;
    }
}

double PhaseSpans::span_s(std::size_t i, BenchmarkPhase phase) const {
    const auto p = static_cast<std::size_t>(phase);
    return seen_[i][p] ? (last_[i][p] - first_[i][p]).seconds() : 0.0;
}

std::pair<double, std::size_t> PhaseSpans::slowest(BenchmarkPhase phase) const {
    double worst = 0.0;
    std::size_t who = 0;
    for (std::size_t i = 0; i < seen_.size(); ++i)
        if (span_s(i, phase) > worst) worst = span_s(i, phase), who = i;
    return {worst, who};
}

Time PhaseSpans::first_start(std::size_t i, BenchmarkPhase phase) const { return first_[i][static_cast<std::size_t>(phase)]; }

std::vector<double> progress_of(const std::vector<OperationRecord>& ops, std::size_t instance, const PhaseSpans& spans) {
    std::vector<double> ends;
    const Time begin = spans.first_start(instance, BenchmarkPhase::main);
    for (const auto& r : ops)
        if (r.instance == instance && r.op == BenchmarkOp::local_insert) ends.push_back((r.end - begin).seconds());
    std::sort(ends.begin(), ends.end());
    return ends;
}

void SlowOperations::add(std::vector<OperationRecord> ops, std::size_t instances) {
    std::erase_if(ops, [](const OperationRecord& r) { return models::mysqlrep::phase_of(r.op) != BenchmarkPhase::main; });
    models::mysqlrep::sort_by_instance_and_start(ops);
    const OperationRecord* previous = nullptr;
    for (const auto& r : ops) {
        if (r.instance >= instances) continue;
        const bool is_slow = r.milliseconds() > kSlowOperationMs;
        operations_ += 1;
        slow_ += is_slow ? 1 : 0;
        if (previous != nullptr && previous->instance == r.instance && previous->milliseconds() > kSlowOperationMs &&
            (r.start - previous->end).milliseconds() <= kBackToBackMs) {
            after_slow_ += 1;
            slow_after_slow_ += is_slow ? 1 : 0;
        }
        previous = &r;
    }
}

double SlowOperations::share() const { return operations_ > 0 ? slow_ / operations_ : 0.0; }

double SlowOperations::share_after_slow() const { return after_slow_ > 0 ? slow_after_slow_ / after_slow_ : 0.0; }

void LateIterations::add(const std::vector<OperationRecord>& ops, std::size_t instances, Time period) {
    if (period <= Time::zero()) return;
    std::vector<std::vector<Time>> starts(instances);
    for (const auto& r : ops)
        if (r.op == BenchmarkOp::local_insert && r.instance < instances) starts[r.instance].push_back(r.start);
    for (auto& s : starts) {
        std::sort(s.begin(), s.end());
        for (std::size_t k = 1; k < s.size(); ++k) {
            const double late = (s[k] - s[k - 1]).seconds() / period.seconds() - 1.0;
            iterations_ += 1;
            if (late >= kLateIterationPeriods) late_ += 1, late_periods_ += late;
        }
    }
}

double LateIterations::share() const { return iterations_ > 0 ? late_ / iterations_ : 0.0; }

double LateIterations::slowdown_added() const { return iterations_ > 0 ? late_periods_ / iterations_ : 0.0; }

void SlowWindow::add(const std::vector<OperationRecord>& ops) {
    std::vector<const OperationRecord*> main;
    for (const auto& r : ops)
        if (r.op == BenchmarkOp::local_insert || r.op == BenchmarkOp::batch_send) main.push_back(&r);
    if (main.empty()) return;
    std::vector<double> ms;
    for (const auto* r : main) ms.push_back(r->milliseconds());
    const auto at = ms.begin() + static_cast<std::ptrdiff_t>(0.9 * static_cast<double>(ms.size() - 1));
    std::nth_element(ms.begin(), at, ms.end());
    const double p90 = *at;
    const std::int64_t second = Time::from_s(1).ns(), bin = second / kBins;
    for (const auto* r : main) {
        const auto b = static_cast<std::size_t>((r->start.ns() % second) / bin);
        operations_[b] += 1;
        slow_[b] += r->milliseconds() > p90 ? 1 : 0;
    }
}

int SlowWindow::peak() const {
    int best = -1;
    for (int b = 0; b < kBins; ++b) {
        const auto i = static_cast<std::size_t>(b);
        if (operations_[i] < kMinOperations) continue;
        if (best < 0 || slow_[i] / operations_[i] > slow_[static_cast<std::size_t>(best)] / operations_[static_cast<std::size_t>(best)]) best = b;
    }
    return best;
}

double SlowWindow::phase_s() const {
    const int b = peak();
    return b < 0 ? std::nan("") : static_cast<double>(b) / kBins;
}

double SlowWindow::share() const {
    const int b = peak();
    return b < 0 ? std::nan("") : slow_[static_cast<std::size_t>(b)] / operations_[static_cast<std::size_t>(b)];
}

void ContendedInserts::add(const std::vector<OperationRecord>& ops, std::size_t instances) {
    // Per receiving server, its batches' starts in order and the latest end among the batches
    // begun so far: one begun by time t is still under way at t when that latest end is later.
    std::vector<std::vector<std::pair<Time, Time>>> batches_to(instances);  // (start, end)
    for (const auto& r : ops)
        if (r.op == BenchmarkOp::batch_send && r.peer < instances) batches_to[r.peer].emplace_back(r.start, r.end);
    std::vector<std::vector<Time>> starts(instances), latest_end(instances);
    for (std::size_t i = 0; i < instances; ++i) {
        std::sort(batches_to[i].begin(), batches_to[i].end());
        Time latest = Time::zero();
        for (const auto& [start, end] : batches_to[i]) {
            latest = std::max(latest, end);
            starts[i].push_back(start);
            latest_end[i].push_back(latest);
        }
    }
    for (const auto& r : ops) {
        if (r.op != BenchmarkOp::local_insert || r.instance >= instances) continue;
        inserts_ += 1;
        const auto& s = starts[r.instance];
        const auto begun = static_cast<std::size_t>(std::upper_bound(s.begin(), s.end(), r.start) - s.begin());
        const auto begun_by_end = static_cast<std::size_t>(std::lower_bound(s.begin(), s.end(), r.end) - s.begin());
        if (begun > 0 && latest_end[r.instance][begun - 1] > r.start) under_way_ms_.push_back(r.milliseconds());
        else if (begun_by_end == begun) alone_ms_.push_back(r.milliseconds());  // no batch begins during it either
    }
}

double ContendedInserts::share() const { return inserts_ > 0 ? static_cast<double>(under_way_ms_.size()) / inserts_ : 0.0; }

double ContendedInserts::excess_ms() const {
    if (under_way_ms_.size() < kContentionSamples || alone_ms_.size() < kContentionSamples) return std::nan("");
    auto median_of = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return quantile(v, 0.5);
    };
    return median_of(under_way_ms_) - median_of(alone_ms_);
}

}  // namespace tbsim::validation
