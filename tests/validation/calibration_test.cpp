// The calibration machinery (validation/calibration): the optimiser finds a known optimum with the
// right standard errors, flags what the data cannot identify, and the fitted profile is written
// in place with its record, byte for byte the same for the same inputs.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "validation/calibration/fit_parameter.hpp"
#include "validation/calibration/fitted_profile.hpp"
#include "validation/calibration/parameter_fit.hpp"

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

}  // namespace

TEST_CASE("the fit finds a straight line's slope and intercept from a poor start") {
    FitOptions options;
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals(v, 0.01); }, options);
    REQUIRE(fit.converged);
    // Alternating noise of +-0.01 on 20 points: the least-squares line is within 1% of a = 3, b = 0.5.
    CHECK(fit.parameters[0].value == doctest::Approx(3.0).epsilon(0.01));
    CHECK(fit.parameters[1].value == doctest::Approx(0.5).epsilon(0.02));
    CHECK(fit.loss_after < fit.loss_before);
    // Ordinary least squares: SE(a) = s / sqrt(sum (x - mean x)^2), s = 0.01 * sqrt(20 / 18),
    // sum (x - 0.95)^2 = 6.65 for x = 0, 0.1, ..., 1.9: SE(a) = 0.00409; central differences of 5%
    // in log space reproduce it to a few percent.
    CHECK(fit.parameters[0].standard_error == doctest::Approx(0.01054 / std::sqrt(6.65)).epsilon(0.05));
    CHECK(fit.unidentified.empty());
    CHECK(fit.residuals == 20u);
}

TEST_CASE("a parameter the residuals do not depend on is flagged as not identified") {
    const auto fit = fit_parameters({parameter("a", 2.0), parameter("ignored", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals({v[0], 0.5}, 0.01); }, FitOptions{});
    REQUIRE(fit.unidentified.size() == 1);
    CHECK(fit.unidentified[0] == "ignored");
    CHECK(fit.parameters[0].value == doctest::Approx(3.0).epsilon(0.01));
}

TEST_CASE("two parameters that only act through their product are reported as correlated or unidentified") {
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("c", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals({v[0] * v[1], 0.5}, 0.01); }, FitOptions{});
    CHECK((!fit.correlations.empty() || !fit.unidentified.empty()));
    CHECK(fit.parameters[0].value * fit.parameters[1].value == doctest::Approx(3.0).epsilon(0.01));
}

TEST_CASE("a budget too small to converge says so") {
    FitOptions options;
    options.max_evaluations = 6;
    const auto fit = fit_parameters({parameter("a", 1.0), parameter("b", 1.0)},
                                    [](const std::vector<double>& v) { return line_residuals(v, 0.01); }, options);
    CHECK_FALSE(fit.converged);
    CHECK(fit.evaluations <= 6 + 2 * 2);  // the budget, then the standard errors at the best point (2 per parameter)
}

TEST_CASE("a fit parameter reads its unit and bounds from the profile, and refuses what it cannot fit") {
    const auto doc = tbsim::sim::ConfigDocument::from_text(
        "database:\n  insert_work: 170us\n  row_bytes: 30B\n  service_sigma: 0.35\n  bad: 0us\n"
        "hosts:\n  disk_stall_probability: 0.5\n",
        "profile.yaml");
    const auto w = fit_parameter(*doc, "database.insert_work");
    CHECK(w.unit == ParameterUnit::seconds);
    CHECK(w.initial == doctest::Approx(170e-6));
    CHECK(w.lower == doctest::Approx(17e-6));
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
    FittedProfileInfo info{"9.9.9", "base.yaml", {"trace-a", "trace-b"}, "main loop"};
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

TEST_CASE("two fitted values on one line of a flow mapping are both written in place") {
    tbsim::sim::ScenarioText base{"hosts:\n  timer_overshoot: {lognormal: {median: 60us, sigma: 0.4}}\n", "base.yaml"};
    FitResult fit;
    auto median = parameter("hosts.timer_overshoot.lognormal.median", 60e-6);
    median.unit = ParameterUnit::seconds;
    median.value = 82.5e-6;
    auto sigma = parameter("hosts.timer_overshoot.lognormal.sigma", 0.4);
    sigma.value = 1.125;
    fit.parameters = {median, sigma};
    const auto text = fitted_profile_text(base, fit, FittedProfileInfo{"1", "base.yaml", {"t"}, "m"});
    CHECK(text.rfind("hosts:\n  timer_overshoot: {lognormal: {median: 82.5us, sigma: 1.125}}\n", 0) == 0);
}
