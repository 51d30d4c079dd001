#include "sim/stats/time_series.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "sim/core/check.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {

std::optional<std::string> series_bins_problem(Time duration, Time bin_width) {
    const double bins = duration.seconds() / bin_width.seconds();
    if (bins <= kMaxSeriesBins) return std::nullopt;
    return fmt::format("bins of {} over {} of simulated time make {:.3g} bins per series, more than the {:.0e} a series holds: "
                       "choose a wider bin or a shorter duration",
                       format_duration(bin_width), format_duration(duration), bins, kMaxSeriesBins);
}

TimeSeries::TimeSeries(Time bin_width, Time horizon) : bin_width_(bin_width) {
    TBSIM_CHECK(bin_width > Time::zero(), "time series bin width must be positive");
    TBSIM_CHECK(horizon >= Time::zero(), "time series horizon before time zero");
    const std::int64_t whole = horizon.ns() / bin_width.ns();
    kept_bins_ = static_cast<std::size_t>(whole) + (horizon.ns() % bin_width.ns() != 0 ? 1 : 0);
}

double& TimeSeries::bin(std::size_t i) {
    if (i >= values_.size()) values_.resize(i + 1, 0.0);
    return values_[i];
}

void TimeSeries::add(Time at, double amount) {
    TBSIM_CHECK(at >= Time::zero(), "time series sample before time zero");
    const auto i = static_cast<std::size_t>(at / bin_width_);
    if (i < kept_bins_) bin(i) += amount;
}

void TimeSeries::add_spread_across(Time from, Time to, double amount) {
    TBSIM_CHECK(from >= Time::zero() && to >= from, "time series interval out of order");
    const auto first = static_cast<std::size_t>(from / bin_width_);
    if (first >= kept_bins_) return;  // wholly past the horizon
    const auto last = static_cast<std::size_t>((to - Time::from_ns(to > from ? 1 : 0)) / bin_width_);
    if (first == last) {
        bin(first) += amount;
        last_bin_ = first;
        last_lo_ = (bin_width_ * static_cast<std::int64_t>(first)).ns();
        last_hi_ = last_lo_ + bin_width_.ns();
        return;
    }
    const double span = static_cast<double>((to - from).ns());
    // The bins past the horizon are left out; those before it get their share of the whole interval.
    const std::size_t last_kept = std::min(last, kept_bins_ - 1);
    bin(last_kept);  // grow once
    for (std::size_t i = first; i <= last_kept; ++i) {
        const Time lo = std::max(from, bin_width_ * static_cast<std::int64_t>(i));
        const Time hi = std::min(to, bin_width_ * static_cast<std::int64_t>(i + 1));
        values_[i] += amount * static_cast<double>((hi - lo).ns()) / span;
    }
}

void TimeSeries::add_series(const TimeSeries& other) {
    TBSIM_CHECK(other.bin_width_ == bin_width_, "adding time series of different bin widths");
    if (other.values_.size() > values_.size()) values_.resize(other.values_.size(), 0.0);
    for (std::size_t i = 0; i < other.values_.size(); ++i) values_[i] += other.values_[i];
}

double TimeSeries::total() const { return std::accumulate(values_.begin(), values_.end(), 0.0); }

}  // namespace tbsim::sim
