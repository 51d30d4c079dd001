// Ordinary least squares y = slope * x + intercept, with the coefficient of determination R^2:
// how a study's linear fits (traffic against servers, against VMs) are recomputed from simulated
// points.
#pragma once

#include <vector>

namespace tbsim::sim {

struct LinearFit {
    double slope = 0.0;
    double intercept = 0.0;
    double r_squared = 0.0;
};

/// Needs at least two distinct x values.
LinearFit fit_line(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace tbsim::sim
