// A fixed-width time series: an amount (bytes, messages) summed per bin of simulated time, e.g.
// bytes per 1 s bin on a link. An amount spread over an interval (a transmission that lasts 3 ms)
// is shared between the bins it overlaps in proportion to the overlap, so a bin never shows more
// than the link could carry in it.
#pragma once

#include <vector>

#include "sim/core/time.hpp"

namespace tbsim::sim {

class TimeSeries {
public:
    explicit TimeSeries(Time bin_width);

    /// Adds `amount` at the instant `at`.
    void add(Time at, double amount);
    /// Adds `amount` spread uniformly over [from, to).
    void add_spread(Time from, Time to, double amount);

    Time bin_width() const { return bin_width_; }
    std::size_t bins() const { return values_.size(); }
    /// Amount in bin i (0 beyond the last bin written).
    double at(std::size_t i) const { return i < values_.size() ? values_[i] : 0.0; }
    const std::vector<double>& values() const { return values_; }
    double total() const;

private:
    double& bin(std::size_t i);
    Time bin_width_;
    std::vector<double> values_;
};

}  // namespace tbsim::sim
