// Plots as deterministic SVG: the same data gives the same bytes, so a plot can be a golden file;
// a person looks at it in a browser, a test checks that it renders. One small module for every plot
// tbsim draws: `tbsim plot` (sweep curves with 95% error bars) and the validation report (CDFs,
// time series, measured against simulated).
//
// A plot has axes with labels (units in them), linear or logarithmic, ticks at round values, a
// legend, and series drawn as lines with markers, as steps (a CDF), or as bare lines (a long time
// series), each with optional error bars.
#pragma once

#include <string>
#include <vector>

namespace tbsim::sim {

struct PlotSeries {
    enum class Style { lines_and_markers, markers, steps, lines };
    std::string label;
    std::vector<double> x, y;
    std::vector<double> error;  // half-widths of y's error bars (empty: none)
    Style style = Style::lines_and_markers;
    bool dashed = false;        // drawn dashed (simulated against measured, say)
};

struct PlotSpec {
    std::string title;
    std::string x_label;  // with its unit: "rate (1/min)"
    std::string y_label;
    bool log_x = false;
    bool log_y = false;
    int width = 760;
    int height = 460;
    std::vector<PlotSeries> series;
};

/// The plot as a self-contained SVG document (no scripts, no external resources).
std::string svg_plot(const PlotSpec& spec);

}  // namespace tbsim::sim
