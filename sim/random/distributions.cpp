#include "sim/random/distributions.hpp"

#include <algorithm>
#include <numbers>
#include <stdexcept>

namespace tbsim::sim {

double draw_normal(RandomStream& rs, double mean, double stddev) {
    const double u1 = 1.0 - rs.uniform01();  // (0, 1]
    const double u2 = rs.uniform01();
    const double radius = std::sqrt(-2.0 * std::log(u1));
    return mean + stddev * radius * std::cos(2.0 * std::numbers::pi * u2);
}

EmpiricalDistribution::EmpiricalDistribution(std::vector<Point> points) : points_(std::move(points)) {
    if (points_.empty()) throw std::invalid_argument("empirical distribution: no points");
    for (std::size_t i = 1; i < points_.size(); ++i) {
        if (points_[i].value < points_[i - 1].value)
            throw std::invalid_argument("empirical distribution: values must not decrease");
        if (points_[i].cumulative < points_[i - 1].cumulative)
            throw std::invalid_argument("empirical distribution: cumulative probabilities must not decrease");
    }
    if (points_.front().cumulative < 0.0 || std::abs(points_.back().cumulative - 1.0) > 1e-9)
        throw std::invalid_argument("empirical distribution: cumulative probabilities must end at 1");
    points_.back().cumulative = 1.0;
}

EmpiricalDistribution EmpiricalDistribution::from_histogram(const std::vector<std::pair<double, double>>& edges,
                                                            const std::vector<double>& weights) {
    if (edges.size() != weights.size() || edges.empty())
        throw std::invalid_argument("empirical distribution: one weight per bin is needed");
    double total = 0.0;
    for (const double w : weights) {
        if (w < 0.0) throw std::invalid_argument("empirical distribution: negative bin weight");
        total += w;
    }
    if (total <= 0.0) throw std::invalid_argument("empirical distribution: all bin weights are zero");
    std::vector<Point> points;
    points.push_back({edges.front().first, 0.0});
    double cumulative = 0.0;
    for (std::size_t i = 0; i < edges.size(); ++i) {
        if (i > 0 && edges[i].first != edges[i - 1].second)
            throw std::invalid_argument("empirical distribution: histogram bins must be contiguous");
        cumulative += weights[i] / total;
        points.push_back({edges[i].second, i + 1 == edges.size() ? 1.0 : cumulative});
    }
    return EmpiricalDistribution(std::move(points));
}

double EmpiricalDistribution::quantile(double p) const {
    if (p <= points_.front().cumulative) return points_.front().value;
    const auto it = std::lower_bound(points_.begin(), points_.end(), p,
                                     [](const Point& pt, double q) { return pt.cumulative < q; });
    if (it == points_.end()) return points_.back().value;
    const Point& hi = *it;
    const Point& lo = *(it - 1);
    const double span = hi.cumulative - lo.cumulative;
    if (span <= 0.0) return hi.value;
    return lo.value + (hi.value - lo.value) * (p - lo.cumulative) / span;
}

double EmpiricalDistribution::draw(RandomStream& rs) const { return quantile(rs.uniform01()); }

double EmpiricalDistribution::mean() const {
    double m = points_.front().value * points_.front().cumulative;
    for (std::size_t i = 1; i < points_.size(); ++i)
        m += 0.5 * (points_[i].value + points_[i - 1].value) * (points_[i].cumulative - points_[i - 1].cumulative);
    return m;
}

}  // namespace tbsim::sim
