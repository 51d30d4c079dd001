// `tbsim plot points.csv --x KEY --y FIGURE [--by KEY,...] [--log-x] [--log-y] [--out fig.svg]`:
// curves of a sweep's figure against an axis, one per value of the --by columns, with their 95%
// error bars (the figure's .ci95 column), as SVG (sim/output/svg_plot.hpp), and as PNG beside it
// when rsvg-convert is installed.
#pragma once

#include <string>
#include <vector>

#include "sim/output/csv_reader.hpp"
#include "sim/output/svg_plot.hpp"

namespace tbsim::app {

struct PlotRequest {
    std::string table;  // points.csv (or runs.csv: no error bars)
    std::string x, y;
    std::vector<std::string> by;
    bool log_x = false, log_y = false;
    std::string out;    // empty: <table's folder>/<y>.svg
    std::string title;
};

/// The plot of `table` (read from request.table, which names it in errors): its curves in order of
/// x. ConfigError on a missing column or a cell that is not a number.
sim::PlotSpec plot_spec(const sim::CsvData& table, const PlotRequest& request);

/// Reads the table, writes the plot; returns the files written. ConfigError as plot_spec.
std::vector<std::string> plot_table(const PlotRequest& request);

}  // namespace tbsim::app
