#include "validation/replay/sample_stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tbsim::validation {

double quantile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0.0;
    const double h = (static_cast<double>(sorted.size()) - 1.0) * std::clamp(p, 0.0, 1.0);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const auto hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double ks_distance(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.empty() || b.empty()) return 1.0;
    // Walk both samples in order; at each distinct value both CDFs have taken every tie.
    std::size_t i = 0, j = 0;
    double d = 0.0;
    const double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
    while (i < a.size() && j < b.size()) {
        const double x = std::min(a[i], b[j]);
        while (i < a.size() && a[i] <= x) ++i;
        while (j < b.size() && b[j] <= x) ++j;
        d = std::max(d, std::abs(static_cast<double>(i) / na - static_cast<double>(j) / nb));
    }
    return d;
}

double relative_error(double measured, double simulated) {
    if (measured == 0.0) return simulated == 0.0 ? 0.0 : std::copysign(std::numeric_limits<double>::infinity(), simulated);
    return (simulated - measured) / measured;
}

}  // namespace tbsim::validation
