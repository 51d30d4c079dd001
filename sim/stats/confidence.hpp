// Confidence intervals across independent replications: the sample mean plus or minus
// t(0.975, n-1) * s / sqrt(n), Student's t for small samples.
#pragma once

#include <cstddef>
#include <vector>

namespace tbsim::sim {

/// The 0.975 quantile of Student's t distribution with `dof` degrees of freedom (dof >= 1).
double student_t_975(std::size_t dof);

struct ConfidenceInterval {
    double mean = 0.0;
    double half_width = 0.0;  // 0 with fewer than two replications
    double stddev = 0.0;      // sample standard deviation (n - 1), 0 with fewer than two
    std::size_t n = 0;
    double low() const { return mean - half_width; }
    double high() const { return mean + half_width; }
};

/// The 95% confidence interval of the mean of `values` (one value per replication).
ConfidenceInterval confidence_95(const std::vector<double>& values);

}  // namespace tbsim::sim
