#include "sim/scenario/study_output.hpp"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "sim/core/hash.hpp"
#include "sim/core/units.hpp"
#include "sim/output/atomic_file.hpp"

namespace tbsim::sim {
namespace {

Json axis_value_json(const SweepAxis& axis, std::size_t value) {
    const auto& v = axis.values[value];
    return v.number ? number_to_json(*v.number) : Json(v.text);
}

Json at_json(const Study& study, const std::vector<std::pair<std::size_t, std::size_t>>& at) {
    Json j = Json::object();
    for (const auto& [a, v] : at) j[study.sweep.axes[a].key] = axis_value_json(study.sweep.axes[a], v);
    return j;
}

std::vector<std::pair<std::size_t, std::size_t>> point_at(const StudyPoint& p) {
    std::vector<std::pair<std::size_t, std::size_t>> at;
    for (std::size_t a = 0; a < p.at.size(); ++a) at.emplace_back(a, p.at[a]);
    return at;
}

// A figure in a CSV cell: numbers with 9 significant digits, flags and texts as written, null empty.
void figure_cell(CsvTable& t, const FigureValue* v) {
    if (v == nullptr || std::holds_alternative<std::monostate>(*v)) t.cell(std::string());
    else if (const auto* d = std::get_if<double>(v)) t.cell(fmt::format("{:.9g}", *d));
    else if (const auto* b = std::get_if<bool>(v)) t.cell(std::string(*b ? "true" : "false"));
    else t.cell(std::get<std::string>(*v));
}

void axis_cells(CsvTable& t, const Study& study, const StudyPoint& p) {
    for (std::size_t a = 0; a < p.at.size(); ++a) {
        const auto& v = study.sweep.axes[a].values[p.at[a]];
        // The shortest text that reads back as the same number: a seed of 1000000001 is not 1e+09.
        if (v.number) t.cell(fmt::format("{}", *v.number));
        else t.cell(v.text);
    }
}

// The figures of the tables: the sweep's `collect`, or every figure key of every run in order of
// first appearance (points may differ: a tag that carried nothing has no figures).
std::vector<std::string> table_keys(const Study& study, const StudyRuns& runs, bool numeric_only) {
    if (!study.sweep.collect.empty()) return study.sweep.collect;
    std::vector<std::string> keys;
    std::set<std::string> seen;
    for (const auto& point : runs)
        for (const auto& run : point)
            for (const auto& [k, v] : run.figures.entries()) {
                if (numeric_only && !std::holds_alternative<double>(v)) continue;
                if (seen.insert(k).second) keys.push_back(k);
            }
    return keys;
}

CsvTable runs_table(const Study& study, const StudyRuns& runs) {
    const auto keys = table_keys(study, runs, false);
    std::vector<std::string> columns{"point", "replication"};
    for (const auto& axis : study.sweep.axes) columns.push_back(axis.column);
    columns.insert(columns.end(), keys.begin(), keys.end());
    CsvTable t("runs.csv", columns);
    for (std::size_t p = 0; p < runs.size(); ++p)
        for (std::size_t r = 0; r < runs[p].size(); ++r) {
            t.row().cell(static_cast<unsigned long long>(p)).cell(static_cast<unsigned long long>(r));
            axis_cells(t, study, study.points[p]);
            for (const auto& k : keys) figure_cell(t, runs[p][r].figures.find(k));
        }
    return t;
}

CsvTable points_table(const Study& study, const StudyRuns& runs, const StudyResults& results) {
    const auto keys = table_keys(study, runs, true);
    std::vector<std::string> columns{"point", "replications"};
    for (const auto& axis : study.sweep.axes) columns.push_back(axis.column);
    for (const auto& k : keys)
        for (const char* suffix : {"", ".sd", ".ci95", ".n"}) columns.push_back(k + suffix);
    CsvTable t("points.csv", columns);
    for (std::size_t p = 0; p < results.points.size(); ++p) {
        const auto& pooled = results.points[p];
        t.row().cell(static_cast<unsigned long long>(p)).cell(static_cast<unsigned long long>(pooled.runs));
        axis_cells(t, study, study.points[p]);
        for (const auto& k : keys) {
            figure_cell(t, pooled.mean.find(k));
            figure_cell(t, pooled.stddev.find(k));
            figure_cell(t, pooled.half_width.find(k));
            figure_cell(t, pooled.count.find(k));
        }
    }
    return t;
}

}  // namespace

StudyFiles study_files(const Study& study, const StudyRuns& runs, const StudyResults& results) {
    const auto& h = study.header;
    StudyFiles files;
    Json& s = files.summary;
    s["scenario"] = study.name;
    s["model"] = h.model;
    if (!study.description.empty()) s["description"] = study.description;
    s["seed"] = h.seed;
    s["duration_s"] = number_to_json(h.duration.seconds());
    s["replications"] = h.replications;
    bool pooled_many = false;  // half-widths, where some point has several replications
    for (const auto& p : results.points) pooled_many = pooled_many || p.runs > 1;
    if (!study.is_sweep()) {
        add_figures_to_json(results.points.front().mean, s);
        if (pooled_many) s["ci95_half_width"] = figures_to_json(results.points.front().half_width);
        files.tables = results.tables;
    } else {
        Json axes = Json::array();
        for (const auto& axis : study.sweep.axes) {
            Json values = Json::array();
            for (std::size_t v = 0; v < axis.values.size(); ++v) values.push_back(axis_value_json(axis, v));
            axes.push_back({{"key", axis.key}, {"column", axis.column}, {"values", values}});
        }
        s["sweep"] = {{"axes", axes}};
        Json points = Json::array(), points_ci = Json::array();
        for (std::size_t p = 0; p < study.points.size(); ++p) {
            Json point = {{"at", at_json(study, point_at(study.points[p]))}};
            add_figures_to_json(results.points[p].mean, point);
            points.push_back(std::move(point));
            points_ci.push_back(figures_to_json(results.points[p].half_width));
        }
        s["points"] = std::move(points);
        Json fits = Json::array(), fits_ci = Json::array();
        for (const auto& f : results.fits) {
            Json fit = {{"x", f.spec->x}, {"y", f.spec->y}, {"at", at_json(study, f.at)}};
            add_figures_to_json(f.line.mean, fit);
            fits.push_back(std::move(fit));
            fits_ci.push_back(figures_to_json(f.line.half_width));
        }
        if (!fits.empty()) s["fits"] = std::move(fits);
        if (pooled_many) s["ci95_half_width"] = {{"points", points_ci}, {"fits", fits_ci}};
        files.tables = {runs_table(study, runs), points_table(study, runs, results)};
    }
    s["events"] = results.events;
    std::string fingerprinted = s.dump();
    for (const auto& t : files.tables) fingerprinted += t.text();
    s["fingerprint"] = fingerprint(fingerprinted);
    return files;
}

std::vector<std::string> write_study_files(const StudyFiles& files, const std::string& dir, const std::string& summary_name) {
    std::vector<std::string> written;
    const std::filesystem::path folder(dir);
    const auto summary_path = (folder / summary_name).string();
    written.push_back(summary_path);
    for (const auto& t : files.tables) {
        const auto path = (folder / t.file_name()).string();
        write_file_atomically(path, t.text());
        written.push_back(path);
    }
    write_file_atomically(summary_path, files.summary.dump(2) + "\n");
    return written;
}

std::string study_account(const Study& study, const StudyResults& results) {
    if (!study.is_sweep()) return study.points.front().scenario->account(results.points.front().mean);
    std::string out;
    for (std::size_t p = 0; p < study.points.size(); ++p)
        if (study.points[p].scenario)
            out += fmt::format("  point {}: {}\n", study.label(study.points[p]), study.points[p].scenario->headline(results.points[p].mean));
    for (const auto& f : results.fits) {
        std::string at;
        for (const auto& [a, v] : f.at) at += fmt::format(", {}={}", study.sweep.axes[a].key, study.sweep.axes[a].values[v].text);
        out += fmt::format("  least-squares fit of {} on {}{}: slope {:.4f}, intercept {:.4f}, R^2 {:.4f}\n", f.spec->y, f.spec->x, at,
                           *f.line.mean.number("slope"), *f.line.mean.number("intercept"), *f.line.mean.number("r_squared"));
    }
    return out;
}

}  // namespace tbsim::sim
