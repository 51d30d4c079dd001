// What a gauge of the real host makes of its reading (the testbed's setup, pacing and CPU gauges,
// an OpenStack capture's speed gauge): the reading's ratio to the reference host's, bounded to
// [lower, upper], to the elasticity's power; 1 when nothing was read or the elasticity is 0.
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>

namespace tbsim::sim {

inline double gauge_factor(std::optional<double> ratio, double lower, std::optional<double> upper, double elasticity) {
    if (!ratio || elasticity == 0.0) return 1.0;
    double bounded = std::max(*ratio, lower);
    if (upper) bounded = std::min(bounded, *upper);
    return std::pow(bounded, elasticity);
}

}  // namespace tbsim::sim
