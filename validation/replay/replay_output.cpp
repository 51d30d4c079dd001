#include "validation/replay/replay_output.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "validation/replay/repeat_recordings.hpp"
#include "validation/replay/sample_stats.hpp"

namespace tbsim::validation {
namespace {

using models::mysqlrep::BenchmarkOp;
using Json = nlohmann::json;

// A relative error as JSON: null where it is not finite (nothing measured).
Json error_json(double e) { return std::isfinite(e) ? Json(e) : Json(nullptr); }

Json comparison_json(const Comparison& c) { return {{"measured", c.measured}, {"simulated", c.simulated}, {"error", error_json(c.error())}}; }

// A phase within a second: measured, simulated, and the simulated less the measured the short
// way round (-0.5 to 0.5 s), null where either has no window.
double phase_difference_s(const Comparison& c) {
    if (!std::isfinite(c.measured) || !std::isfinite(c.simulated)) return std::nan("");
    return c.simulated - c.measured - std::round(c.simulated - c.measured);
}

Json phase_json(const Comparison& c) {
    const double d = phase_difference_s(c);
    return {{"measured", c.measured}, {"simulated", c.simulated}, {"difference_s", std::isfinite(d) ? Json(d) : Json(nullptr)}};
}

std::string percent(double e) { return std::isfinite(e) ? fmt::format("{:+.1f}%", 100.0 * e) : "n/a"; }

std::string optional_rate(const std::optional<double>& r) { return r ? fmt::format("{:.0f}", *r) : "none"; }

}  // namespace

Json replay_json(const TraceReplay& r) {
    Json j;
    j["trace"] = r.trace;
    j["folder"] = r.folder;
    j["mode"] = replay_mode_name(r.mode);
    j["replications"] = r.replications;
    j["instances"] = r.instances;
    j["rate_per_minute"] = r.rate_per_minute;
    j["aggregation"] = r.aggregation;
    j["inserts"] = r.inserts;
    j["limited"] = r.limited;
    j["warnings"] = r.warnings;
    const auto& c = r.conditions;
    j["conditions"] = {{"foreign_cores", c.foreign_cores},
                       {"setup_s", c.setup_s ? Json(*c.setup_s) : Json(nullptr)},
                       {"servers_start_s", c.servers_start_s ? Json(*c.servers_start_s) : Json(nullptr)},
                       {"pacing_lateness_us", c.pacing_lateness_us ? Json(*c.pacing_lateness_us) : Json(nullptr)},
                       {"probe_fdatasync_us", c.probe_fdatasync_us ? Json(*c.probe_fdatasync_us) : Json(nullptr)},
                       {"probe_wake_round_trip_us", c.probe_wake_round_trip_us ? Json(*c.probe_wake_round_trip_us) : Json(nullptr)},
                       {"disk_busy_fraction", c.disk_busy_fraction ? Json(*c.disk_busy_fraction) : Json(nullptr)},
                       {"foreign_write_mb_per_s", c.foreign_write_mb_per_s ? Json(*c.foreign_write_mb_per_s) : Json(nullptr)},
                       {"cpu_ratio", c.cpu_ratio ? Json(*c.cpu_ratio) : Json(nullptr)},
                       {"cpu_factor", c.cpu_factor},
                       {"wait_factor", c.wait_factor},
                       {"wake_latency_us", c.wake_latency_us},
                       {"stall_factor", c.stall_factor}};
    j["main_loop_s"] = comparison_json(r.main_loop_s);
    j["slowdown"] = comparison_json(r.slowdown);
    Json ops = Json::object();
    for (const auto& o : r.ops) {
        ops[std::string(models::mysqlrep::op_name(o.op))] = {
            {"count_measured", o.count_measured}, {"count_simulated", o.count_simulated}, {"mean_ms", comparison_json(o.mean_ms)},
            {"p50_ms", comparison_json(o.p50_ms)},    {"p95_ms", comparison_json(o.p95_ms)},       {"p99_ms", comparison_json(o.p99_ms)},
            {"ks", o.ks}};
    }
    j["ops"] = ops;
    Json phases = Json::object();
    for (const auto& p : r.phases) phases[std::string(models::mysqlrep::phase_name(p.phase))] = comparison_json(p.duration_s);
    j["phases_s"] = phases;
    j["bytes_sent"] = comparison_json(r.bytes_sent);
    j["cpu_s"] = comparison_json(r.cpu_s);
    j["slow_ops"] = {{"share", comparison_json(r.slow_share)},
                     {"after_slow", comparison_json(r.slow_after_slow)},
                     {"window_phase_s", phase_json(r.window_phase_s)},
                     {"window_share", comparison_json(r.window_share)}};
    j["late_iterations"] = {{"share", comparison_json(r.late_share)}, {"slowdown_added", comparison_json(r.late_slowdown)}};
    j["contention"] = {{"share", comparison_json(r.contention_share)}, {"excess_ms", comparison_json(r.contention_excess_ms)}};
    Json nodes = Json::array();
    for (const auto& n : r.nodes)
        nodes.push_back({{"instance", n.instance},
                         {"cpu_s", comparison_json(n.cpu_s)},
                         {"bytes_sent", comparison_json(n.bytes_sent)},
                         {"bytes_received", comparison_json(n.bytes_received)},
                         {"throttled_s", comparison_json(n.throttled_s)},
                         {"throttled_periods", comparison_json(n.throttled_periods)}});
    j["nodes"] = nodes;
    j["simulated_events"] = r.simulated_events;
    return j;
}

namespace {

/// Mean of |error| over `replays`, per headline figure (null where no trace has the figure).
Json mean_abs_errors(const std::vector<const TraceReplay*>& replays) {
    auto mean_abs = [&](auto get) {
        double sum = 0;
        std::size_t n = 0;
        for (const auto* r : replays) {
            const double e = get(*r);
            if (std::isfinite(e)) sum += std::abs(e), ++n;
        }
        return n == 0 ? Json(nullptr) : Json(sum / static_cast<double>(n));
    };
    auto op_error = [](const TraceReplay& r, BenchmarkOp op, auto field) {
        const auto* o = r.op(op);
        return o == nullptr ? std::nan("") : field(*o);
    };
    Json mean;
    mean["main_loop_s"] = mean_abs([](const TraceReplay& r) { return r.main_loop_s.error(); });
    mean["slowdown"] = mean_abs([](const TraceReplay& r) { return r.slowdown.error(); });
    mean["bytes_sent"] = mean_abs([](const TraceReplay& r) { return r.bytes_sent.error(); });
    mean["cpu_s"] = mean_abs([](const TraceReplay& r) { return r.cpu_s.error(); });
    // Shares: the mean absolute difference, not a relative error.
    mean["slow_ops.after_slow"] = mean_abs([](const TraceReplay& r) { return r.slow_after_slow.simulated - r.slow_after_slow.measured; });
    mean["contention.excess_ms"] = mean_abs([](const TraceReplay& r) { return r.contention_excess_ms.simulated - r.contention_excess_ms.measured; });
    for (const auto op : {BenchmarkOp::local_insert, BenchmarkOp::batch_send}) {
        const std::string k(models::mysqlrep::op_name(op));
        mean[k + ".p50_ms"] = mean_abs([&](const TraceReplay& r) { return op_error(r, op, [](const auto& o) { return o.p50_ms.error(); }); });
        mean[k + ".p95_ms"] = mean_abs([&](const TraceReplay& r) { return op_error(r, op, [](const auto& o) { return o.p95_ms.error(); }); });
        mean[k + ".ks"] = mean_abs([&](const TraceReplay& r) { return op_error(r, op, [](const auto& o) { return o.ks; }); });
    }
    return mean;
}

/// The replays grouped by recording day, days in order.
std::map<std::string, std::vector<const TraceReplay*>> by_day(const std::vector<TraceReplay>& replays) {
    std::map<std::string, std::vector<const TraceReplay*>> days;
    for (const auto& r : replays) days[r.day].push_back(&r);
    return days;
}

}  // namespace

Json replays_json(const std::vector<TraceReplay>& replays, const std::vector<LimitRate>& limits) {
    if (replays.size() == 1 && limits.empty()) return replay_json(replays.front());
    Json j;
    Json traces = Json::array();
    for (const auto& r : replays) traces.push_back(replay_json(r));
    j["traces"] = traces;
    std::vector<const TraceReplay*> all;
    for (const auto& r : replays) all.push_back(&r);
    j["mean_abs_error"] = mean_abs_errors(all);
    // The same by recording day: the host's speed and stalls differ from day to day more than the
    // model's errors between configurations (docs/mysqlrep.md).
    Json days = Json::object();
    for (const auto& [day, of_day] : by_day(replays)) days[day] = mean_abs_errors(of_day);
    j["mean_abs_error_by_day"] = days;
    // Configurations recorded more than once: how far one recording is from another, the floor
    // under a model that knows only the configuration (docs/replay.md).
    const auto repeats = repeat_recordings(replays);
    Json groups = Json::array();
    for (const auto& g : repeats.groups) groups.push_back({{"configuration", g.configuration}, {"traces", g.traces}});
    Json figures = Json::object();
    for (const auto& f : repeats.figures)
        figures[f.name] = {{"between_recordings", f.between},
                           {"pairs", f.pairs},
                           {"between_recordings_same_day", error_json(f.between_same_day)},
                           {"pairs_same_day", f.pairs_same_day},
                           {"model", error_json(f.model)}};
    j["repeat_recordings"] = {{"configurations", groups}, {"pairs", repeats.pairs}, {"mean_abs_difference", figures}};
    Json ladders = Json::array();
    for (const auto& l : limits) {
        ladders.push_back({{"instances", l.instances},
                           {"aggregation", l.aggregation},
                           {"rates_per_minute", l.rates_per_minute},
                           {"slowdown_measured", l.slowdown_measured},
                           {"slowdown_simulated", l.slowdown_simulated},
                           {"limit_rate_per_minute",
                            {{"measured", l.measured ? Json(*l.measured) : Json(nullptr)},
                             {"predicted", l.predicted ? Json(*l.predicted) : Json(nullptr)},
                             {"error", l.measured && l.predicted ? error_json(l.error()) : Json(nullptr)}}}});
    }
    j["limit_rates"] = ladders;
    return j;
}

std::string quantiles_csv(const std::vector<TraceReplay>& replays) {
    static constexpr double kLevels[] = {0.01, 0.05, 0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90, 0.95, 0.99};
    std::string out = "trace,mode,op,quantile,measured_ms,simulated_ms\n";
    for (const auto& r : replays)
        for (const auto& o : r.ops)
            for (const double q : kLevels)
                out += fmt::format("{},{},{},{:.2f},{:.6g},{:.6g}\n", r.trace, replay_mode_name(r.mode), models::mysqlrep::op_name(o.op), q,
                                   quantile(o.measured_sorted_ms, q), quantile(o.simulated_sorted_ms, q));
    return out;
}

std::string simulated_trace_csv(const TraceReplay& r) {
    std::vector<models::mysqlrep::OperationRecord> ops = r.simulated_operations;
    // Grouped by instance, in each instance's order of operations, as the testbed writes them.
    models::mysqlrep::sort_by_instance_and_start(ops);
    std::string out = "instance,phase,op,peer,rows,t_start_ns,t_end_ns,ok\n";
    for (const auto& o : ops)
        out += fmt::format("{},{},{},{},{},{},{},1\n", o.instance, models::mysqlrep::phase_name(models::mysqlrep::phase_of(o.op)),
                           models::mysqlrep::op_name(o.op), o.peer, o.rows, o.start.ns(), o.end.ns());
    return out;
}

std::string replay_table(const std::vector<TraceReplay>& replays, const std::vector<LimitRate>& limits) {
    std::string out;
    if (replays.size() == 1) {
        const auto& r = replays.front();
        out += fmt::format("trace {} ({} mode, {} replication{}): N = {}, D = {:.0f}/min, AG = {}, K = {}{}\n", r.trace,
                           replay_mode_name(r.mode), r.replications, r.replications == 1 ? "" : "s", r.instances, r.rate_per_minute,
                           r.aggregation, r.inserts, r.limited ? ", limited" : "");
        for (const auto& w : r.warnings) out += fmt::format("  warning: {}\n", w);
        const auto& host = r.conditions;
        out += fmt::format("  the host during the run, read from the trace: {:.2f} cores of foreign CPU, setup {}, paced wake-ups {},\n"
                           "  the containers' CPU {};\n"
                           "  the servers' start {};\n"
                           "  so CPU times x {:.3f}, waits x {:.3f}, a woken thread's latency {:.1f} us, log-flush stalls x {:.3f}\n",
                           host.foreign_cores, host.setup_s ? fmt::format("{:.2f} s", *host.setup_s) : "not recorded",
                           host.pacing_lateness_us ? fmt::format("{:.0f} us late", *host.pacing_lateness_us) : "none (the loop never waited)",
                           host.cpu_ratio ? fmt::format("{:.3f} times the model's without the CPU gauge", *host.cpu_ratio) : "not read",
                           host.servers_start_s ? fmt::format("{:.3f} s", *host.servers_start_s) : "not read (not recorded, or under a CPU quota)",
                           host.cpu_factor, host.wait_factor, host.wake_latency_us, host.stall_factor);
        if (host.probe_fdatasync_us && host.probe_wake_round_trip_us)
            out += fmt::format("  the host probe before the run (not read by the model): fdatasync {:.0f} us, a blocked thread's round trip "
                               "{:.1f} us (medians)\n",
                               *host.probe_fdatasync_us, *host.probe_wake_round_trip_us);
        if (host.disk_busy_fraction && host.foreign_write_mb_per_s)
            out += fmt::format("  the host's disks during the run (not read by the model): busy {:.0f}% of the time, {:.2f} MB/s written "
                               "beside the servers'\n",
                               *host.disk_busy_fraction * 100.0, *host.foreign_write_mb_per_s);
        out += fmt::format("  {:<22} {:>12} {:>12} {:>9}\n", "figure", "measured", "simulated", "error");
        auto row = [&](const std::string& name, const Comparison& c, const char* fmt_spec) {
            out += fmt::format("  {:<22} {:>12} {:>12} {:>9}\n", name, fmt::format(fmt::runtime(fmt_spec), c.measured),
                               fmt::format(fmt::runtime(fmt_spec), c.simulated), percent(c.error()));
        };
        row("main loop (s)", r.main_loop_s, "{:.3f}");
        row("slowdown", r.slowdown, "{:.3f}");
        for (const auto& p : r.phases) row(fmt::format("phase {} (s)", models::mysqlrep::phase_name(p.phase)), p.duration_s, "{:.3f}");
        row("bytes sent per node", r.bytes_sent, "{:.0f}");
        row("CPU per node (s)", r.cpu_s, "{:.3f}");
        row(fmt::format("slow ops (> {:.0f} ms)", kSlowOperationMs), r.slow_share, "{:.4f}");
        row("slow after a slow one", r.slow_after_slow, "{:.4f}");
        row(fmt::format("iterations {:g}+ late", kLateIterationPeriods), r.late_share, "{:.4f}");
        row("  slowdown they add", r.late_slowdown, "{:.4f}");
        if (std::isfinite(r.window_share.measured) && std::isfinite(r.window_share.simulated)) {
            out += fmt::format("  {:<22} {:>12.2f} {:>12.2f} {:>8.2f}s\n", "slowest 50 ms of a s", r.window_phase_s.measured,
                               r.window_phase_s.simulated, phase_difference_s(r.window_phase_s));
            row("  its share over p90", r.window_share, "{:.3f}");
        }
        row("inserts behind a batch", r.contention_share, "{:.4f}");
        if (std::isfinite(r.contention_excess_ms.measured) && std::isfinite(r.contention_excess_ms.simulated))
            row("  their excess (ms)", r.contention_excess_ms, "{:.3f}");
        out += fmt::format("  {:<13} {:>7} {:>7}  {:>17} {:>17} {:>17} {:>5}\n", "operation", "count", "sim", "p50 ms (meas/sim)",
                           "p95 ms (meas/sim)", "p99 ms (meas/sim)", "KS");
        for (const auto& o : r.ops)
            out += fmt::format("  {:<13} {:>7} {:>7.0f}  {:>8.3f}/{:<8.3f} {:>8.3f}/{:<8.3f} {:>8.3f}/{:<8.3f} {:>5.2f}\n",
                               models::mysqlrep::op_name(o.op), o.count_measured, o.count_simulated, o.p50_ms.measured, o.p50_ms.simulated,
                               o.p95_ms.measured, o.p95_ms.simulated, o.p99_ms.measured, o.p99_ms.simulated, o.ks);
    } else {
        out += fmt::format("{:<26} {:>8} {:>8} {:>8}  {:>8} {:>8}  {:>8} {:>8} {:>5}  {:>8} {:>8} {:>5}  {:>7}\n", "trace", "loop s", "slowdn",
                           "sim", "err", "runs %", "insert50", "err", "KS", "batch50", "err", "KS", "bytes");
        for (const auto& r : replays) {
            const auto* ins = r.op(BenchmarkOp::local_insert);
            const auto* bat = r.op(BenchmarkOp::batch_send);
            out += fmt::format("{:<26} {:>8.2f} {:>8.3f} {:>8.3f}  {:>8} {:>8}  {:>8.3f} {:>8} {:>5.2f}  {:>8} {:>8} {:>5}  {:>7}\n", r.trace,
                               r.main_loop_s.measured, r.slowdown.measured, r.slowdown.simulated, percent(r.main_loop_s.error()),
                               fmt::format("{:.0f}/{:.0f}", 100 * r.slow_after_slow.measured, 100 * r.slow_after_slow.simulated),
                               ins ? ins->p50_ms.measured : 0.0, ins ? percent(ins->p50_ms.error()) : "", ins ? ins->ks : 0.0,
                               bat ? fmt::format("{:.3f}", bat->p50_ms.measured) : "-", bat ? percent(bat->p50_ms.error()) : "-",
                               bat ? fmt::format("{:.2f}", bat->ks) : "-", percent(r.bytes_sent.error()));
        }
    }
    if (replays.size() > 1)
        for (const auto& r : replays)
            for (const auto& w : r.warnings) out += fmt::format("warning: {}: {}\n", r.trace, w);
    if (const auto days = by_day(replays); days.size() > 1) {
        out += "mean |error| by recording day (meta.json date):\n";
        out += fmt::format("  {:<10} {:>6} {:>9} {:>9} {:>9} {:>6} {:>9} {:>9} {:>7}\n", "day", "traces", "loop", "insert50", "insert95",
                           "KS", "batch50", "batch95", "bytes");
        auto cell = [](const Json& m, const char* key, bool share) {
            if (!m.contains(key) || m.at(key).is_null()) return std::string("-");
            const double v = m.at(key).get<double>();
            return share ? fmt::format("{:.2f}", v) : fmt::format("{:.1f}%", 100 * v);
        };
        for (const auto& [day, traces] : days) {
            const Json m = mean_abs_errors(traces);
            out += fmt::format("  {:<10} {:>6} {:>9} {:>9} {:>9} {:>6} {:>9} {:>9} {:>7}\n", day.empty() ? "?" : day, traces.size(),
                               cell(m, "main_loop_s", false), cell(m, "local_insert.p50_ms", false), cell(m, "local_insert.p95_ms", false),
                               cell(m, "local_insert.ks", true), cell(m, "batch_send.p50_ms", false), cell(m, "batch_send.p95_ms", false),
                               cell(m, "bytes_sent", false));
        }
    }
    if (const auto repeats = repeat_recordings(replays); !repeats.groups.empty()) {
        std::size_t traces = 0;
        for (const auto& g : repeats.groups) traces += g.traces.size();
        out += fmt::format("recorded more than once: {} configurations, {} traces, {} pairs ({} on the same day); mean |difference|\n"
                           "when one recording predicts another of the same configuration, beside the model's mean |error|:\n",
                           repeats.groups.size(), traces, repeats.pairs,
                           repeats.figures.empty() ? std::size_t{0} : repeats.figures.front().pairs_same_day);
        out += fmt::format("  {:<22} {:>10} {:>10} {:>8}\n", "figure", "recordings", "same day", "model");
        for (const auto& f : repeats.figures) {
            const bool share = f.name.ends_with(".ks");
            auto cell = [&](double v) {
                if (!std::isfinite(v)) return std::string("-");
                return share ? fmt::format("{:.2f}", v) : fmt::format("{:.1f}%", 100 * v);
            };
            out += fmt::format("  {:<22} {:>10} {:>10} {:>8}\n", f.name, cell(f.between), cell(f.between_same_day), cell(f.model));
        }
    }
    if (!limits.empty()) {
        out += "limit rate D* (lowest rate with slowdown above 1.05, per minute):\n";
        for (const auto& l : limits)
            out += fmt::format("  N = {:>2}, AG = {:>2}: measured {:>7}, predicted {:>7} ({})\n", l.instances, l.aggregation,
                               optional_rate(l.measured), optional_rate(l.predicted),
                               l.measured && l.predicted ? percent(l.error()) : "n/a");
    }
    return out;
}

}  // namespace tbsim::validation
