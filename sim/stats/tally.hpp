// Statistics over a set of observations (a latency per message, a duration per VM boot):
// count, mean and variance (Welford's update, numerically stable), min, max, and exact percentiles
// from the stored observations (linear interpolation between order statistics, Hyndman-Fan type 7,
// as numpy's default).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace tbsim::sim {

class Tally {
public:
    void add(double x);
    /// Adds every observation of `other` (used to pool replications).
    void merge(const Tally& other);

    std::size_t count() const { return count_; }
    double mean() const { return count_ ? mean_ : 0.0; }
    /// Sample variance (n - 1 in the denominator); 0 for fewer than two observations.
    double variance() const { return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : 0.0; }
    double stddev() const;
    double min() const { return count_ ? min_ : 0.0; }
    double max() const { return count_ ? max_ : 0.0; }
    double sum() const { return mean() * static_cast<double>(count_); }
    /// The q-quantile, q in [0, 1]; 0 if there is no observation.
    double percentile(double q) const;

private:
    std::size_t count_ = 0;
    double mean_ = 0.0;
    double m2_ = 0.0;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = -std::numeric_limits<double>::infinity();
    mutable std::vector<double> samples_;
    mutable bool sorted_ = true;
};

/// A count of occurrences and the sum of an amount (messages and bytes, say).
struct Counter {
    std::uint64_t count = 0;
    double total = 0.0;
    void add(double amount = 0.0) {
        ++count;
        total += amount;
    }
};

}  // namespace tbsim::sim
