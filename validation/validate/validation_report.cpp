#include "validation/validate/validation_report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/output/svg_plot.hpp"

namespace tbsim::validation {
namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string percent(double e) { return std::isfinite(e) ? fmt::format("{:+.1f}%", 100.0 * e) : "n/a"; }

std::string tolerance_error(const MetricVerdict& v, double e) {
    return v.tolerance.relative ? fmt::format("{:.1f}%", 100.0 * e) : fmt::format("{:.3f}", e);
}

// An empirical CDF as at most `points` steps (every k-th sample, and the last).
sim::PlotSeries cdf(const std::string& label, const std::vector<double>& sorted, bool dashed, std::size_t points = 300) {
    sim::PlotSeries s;
    s.label = label;
    s.style = sim::PlotSeries::Style::steps;
    s.dashed = dashed;
    const std::size_t n = sorted.size();
    const std::size_t step = std::max<std::size_t>(1, n / points);
    for (std::size_t i = 0; i < n; i += step) {
        s.x.push_back(std::max(sorted[i], 1e-3));
        s.y.push_back(static_cast<double>(i + 1) / static_cast<double>(n));
    }
    if (n > 0 && s.y.back() < 1.0) {
        s.x.push_back(std::max(sorted.back(), 1e-3));
        s.y.push_back(1.0);
    }
    return s;
}

sim::PlotSeries progress(const std::string& label, const std::vector<double>& ends_s, bool dashed) {
    sim::PlotSeries s;
    s.label = label;
    s.style = sim::PlotSeries::Style::lines;
    s.dashed = dashed;
    const std::size_t step = std::max<std::size_t>(1, ends_s.size() / 400);
    for (std::size_t i = 0; i < ends_s.size(); i += step) {
        s.x.push_back(ends_s[i]);
        s.y.push_back(static_cast<double>(i + 1));
    }
    if (!ends_s.empty()) {
        s.x.push_back(ends_s.back());
        s.y.push_back(static_cast<double>(ends_s.size()));
    }
    return s;
}

std::string figure(const std::string& svg, const std::string& caption) {
    return fmt::format("<figure>{}<figcaption>{}</figcaption></figure>\n", svg, escape(caption));
}

std::string verdict_table(const TestbedValidation& v) {
    std::string h = "<table><tr><th>metric</th><th>held-out traces</th><th>measured (mean)</th><th>simulated (mean)</th>"
                    "<th>error (held out)</th><th>error (training)</th><th>tolerance</th><th>pass</th><th>worst</th></tr>\n";
    for (const auto& m : v.verdicts) {
        const bool ks = !m.tolerance.relative;
        h += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td></tr>\n",
                         m.pass ? "pass" : "fail", escape(m.tolerance.metric), m.count, ks ? "-" : fmt::format("{:.4g}", m.measured),
                         ks ? "-" : fmt::format("{:.4g}", m.simulated), tolerance_error(m, m.error), tolerance_error(m, m.training_error),
                         escape(m.tolerance.written), m.pass ? "yes" : "NO", escape(m.worst), tolerance_error(m, m.worst_error));
    }
    return h + "</table>\n";
}

std::string latency_plots(const std::vector<TraceReplay>& replays) {
    std::string h;
    for (const auto& r : replays) {
        for (const auto& o : r.ops) {
            if (o.op != models::mysqlrep::BenchmarkOp::local_insert && o.op != models::mysqlrep::BenchmarkOp::batch_send) continue;
            if (o.measured_sorted_ms.empty() || o.simulated_sorted_ms.empty()) continue;
            sim::PlotSpec spec;
            spec.title = fmt::format("{}: {} latency", r.trace, models::mysqlrep::op_name(o.op));
            spec.x_label = "latency (ms)";
            spec.y_label = "fraction of operations";
            spec.log_x = true;
            spec.width = 560;
            spec.height = 340;
            spec.series = {cdf("measured", o.measured_sorted_ms, false), cdf("simulated", o.simulated_sorted_ms, true)};
            h += figure(sim::svg_plot(spec), fmt::format("KS distance {:.3f}; p50 {:.3f} ms measured, {:.3f} ms simulated; p95 {:.3f} / {:.3f} ms",
                                                         o.ks, o.p50_ms.measured, o.p50_ms.simulated, o.p95_ms.measured, o.p95_ms.simulated));
        }
    }
    return h;
}

std::string progress_plots(const std::vector<TraceReplay>& replays) {
    std::string h;
    for (const auto& r : replays) {
        if (r.slowdown.measured <= 1.05 && r.slowdown.simulated <= 1.05) continue;
        if (r.progress_measured_s.empty() || r.progress_simulated_s.empty()) continue;
        sim::PlotSpec spec;
        spec.title = fmt::format("{}: main loop progress (slowest instance)", r.trace);
        spec.x_label = "time since the main loop began (s)";
        spec.y_label = "inserts done";
        spec.width = 560;
        spec.height = 340;
        sim::PlotSeries nominal;
        nominal.label = "keeping up (K/D)";
        nominal.style = sim::PlotSeries::Style::lines;
        nominal.dashed = true;
        nominal.x = {0.0, static_cast<double>(r.inserts) * 60.0 / r.rate_per_minute};
        nominal.y = {0.0, static_cast<double>(r.inserts)};
        spec.series = {progress("measured", r.progress_measured_s.front(), false), progress("simulated", r.progress_simulated_s.front(), true),
                       nominal};
        h += figure(sim::svg_plot(spec), fmt::format("slowdown {:.3f} measured, {:.3f} simulated", r.slowdown.measured, r.slowdown.simulated));
    }
    return h.empty() ? "<p>No held-out trace falls behind (slowdown above 1.05).</p>\n" : h;
}

std::string limit_plot(const TestbedValidation& v) {
    // D*(N) per aggregation, from every ladder replayed (training and held out alike).
    std::map<std::int64_t, std::map<std::int64_t, std::pair<double, double>>> by_ag;  // AG -> N -> (measured, predicted)
    for (const auto* limits : {&v.limits_training, &v.limits_held_out})
        for (const auto& l : *limits)
            if (l.measured && l.predicted) by_ag[l.aggregation][l.instances] = {*l.measured, *l.predicted};
    if (by_ag.empty()) return "<p>No ladder (three rates or more of one N and AG without limits) crosses the limit.</p>\n";
    sim::PlotSpec spec;
    spec.title = "Limit rate D*(N): the lowest rate with slowdown above 1.05";
    spec.x_label = "instances N";
    spec.y_label = "D* (inserts per minute per instance)";
    spec.log_y = true;
    std::string rows;
    for (const auto& [ag, points] : by_ag) {
        sim::PlotSeries measured, predicted;
        measured.label = fmt::format("measured, AG = {}", ag);
        predicted.label = fmt::format("predicted, AG = {}", ag);
        predicted.dashed = true;
        for (const auto& [n, mp] : points) {
            measured.x.push_back(static_cast<double>(n));
            measured.y.push_back(mp.first);
            predicted.x.push_back(static_cast<double>(n));
            predicted.y.push_back(mp.second);
            rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.0f}</td><td>{:.0f}</td><td>{}</td></tr>\n", n, ag, mp.first, mp.second,
                                percent(mp.second / mp.first - 1.0));
        }
        spec.series.push_back(measured);
        spec.series.push_back(predicted);
    }
    return figure(sim::svg_plot(spec), "from the ladders of both the training and the held-out traces") +
           "<table><tr><th>N</th><th>AG</th><th>D* measured (1/min)</th><th>D* predicted (1/min)</th><th>error</th></tr>\n" + rows +
           "</table>\n";
}

std::string parameter_table(const TestbedValidation& v) {
    if (!v.calibration) return "<p>Not refitted: the base profile was replayed as it is (<code>--no-fit</code>).</p>\n";
    const auto& fit = v.calibration->fit;
    std::string h = "<table><tr><th>parameter</th><th>start</th><th>fitted</th><th>standard error</th><th>bounds</th></tr>\n";
    for (const auto& p : fit.parameters)
        h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} .. {}</td></tr>\n", escape(p.key), format_parameter(p, p.initial),
                         format_parameter(p, p.value), p.standard_error > 0 ? format_parameter(p, p.standard_error) : "-",
                         format_parameter(p, p.lower), format_parameter(p, p.upper));
    h += "</table>\n";
    h += fmt::format("<p>Loss {:.4g} before, {:.4g} after; RMSE {:.4g} to {:.4g} over {} residuals; {} evaluations; {}.</p>\n", fit.loss_before,
                     fit.loss_after, fit.rmse_before, fit.rmse_after, fit.residuals, fit.evaluations,
                     fit.converged ? "converged" : "did not converge");
    for (const auto& k : fit.unidentified) h += fmt::format("<p class=\"fail\">Not identified by the training traces: {}</p>\n", escape(k));
    for (const auto& c : fit.correlations)
        h += fmt::format("<p>Correlated: {} and {} (r = {:+.2f})</p>\n", escape(c.a), escape(c.b), c.correlation);
    return h;
}

std::string trace_table(const std::vector<TraceReplay>& replays, const std::vector<TestbedTrace>& traces) {
    std::string h = "<table><tr><th>trace</th><th>N</th><th>D (1/min)</th><th>AG</th><th>recorded</th><th>main loop (s)</th><th>simulated</th>"
                    "<th>slowdown</th><th>simulated</th><th>local insert p50 (ms)</th><th>error</th><th>KS</th><th>bytes error</th></tr>\n";
    for (std::size_t i = 0; i < replays.size(); ++i) {
        const auto& r = replays[i];
        const auto* li = r.op(models::mysqlrep::BenchmarkOp::local_insert);
        h += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.0f}</td><td>{}</td><td>{}</td><td>{:.2f}</td><td>{:.2f}</td><td>{:.3f}</td><td>{:.3f}</td>"
                         "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         escape(r.trace), r.instances, r.rate_per_minute, r.aggregation, escape(i < traces.size() ? traces[i].date : ""),
                         r.main_loop_s.measured, r.main_loop_s.simulated, r.slowdown.measured, r.slowdown.simulated,
                         li ? fmt::format("{:.3f}", li->p50_ms.measured) : "-", li ? percent(li->p50_ms.error()) : "-",
                         li ? fmt::format("{:.2f}", li->ks) : "-", percent(r.bytes_sent.error()));
    }
    return h + "</table>\n";
}

const char* kStyle = R"(body{font-family:sans-serif;max-width:1200px;margin:2em auto;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:13px}td,th{border:1px solid #bbb;padding:3px 7px;text-align:right}
td:first-child,th:first-child{text-align:left}tr.fail td{background:#fdd}tr.pass td{background:#efe}p.fail{color:#a00}
figure{display:inline-block;margin:0.5em}figcaption{font-size:12px;color:#444;max-width:560px}
pre{background:#f4f4f4;padding:1em;font-size:12px;overflow-x:auto}h1{font-size:1.6em}.verdict{font-size:1.3em;font-weight:bold})";

}  // namespace

std::string validation_report_html(const TestbedValidation& v, const std::string& version) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    h += fmt::format("<title>tbsim validation: {}</title><style>{}</style></head><body>\n", escape(v.plan.name), kStyle);
    h += fmt::format("<h1>Validation: {}</h1>\n<p>{}</p>\n", escape(v.plan.name), escape(v.plan.description));
    h += fmt::format("<p class=\"verdict\">{}</p>\n", v.passed() ? "PASS: every metric within its tolerance on the held-out traces"
                                                                 : "FAIL: a metric is outside its tolerance on the held-out traces");
    h += fmt::format("<p>Fitted on {} training traces, judged on {} held-out traces. Errors are means over the held-out traces of "
                     "|simulated - measured| / measured (KS: the mean distance).</p>\n",
                     v.training.size(), v.held_out.size());
    h += "<h2>Verdict</h2>\n" + verdict_table(v);
    h += "<h2>Latency distributions, held-out traces</h2>\n<p>Solid: measured on the testbed; dashed: simulated.</p>\n" + latency_plots(v.held_out);
    h += "<h2>Main loop progress, held-out traces that fall behind</h2>\n" + progress_plots(v.held_out);
    h += "<h2>Limit curve</h2>\n" + limit_plot(v);
    h += "<h2>Fitted parameters</h2>\n" + parameter_table(v);
    h += "<h2>Held-out traces</h2>\n" + trace_table(v.held_out, v.held_out_traces);
    h += "<h2>Training traces (the fit's own)</h2>\n" + trace_table(v.training, v.training_traces);
    h += fmt::format("<h2>Inputs</h2>\n<p>tbsim {}; validation file <code>{}</code>; base profile <code>{}</code>; replay mode {}, {} "
                     "replication(s), seed {}.</p>\n<pre>{}</pre>\n",
                     escape(version), escape(v.plan.source), escape(v.plan.profile), replay_mode_name(v.plan.replay.mode),
                     v.plan.replay.replications, v.plan.replay.seed, escape(v.plan.text));
    h += "</body></html>\n";
    return h;
}

}  // namespace tbsim::validation
