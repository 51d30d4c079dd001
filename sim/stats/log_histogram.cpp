#include "sim/stats/log_histogram.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/check.hpp"

namespace tbsim::sim {
namespace {

constexpr double kLowest = 1e-9;
// Up to 1e13: the clock's range (9.2e9 s) in seconds or milliseconds. The top was 1e5, and every
// value above it shared one bin whose middle, 1e5, came out as a p99 below the mean (a queueing
// delay of days on a 1 bps uplink).
constexpr double kHighest = 1e13;
constexpr double kRatio = 1.01;
const double kLogRatio = std::log(kRatio);
const std::size_t kBins = 2 + static_cast<std::size_t>(std::ceil(std::log(kHighest / kLowest) / std::log(kRatio)));

std::size_t bin_of(double x) {
    if (x < kLowest) return 0;
    const auto i = 1 + static_cast<std::size_t>(std::log(x / kLowest) / kLogRatio);
    return std::min(i, kBins - 1);
}

}  // namespace

LogHistogram::LogHistogram() = default;  // bins are allocated by the first observation

void LogHistogram::add(double x) {
    TBSIM_CHECK(x >= 0.0, "a log histogram counts non-negative values");
    if (bins_.empty()) bins_.assign(kBins, 0);
    ++bins_[bin_of(x)];
    ++count_;
    sum_ += x;
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
}

void LogHistogram::merge(const LogHistogram& other) {
    if (other.count_ == 0) return;
    if (bins_.empty()) bins_.assign(kBins, 0);
    for (std::size_t i = 0; i < kBins; ++i) bins_[i] += other.bins_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

double LogHistogram::percentile(double q) const {
    TBSIM_CHECK(q >= 0.0 && q <= 1.0, "percentile outside [0, 1]");
    if (count_ == 0) return 0.0;
    const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBins; ++i) {
        seen += bins_[i];
        if (seen >= rank) {
            if (i == 0) return min_ < kLowest ? min_ : 0.0;
            if (i == kBins - 1) return max_;  // above kHighest: no edge to take a middle of
            const double middle = kLowest * std::pow(kRatio, static_cast<double>(i) - 0.5);
            return std::clamp(middle, min_, max_);
        }
    }
    return max_;
}

}  // namespace tbsim::sim
