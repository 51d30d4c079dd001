#include "validation/calibration/parameter_fit.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include <Eigen/Dense>
#include <nlopt.h>

namespace tbsim::validation {
namespace {

struct Objective {
    const ResidualFunction* residuals = nullptr;
    const FitOptions* options = nullptr;
    std::chrono::steady_clock::time_point start;
    int evaluations = 0;
    double best_loss = std::numeric_limits<double>::infinity();
    std::vector<double> best_x;
    std::exception_ptr failure;
};

std::vector<double> values_of(const std::vector<double>& log_x) {
    std::vector<double> v(log_x.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::exp(log_x[i]);
    return v;
}

double objective(unsigned n, const double* x, double* /*gradient*/, void* data) {
    auto& o = *static_cast<Objective*>(data);
    try {
        const std::vector<double> log_x(x, x + n);
        const double loss = (*o.residuals)(values_of(log_x)).loss();
        ++o.evaluations;
        if (loss < o.best_loss) o.best_loss = loss, o.best_x = log_x;
        if (o.options->progress)
            o.options->progress({o.evaluations, o.options->max_evaluations, loss, o.best_loss,
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - o.start).count(), false});
        return loss;
    } catch (...) {
        o.failure = std::current_exception();
        return std::numeric_limits<double>::infinity();
    }
}

const char* reason_of(nlopt_result r) {
    switch (r) {
        case NLOPT_SUCCESS: return "converged";
        case NLOPT_STOPVAL_REACHED: return "converged (reached the target loss)";
        case NLOPT_FTOL_REACHED: return "converged (the loss stopped improving)";
        case NLOPT_XTOL_REACHED: return "converged (the parameters stopped moving)";
        case NLOPT_MAXEVAL_REACHED: return "the evaluation budget ran out";
        case NLOPT_MAXTIME_REACHED: return "the time budget ran out";
        case NLOPT_ROUNDOFF_LIMITED: return "stopped by round-off (the loss is flat at this scale)";
        case NLOPT_FORCED_STOP: return "stopped";
        default: return "failed";
    }
}

}  // namespace

FitResult fit_parameters(std::vector<FitParameter> parameters, const ResidualFunction& residuals, const FitOptions& options) {
    const auto p = parameters.size();
    FitResult result;
    std::vector<double> x(p), lower(p), upper(p);
    for (std::size_t i = 0; i < p; ++i) {
        x[i] = std::log(parameters[i].initial);
        lower[i] = std::log(parameters[i].lower);
        upper[i] = std::log(parameters[i].upper);
    }
    Objective o;
    o.residuals = &residuals;
    o.options = &options;
    o.start = std::chrono::steady_clock::now();
    result.before = residuals(values_of(x));
    result.loss_before = result.before.loss();
    result.residuals = result.before.values.size();

    nlopt_opt opt = nlopt_create(NLOPT_LN_BOBYQA, static_cast<unsigned>(p));
    nlopt_set_lower_bounds(opt, lower.data());
    nlopt_set_upper_bounds(opt, upper.data());
    nlopt_set_min_objective(opt, objective, &o);
    nlopt_set_maxeval(opt, options.max_evaluations);
    nlopt_set_xtol_abs1(opt, options.tolerance);
    nlopt_set_ftol_rel(opt, 1e-6);
    std::vector<double> steps(p);
    for (std::size_t i = 0; i < p; ++i) steps[i] = std::min(options.step, 0.45 * (upper[i] - lower[i]));
    nlopt_set_initial_step(opt, steps.data());
    double loss = 0.0;
    const nlopt_result code = nlopt_optimize(opt, x.data(), &loss);
    nlopt_destroy(opt);
    if (o.failure) std::rethrow_exception(o.failure);
    if (!o.best_x.empty() && o.best_loss <= loss) x = o.best_x;
    result.evaluations = o.evaluations;
    result.converged = code == NLOPT_SUCCESS || code == NLOPT_FTOL_REACHED || code == NLOPT_XTOL_REACHED || code == NLOPT_STOPVAL_REACHED ||
                       code == NLOPT_ROUNDOFF_LIMITED;
    result.stop_reason = reason_of(code);

    result.after = residuals(values_of(x));
    result.loss_after = result.after.loss();
    const auto m = result.after.values.size();
    result.rmse_before = std::sqrt(result.loss_before / static_cast<double>(std::max<std::size_t>(1, result.before.values.size())));
    result.rmse_after = std::sqrt(result.loss_after / static_cast<double>(std::max<std::size_t>(1, m)));

    // The Jacobian of the residuals in log-parameters, by central differences.
    Eigen::MatrixXd J(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(p));
    for (std::size_t j = 0; j < p; ++j) {
        auto up = x, down = x;
        up[j] = std::min(upper[j], x[j] + options.jacobian_step);
        down[j] = std::max(lower[j], x[j] - options.jacobian_step);
        const auto r_up = residuals(values_of(up));
        const auto r_down = residuals(values_of(down));
        if (options.progress)
            options.progress({o.evaluations + static_cast<int>(2 * j + 2), options.max_evaluations, r_up.loss(), result.loss_after,
                              std::chrono::duration<double>(std::chrono::steady_clock::now() - o.start).count(), true});
        for (std::size_t i = 0; i < m && i < r_up.values.size() && i < r_down.values.size(); ++i)
            J(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = (r_up.values[i] - r_down.values[i]) / (up[j] - down[j]);
    }
    result.evaluations += static_cast<int>(2 * p);
    const double dof = static_cast<double>(m > p ? m - p : 1);
    const double s2 = result.loss_after / dof;
    const Eigen::MatrixXd JtJ = J.transpose() * J;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(JtJ);
    const double largest = eig.eigenvalues().cwiseAbs().maxCoeff();
    // A pseudo-inverse: directions the data does not see have no finite variance.
    Eigen::VectorXd inv = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p));
    for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(p); ++k) {
        const double ev = eig.eigenvalues()(k);
        if (ev > 1e-10 * std::max(largest, 1e-300)) inv(k) = 1.0 / ev;
    }
    const Eigen::MatrixXd cov = s2 * eig.eigenvectors() * inv.asDiagonal() * eig.eigenvectors().transpose();
    for (std::size_t j = 0; j < p; ++j) {
        auto& par = parameters[j];
        par.value = std::exp(x[j]);
        const double column = J.col(static_cast<Eigen::Index>(j)).norm();
        const double se_log = std::sqrt(std::max(0.0, cov(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(j))));
        par.standard_error = par.value * se_log;
        // Not identified: the residuals do not move with it, or it is known to no better than a factor of e.
        if (column < 1e-9 || se_log > 1.0 || se_log == 0.0) result.unidentified.push_back(par.key);
    }
    for (std::size_t a = 0; a < p; ++a)
        for (std::size_t b = a + 1; b < p; ++b) {
            const double va = cov(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(a));
            const double vb = cov(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(b));
            if (va <= 0.0 || vb <= 0.0) continue;
            const double r = cov(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) / std::sqrt(va * vb);
            if (std::abs(r) > 0.9) result.correlations.push_back({parameters[a].key, parameters[b].key, r});
        }
    result.parameters = std::move(parameters);
    return result;
}

}  // namespace tbsim::validation
