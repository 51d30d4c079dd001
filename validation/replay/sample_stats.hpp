// Comparing two samples of a latency: quantiles and the two-sample Kolmogorov-Smirnov distance.
#pragma once

#include <vector>

namespace tbsim::validation {

/// The p-quantile of a sorted sample, interpolated between order statistics (Hyndman and Fan's
/// type 7, R's and NumPy's default). 0 for an empty sample.
double quantile(const std::vector<double>& sorted, double p);

/// sup over x of |F_a(x) - F_b(x)|, the empirical CDFs of two sorted samples: 0 when they are the
/// same, 1 when they do not overlap. 1 if either is empty.
double ks_distance(const std::vector<double>& a_sorted, const std::vector<double>& b_sorted);

/// (simulated - measured) / measured; 0 when both are 0, and +-infinity when only measured is.
double relative_error(double measured, double simulated);

}  // namespace tbsim::validation
