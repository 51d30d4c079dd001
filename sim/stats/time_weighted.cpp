#include "sim/stats/time_weighted.hpp"

#include <algorithm>

#include "sim/core/check.hpp"

namespace tbsim::sim {

void TimeWeighted::set(Time at, double value) {
    TBSIM_CHECK(at >= last_, "time-weighted statistic updated out of order");
    area_ += value_ * (at - last_).seconds();
    last_ = at;
    value_ = value;
    max_ = std::max(max_, value);
}

double TimeWeighted::mean(Time at) const {
    TBSIM_CHECK(at >= last_, "time-weighted mean asked before the last update");
    const double elapsed = (at - start_).seconds();
    if (elapsed <= 0.0) return value_;
    return (area_ + value_ * (at - last_).seconds()) / elapsed;
}

}  // namespace tbsim::sim
