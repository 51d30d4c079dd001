#include "sim/stats/linear_fit.hpp"

#include <Eigen/Dense>

#include "sim/core/check.hpp"

namespace tbsim::sim {

LinearFit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
    TBSIM_CHECK(x.size() == y.size() && x.size() >= 2, "a line fit needs two points or more");
    const auto n = static_cast<Eigen::Index>(x.size());
    Eigen::MatrixXd design(n, 2);
    Eigen::VectorXd target(n);
    for (Eigen::Index i = 0; i < n; ++i) {
        design(i, 0) = x[static_cast<std::size_t>(i)];
        design(i, 1) = 1.0;
        target(i) = y[static_cast<std::size_t>(i)];
    }
    const Eigen::Vector2d beta = design.colPivHouseholderQr().solve(target);
    const Eigen::VectorXd residual = target - design * beta;
    const double mean = target.mean();
    const double total = (target.array() - mean).square().sum();
    LinearFit fit;
    fit.slope = beta(0);
    fit.intercept = beta(1);
    fit.r_squared = total > 0.0 ? 1.0 - residual.squaredNorm() / total : 1.0;
    return fit;
}

}  // namespace tbsim::sim
