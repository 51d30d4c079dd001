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

std::string verdict_table(const std::vector<MetricVerdict>& verdicts) {
    std::string h = "<table><tr><th>metric</th><th>held-out traces</th><th>measured (mean)</th><th>simulated (mean)</th>"
                    "<th>error (held out)</th><th>error (training)</th><th>tolerance</th><th>pass</th><th>worst</th></tr>\n";
    for (const auto& m : verdicts) {
        // A KS distance has no measured side: the row shows the distance as the simulated value.
        const bool ks = ks_metric(m.tolerance.metric);
        if (!m.judged()) {
            h += fmt::format("<tr class=\"unjudged\"><td>{}</td><td>0</td><td>-</td><td>-</td><td>-</td><td>{}</td><td>{}</td><td>n/a</td>"
                             "<td>nothing held out has it</td></tr>\n",
                             escape(m.tolerance.metric), tolerance_error(m, m.training_error), escape(m.tolerance.written));
            continue;
        }
        h += fmt::format("<tr class=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td></tr>\n",
                         m.pass ? "pass" : "fail", escape(m.tolerance.metric), m.count, ks ? "-" : fmt::format("{:.4g}", m.measured),
                         fmt::format("{:.4g}", m.simulated), tolerance_error(m, m.error), tolerance_error(m, m.training_error),
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

std::string parameter_table(const FitResult* fitted) {
    if (fitted == nullptr) return "<p>Not refitted: the base profile was replayed as it is (<code>--no-fit</code>).</p>\n";
    const auto& fit = *fitted;
    std::string h = "<table><tr><th>parameter</th><th>start</th><th>fitted</th><th>standard error</th><th>bounds</th></tr>\n";
    for (const auto& p : fit.parameters)
        h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} .. {}</td></tr>\n", escape(p.key), format_parameter(p, p.initial),
                         format_parameter(p, p.value), p.standard_error > 0 ? format_parameter(p, p.standard_error) : "-",
                         format_parameter(p, p.lower), format_parameter(p, p.upper));
    h += "</table>\n";
    h += fmt::format("<p>Loss {:.4g} before, {:.4g} after; RMSE {:.4g} to {:.4g} over {} residuals; {} evaluations; {}.</p>\n", fit.loss_before,
                     fit.loss_after, fit.rmse_before, fit.rmse_after, fit.residuals, fit.evaluations,
                     fit.converged ? "converged" : "did not converge");
    if (!fit.draws_loss_after.empty())
        h += fmt::format("<p>Replayed with other seeds, {}. A standard error above says how well the training traces pin a value down "
                         "with the fit's own draws, not how far other draws would move it (docs/calibration.md).</p>\n",
                         escape(draws_account(fit)));
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
td:first-child,th:first-child{text-align:left}tr.fail td{background:#fdd}tr.pass td{background:#efe}tr.unjudged td{color:#666}p.fail{color:#a00}
figure{display:inline-block;margin:0.5em}figcaption{font-size:12px;color:#444;max-width:560px}
pre{background:#f4f4f4;padding:1em;font-size:12px;overflow-x:auto}h1{font-size:1.6em}.verdict{font-size:1.3em;font-weight:bold})";

std::string page_head(const ValidationPlan& plan, const std::vector<MetricVerdict>& verdicts, std::size_t training, std::size_t held_out,
                      const char* what) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    h += fmt::format("<title>tbsim validation: {}</title><style>{}</style></head><body>\n", escape(plan.name), kStyle);
    h += fmt::format("<h1>Validation: {}</h1>\n<p>{}</p>\n", escape(plan.name), escape(plan.description));
    h += fmt::format("<p class=\"verdict\">{}</p>\n", escape(verdict_line(verdicts, what)));
    h += fmt::format("<p>Fitted on {} training {}, judged on {} held-out {}. Errors are {} over the held-out {} of "
                     "|simulated - measured| / measured (KS distances and autocorrelations: the absolute difference).</p>\n",
                     training, what, held_out, what, plan.judge == Judge::every ? "the worst" : "the mean", what);
    return h;
}

std::string inputs(const ValidationPlan& plan, const std::string& version, const std::string& replay) {
    return fmt::format("<h2>Inputs</h2>\n<p>tbsim {}; validation file <code>{}</code>; base profile <code>{}</code>; {}.</p>\n<pre>{}</pre>\n",
                       escape(version), escape(plan.source), escape(plan.profile), replay, escape(plan.text));
}

std::string traffic_plots(const std::vector<CaptureReplay>& replays) {
    std::string h;
    for (const auto& r : replays) {
        sim::PlotSpec spec;
        spec.title = fmt::format("{}: controller WAN, both directions", r.capture);
        spec.x_label = "time (s)";
        spec.y_label = "traffic (kb/s, 1 s bins)";
        spec.width = 1100;
        spec.height = 300;
        sim::PlotSeries measured, simulated;
        measured.label = "measured";
        simulated.label = "simulated";
        measured.style = simulated.style = sim::PlotSeries::Style::lines;
        simulated.dashed = true;
        for (std::size_t i = 0; i < r.measured_total_kbps.size(); ++i) {
            measured.x.push_back(static_cast<double>(i));
            measured.y.push_back(r.measured_total_kbps[i]);
        }
        for (std::size_t i = 0; i < r.simulated_total_kbps.size(); ++i) {
            simulated.x.push_back(static_cast<double>(i));
            simulated.y.push_back(r.simulated_total_kbps[i]);
        }
        spec.series = {measured, simulated};
        h += figure(sim::svg_plot(spec),
                    fmt::format("mean {:.2f} / {:.2f} kb/s, p95 {:.2f} / {:.2f}, peak {:.2f} / {:.2f} (measured / simulated); "
                                "autocorrelation at 10 s {:.2f} / {:.2f}, at 60 s {:.2f} / {:.2f}",
                                r.mean_kbps.at("total").measured, r.mean_kbps.at("total").simulated, r.p95_kbps.at("total").measured,
                                r.p95_kbps.at("total").simulated, r.peak_kbps.at("total").measured, r.peak_kbps.at("total").simulated,
                                r.acf_10s.measured, r.acf_10s.simulated, r.acf_60s.measured, r.acf_60s.simulated));
    }
    return h;
}

std::string capture_table(const std::vector<CaptureReplay>& replays, const std::vector<OpenStackCapture>& captures) {
    // Each simulated figure is the replications' mean, with their lowest and highest beside it.
    const auto simulated = [](const RateFigure& f) { return fmt::format("{:.3f} ({:.3f}..{:.3f})", f.simulated, f.low, f.high); };
    std::string h = "<table><tr><th>capture</th><th>computes</th><th>instances</th><th>workload</th><th>recorded</th><th>series</th>"
                    "<th>mean (kb/s)</th><th>simulated (replications' range)</th><th>p95</th><th>simulated</th><th>peak</th><th>simulated</th></tr>\n";
    for (std::size_t i = 0; i < replays.size(); ++i) {
        const auto& r = replays[i];
        for (const auto& [series, mean] : r.mean_kbps)
            h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.3f}</td><td>{}</td><td>{:.3f}</td>"
                             "<td>{}</td><td>{:.3f}</td><td>{}</td></tr>\n",
                             escape(r.capture), r.computes, r.instances, escape(r.workload), escape(i < captures.size() ? captures[i].date : ""),
                             escape(series), mean.measured, simulated(mean), r.p95_kbps.at(series).measured, simulated(r.p95_kbps.at(series)),
                             r.peak_kbps.at(series).measured, simulated(r.peak_kbps.at(series)));
        h += fmt::format("<tr><td>{}</td><td colspan=\"11\">{}</td></tr>\n", escape(r.capture),
                         r.speed.gauged ? fmt::format("speed gauge: back-to-back calls {:.2f} times the profile's gaps ({} pairs), CPU "
                                                             "times x {:.2f}",
                                                             r.speed.gap_ratio, r.speed.samples, r.speed.factor)
                                               : fmt::format("speed gauge: not applied ({} back-to-back pairs), CPU times as the profile's",
                                                             r.speed.samples));
        for (const auto& [what, d] : {std::pair{"run (s)", r.run_s}, std::pair{"create (s)", r.create_s}, std::pair{"delete (s)", r.delete_s}})
            if (d)
                h += fmt::format("<tr><td>{}</td><td colspan=\"5\">{}</td><td>{:.2f}</td><td>{:.2f}</td><td colspan=\"4\">{}</td></tr>\n",
                                 escape(r.capture), what, d->measured, d->simulated, percent(d->error()));
    }
    return h + "</table>\n";
}

}  // namespace

std::string openstack_report_html(const OpenStackValidation& v, const std::string& version) {
    std::string h = page_head(v.plan, v.verdicts, v.training.size(), v.held_out.size(), "captures");
    h += "<h2>Verdict</h2>\n" + verdict_table(v.verdicts);
    h += "<h2>Traffic per second, held-out captures</h2>\n<p>Solid: captured on the real plane; dashed: simulated.</p>\n" +
         traffic_plots(v.held_out);
    h += "<h2>Fitted parameters</h2>\n" + parameter_table(v.fit ? &*v.fit : nullptr);
    h += "<h2>Held-out captures</h2>\n" + capture_table(v.held_out, v.held_out_captures);
    h += "<h2>Training captures (the fit's own)</h2>\n" + capture_table(v.training, v.training_captures);
    h += inputs(v.plan, version, fmt::format("{} replication(s) ({} in the fit's evaluations), seed {}", v.plan.replay.replications,
                                             v.plan.fit_runs(), v.plan.replay.seed));
    return h + "</body></html>\n";
}

std::string validation_report_html(const TestbedValidation& v, const std::string& version) {
    std::string h = page_head(v.plan, v.verdicts, v.training.size(), v.held_out.size(), "traces");
    h += "<h2>Verdict</h2>\n" + verdict_table(v.verdicts);
    h += "<h2>Latency distributions, held-out traces</h2>\n<p>Solid: measured on the testbed; dashed: simulated.</p>\n" + latency_plots(v.held_out);
    h += "<h2>Main loop progress, held-out traces that fall behind</h2>\n" + progress_plots(v.held_out);
    h += "<h2>Limit curve</h2>\n" + limit_plot(v);
    h += "<h2>Fitted parameters</h2>\n" + parameter_table(v.calibration ? &v.calibration->fit : nullptr);
    h += "<h2>Held-out traces</h2>\n" + trace_table(v.held_out, v.held_out_traces);
    h += "<h2>Training traces (the fit's own)</h2>\n" + trace_table(v.training, v.training_traces);
    h += inputs(v.plan, version, fmt::format("replay mode {}, {} replication(s) ({} in the fit's evaluations), seed {}",
                                             replay_mode_name(v.plan.replay.mode), v.plan.replay.replications,
                                             v.plan.fit_runs(), v.plan.replay.seed));
    h += "</body></html>\n";
    return h;
}

}  // namespace tbsim::validation
