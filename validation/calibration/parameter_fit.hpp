// Fitting parameters to data by minimising a sum of squared residuals.
//
// The optimiser is NLopt's BOBYQA (Powell's bounded quadratic-model trust region): it needs no
// derivatives, which a simulation's outputs only have in a loose sense (every evaluation is a set
// of simulated runs; with common random numbers the loss is smooth at large scale but steps at
// small), it honours bounds, and it takes few evaluations. It works on the logarithm of each
// parameter, so that bounds such as 0.1x..10x are symmetric and steps relative. At the optimum, a
// central-difference Jacobian of the residuals gives the standard errors (the covariance
// s^2 (J'J)^-1 with s^2 = RSS / (m - p)), the correlations between parameters, and the parameters
// the data cannot identify. A point inside the bounds that the model cannot run (values that
// together outlast the clock, say) scores ten times the highest loss seen: the search turns away
// and goes on, and the account counts such points.
//
// BOBYQA is a local method: it stays in the basin of its start. With `starts` above 1 the fit is
// a multi-start: the given values first, then points of a Latin hypercube over a box around them
// (each parameter's log range, within a factor `start_spread` of its given value and the bounds,
// cut into starts - 1 strata, one point in each, the strata shuffled by a fixed random stream, so
// the same fit starts from the same points), a local search from each, and the best end point
// wins. The standard errors are those at the winner. Over the whole bounds (start_spread 0), a fit
// of many parameters starts far from anything the data allows: two starts of 18 testbed parameters
// over 0.1x..10x ended at 27 and 356 times the given values' loss, within 2x of them at 1.9 and 3.2
// times (docs/calibration.md).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "validation/calibration/fit_parameter.hpp"
#include "validation/calibration/replay_residuals.hpp"

namespace tbsim::validation {

struct FitProgress {
    int evaluation = 0;
    int max_evaluations = 0;
    double loss = 0.0, best_loss = 0.0;
    double elapsed_s = 0.0;
    bool jacobian = false;  // in the final Jacobian's evaluations
};

/// Where the other searches of a multi-start begin: within this factor of the given values.
inline constexpr double kDefaultStartSpread = 2.0;
/// Other random draws the start and the fit are replayed with (FitOptions::other_draws).
inline constexpr int kDefaultOtherDraws = 4;
/// A start spread is 0 (the whole bounds) or a factor above 1.
inline bool valid_start_spread(double factor) { return factor == 0.0 || (factor > 1.0 && factor <= 1e6); }

struct FitOptions {
    int max_evaluations = 200;
    double step = 0.3;           // first trust-region radius, in log units (0.3: about +-35%)
    double tolerance = 0.005;    // stop when the log-parameters move less than this (0.5%)
    double jacobian_step = 0.05; // central differences, in log units
    int starts = 1;              // local searches: the given values, then starts - 1 points spread around them
    double start_spread = kDefaultStartSpread;  // the other starts within this factor of the given values (and the bounds); 0: the whole bounds
    double robust_scale = 0.0;   // 0: least squares; above 0: soft L1 with this scale (soft_l1 in replay_residuals.hpp)
    // The fit's gain under other random draws: the start and the fit replayed with draws k =
    // 1..other_draws (`residuals_in_draw(values, k)`; the fit's own draws are k = 0), 2 evaluations
    // each. 0 or no function: none.
    int other_draws = kDefaultOtherDraws;
    std::function<Residuals(const std::vector<double>& values, int draw)> residuals_in_draw;
    std::function<void(const FitProgress&)> progress;
};

/// One local search of a multi-start fit: the loss at its start and at its end.
struct FitStart {
    double loss_start = 0.0, loss_end = 0.0;
    int evaluations = 0;
    bool converged = false;
    std::string stop_reason;
};

struct ParameterCorrelation {
    std::string a, b;
    double correlation = 0.0;
};

struct FitResult {
    std::vector<FitParameter> parameters;  // value and standard_error set
    double loss_before = 0.0, loss_after = 0.0;
    double rmse_before = 0.0, rmse_after = 0.0;  // sqrt(loss / residuals)
    std::size_t residuals = 0;
    int evaluations = 0;
    bool converged = false;
    std::string stop_reason;
    int infeasible = 0;             // evaluations at points the model could not run (scored as a high loss)
    std::string first_infeasible;   // why the first of them could not
    std::vector<FitStart> starts;   // every local search, in order (one unless FitOptions::starts > 1)
    double start_spread = 0.0;      // FitOptions::start_spread of the multi-start
    double robust_scale = 0.0;      // FitOptions::robust_scale: 0 least squares, else the soft L1 loss's scale
    std::size_t best_start = 0;     // the one whose end point is the fit
    std::vector<std::string> unidentified;               // keys the data does not pin down
    std::vector<ParameterCorrelation> correlations;      // pairs with |r| above 0.9
    Residuals before, after;
    // The loss at the start and at the fit under each of FitOptions::other_draws other draws (in
    // the order of the draws; empty without them): what the fit gains on draws it did not see.
    std::vector<double> draws_loss_before, draws_loss_after;
};

/// Over the other draws: the mean loss at the start and at the fit, the mean of the start's loss
/// minus the fit's, and its standard error (paired by draw; 0 with fewer than two draws).
struct DrawsGain {
    double loss_before = 0.0, loss_after = 0.0;
    double mean = 0.0, standard_error = 0.0;
};
DrawsGain draws_gain(const FitResult& fit);
/// One line: the loss at the start and at the fit under the other draws, and the gain against
/// the fit's own ("" without other draws).
std::string draws_account(const FitResult& fit);

/// Residuals at parameter values (in the parameters' order, base units).
using ResidualFunction = std::function<Residuals(const std::vector<double>& values)>;

/// The start points of a multi-start fit, in log-parameters: `x0` first, then `starts - 1` points
/// of a Latin hypercube drawn from a fixed stream over [lower, upper], narrowed to within
/// log(spread) of x0 when spread > 1.
std::vector<std::vector<double>> fit_start_points(const std::vector<double>& x0, const std::vector<double>& lower,
                                                  const std::vector<double>& upper, int starts, double spread = 0.0);

FitResult fit_parameters(std::vector<FitParameter> parameters, const ResidualFunction& residuals, const FitOptions& options);

}  // namespace tbsim::validation
