#include "sim/random/distributions.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <numbers>
#include <stdexcept>

namespace tbsim::sim {

namespace {

// The standard normal's density without its constant, exp(-x^2 / 2).
double bell(double x) { return std::exp(-0.5 * x * x); }

// Marsaglia and Tsang's ziggurat (J. Stat. Software 5(8), 2000): the area under the density
// (x >= 0) cut into 256 horizontal layers of equal area. Layer i >= 1 is the rectangle [0, edge[i]]
// by [bell(edge[i]), bell(edge[i + 1])], with edge[1] = R and edge[256] = 0; layer 0 is the strip
// [0, R] by [0, bell(R)] and the tail beyond R, drawn as a rectangle of the same area and width
// edge[0]. A point drawn uniformly in a layer's width is under the density, and returned, when it
// is left of the next layer's edge: 98.5% of draws cost one 64-bit number and a multiplication,
// where Box-Muller costs two numbers, a log, a square root and a cosine.
struct Ziggurat {
    static constexpr std::size_t kLayers = 256;
    static constexpr double kR = 3.6541528853610088;  // where the tail starts
    std::array<double, kLayers + 1> edge{};
    std::array<double, kLayers + 1> height{};  // bell(edge[i]); height[0] is 0 (the strip's floor)

    Ziggurat() {
        // Each layer's area: the strip under bell(R) plus the tail, R bell(R) + sqrt(pi/2) erfc(R/sqrt 2).
        const double area = kR * bell(kR) + std::sqrt(0.5 * std::numbers::pi) * std::erfc(kR / std::numbers::sqrt2);
        edge[0] = area / bell(kR);
        edge[1] = kR;
        for (std::size_t i = 1; i + 1 < kLayers; ++i) edge[i + 1] = std::sqrt(-2.0 * std::log(bell(edge[i]) + area / edge[i]));
        edge[kLayers] = 0.0;
        for (std::size_t i = 1; i <= kLayers; ++i) height[i] = bell(edge[i]);
    }
};

const Ziggurat& ziggurat() {
    static const Ziggurat table;
    return table;
}

// The standard normal beyond `r` (Marsaglia 1964): r + an exponential, kept with probability
// exp(-a^2 / 2) by comparing with a second exponential.
double draw_normal_tail(RandomStream& rs, double r) {
    for (;;) {
        const double a = -std::log(1.0 - rs.uniform01()) / r;
        const double b = -std::log(1.0 - rs.uniform01());
        if (b + b >= a * a) return r + a;
    }
}

}  // namespace

double draw_standard_normal(RandomStream& rs) {
    const Ziggurat& z = ziggurat();
    for (;;) {
        // One 64-bit number gives the layer (its low 8 bits), the sign (bit 8) and the position in
        // the layer's width (its top 53 bits): disjoint bits, so the three are independent.
        const std::uint64_t bits = rs.next_u64();
        const std::size_t layer = bits & 0xffU;
        const double sign = (bits & 0x100U) != 0 ? -1.0 : 1.0;
        const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * z.edge[layer];
        if (x < z.edge[layer + 1]) return sign * x;
        if (layer == 0) return sign * draw_normal_tail(rs, Ziggurat::kR);
        // Right of the next edge: under the density with the probability the wedge gives.
        if (z.height[layer] + rs.uniform01() * (z.height[layer + 1] - z.height[layer]) < bell(x)) return sign * x;
    }
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
