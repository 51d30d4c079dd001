// libFuzzer target: any text as `tbsim plot`'s table and request. The first line names the x
// column, the y column and any --by columns, separated by spaces; its first character picks the
// logarithmic axes ('0' to '3'); the rest is the CSV table (points.csv or runs.csv). Reading it,
// finding the columns, parsing the cells and drawing must end in a plot or a ConfigError (what
// the command reports, exit 2): a crash, a hang, a sanitizer report or any other exception is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "apps/tbsim/plot_command.hpp"
#include "sim/config/config_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    if (newline == std::string::npos || newline == 0) return 0;
    tbsim::app::PlotRequest request;
    request.table = "points.csv";
    const char axes = input[0];
    request.log_x = axes == '1' || axes == '3';
    request.log_y = axes == '2' || axes == '3';
    std::istringstream names(input.substr(1, newline - 1));
    if (!(names >> request.x >> request.y)) return 0;
    for (std::string by; names >> by;) request.by.push_back(by);
    try {
        const auto table = tbsim::sim::parse_csv(input.substr(newline + 1), request.table);
        (void)tbsim::sim::svg_plot(tbsim::app::plot_spec(table, request));
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
