#include "validation/calibration/parameter_fit.hpp"

#include <chrono>
#include <cmath>
#include <limits>

#include <Eigen/Dense>
#include <fmt/format.h>
#include <nlopt.h>

#include "sim/config/config_error.hpp"
#include "sim/core/engine_limit.hpp"
#include "sim/core/random_stream.hpp"
#include "sim/core/time.hpp"

namespace tbsim::validation {
namespace {

struct Objective {
    const ResidualFunction* residuals = nullptr;
    const FitOptions* options = nullptr;
    std::chrono::steady_clock::time_point start;
    int evaluations = 0;        // over every local search
    int budget = 0;             // the evaluations every search may use in all
    double best_loss = std::numeric_limits<double>::infinity();         // over every local search
    double search_best_loss = std::numeric_limits<double>::infinity();  // this local search's
    std::vector<double> search_best_x;
    Residuals search_best_residuals;  // at search_best_x
    // The point the fit starts from and its residuals, already known: the first search's first
    // evaluation is there, and the runs are repeatable (common random numbers).
    std::vector<double> start_x;
    const Residuals* start_residuals = nullptr;
    double search_first_loss = 0.0;  // at this local search's first point: its start
    bool search_started = false;
    double worst_loss = 0.0;    // the highest loss of a point the model ran
    int infeasible = 0;         // points the model could not run
    std::string first_infeasible;  // why the first of them could not
    std::exception_ptr failure;
};

std::vector<double> values_of(const std::vector<double>& log_x) {
    std::vector<double> v(log_x.size());
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::exp(log_x[i]);
    return v;
}

// The loss at a point the model cannot run (values inside the bounds that together outlast the
// clock or the event queue, or that a model's own check refuses): well above any loss seen, so the
// search turns away from it, and finite, so that BOBYQA's quadratic model stays usable.
double infeasible_loss(Objective& o, const char* why) {
    if (o.infeasible++ == 0) o.first_infeasible = why;
    return 10.0 * std::max(1.0, o.worst_loss);
}

double objective(unsigned n, const double* x, double* /*gradient*/, void* data) {
    auto& o = *static_cast<Objective*>(data);
    try {
        const std::vector<double> log_x(x, x + n);
        double loss = 0.0;
        Residuals residuals;
        try {
            residuals = log_x == o.start_x && o.start_residuals != nullptr ? *o.start_residuals : (*o.residuals)(values_of(log_x));
            loss = residuals.loss();
            o.worst_loss = std::max(o.worst_loss, loss);
        } catch (const sim::ConfigError& e) {
            loss = infeasible_loss(o, e.what());
        } catch (const sim::TimeOverflow& e) {
            loss = infeasible_loss(o, e.what());
        } catch (const sim::EngineLimit& e) {
            loss = infeasible_loss(o, e.what());
        }
        ++o.evaluations;
        if (!o.search_started) o.search_started = true, o.search_first_loss = loss;
        o.best_loss = std::min(o.best_loss, loss);
        if (loss < o.search_best_loss) o.search_best_loss = loss, o.search_best_x = log_x, o.search_best_residuals = std::move(residuals);
        if (o.options->progress)
            o.options->progress({o.evaluations, o.budget, loss, o.best_loss,
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

bool converged_code(nlopt_result code) {
    return code == NLOPT_SUCCESS || code == NLOPT_FTOL_REACHED || code == NLOPT_XTOL_REACHED || code == NLOPT_STOPVAL_REACHED ||
           code == NLOPT_ROUNDOFF_LIMITED;
}

// One BOBYQA search from `x` (log-parameters), which it leaves at the best point it evaluated.
FitStart local_search(std::vector<double>& x, Residuals& at_x, const std::vector<double>& lower, const std::vector<double>& upper,
                      Objective& o) {
    const auto p = x.size();
    const FitOptions& options = *o.options;
    o.search_best_loss = std::numeric_limits<double>::infinity();
    o.search_best_x.clear();
    o.search_started = false;
    const int evaluations_before = o.evaluations;
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
    if (!o.search_best_x.empty() && o.search_best_loss <= loss) x = o.search_best_x, loss = o.search_best_loss;
    if (x == o.search_best_x) at_x = std::move(o.search_best_residuals);
    else at_x = {};  // not evaluated as such (the optimiser's own end point): fit_parameters evaluates it
    FitStart s;
    s.loss_start = o.search_first_loss;
    s.loss_end = loss;
    s.evaluations = o.evaluations - evaluations_before;
    s.converged = converged_code(code);
    s.stop_reason = reason_of(code);
    return s;
}

}  // namespace

std::vector<std::vector<double>> fit_start_points(const std::vector<double>& x0, const std::vector<double>& lower,
                                                  const std::vector<double>& upper, int starts, double spread) {
    std::vector<std::vector<double>> points{x0};
    const auto count = static_cast<std::size_t>(std::max(0, starts - 1));
    if (count == 0) return points;
    sim::RandomStream rng(1, "fit starts");
    points.resize(count + 1, x0);
    const double radius = spread > 1.0 ? std::log(spread) : std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < x0.size(); ++i) {
        const double low = std::max(lower[i], x0[i] - radius), high = std::min(upper[i], x0[i] + radius);
        // One point in each of `count` equal strata of [low, high], the strata in a random order
        // (Fisher-Yates) for each parameter, so that pairs of parameters spread too.
        std::vector<std::size_t> stratum(count);
        for (std::size_t k = 0; k < count; ++k) stratum[k] = k;
        for (std::size_t k = count - 1; k > 0; --k) std::swap(stratum[k], stratum[rng.below(k + 1)]);
        const double width = (high - low) / static_cast<double>(count);
        for (std::size_t k = 0; k < count; ++k) points[k + 1][i] = low + width * (static_cast<double>(stratum[k]) + rng.uniform01());
    }
    return points;
}

FitResult fit_parameters(std::vector<FitParameter> parameters, const ResidualFunction& raw_residuals, const FitOptions& options) {
    const auto p = parameters.size();
    // With a robust scale, everything below (the search, the loss, the Jacobian) sees the soft L1
    // residuals; without, the raw ones.
    const auto loss_residuals = [scale = options.robust_scale](Residuals r) { return scale > 0.0 ? soft_l1(std::move(r), scale) : r; };
    const ResidualFunction residuals =
        options.robust_scale > 0.0
            ? ResidualFunction([&raw_residuals, &loss_residuals](const std::vector<double>& values) {
                  return loss_residuals(raw_residuals(values));
              })
            : raw_residuals;
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
    o.start_x = x;
    o.start_residuals = &result.before;
    o.worst_loss = result.loss_before;
    result.residuals = result.before.values.size();

    o.budget = std::max(1, options.starts) * options.max_evaluations;
    const auto points = fit_start_points(x, lower, upper, options.starts, options.start_spread);
    result.start_spread = options.start_spread;
    result.robust_scale = options.robust_scale;
    std::vector<double> best_x;
    Residuals best_residuals;  // at best_x, when the search evaluated it there
    for (std::size_t k = 0; k < points.size(); ++k) {
        auto xk = points[k];
        Residuals at_xk;
        FitStart s = local_search(xk, at_xk, lower, upper, o);
        if (best_x.empty() || s.loss_end < result.starts[result.best_start].loss_end)
            result.best_start = k, best_x = xk, best_residuals = std::move(at_xk);
        result.starts.push_back(std::move(s));
    }
    x = best_x;
    result.evaluations = o.evaluations;
    const FitStart& winner = result.starts[result.best_start];
    result.converged = winner.converged;
    result.stop_reason = winner.stop_reason;
    result.infeasible = o.infeasible;
    result.first_infeasible = o.first_infeasible;

    result.after = best_residuals.values.empty() ? residuals(values_of(x)) : std::move(best_residuals);
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
            options.progress({o.evaluations + static_cast<int>(2 * j + 2), o.budget, r_up.loss(), result.loss_after,
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

    // The fit's gain under draws it was not fitted on: the start and the fit replayed with the
    // seeds after the fit's own, k = 1..other_draws (docs/calibration.md, "Other draws").
    const int other_draws = options.residuals_in_draw ? std::max(0, options.other_draws) : 0;
    for (int k = 1; k <= other_draws; ++k) {
        double losses[2] = {0.0, 0.0};
        try {
            for (int i = 0; i < 2; ++i) {
                losses[i] = loss_residuals(options.residuals_in_draw(values_of(i == 0 ? o.start_x : x), k)).loss();
                if (options.progress)
                    options.progress({result.evaluations + 2 * k - 1 + i, o.budget, losses[i], result.loss_after,
                                      std::chrono::duration<double>(std::chrono::steady_clock::now() - o.start).count(), true});
            }
        } catch (const sim::ConfigError&) {
            continue;  // a draw under which the start or the fit cannot run: left out
        } catch (const sim::TimeOverflow&) {
            continue;
        } catch (const sim::EngineLimit&) {
            continue;
        }
        result.draws_loss_before.push_back(losses[0]);
        result.draws_loss_after.push_back(losses[1]);
    }
    result.evaluations += 2 * other_draws;
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

DrawsGain draws_gain(const FitResult& fit) {
    DrawsGain g;
    const auto n = std::min(fit.draws_loss_before.size(), fit.draws_loss_after.size());
    if (n == 0) return g;
    std::vector<double> gains(n);
    for (std::size_t k = 0; k < n; ++k) {
        g.loss_before += fit.draws_loss_before[k] / static_cast<double>(n);
        g.loss_after += fit.draws_loss_after[k] / static_cast<double>(n);
        gains[k] = fit.draws_loss_before[k] - fit.draws_loss_after[k];
    }
    g.mean = g.loss_before - g.loss_after;
    if (n < 2) return g;
    double ss = 0.0;
    for (const double d : gains) ss += (d - g.mean) * (d - g.mean);
    g.standard_error = std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n));
    return g;
}

std::string draws_account(const FitResult& fit) {
    const auto n = fit.draws_loss_after.size();
    if (n == 0) return "";
    const auto gain = draws_gain(fit);
    return fmt::format("under {} other seed(s) the loss goes from {:.4g} at the start to {:.4g} at the fit (mean): it gains {:.3g}{} on "
                       "draws it was not fitted on, against {:.3g} on its own",
                       n, gain.loss_before, gain.loss_after, gain.mean, n > 1 ? fmt::format(" +- {:.2g}", gain.standard_error) : "",
                       fit.loss_before - fit.loss_after);
}

}  // namespace tbsim::validation
