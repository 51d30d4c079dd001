// A fixed-width time series: an amount (bytes, messages) summed per bin of simulated time, e.g.
// bytes per 1 s bin on a link. An amount spread over an interval (a transmission that lasts 3 ms)
// is shared between the bins it overlaps in proportion to the overlap, so a bin never shows more
// than the link could carry in it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/time.hpp"

namespace tbsim::sim {

/// The most bins a series may hold: 100 million (800 MB of doubles; three years of 1 s bins).
inline constexpr double kMaxSeriesBins = 1e8;
/// Why a run of `duration` cannot be cut into bins of `bin_width` (too many of them), or nothing.
std::optional<std::string> series_bins_problem(Time duration, Time bin_width);

class TimeSeries {
public:
    /// Bins of `bin_width`; amounts at or after `horizon` (the end of the run: a transmission booked
    /// past it) are not kept, so that a series never grows beyond the bins a run reports.
    explicit TimeSeries(Time bin_width, Time horizon = Time::max());

    /// Adds `amount` at the instant `at`.
    void add(Time at, double amount);
    /// Adds `amount` spread uniformly over [from, to).
    void add_spread(Time from, Time to, double amount) {
        if (from.ns() >= last_lo_ && from.ns() < last_hi_ && to.ns() <= last_hi_) {  // within the bin last written
            values_[last_bin_] += amount;
            return;
        }
        add_spread_across(from, to, amount);
    }

    /// Adds another series of the same bin width, bin by bin.
    void add_series(const TimeSeries& other);

    Time bin_width() const { return bin_width_; }
    std::size_t bins() const { return values_.size(); }
    /// Amount in bin i (0 beyond the last bin written).
    double at(std::size_t i) const { return i < values_.size() ? values_[i] : 0.0; }
    const std::vector<double>& values() const { return values_; }
    double total() const;

private:
    void add_spread_across(Time from, Time to, double amount);
    double& bin(std::size_t i);
    Time bin_width_;
    std::size_t kept_bins_;  // bins before the horizon
    std::vector<double> values_;
    // The bin last written and its bounds [lo, hi) in ns: consecutive amounts mostly fall in it,
    // which spares two divisions each.
    std::size_t last_bin_ = 0;
    std::int64_t last_lo_ = 0, last_hi_ = 0;
};

}  // namespace tbsim::sim
