#include "validation/calibration/fitted_profile.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>
#include <tuple>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"

namespace tbsim::validation {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::stringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The comment written above the calibration section.
constexpr std::string_view kCalibrationComment =
    "# Written by tbsim calibrate (docs/calibration.md): the values above marked here were fitted.";

// The base without a previous calibration section (a top-level `calibration:` and what it holds,
// and the comment above it), so that calibrating a fitted profile again does not pile them up.
std::vector<std::string> without_calibration(std::vector<std::string> lines) {
    std::vector<std::string> kept;
    bool inside = false;
    for (auto& l : lines) {
        if (l == kCalibrationComment) continue;
        if (l.rfind("calibration:", 0) == 0) {
            inside = true;
            continue;
        }
        if (inside && !l.empty() && l[0] != ' ' && l[0] != '#') inside = false;
        if (!inside) kept.push_back(std::move(l));
    }
    while (!kept.empty() && kept.back().empty()) kept.pop_back();
    return kept;
}

std::string yaml_string(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::string fitted_profile_text(const sim::ScenarioText& base, const FitResult& fit, const FittedProfileInfo& info) {
    auto lines = lines_of(base.text);
    const auto doc = sim::ConfigDocument::from_text(base.text, base.source);
    // Every value's place first, then the replacements from the end of the file backwards, so that
    // a longer value does not move the columns of those still to write on the same line.
    struct Edit {
        int line, column;
        std::string written, value;
    };
    std::vector<Edit> edits;
    // `value` for the scalar written at `key`; `what` names it in errors.
    const auto write_at = [&](const std::string& key, std::string value, const std::string& what) {
        const auto written = doc->scalar_at(key);
        const auto at = doc->scalar_position(key);
        if (!written || !at || at->first >= static_cast<int>(lines.size()))
            throw sim::ConfigError(fmt::format("{}: {} is not written in the file as one value: cannot write {}", base.source, key, what));
        if (lines[static_cast<std::size_t>(at->first)].compare(static_cast<std::size_t>(at->second), written->size(), *written) != 0)
            throw sim::ConfigError(
                fmt::format("{}:{}: {}: a quoted or multi-line value cannot be rewritten ({})", base.source, at->first + 1, key, what));
        edits.push_back({at->first, at->second, *written, std::move(value)});
    };
    for (const auto& p : fit.parameters) write_at(p.key, format_parameter(p, p.value), "its fitted value");
    // The overrides the fit ran under: without them the file would not reproduce the fit. A
    // fitted key's fitted value is written instead.
    for (const auto& assignment : info.settings) {
        const auto eq = assignment.find('=');
        const std::string key = assignment.substr(0, eq);
        const bool fitted = std::any_of(fit.parameters.begin(), fit.parameters.end(), [&](const FitParameter& p) { return p.key == key; });
        if (eq != std::string::npos && !fitted)
            write_at(key, assignment.substr(eq + 1), "--set " + assignment + " (write it into the base profile instead)");
    }
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return std::tie(a.line, a.column) > std::tie(b.line, b.column); });
    for (const auto& e : edits)
        lines[static_cast<std::size_t>(e.line)].replace(static_cast<std::size_t>(e.column), e.written.size(), e.value);
    lines = without_calibration(std::move(lines));

    std::string out;
    for (const auto& l : lines) out += l + "\n";
    out += fmt::format("\n{}\n", kCalibrationComment);
    out += "calibration:\n";
    out += fmt::format("  tool: {}\n", yaml_string("tbsim " + info.version + " calibrate"));
    out += fmt::format("  base: {}\n", yaml_string(info.base));
    out += fmt::format("  metrics: {}\n", yaml_string(info.metrics));
    if (!info.settings.empty()) {
        out += "  set:\n";
        for (const auto& s : info.settings) out += fmt::format("    - {}\n", yaml_string(s));
    }
    out += "  traces:\n";
    for (const auto& t : info.traces) out += fmt::format("    - {}\n", yaml_string(t));
    out += fmt::format("  evaluations: {}\n", fit.evaluations);
    out += fmt::format("  converged: {}\n", fit.converged ? "true" : "false");
    out += fmt::format("  stop: {}\n", yaml_string(fit.stop_reason));
    out += fmt::format("  residuals: {}\n", fit.residuals);
    if (fit.robust_scale > 0.0) out += fmt::format("  robust_scale: {:g}  # soft L1 loss\n", fit.robust_scale);
    out += fmt::format("  loss: {{before: {:.6g}, after: {:.6g}}}\n", fit.loss_before, fit.loss_after);
    out += fmt::format("  rmse: {{before: {:.6g}, after: {:.6g}}}\n", fit.rmse_before, fit.rmse_after);
    if (!fit.draws_loss_after.empty()) {  // the loss under the seeds after the fit's own
        const auto list = [](const std::vector<double>& v) {
            std::string s;
            for (std::size_t i = 0; i < v.size(); ++i) s += fmt::format("{}{:.6g}", i ? ", " : "", v[i]);
            return s;
        };
        const auto gain = draws_gain(fit);
        out += fmt::format("  other_draws: {{before: [{}], after: [{}], gain: {:.4g}, gain_standard_error: {:.2g}}}\n",
                           list(fit.draws_loss_before), list(fit.draws_loss_after), gain.mean, gain.standard_error);
    }
    if (fit.starts.size() > 1) {  // a multi-start fit: every local search, the winner marked
        out += fmt::format("  start_spread: {:g}\n", fit.start_spread);
        out += "  starts:\n";
        for (std::size_t k = 0; k < fit.starts.size(); ++k) {
            const auto& s = fit.starts[k];
            out += fmt::format("    - {{loss_start: {:.6g}, loss_end: {:.6g}, evaluations: {}, stop: {}{}}}\n", s.loss_start, s.loss_end,
                               s.evaluations, yaml_string(s.stop_reason), k == fit.best_start ? ", best: true" : "");
        }
    }
    out += "  parameters:\n";
    for (const auto& p : fit.parameters) {
        const bool unidentified = std::find(fit.unidentified.begin(), fit.unidentified.end(), p.key) != fit.unidentified.end();
        out += fmt::format("    {}: {{value: {}, standard_error: {}, initial: {}, lower: {}, upper: {}{}}}\n", p.key,
                           format_parameter(p, p.value), format_parameter(p, p.standard_error), format_parameter(p, p.initial),
                           format_parameter(p, p.lower), format_parameter(p, p.upper), unidentified ? ", identified: false" : "");
    }
    out += "  unidentified: [";
    for (std::size_t i = 0; i < fit.unidentified.size(); ++i) out += (i ? ", " : "") + fit.unidentified[i];
    out += "]\n";
    out += "  correlations:";
    if (fit.correlations.empty()) out += " []";
    out += "\n";
    for (const auto& c : fit.correlations) out += fmt::format("    - {{a: {}, b: {}, r: {:.3f}}}\n", c.a, c.b, c.correlation);
    return out;
}

}  // namespace tbsim::validation
