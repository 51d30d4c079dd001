#include "sim/output/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace tbsim::sim {
namespace {

// Okabe and Ito's palette: distinguishable with every common colour-vision deficiency.
constexpr const char* kColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};

std::string escape(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else if (c == '"') out += "&quot;";
        else out += c;
    }
    return out;
}

// Coordinates with two decimals: enough for a screen, and the same text on every platform.
std::string num(double v) { return fmt::format("{:.2f}", v); }

// A tick's label: short, without trailing zeros.
std::string tick_text(double v) {
    if (v == 0.0) return "0";
    const double a = std::abs(v);
    if (a >= 1e6 || a < 1e-3) return fmt::format("{:.3g}", v);
    std::string s = fmt::format("{:.6f}", v);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

struct Axis {
    double low = 0, high = 1;
    bool log = false;
    std::vector<double> ticks;
    double scaled(double v) const { return log ? std::log10(v) : v; }
    // Position in [0, 1] along the axis.
    double at(double v) const {
        // In halves, the same quotient (halving is exact), but from -1e308 to 1e308 no difference
        // overflows.
        const double a = scaled(low) * 0.5, b = scaled(high) * 0.5;
        return b > a ? (scaled(v) * 0.5 - a) / (b - a) : 0.5;
    }
};

// Round ticks (1, 2, 5 times a power of ten) covering [low, high], the ends widened to ticks.
Axis linear_axis(double low, double high) {
    Axis axis;
    // The ticks step through the range by adding: a range the doubles cannot step through is widened
    // as a single value is. So are two values an ulp apart (a relative width under 1e-12; the ticks'
    // sum stayed put and tbsim plot hung), and values under 1e-300 count as 0 (their sixths underflow).
    const auto tiny_to_zero = [](double v) { return std::abs(v) < 1e-300 ? 0.0 : v; };
    low = tiny_to_zero(low);
    high = tiny_to_zero(high);
    if (!(high - low > std::max(std::abs(low), std::abs(high)) * 1e-12)) {
        const double pad = low == 0.0 ? 1.0 : std::abs(low) * 0.1;
        low = std::max(low - pad, -std::numeric_limits<double>::max());
        high = std::min(high + pad, std::numeric_limits<double>::max());
    }
    // From -1e308 to 1e308 the width overflows: a sixth of each end instead.
    const double rough = std::isfinite(high - low) ? (high - low) / 6.0 : high / 6.0 - low / 6.0;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    double step = power;
    for (const double m : {1.0, 2.0, 5.0, 10.0})
        if (m * power >= rough) {
            step = m * power;
            break;
        }
    // At the top of the doubles the next tick overflows: the axis ends at the data.
    axis.low = std::max(std::floor(low / step) * step, -std::numeric_limits<double>::max());
    axis.high = std::min(std::ceil(high / step) * step, std::numeric_limits<double>::max());
    for (double t = axis.low; std::isfinite(t) && t <= axis.high + step * 1e-9; t += step)
        axis.ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return axis;
}

// Decades covering [low, high] (low > 0), with 2 and 5 between when there are few decades.
Axis log_axis(double low, double high) {
    Axis axis;
    axis.log = true;
    // Whole decades within the normal doubles: the decade of a denormal (5e-324) has a power of ten
    // of 0, and ticks multiplied up from it never reached the top (tbsim plot hung).
    const int first = std::clamp(static_cast<int>(std::floor(std::log10(low))), -307, 307);
    int last = std::clamp(static_cast<int>(std::ceil(std::log10(high))), -307, 308);
    axis.low = std::pow(10.0, first);
    axis.high = std::pow(10.0, last);
    if (last <= first) {
        last = first + 1;
        axis.high = axis.low * 10.0;
    }
    const int decades = last - first;
    double d = axis.low;
    for (int k = 0; k <= decades; ++k, d *= 10.0) {
        axis.ticks.push_back(d);
        if (decades <= 3 && k < decades)
            for (const double m : {2.0, 5.0}) axis.ticks.push_back(d * m);
    }
    std::sort(axis.ticks.begin(), axis.ticks.end());
    return axis;
}

Axis make_axis(const std::vector<PlotSeries>& series, bool x, bool log) {
    double low = std::numeric_limits<double>::infinity(), high = -low;
    for (const auto& s : series) {
        const auto& values = x ? s.x : s.y;
        for (std::size_t i = 0; i < values.size(); ++i) {
            // An error bar's half-width, as drawn: none unless positive.
            const double e = (!x && i < s.error.size() && s.error[i] > 0) ? s.error[i] : 0.0;
            double lo = values[i] - e, hi = values[i] + e;
            if (log) {
                if (values[i] <= 0) continue;
                lo = std::max(lo, values[i] * 0.5);
                if (!(lo > 0)) lo = values[i];  // half a denormal is 0, which has no logarithm
            }
            if (!std::isfinite(lo) || !std::isfinite(hi)) continue;
            low = std::min(low, lo);
            high = std::max(high, hi);
        }
    }
    if (!std::isfinite(low)) low = log ? 1.0 : 0.0, high = log ? 10.0 : 1.0;
    return log ? log_axis(low, high) : linear_axis(low, high);
}

}  // namespace

std::string svg_plot(const PlotSpec& spec) {
    const double w = spec.width, h = spec.height;
    const double left = 78, right = 24, top = spec.title.empty() ? 20 : 44, bottom = 58;
    const double legend_height = 18.0 * static_cast<double>(spec.series.size()) + 10.0;
    const double plot_w = w - left - right, plot_h = h - top - bottom;
    const Axis ax = make_axis(spec.series, true, spec.log_x), ay = make_axis(spec.series, false, spec.log_y);
    auto px = [&](double v) { return left + ax.at(v) * plot_w; };
    auto py = [&](double v) { return top + (1.0 - ay.at(v)) * plot_h; };
    auto visible = [&](double x, double y) {
        return std::isfinite(x) && std::isfinite(y) && (!spec.log_x || x > 0) && (!spec.log_y || y > 0);
    };

    std::string out = fmt::format(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
        "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n",
        spec.width, spec.height);
    out += fmt::format("<rect width=\"{}\" height=\"{}\" fill=\"white\"/>\n", spec.width, spec.height);
    if (!spec.title.empty())
        out += fmt::format("<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">{}</text>\n", num(w / 2), escape(spec.title));
    // Grid and ticks.
    for (const double t : ax.ticks) {
        const double x = px(t);
        out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e3e3e3\"/>\n", num(x), num(top), num(top + plot_h));
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", num(x), num(top + plot_h + 16), tick_text(t));
    }
    for (const double t : ay.ticks) {
        const double y = py(t);
        out += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e3e3e3\"/>\n", num(left), num(y), num(left + plot_w));
        out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", num(left - 6), num(y + 4), tick_text(t));
    }
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#333\"/>\n", num(left), num(top), num(plot_w),
                       num(plot_h));
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", num(left + plot_w / 2), num(h - 14), escape(spec.x_label));
    out += fmt::format("<text x=\"16\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {0})\">{1}</text>\n", num(top + plot_h / 2),
                       escape(spec.y_label));

    // Series, clipped to the plot area.
    out += fmt::format("<clipPath id=\"area\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#area)\">\n",
                       num(left), num(top), num(plot_w), num(plot_h));
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
        const auto& series = spec.series[s];
        const char* colour = kColours[s % std::size(kColours)];
        const std::string dash = series.dashed ? " stroke-dasharray=\"6 4\"" : "";
        out += fmt::format("<g class=\"series\" data-label=\"{}\">\n", escape(series.label));
        if (series.style != PlotSeries::Style::markers) {
            std::string points;
            double last_y = 0;
            bool first = true;
            for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
                if (!visible(series.x[i], series.y[i])) continue;
                if (series.style == PlotSeries::Style::steps && !first) points += num(px(series.x[i])) + "," + num(py(last_y)) + " ";
                points += num(px(series.x[i])) + "," + num(py(series.y[i])) + " ";
                last_y = series.y[i];
                first = false;
            }
            if (!points.empty())
                out += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"1.8\"{} points=\"{}\"/>\n", colour, dash, points);
        }
        for (std::size_t i = 0; i < series.x.size() && i < series.y.size(); ++i) {
            if (!visible(series.x[i], series.y[i])) continue;
            const double x = px(series.x[i]), y = py(series.y[i]);
            // The error bar, where its ends have coordinates (not past the doubles, not down to 0 on a
            // logarithmic axis).
            const double v = series.y[i], e = i < series.error.size() ? series.error[i] : 0.0;
            const double ylo = py(spec.log_y ? std::max(v - e, v * 1e-3) : v - e), yhi = py(v + e);
            if (e > 0 && std::isfinite(ylo) && std::isfinite(yhi)) {
                out += fmt::format("<path d=\"M{0},{1}V{2}M{3},{1}H{4}M{3},{2}H{4}\" stroke=\"{5}\" stroke-width=\"1.2\" fill=\"none\"/>\n", num(x),
                                   num(ylo), num(yhi), num(x - 4), num(x + 4), colour);
            }
            if (series.style == PlotSeries::Style::lines_and_markers || series.style == PlotSeries::Style::markers)
                out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{}\"/>\n", num(x), num(y), colour);
        }
        out += "</g>\n";
    }
    out += "</g>\n";

    // Legend, top left inside the plot.
    if (!spec.series.empty()) {
        std::size_t longest = 0;
        for (const auto& s : spec.series) longest = std::max(longest, s.label.size());
        const double lw = std::min(plot_w - 20, 34.0 + 6.6 * static_cast<double>(longest));
        out += fmt::format("<g class=\"legend\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>\n",
                           num(left + 10), num(top + 10), num(lw), num(legend_height));
        for (std::size_t s = 0; s < spec.series.size(); ++s) {
            const double y = top + 24 + 18.0 * static_cast<double>(s);
            const char* colour = kColours[s % std::size(kColours)];
            out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2\"{}/>\n", num(left + 16), num(y - 4),
                               num(left + 38), num(y - 4), colour, spec.series[s].dashed ? " stroke-dasharray=\"6 4\"" : "");
            out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", num(left + 44), num(y), escape(spec.series[s].label));
        }
        out += "</g>\n";
    }
    out += "</svg>\n";
    return out;
}

}  // namespace tbsim::sim
