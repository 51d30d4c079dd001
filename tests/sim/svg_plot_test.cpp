// The plots' axes at the ends of the doubles: every plot is drawn, with finite coordinates.
#include <doctest/doctest.h>

#include "sim/output/svg_plot.hpp"

using namespace tbsim::sim;

namespace {

PlotSpec two_points(double y0, double y1, bool log_y) {
    PlotSpec spec;
    spec.x_label = "x";
    spec.y_label = "y";
    spec.log_y = log_y;
    spec.series.push_back(PlotSeries{"s", {1.0, 2.0}, {y0, y1}, {}, PlotSeries::Style::lines_and_markers, false});
    return spec;
}

bool has_nan_or_inf(const std::string& svg) { return svg.find("nan") != std::string::npos || svg.find("inf") != std::string::npos; }

}  // namespace

TEST_CASE("a logarithmic axis down to a denormal starts at 1e-307 instead of never reaching its top") {
    // 5e-324's decade has a power of ten of 0: the ticks, multiplied up from it, stayed 0 forever.
    const auto svg = svg_plot(two_points(5e-324, 1.0, true));
    CHECK(svg.find(">1e-307<") != std::string::npos);  // the lowest tick, where the normal doubles start
    CHECK(svg.find(">1<") != std::string::npos);
    CHECK_FALSE(has_nan_or_inf(svg));
}

TEST_CASE("a linear axis from -1e308 to 1e308 has finite ticks, though its width overflows") {
    const auto svg = svg_plot(two_points(-1e308, 1e308, false));
    CHECK(svg.find(">0<") != std::string::npos);  // the middle tick
    CHECK_FALSE(has_nan_or_inf(svg));
    // One value at the top of the doubles: its padding stays within them.
    CHECK_FALSE(has_nan_or_inf(svg_plot(two_points(1.7e308, 1.7e308, false))));
}

TEST_CASE("two values an ulp apart get an axis around them instead of ticks that never advance") {
    // A sweep's figure that differs only in its last digit (byte sums added in another order): the
    // step was a sixth of the width, less than the doubles can add to 1, and tbsim plot hung.
    const auto svg = svg_plot(two_points(1.0, 1.0000000000000002, false));
    CHECK(svg.find(">0.95<") != std::string::npos);  // widened by a tenth, as a single value
    CHECK(svg.find(">1.05<") != std::string::npos);
    CHECK_FALSE(has_nan_or_inf(svg));
}

TEST_CASE("error bars that are negative, or reach past the doubles, are not drawn") {
    auto spec = two_points(1.0, 2.0, true);
    spec.series[0].error = {-5.0, 1e308 * 10};
    const auto svg = svg_plot(spec);
    CHECK(svg.find("<path d=\"M") == std::string::npos);
    CHECK_FALSE(has_nan_or_inf(svg));
}

TEST_CASE("on a log axis, an error bar reaching below 0 next to a denormal leaves neither axis nor bar at 0") {
    // Found by fuzz_svg_plot: half of 1e-322 is 0, so the axis started at 0 (-inf as its decade, cast
    // to an int), and the bar's lower end, a thousandth of the value, was 0 too (at -infinity).
    auto spec = two_points(1e-322, 1.0, true);
    spec.series[0].error = {1.0, 0.5};
    const auto svg = svg_plot(spec);
    CHECK_FALSE(has_nan_or_inf(svg));
    CHECK(svg.find(">1e-307<") != std::string::npos);
}
