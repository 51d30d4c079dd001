#include "sim/stats/tally.hpp"

#include <algorithm>
#include <cmath>

#include "sim/core/check.hpp"

namespace tbsim::sim {

void Tally::add(double x) {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
    if (sorted_ && !samples_.empty() && x < samples_.back()) sorted_ = false;
    samples_.push_back(x);
}

void Tally::merge(const Tally& other) {
    for (const double x : other.samples_) add(x);
}

double Tally::stddev() const { return std::sqrt(variance()); }

double Tally::percentile(double q) const {
    TBSIM_CHECK(q >= 0.0 && q <= 1.0, "percentile outside [0, 1]");
    if (samples_.empty()) return 0.0;
    if (!sorted_) {
        std::sort(samples_.begin(), samples_.end());
        sorted_ = true;
    }
    const double position = q * static_cast<double>(samples_.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, samples_.size() - 1);
    const double fraction = position - static_cast<double>(below);
    return samples_[below] + fraction * (samples_[above] - samples_[below]);
}

}  // namespace tbsim::sim
