// Probability distributions written on top of RandomStream, so that a seed gives the same draws with
// every standard library. Each takes its parameters in the unit of the quantity it draws.
#pragma once

#include <cmath>
#include <utility>
#include <vector>

#include "sim/core/random_stream.hpp"

namespace tbsim::sim {

/// Uniform on [low, high).
inline double draw_uniform(RandomStream& rs, double low, double high) { return low + (high - low) * rs.uniform01(); }

/// Exponential with the given mean (inversion; 1 - u is in (0, 1], so the log is finite).
inline double draw_exponential(RandomStream& rs, double mean) { return -mean * std::log(1.0 - rs.uniform01()); }

/// Standard normal (Marsaglia and Tsang's ziggurat, no cached state).
double draw_standard_normal(RandomStream& rs);

/// Normal with the given mean and standard deviation.
inline double draw_normal(RandomStream& rs, double mean, double stddev) { return mean + stddev * draw_standard_normal(rs); }

/// Lognormal: exp(N(mu, sigma)); its median is exp(mu).
inline double draw_lognormal(RandomStream& rs, double mu, double sigma) { return std::exp(draw_normal(rs, mu, sigma)); }

/// An empirical distribution given as a table of (value, cumulative probability) points, sampled
/// by inverting the piecewise-linear CDF through them. The first point's probability may be above 0
/// (an atom at the lowest value); the last must be 1.
class EmpiricalDistribution {
public:
    struct Point {
        double value;
        double cumulative;
    };
    /// Throws std::invalid_argument if values or probabilities decrease, or the last probability is not 1.
    explicit EmpiricalDistribution(std::vector<Point> points);

    /// Builds the table from histogram bins (lower edge, upper edge, weight): uniform inside each bin.
    static EmpiricalDistribution from_histogram(const std::vector<std::pair<double, double>>& edges,
                                                const std::vector<double>& weights);

    double draw(RandomStream& rs) const;
    double mean() const;
    /// The value with cumulative probability p (the inverse CDF).
    double quantile(double p) const;
    const std::vector<Point>& points() const { return points_; }

private:
    std::vector<Point> points_;
};

}  // namespace tbsim::sim
