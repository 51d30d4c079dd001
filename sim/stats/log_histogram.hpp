// Percentiles of a quantity observed many millions of times (the queueing delay of every control
// message at a busy interface) in fixed memory: non-negative values are counted in logarithmic bins
// 1% wide between 1e-9 and 1e13 (5100 bins), and a percentile is the geometric middle of its bin,
// so it is within 0.5% of the exact order statistic. Mean, min and max are exact.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace tbsim::sim {

class LogHistogram {
public:
    LogHistogram();
    void add(double x);
    void merge(const LogHistogram& other);

    std::uint64_t count() const { return count_; }
    double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
    double min() const { return count_ ? min_ : 0.0; }
    double max() const { return count_ ? max_ : 0.0; }
    /// The q-quantile, q in [0, 1] (nearest rank), within 0.5% relative.
    double percentile(double q) const;

private:
    std::vector<std::uint64_t> bins_;  // empty until the first value; bins_[0]: below the first edge (zeros included)
    std::uint64_t count_ = 0;
    double sum_ = 0.0;
    double min_ = std::numeric_limits<double>::infinity();
    double max_ = 0.0;
};

}  // namespace tbsim::sim
