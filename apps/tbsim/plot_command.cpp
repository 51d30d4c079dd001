#include "apps/tbsim/plot_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/output_folder.hpp"

namespace tbsim::app {
namespace {

namespace fs = std::filesystem;

// The column of `key`: its own name, or the key with the unit of its values ("workload.rate" is
// "workload.rate_per_min"). Returns the index and the unit, for the label.
std::pair<std::size_t, std::string> find_column(const sim::CsvData& t, const std::string& key, const std::string& table) {
    if (auto i = t.column(key)) return {*i, ""};
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i].rfind(key + "_", 0) == 0 && t.columns[i].find('.', key.size()) == std::string::npos)
            return {i, t.columns[i].substr(key.size() + 1)};
    // The columns one can plot: not a figure's .sd, .ci95 or .n (the list was always empty: a
    // column without ".n" passed c.size() < 2 + npos, which wraps to 1).
    std::string known;
    for (const auto& c : t.columns)
        if (!c.ends_with(".sd") && !c.ends_with(".ci95") && !c.ends_with(".n")) known += " " + c;
    throw sim::ConfigError(fmt::format("{}: no column '{}'; columns:{}", table, key, known));
}

double number(const std::string& cell, const std::string& table, std::size_t row, const std::string& column) {
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (cell.empty() || end != cell.c_str() + cell.size())
        throw sim::ConfigError(fmt::format("{}:{}: column {}: \"{}\" is not a number", table, row + 2, column, cell));
    return v;
}

std::string unit_label(const std::string& name, const std::string& unit) {
    if (unit.empty()) return name;
    std::string u = unit;
    if (u.rfind("per_", 0) == 0) u = "1/" + u.substr(4);
    return fmt::format("{} ({})", name, u);
}

}  // namespace

sim::PlotSpec plot_spec(const sim::CsvData& t, const PlotRequest& r) {
    const auto [xi, x_unit] = find_column(t, r.x, r.table);
    const auto [yi, y_unit] = find_column(t, r.y, r.table);
    const auto ci = t.column(t.columns[yi] + ".ci95");
    std::vector<std::size_t> by;
    for (const auto& b : r.by) by.push_back(find_column(t, b, r.table).first);

    sim::PlotSpec spec;
    spec.title = r.title.empty() ? fmt::format("{} against {}", r.y, r.x) : r.title;
    spec.x_label = unit_label(r.x, x_unit);
    spec.y_label = unit_label(r.y, y_unit) + (ci ? ", mean and 95% confidence interval" : "");
    spec.log_x = r.log_x;
    spec.log_y = r.log_y;
    std::map<std::string, std::size_t> series_of;  // label -> index, in order of first appearance
    for (std::size_t row = 0; row < t.rows.size(); ++row) {
        const auto& cells = t.rows[row];
        if (cells[yi].empty()) continue;  // a figure that does not apply at this point
        std::string label;
        for (const auto b : by) label += (label.empty() ? "" : ", ") + t.columns[b] + "=" + cells[b];
        auto [it, fresh] = series_of.try_emplace(label, spec.series.size());
        if (fresh) spec.series.push_back({label.empty() ? r.y : label, {}, {}, {}});
        auto& s = spec.series[it->second];
        s.x.push_back(number(cells[xi], r.table, row, t.columns[xi]));
        s.y.push_back(number(cells[yi], r.table, row, t.columns[yi]));
        if (ci) s.error.push_back(cells[*ci].empty() ? 0.0 : number(cells[*ci], r.table, row, t.columns[*ci]));
    }
    if (spec.series.empty()) throw sim::ConfigError(fmt::format("{}: no row has a value of {}", r.table, r.y));
    for (auto& s : spec.series) {  // each curve in order of x
        std::vector<std::size_t> order(s.x.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return s.x[a] < s.x[b]; });
        sim::PlotSeries sorted{s.label, {}, {}, {}};
        for (const auto i : order) {
            sorted.x.push_back(s.x[i]);
            sorted.y.push_back(s.y[i]);
            if (!s.error.empty()) sorted.error.push_back(s.error[i]);
        }
        s = std::move(sorted);
    }
    return spec;
}

std::vector<std::string> plot_table(const PlotRequest& r) {
    const sim::PlotSpec spec = plot_spec(sim::read_csv_file(r.table), r);
    const std::string out = r.out.empty() ? (fs::path(r.table).parent_path() / (r.y + ".svg")).string() : r.out;
    sim::check_output_file(out, r.out.empty() ? "the table's folder" : "--out");
    sim::write_file_atomically(out, sim::svg_plot(spec));
    std::vector<std::string> written{out};
    // A PNG beside it when librsvg's converter is there (Debian: librsvg2-bin).
    if (std::system("command -v rsvg-convert >/dev/null 2>&1") == 0) {
        const std::string png = (fs::path(out).replace_extension(".png")).string();
        const std::string tmp = png + ".tmp";
        const std::string command = fmt::format("rsvg-convert -f png -o '{}' '{}' 2>/dev/null && mv '{}' '{}'", tmp, out, tmp, png);
        if (std::system(command.c_str()) == 0) written.push_back(png);
    }
    return written;
}

}  // namespace tbsim::app
