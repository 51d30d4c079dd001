// libFuzzer target: any bytes as a plot's data. The first byte picks logarithmic axes and the
// series' style; the rest are doubles, (x, y, error bar) by three, dealt to three series. svg_plot
// must return, for any data (NaN, infinities, denormals, 1e308 included), an SVG document whose
// coordinates are all numbers: a hang, a crash, a sanitizer report or a "nan" or "inf" in the output
// is a bug. The plots of `tbsim plot` and of the validation report are drawn by this code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "sim/output/svg_plot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    using tbsim::sim::PlotSeries;
    tbsim::sim::PlotSpec spec;
    spec.x_label = "x (unit)";
    spec.y_label = "y (unit)";
    spec.log_x = (data[0] & 1) != 0;
    spec.log_y = (data[0] & 2) != 0;
    const auto style = static_cast<PlotSeries::Style>((data[0] >> 2) % 4);
    spec.series.resize(3);
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        spec.series[s].label = "series " + std::to_string(s);
        spec.series[s].style = style;
    }
    std::size_t triple = 0;
    for (std::size_t at = 1; at + 3 * sizeof(double) <= size; at += 3 * sizeof(double), ++triple) {
        double v[3];
        std::memcpy(v, data + at, sizeof v);
        auto& series = spec.series[triple % spec.series.size()];
        series.x.push_back(v[0]);
        series.y.push_back(v[1]);
        series.error.push_back(v[2]);
    }
    const std::string svg = tbsim::sim::svg_plot(spec);
    if (svg.find("nan") != std::string::npos || svg.find("inf") != std::string::npos) std::abort();
    return 0;
}
