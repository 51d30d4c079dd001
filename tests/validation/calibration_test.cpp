// The calibration machinery (validation/calibration): the optimiser finds a known optimum with the
// right standard errors, flags what the data cannot identify, and the fitted profile is written
// in place with its record, byte for byte the same for the same inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/random_stream.hpp"
#include "sim/core/time.hpp"
#include "sim/random/distributions.hpp"
#include "validation/calibration/fit_parameter.hpp"
#include "validation/calibration/fitted_profile.hpp"
#include "validation/calibration/parameter_fit.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim::validation;

namespace {

FitParameter parameter(const std::string& key, double initial) {
    FitParameter p;
    p.key = key;
    p.initial = p.value = initial;
    p.lower = initial / 10.0;
    p.upper = initial * 10.0;
    return p;
}

// Residuals of a straight-line model y = a * x + b against exact data from a = 3, b = 0.5, with a
// fixed pattern of noise of size `noise`: a least-squares problem whose answer is known.
Residuals line_residuals(const std::vector<double>& v, double noise) {
    Residuals r;
    for (int i = 0; i < 20; ++i) {
        const double x = 0.1 * i;
        const double y = 3.0 * x + 0.5 + noise * ((i % 2 == 0) ? 1.0 : -1.0);
        r.values.push_back(v[0] * x + v[1] - y);
        r.names.push_back("point " + std::to_string(i));
    }
    return r;
}

// Two basins in l = log(a): a well at l = -1 (loss 0.36) and a deeper one at l = +1 (loss 0),
// with a barrier of loss 1.09 at l = 0 between them. From a = e^-1 a local search stays in the
// shallow well.
Residuals double_well(const std::vector<double>& v) {
    const double l = std::log(v[0]);
    Residuals r;
    r.values = {l * l - 1.0, 0.3 * (l - 1.0)};
    r.names = {"well", "tilt"};
    return r;
}

FitParameter wide_parameter(const std::string& key, double initial) {
    FitParameter p = parameter(key, initial);
    p.lower = std::exp(-3.0);
    p.upper = std::exp(3.0);
    return p;
}

}  // namespace

TEST_CASE("the fit finds a straight line's slope and intercept from a poor start") {
    FitOptions options;
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals(v, 0.01); }, options);
    REQUIRE(fit.converged);
    // Alternating noise of +-0.01 on 20 points: the least-squares line is within 1% of a = 3, b = 0.5.
    CHECK(fit.parameters[0].value == within(3.0, 0.01));
    CHECK(fit.parameters[1].value == within(0.5, 0.02));
    CHECK(fit.loss_after < fit.loss_before);
    // Ordinary least squares: SE(a) = s / sqrt(sum (x - mean x)^2), s = 0.01 * sqrt(20 / 18),
    // sum (x - 0.95)^2 = 6.65 for x = 0, 0.1, ..., 1.9: SE(a) = 0.00409; central differences of 5%
    // in log space reproduce it to a few percent.
    CHECK(fit.parameters[0].standard_error == within(0.01054 / std::sqrt(6.65), 0.05));
    CHECK(fit.unidentified.empty());
    CHECK(fit.residuals == 20u);
}

TEST_CASE("a soft L1 residual is the residual near zero and grows as its square root far out") {
    Residuals r;
    r.values = {0.001, -0.001, 1.0, -1.0};
    const auto robust = soft_l1(r, 0.1);
    // |r| = s / 100: 2 (sqrt(1 + 1e-4) - 1) = 1e-4 (1 - 2.5e-5), so r itself to 1e-5.
    CHECK(robust.values[0] == within(0.001, 1e-4));
    CHECK(robust.values[1] == within(-0.001, 1e-4));
    // |r| = 10 s: s^2 2 (sqrt(101) - 1) = 0.01 x 18.0998, against 1.0 squared: the square grows as 2 s |r|.
    CHECK(robust.values[2] * robust.values[2] == within(0.180998, 1e-4));
    CHECK(robust.values[3] == within(-robust.values[2], 1e-12));
}

TEST_CASE("with a robust scale, three gross outliers do not pull the fitted line") {
    // The line's 20 points with +2.0 added to the last three: least squares tilts the line to
    // a = 3.765, b = 0.073 (by the normal equations); a soft L1 loss with a scale of 0.05, five
    // times the noise, keeps it near a = 3, b = 0.5.
    auto with_outliers = [](const std::vector<double>& v) {
        auto r = line_residuals(v, 0.01);
        for (int i = 17; i < 20; ++i) r.values[static_cast<std::size_t>(i)] -= 2.0;
        return r;
    };
    FitOptions squares;
    const auto pulled = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)}, with_outliers, squares);
    CHECK(pulled.parameters[0].value == within(3.765, 0.01));
    CHECK(pulled.robust_scale == 0.0);
    FitOptions robust;
    robust.robust_scale = 0.05;
    const auto kept = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)}, with_outliers, robust);
    REQUIRE(kept.converged);
    CHECK(kept.robust_scale == 0.05);
    CHECK(kept.parameters[0].value == within(3.0, 0.05));
    CHECK(kept.parameters[1].value == within(0.5, 0.1));
}

TEST_CASE("a parameter the residuals do not depend on is flagged as not identified") {
    const auto fit = fit_parameters({parameter("a", 2.0), parameter("ignored", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals({v[0], 0.5}, 0.01); }, FitOptions{});
    REQUIRE(fit.unidentified.size() == 1);
    CHECK(fit.unidentified[0] == "ignored");
    CHECK(fit.parameters[0].value == within(3.0, 0.01));
}

TEST_CASE("two parameters that only act through their product are reported as correlated or unidentified") {
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("c", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals({v[0] * v[1], 0.5}, 0.01); }, FitOptions{});
    CHECK((!fit.correlations.empty() || !fit.unidentified.empty()));
    CHECK(fit.parameters[0].value * fit.parameters[1].value == within(3.0, 0.01));
}

TEST_CASE("a budget too small to converge says so") {
    FitOptions options;
    options.max_evaluations = 6;
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals(v, 0.01); }, options);
    CHECK_FALSE(fit.converged);
    CHECK(fit.evaluations <= 6 + 2 * 2);  // the budget, then the standard errors at the best point (2 per parameter)
}

TEST_CASE("a multi-start fit leaves a shallow basin that a single local search stays in") {
    const auto single = fit_parameters({wide_parameter("a", std::exp(-1.0))}, double_well, FitOptions{});
    REQUIRE(single.converged);
    CHECK(std::log(single.parameters[0].value) == within(-0.96, 0.05));  // the shallow well (tilted a little)
    CHECK(single.loss_after > 0.3);
    REQUIRE(single.starts.size() == 1u);

    // Starts within the default factor 2 of the given value (l in -1.69..-0.31) stay in its basin
    // too; over the whole bounds they find the deep one.
    FitOptions options;
    options.starts = 4;
    const auto near = fit_parameters({wide_parameter("a", std::exp(-1.0))}, double_well, options);
    CHECK(std::log(near.parameters[0].value) == within(-0.96, 0.05));
    options.start_spread = 0.0;
    const auto multi = fit_parameters({wide_parameter("a", std::exp(-1.0))}, double_well, options);
    REQUIRE(multi.converged);
    CHECK(std::log(multi.parameters[0].value) == within(1.0, 0.02));  // the deep well: loss 0 at l = 1
    CHECK(multi.loss_after < 1e-4);
    REQUIRE(multi.starts.size() == 4u);
    CHECK(multi.best_start > 0u);
    CHECK(multi.starts[0].loss_end == doctest::Approx(single.loss_after));  // the first search is the single fit's
    CHECK(multi.loss_before == doctest::Approx(single.loss_before));        // the loss before is at the given values
    int evaluations = 0;
    for (const auto& s : multi.starts) evaluations += s.evaluations;
    CHECK(multi.evaluations == evaluations + 2);  // and the standard errors' two
    // The same fit starts from the same points: the result is repeatable.
    const auto again = fit_parameters({wide_parameter("a", std::exp(-1.0))}, double_well, options);
    CHECK(again.parameters[0].value == multi.parameters[0].value);
    CHECK(again.evaluations == multi.evaluations);
}

namespace {

// A "simulation" of a quantity whose true mean is 2: 50 samples, each 2 plus a normal draw of sd
// 0.1 from the stream of `draw`, against the parameter a. The fit under draws k ends at 2 plus the
// mean of those 50 draws.
Residuals sampled_mean(const std::vector<double>& v, int draw) {
    tbsim::sim::RandomStream rs(static_cast<std::uint64_t>(1 + draw), "sampled mean");
    Residuals r;
    for (int i = 0; i < 50; ++i) {
        r.values.push_back(v[0] - (2.0 + tbsim::sim::draw_normal(rs, 0.0, 0.1)));
        r.names.push_back("sample " + std::to_string(i));
    }
    return r;
}

}  // namespace

TEST_CASE("the start and the fit are replayed with other draws, and the gain on them is reported") {
    FitOptions options;
    options.other_draws = 10;
    options.residuals_in_draw = sampled_mean;
    const auto fit = fit_parameters({parameter("a", 1.0)}, [](const std::vector<double>& v) { return sampled_mean(v, 0); }, options);
    REQUIRE(fit.converged);
    REQUIRE(fit.draws_loss_before.size() == 10u);
    REQUIRE(fit.draws_loss_after.size() == 10u);
    // Draw k (1 to 10, never the fit's own 0) at the start (a = 1) and at the fit.
    for (int k = 1; k <= 10; ++k) {
        CHECK(fit.draws_loss_before[static_cast<std::size_t>(k - 1)] == sampled_mean({1.0}, k).loss());
        CHECK(fit.draws_loss_after[static_cast<std::size_t>(k - 1)] == sampled_mean({fit.parameters[0].value}, k).loss());
    }
    // At the fit, the loss on its own draws is 49 sigma^2 = 0.49 on average and on other draws
    // 50 sigma^2 (1 + 1/50) = 0.51; from a = 1 the loss is 50 (1 + sigma^2) = 50.5, so the gain on
    // other draws is about 50, with a spread of 2 sigma sqrt(50) = 1.4 a draw (0.45 over 10).
    const auto gain = draws_gain(fit);
    CHECK(gain.mean == within(50.0, 0.05));
    CHECK(gain.standard_error > 0.1);
    CHECK(gain.standard_error < 1.5);
    CHECK(draws_account(fit).find("under 10 other seed(s)") == 0);

    // A model without randomness gains on other draws exactly what it gains on its own, and each
    // other draw costs two evaluations.
    auto fixed = [](const std::vector<double>& v, int) { return sampled_mean(v, 0); };
    options.other_draws = 3;
    options.residuals_in_draw = fixed;
    const auto still = fit_parameters({parameter("a", 1.0)}, [&](const std::vector<double>& v) { return fixed(v, 0); }, options);
    CHECK(draws_gain(still).mean == doctest::Approx(still.loss_before - still.loss_after).epsilon(1e-12));
    CHECK(draws_gain(still).standard_error == doctest::Approx(0.0).epsilon(1e-12));
    options.other_draws = 0;
    const auto without = fit_parameters({parameter("a", 1.0)}, [&](const std::vector<double>& v) { return fixed(v, 0); }, options);
    CHECK(without.draws_loss_after.empty());
    CHECK(draws_account(without).empty());
    CHECK(still.evaluations == without.evaluations + 6);
    CHECK(still.parameters[0].value == without.parameters[0].value);
}

TEST_CASE("a point the model cannot run scores a high loss and the fit goes on") {
    // The line's slope above 3.5 makes the "model" outlast its clock: the starts drawn up there
    // cannot run, the search turns away, and the fit still finds a = 3 from the given start.
    auto residuals = [](const std::vector<double>& v) {
        if (v[0] > 3.5) throw tbsim::sim::TimeOverflow("a simulated time beyond tbsim's clock");
        return line_residuals(v, 0.01);
    };
    FitOptions options;
    options.starts = 6;
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)}, residuals, options);
    REQUIRE(fit.converged);
    CHECK(fit.infeasible > 0);
    CHECK(fit.first_infeasible == "a simulated time beyond tbsim's clock");
    CHECK(fit.parameters[0].value == within(3.0, 0.01));
    CHECK(fit.parameters[1].value == within(0.5, 0.02));
}

namespace {

// Each parameter of the start points after the first (x0) lies in [low, high], one in each of
// the range's equal strata.
void check_one_start_per_stratum(const std::vector<std::vector<double>>& points, const std::vector<double>& low,
                                 const std::vector<double>& high) {
    const std::size_t strata_count = points.size() - 1;
    for (std::size_t i = 0; i < low.size(); ++i) {
        std::vector<int> strata(strata_count, 0);
        const double width = (high[i] - low[i]) / static_cast<double>(strata_count);
        for (std::size_t k = 1; k < points.size(); ++k) {
            REQUIRE(points[k][i] >= low[i]);
            REQUIRE(points[k][i] <= high[i]);
            ++strata[static_cast<std::size_t>((points[k][i] - low[i]) / width)];
        }
        CHECK(strata == std::vector<int>(strata_count, 1));
    }
}

}  // namespace

TEST_CASE("the start points of a multi-start fit cover each parameter's range, one per stratum") {
    const std::vector<double> x0{0.0, 1.0}, lower{-2.0, -1.0}, upper{2.0, 3.0};
    const auto points = fit_start_points(x0, lower, upper, 5);
    REQUIRE(points.size() == 5u);
    CHECK(points[0] == x0);
    check_one_start_per_stratum(points, lower, upper);
    CHECK(fit_start_points(x0, lower, upper, 1).size() == 1u);
    CHECK(fit_start_points(x0, lower, upper, 5) == points);
}

TEST_CASE("with a spread factor the start points stay within it of the given values, inside the bounds") {
    // In log-parameters: a factor 2 is +-log 2 around x0; the second parameter's box is cut by its
    // upper bound (2.9 + 0.69 > 3), so its strata are those of [2.9 - log 2, 3].
    const std::vector<double> x0{0.0, 2.9}, lower{-2.0, -1.0}, upper{2.0, 3.0};
    const auto points = fit_start_points(x0, lower, upper, 5, 2.0);
    REQUIRE(points.size() == 5u);
    CHECK(points[0] == x0);
    const double r = std::log(2.0);
    check_one_start_per_stratum(points, {-r, 2.9 - r}, {r, 3.0});
    // 0: the whole bounds, as without a factor.
    CHECK(fit_start_points(x0, lower, upper, 5, 0.0) == fit_start_points(x0, lower, upper, 5));
}

TEST_CASE("a fit parameter reads its unit and bounds from the profile, and refuses what it cannot fit") {
    const auto doc = tbsim::sim::ConfigDocument::from_text(
        "database:\n  insert_work: 170us\n  row_bytes: 30B\n  service_sigma: 0.35\n  bad: 0us\n"
        "hosts:\n  disk_stall_probability: 0.5\n",
        "profile.yaml");
    const auto w = fit_parameter(*doc, "database.insert_work");
    CHECK(w.unit == ParameterUnit::seconds);
    CHECK(w.initial == within(170e-6, 1e-9));
    CHECK(w.lower == within(17e-6, 1e-9));
    CHECK(format_parameter(w, 228.9391e-6) == "228.939us");
    CHECK(fit_parameter(*doc, "database.row_bytes").unit == ParameterUnit::bytes);
    CHECK(fit_parameter(*doc, "hosts.disk_stall_probability").upper == doctest::Approx(1.0));  // a probability stays <= 1
    const auto bounded = fit_parameter(*doc, "database.insert_work", std::string("100us:1ms"));
    CHECK(bounded.upper == doctest::Approx(1e-3));
    CHECK_THROWS_AS(fit_parameter(*doc, "database.nothing"), tbsim::sim::ConfigError);
    CHECK_THROWS_AS(fit_parameter(*doc, "database.bad"), tbsim::sim::ConfigError);  // zero: no logarithm
    CHECK_THROWS_AS(fit_parameter(*doc, "database.insert_work", std::string("1B:2B")), tbsim::sim::ConfigError);
    CHECK_THROWS_AS(fit_parameter(*doc, "database.insert_work", std::string("200us:1ms")), tbsim::sim::ConfigError);
}

TEST_CASE("the fitted profile keeps the base's text, writes each value in place and records the fit") {
    tbsim::sim::ScenarioText base{"model: mysqlrep\ndatabase:\n  insert_work: 170us  # per row\n  row_bytes: 30B\n", "base.yaml"};
    FitResult fit;
    auto p = parameter("database.insert_work", 170e-6);
    p.unit = ParameterUnit::seconds;
    p.value = 228.939e-6;
    p.standard_error = 3.5e-6;
    fit.parameters = {p};
    fit.converged = true;
    fit.loss_before = 0.9;
    fit.loss_after = 0.7;
    FittedProfileInfo info{"9.9.9", "base.yaml", {"trace-a", "trace-b"}, "main loop", {}};
    const auto text = fitted_profile_text(base, fit, info);
    CHECK(text.find("  insert_work: 228.939us  # per row\n  row_bytes: 30B\n") != std::string::npos);
    CHECK(text.find("calibration:") != std::string::npos);
    CHECK(text.find("database.insert_work: {value: 228.939us, standard_error: 3.5us") != std::string::npos);
    CHECK(text.find("tbsim 9.9.9") != std::string::npos);
    CHECK(fitted_profile_text(base, fit, info) == text);
    // Fitting the fitted profile again replaces its record rather than adding a second one.
    const auto again = fitted_profile_text({text, "fitted.yaml"}, fit, info);
    CHECK(again.find("calibration:") == again.rfind("calibration:"));
    CHECK(again.find("# Written by tbsim calibrate") == again.rfind("# Written by tbsim calibrate"));
    CHECK(fitted_profile_text({again, "fitted.yaml"}, fit, info) == again);
}

TEST_CASE("the overrides a fit ran under are written into the fitted profile, so that it reproduces the fit") {
    // `tbsim calibrate --set hosts.page_flush_cpu_per_row=15us --fit database.insert_work`: the
    // fit replays at 15 us a row, so the file it writes must say 15 us, not the base's 0 us.
    tbsim::sim::ScenarioText base{"database:\n  insert_work: 170us\nhosts:\n  page_flush_cpu_per_row: 0us  # per row\n",
                                  "base.yaml"};
    FitResult fit;
    auto p = parameter("database.insert_work", 170e-6);
    p.unit = ParameterUnit::seconds;
    p.value = 250e-6;
    fit.parameters = {p};
    FittedProfileInfo info{"1", "base.yaml", {"t"}, "m", {"hosts.page_flush_cpu_per_row=15us", "database.insert_work=1ms"}};
    const auto text = fitted_profile_text(base, fit, info);
    CHECK(text.rfind("database:\n  insert_work: 250us\nhosts:\n  page_flush_cpu_per_row: 15us  # per row\n", 0) == 0);
    CHECK(text.find("  set:\n    - \"hosts.page_flush_cpu_per_row=15us\"\n") != std::string::npos);
    // A setting the base does not write as one value cannot be carried: an error, not a silent loss.
    info.settings = {"hosts.disk_channels=2"};
    CHECK_THROWS_WITH_AS(fitted_profile_text(base, fit, info), doctest::Contains("--set hosts.disk_channels=2"),
                         tbsim::sim::ConfigError);
}

TEST_CASE("two fitted values on one line of a flow mapping are both written in place") {
    tbsim::sim::ScenarioText base{"hosts:\n  timer_overshoot: {lognormal: {median: 60us, sigma: 0.4}}\n", "base.yaml"};
    FitResult fit;
    auto median = parameter("hosts.timer_overshoot.lognormal.median", 60e-6);
    median.unit = ParameterUnit::seconds;
    median.value = 82.5e-6;
    auto sigma = parameter("hosts.timer_overshoot.lognormal.sigma", 0.4);
    sigma.value = 1.125;
    fit.parameters = {median, sigma};
    const auto text = fitted_profile_text(base, fit, FittedProfileInfo{"1", "base.yaml", {"t"}, "m", {}});
    CHECK(text.rfind("hosts:\n  timer_overshoot: {lognormal: {median: 82.5us, sigma: 1.125}}\n", 0) == 0);
}
