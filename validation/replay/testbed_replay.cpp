#include "validation/replay/testbed_replay.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "models/mysqlrep/cpu_layout.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/parallel_for.hpp"
#include "sim/core/simulation.hpp"
#include "validation/replay/operation_patterns.hpp"
#include "validation/replay/sample_stats.hpp"

namespace tbsim::validation {
namespace {

using models::mysqlrep::BenchmarkOp;
using models::mysqlrep::BenchmarkPhase;
using models::mysqlrep::OperationRecord;
using sim::Time;

models::mysqlrep::DrivenStarts driven_starts(const std::vector<OperationRecord>& ops, std::size_t instances) {
    models::mysqlrep::DrivenStarts starts(instances);
    std::vector<std::optional<Time>> begin(instances);
    for (const auto& r : ops) {
        if (models::mysqlrep::phase_of(r.op) != BenchmarkPhase::main || r.instance >= instances) continue;
        if (!begin[r.instance]) begin[r.instance] = r.start;
        starts[r.instance].push_back(r.start - *begin[r.instance]);
    }
    return starts;
}

// What the recording ran, K aside (TraceReplay::configuration).
std::string configuration_of(const TestbedTrace& trace) {
    std::string c = fmt::format("N={} D={:g}/min AG={}", trace.instances, trace.rate_per_minute, trace.aggregation);
    if (!trace.remote_inserts) c += " baseline";
    c += fmt::format(" poll={}ms cores={}", trace.poll_period_ms, trace.cores);
    const auto& l = trace.limits;
    if (l.cpu_quota_cores) c += fmt::format(" cpu_quota={:g}/{}us", *l.cpu_quota_cores, l.cpu_period_us);
    if (l.bandwidth_bps) c += fmt::format(" bandwidth={:g}bps", *l.bandwidth_bps);
    if (l.delay_s) c += fmt::format(" delay={:g}s", *l.delay_s);
    return c;
}

// A run lasts as long as the trace's, at most many times over (a model that falls far behind).
Time horizon_of(const TestbedTrace& trace) { return Time::from_seconds(3600.0 + 100.0 * trace.nominal_main_loop_s()); }

// The replications of one trace's run: operations pooled; spans, events and node figures summed.
struct SimulatedRuns {
    std::map<BenchmarkOp, std::vector<double>> operations_ms;
    double main_loop_s = 0.0, events = 0.0;
    std::array<double, 4> phase_s{};
    std::vector<models::mysqlrep::NodeActivity> activity;
    SlowOperations slow;
    LateIterations late;
    SlowWindow window;
    ContendedInserts contended;
    std::vector<OperationRecord> first_log;
    std::vector<double> first_progress_s;  // the slowest instance's insert ends (progress_of)
};

SimulatedRuns simulate(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& spec, const ReplayOptions& options,
                       const models::mysqlrep::DrivenStarts& driven) {
    const auto n = static_cast<std::size_t>(trace.instances);
    SimulatedRuns runs;
    runs.activity.resize(n);
    const Time horizon = horizon_of(trace);
    for (std::int64_t r = 0; r < options.replications; ++r) {
        std::vector<OperationRecord> log;
        sim::Simulation sim(options.seed, static_cast<std::uint64_t>(r));
        models::mysqlrep::ReplicationBenchmark bench(sim, spec, &log, options.mode == ReplayMode::driven ? &driven : nullptr);
        bench.skip_figures();
        bench.start();
        sim.run_before(horizon);
        runs.events += static_cast<double>(sim.events_processed());
        const PhaseSpans spans(log, n);
        runs.main_loop_s += spans.slowest(BenchmarkPhase::main).first;
        for (const auto p : models::mysqlrep::kBenchmarkPhases) runs.phase_s[static_cast<std::size_t>(p)] += spans.slowest(p).first;
        for (const auto& rec : log) runs.operations_ms[rec.op].push_back(rec.milliseconds());
        if (!options.fit_figures_only) {
            runs.slow.add(log, n);
            runs.late.add(log, n, Time::from_seconds(trace.period_s()));
            runs.window.add(log);
            runs.contended.add(log, n);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const auto a = bench.activity(i);
            runs.activity[i].cpu_s += a.cpu_s;
            runs.activity[i].sent_bytes += a.sent_bytes;
            runs.activity[i].received_bytes += a.received_bytes;
            runs.activity[i].throttled += a.throttled;
            runs.activity[i].throttled_periods += a.throttled_periods;
        }
        if (r == 0 && !options.fit_figures_only) {
            runs.first_progress_s = progress_of(log, spans.slowest(BenchmarkPhase::main).second, spans);
            runs.first_log = std::move(log);
        }
    }
    return runs;
}

// The containers' CPU in the replications of a trace's run, summed over them and the nodes: the
// runs of simulate() without their operations logged, which the model does not read (the same
// seeds, so the same CPU as simulate()'s).
double simulated_cpu_s(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& spec, const ReplayOptions& options,
                       const models::mysqlrep::DrivenStarts& driven) {
    const Time horizon = horizon_of(trace);
    std::vector<double> node_cpu_s(static_cast<std::size_t>(trace.instances), 0.0);  // summed as simulate() does
    for (std::int64_t r = 0; r < options.replications; ++r) {
        sim::Simulation sim(options.seed, static_cast<std::uint64_t>(r));
        models::mysqlrep::ReplicationBenchmark bench(sim, spec, nullptr, options.mode == ReplayMode::driven ? &driven : nullptr);
        bench.skip_figures();
        bench.start();
        sim.run_before(horizon);
        for (std::size_t i = 0; i < node_cpu_s.size(); ++i) node_cpu_s[i] += bench.activity(i).cpu_s;
    }
    double cpu_s = 0.0;
    for (const double c : node_cpu_s) cpu_s += c;
    return cpu_s;
}

// The CPU gauge (hosts.cpu_ratio): the containers' measured CPU over the simulated without the
// gauge, when the profile uses it and the trace has CPU to read.
std::optional<double> measured_cpu_ratio(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& spec, const ReplayOptions& options,
                                         const models::mysqlrep::DrivenStarts& driven) {
    const auto& h = spec.hosts;
    if (h.cpu_ratio_elasticity == 0.0 && h.cpu_ratio_wait_elasticity == 0.0) return std::nullopt;
    double measured = 0.0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(trace.instances); ++i) measured += static_cast<double>(trace.nodes[i].cpu_ns) * 1e-9;
    if (measured <= 0.0) return std::nullopt;
    const double simulated = simulated_cpu_s(trace, spec, options, driven) / static_cast<double>(std::max<std::int64_t>(1, options.replications));
    if (simulated <= 0.0) return std::nullopt;
    return measured / simulated;
}

// The traces' indices, longest first, so that the last thread does not start the biggest trace alone.
std::vector<std::size_t> longest_first(const std::vector<TestbedTrace>& traces) {
    std::vector<std::size_t> order(traces.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return traces[a].operations.size() > traces[b].operations.size(); });
    return order;
}

}  // namespace

const char* replay_mode_name(ReplayMode m) { return m == ReplayMode::model ? "model" : "driven"; }

double Comparison::error() const { return relative_error(measured, simulated); }

double LimitRate::error() const { return measured && predicted ? relative_error(*measured, *predicted) : 0.0; }

const OperationComparison* TraceReplay::op(BenchmarkOp kind) const {
    for (const auto& o : ops)
        if (o.op == kind) return &o;
    return nullptr;
}

std::vector<OperationRecord> trace_operations(const TestbedTrace& trace) {
    std::vector<OperationRecord> ops;
    ops.reserve(trace.operations.size());
    for (const auto& o : trace.operations)
        if (o.ok)  // a failed operation's time is not a service time
            ops.push_back({o.instance, o.peer, o.op, Time::from_ns(o.start_ns), Time::from_ns(o.end_ns), static_cast<std::uint32_t>(o.rows)});
    return ops;
}

models::mysqlrep::BenchmarkSpec testbed_spec(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& profile) {
    auto spec = profile;
    auto& w = spec.workload;
    w.instances = trace.instances;
    w.rate = sim::Frequency{trace.rate_per_minute / 60.0};
    w.aggregation = trace.aggregation;
    w.inserts = trace.inserts;
    w.remote_inserts = trace.remote_inserts;
    w.poll_period = Time::from_ms(trace.poll_period_ms);
    spec.hosts.count = 1;
    spec.hosts.cores = static_cast<double>(trace.cores);
    spec.hosts.threads = static_cast<double>(trace.cores);
    spec.hosts.foreign_cores = trace.foreign_cores();
    spec.hosts.setup_time.reset();
    if (trace.setup_s) spec.hosts.setup_time = Time::from_seconds(*trace.setup_s);
    spec.hosts.servers_start.reset();
    // Under a CPU quota the servers start inside it: their start gauges the quota, not the disk.
    if (trace.servers_start_s && !trace.limits.cpu_quota_cores) spec.hosts.servers_start = Time::from_seconds(*trace.servers_start_s);
    spec.hosts.host_probe.reset();
    if (const auto probe = trace.probe_s()) spec.hosts.host_probe = Time::from_seconds(*probe);
    spec.hosts.pacing_lateness.reset();
    if (const auto late = trace.pacing_lateness_s()) spec.hosts.pacing_lateness = Time::from_seconds(*late);
    auto& l = spec.limits;
    l.cpu_quota = trace.limits.cpu_quota_cores;
    l.cpu_period = Time::from_us(trace.limits.cpu_period_us);
    l.bandwidth.reset();
    if (trace.limits.bandwidth_bps) l.bandwidth = sim::DataRate{*trace.limits.bandwidth_bps};
    l.receive_delay = Time::from_seconds(trace.limits.delay_s.value_or(0.0));
    if (const auto shortage = models::mysqlrep::cpu_shortage(spec))
        throw sim::ConfigError(fmt::format("{}/meta.json: {} instances on {} cores: {} (the profile's placement cannot run this trace: {})",
                                           trace.folder, trace.instances, trace.cores, shortage->reason, shortage->key));
    return spec;
}

// The model reads the trace's foreign CPU as a load that writes and flushes the host's disk (more
// log-flush stalls, hosts.disk_stall_foreign) and holds its cores (a woken thread waits for a
// foreign slice, foreign_wait), as on the committed traces. Measured beside the benchmark
// (validation/testbed/foreign-load, docs/mysqlrep.md "Foreign load, measured"), a load that only
// computes, up to a core of the host's two, left the local inserts' median within 15%; one that
// writes 16 kB pages and flushes them raised it 2.6 times. Where the foreign CPU multiplies the
// stalls by this much or more, the prediction depends on which kind the trace's load was: say so.
constexpr double kForeignStallsWarning = 4.0;

std::optional<std::string> foreign_load_warning(const TestbedTrace& trace, const models::mysqlrep::Hosts& hosts) {
    const double stalls = hosts.foreign_stall_factor();
    if (stalls < kForeignStallsWarning) return std::nullopt;
    const auto disk = trace.foreign_write_bytes_per_s();
    return fmt::format("{:.2f} cores of foreign CPU multiply the model's log-flush stalls by {:.1f} and make {:.0f}% of wake-ups wait for "
                       "a foreign slice: right for a foreign load that writes and flushes the disk, far too slow for one that only "
                       "computes (docs/mysqlrep.md, \"Foreign load, measured\"); {}",
                       hosts.foreign_cores, stalls, 100.0 * hosts.foreign_wait_share(),
                       disk ? fmt::format("this run's disks took {:.2f} MB/s beside the servers' writes", *disk * 1e-6)
                            : std::string("the trace does not say what the host's disks took (host_load.disk)"));
}

const std::vector<std::string>& keys_set_by_traces() {
    static const std::vector<std::string> keys{"workload",           "hosts.count",      "hosts.cores", "hosts.threads",
                                               "hosts.foreign_cores", "hosts.setup_time", "hosts.servers_start", "hosts.host_probe", "hosts.pacing_lateness",
                                               "hosts.cpu_ratio",   "limits"};
    return keys;
}

MeasuredTrace measure_trace(const TestbedTrace& trace) {
    const auto n = static_cast<std::size_t>(trace.instances);
    const auto ops = trace_operations(trace);
    MeasuredTrace m;
    for (const auto& rec : ops) m.latency_ms[rec.op].push_back(rec.milliseconds());
    for (auto& [op, ms] : m.latency_ms) std::sort(ms.begin(), ms.end());
    const PhaseSpans spans(ops, n);
    for (const auto p : models::mysqlrep::kBenchmarkPhases) m.phase_s[static_cast<std::size_t>(p)] = spans.slowest(p).first;
    m.progress_s = progress_of(ops, spans.slowest(BenchmarkPhase::main).second, spans);
    SlowOperations slow;
    slow.add(ops, n);
    m.slow_share = slow.share();
    m.slow_after_slow = slow.share_after_slow();
    LateIterations late;
    late.add(ops, n, Time::from_seconds(trace.period_s()));
    m.late_share = late.share();
    m.late_slowdown = late.slowdown_added();
    SlowWindow window;
    window.add(ops);
    m.window_phase_s = window.phase_s();
    m.window_share = window.share();
    ContendedInserts contended;
    contended.add(ops, n);
    m.contention_share = contended.share();
    m.contention_excess_ms = contended.excess_ms();
    m.driven = driven_starts(ops, n);
    return m;
}

std::vector<MeasuredTrace> measure_traces(const std::vector<TestbedTrace>& traces, unsigned jobs) {
    std::vector<MeasuredTrace> measured(traces.size());
    sim::parallel_for(longest_first(traces), jobs, [&](std::size_t i) { measured[i] = measure_trace(traces[i]); });
    return measured;
}

TraceReplay replay_trace(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& profile, const ReplayOptions& options) {
    return replay_trace(trace, measure_trace(trace), profile, options);
}

TraceReplay replay_trace(const TestbedTrace& trace, const MeasuredTrace& measured, const models::mysqlrep::BenchmarkSpec& profile,
                         const ReplayOptions& options) {
    const auto wall_start = std::chrono::steady_clock::now();
    auto spec = testbed_spec(trace, profile);
    const auto n = static_cast<std::size_t>(trace.instances);
    static const models::mysqlrep::DrivenStarts kNotDriven;
    const auto& driven = options.mode == ReplayMode::driven ? measured.driven : kNotDriven;

    TraceReplay out;
    out.trace = trace.name;
    out.folder = trace.folder;
    out.day = trace.date.substr(0, 10);
    out.configuration = configuration_of(trace);
    out.mode = options.mode;
    out.replications = options.replications;
    out.instances = trace.instances;
    out.aggregation = trace.aggregation;
    out.inserts = trace.inserts;
    out.rate_per_minute = trace.rate_per_minute;
    out.limited = trace.limits.cpu_quota_cores || trace.limits.bandwidth_bps || trace.limits.delay_s;
    out.warnings = trace.incomplete_run();
    if (auto warning = foreign_load_warning(trace, spec.hosts)) out.warnings.push_back(std::move(*warning));
    out.conditions.foreign_cores = spec.hosts.foreign_cores;
    out.conditions.setup_s = trace.setup_s;
    if (spec.hosts.servers_start) out.conditions.servers_start_s = spec.hosts.servers_start->seconds();
    out.conditions.stall_factor = spec.hosts.stall_factor(trace.instances);
    out.conditions.probe_fdatasync_us = trace.probe_fdatasync_us;
    out.conditions.probe_wake_round_trip_us = trace.probe_wake_round_trip_us;
    if (trace.host_disk) out.conditions.disk_busy_fraction = trace.host_disk->busy_fraction;
    if (const auto foreign = trace.foreign_write_bytes_per_s()) out.conditions.foreign_write_mb_per_s = *foreign * 1e-6;
    if (spec.hosts.pacing_lateness) out.conditions.pacing_lateness_us = spec.hosts.pacing_lateness->seconds() * 1e6;
    // The simulated runs: operations pooled, spans and node figures averaged.
    if (const auto ratio = measured_cpu_ratio(trace, spec, options, driven)) {
        // The CPU gauge: the run on a host as fast as the containers' CPU says.
        spec.hosts.cpu_ratio = *ratio;
        out.conditions.cpu_ratio = *ratio;
    }
    SimulatedRuns runs = simulate(trace, spec, options, driven);
    out.conditions.cpu_factor = spec.hosts.cpu_slowness(trace.instances);
    out.conditions.wait_factor = spec.hosts.wait_slowness(trace.instances);
    out.conditions.wake_latency_us = spec.hosts.wake_latency_on_the_day(trace.instances).seconds() * 1e6;
    auto& simulated_ms = runs.operations_ms;
    const auto& activity = runs.activity;
    if (options.keep_simulated_operations) out.simulated_operations = std::move(runs.first_log);
    out.progress_simulated_s = {std::move(runs.first_progress_s)};
    const double main_loop = runs.main_loop_s, events = runs.events;
    const auto& phase_s = runs.phase_s;
    const auto& slow_simulated = runs.slow;
    const double reps = static_cast<double>(options.replications);
    out.simulated_events = events / reps;

    const double nominal = trace.nominal_main_loop_s();
    const auto main_phase = static_cast<std::size_t>(BenchmarkPhase::main);
    out.main_loop_s = {measured.phase_s[main_phase], main_loop / reps};
    out.slowdown = {out.main_loop_s.measured / nominal, out.main_loop_s.simulated / nominal};
    out.slow_share = {measured.slow_share, slow_simulated.share()};
    out.slow_after_slow = {measured.slow_after_slow, slow_simulated.share_after_slow()};
    out.late_share = {measured.late_share, runs.late.share()};
    out.late_slowdown = {measured.late_slowdown, runs.late.slowdown_added()};
    out.window_phase_s = {measured.window_phase_s, runs.window.phase_s()};
    out.window_share = {measured.window_share, runs.window.share()};
    out.contention_share = {measured.contention_share, runs.contended.share()};
    out.contention_excess_ms = {measured.contention_excess_ms, runs.contended.excess_ms()};
    out.progress_measured_s = {measured.progress_s};
    for (const auto p : models::mysqlrep::kBenchmarkPhases)
        out.phases.push_back({p, {measured.phase_s[static_cast<std::size_t>(p)], phase_s[static_cast<std::size_t>(p)] / reps}});

    static const std::vector<double> kNone;
    for (const auto op : models::mysqlrep::kBenchmarkOps) {
        const auto found = measured.latency_ms.find(op);
        const auto& m = found != measured.latency_ms.end() ? found->second : kNone;
        auto& s = simulated_ms[op];
        if (m.empty() && s.empty()) continue;
        std::sort(s.begin(), s.end());
        OperationComparison c;
        c.op = op;
        c.count_measured = static_cast<std::int64_t>(m.size());
        c.count_simulated = static_cast<double>(s.size()) / reps;
        c.p50_ms = {quantile(m, 0.50), quantile(s, 0.50)};
        c.p95_ms = {quantile(m, 0.95), quantile(s, 0.95)};
        c.p99_ms = {quantile(m, 0.99), quantile(s, 0.99)};
        auto mean = [](const std::vector<double>& v) {
            double sum = 0.0;
            for (const double x : v) sum += x;
            return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
        };
        c.mean_ms = {mean(m), mean(s)};
        c.ks = ks_distance(m, s);
        c.measured_sorted_ms = m;
        c.simulated_sorted_ms = std::move(s);
        out.ops.push_back(std::move(c));
    }

    double cpu_m = 0, cpu_s = 0, sent_m = 0, sent_s = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& node = trace.nodes[i];
        const auto& a = activity[i];
        NodeComparison c;
        c.instance = static_cast<std::uint32_t>(i);
        c.cpu_s = {static_cast<double>(node.cpu_ns) * 1e-9, a.cpu_s / reps};
        c.bytes_sent = {static_cast<double>(node.sent_bytes), a.sent_bytes / reps};
        c.bytes_received = {static_cast<double>(node.received_bytes), a.received_bytes / reps};
        c.throttled_s = {static_cast<double>(node.throttled_ns) * 1e-9, a.throttled.seconds() / reps};
        c.throttled_periods = {static_cast<double>(node.throttled_periods), static_cast<double>(a.throttled_periods) / reps};
        cpu_m += c.cpu_s.measured, cpu_s += c.cpu_s.simulated;
        sent_m += c.bytes_sent.measured, sent_s += c.bytes_sent.simulated;
        out.nodes.push_back(c);
    }
    const double nodes = static_cast<double>(std::max<std::size_t>(n, 1));
    out.cpu_s = {cpu_m / nodes, cpu_s / nodes};
    out.bytes_sent = {sent_m / nodes, sent_s / nodes};
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    return out;
}

std::vector<TraceReplay> replay_traces(const std::vector<TestbedTrace>& traces, const models::mysqlrep::BenchmarkSpec& profile,
                                       const ReplayOptions& options, unsigned jobs) {
    std::vector<TraceReplay> replays(traces.size());
    sim::parallel_for(longest_first(traces), jobs, [&](std::size_t i) { replays[i] = replay_trace(traces[i], profile, options); });
    return replays;
}

std::vector<TraceReplay> replay_traces(const std::vector<TestbedTrace>& traces, const std::vector<MeasuredTrace>& measured,
                                       const models::mysqlrep::BenchmarkSpec& profile, const ReplayOptions& options, unsigned jobs) {
    std::vector<TraceReplay> replays(traces.size());
    sim::parallel_for(longest_first(traces), jobs, [&](std::size_t i) { replays[i] = replay_trace(traces[i], measured.at(i), profile, options); });
    return replays;
}

std::optional<double> limit_rate(const std::vector<double>& rates, const std::vector<double>& slowdowns, double threshold) {
    for (std::size_t i = 0; i < rates.size(); ++i) {
        if (slowdowns[i] <= threshold) continue;
        if (i == 0) return std::nullopt;  // already behind at the ladder's lowest rate
        const double f = (threshold - slowdowns[i - 1]) / (slowdowns[i] - slowdowns[i - 1]);
        return std::exp(std::log(rates[i - 1]) + f * (std::log(rates[i]) - std::log(rates[i - 1])));
    }
    return std::nullopt;  // keeps up at every rate
}

std::vector<LimitRate> limit_rates(const std::vector<TraceReplay>& replays) {
    // The unlimited traces by (N, AG), by rate: traces at the same rate are averaged.
    std::map<std::pair<std::int64_t, std::int64_t>, std::map<double, std::vector<const TraceReplay*>>> ladders;
    for (const auto& r : replays)
        if (!r.limited) ladders[{r.instances, r.aggregation}][r.rate_per_minute].push_back(&r);
    std::vector<LimitRate> out;
    for (const auto& [key, by_rate] : ladders) {
        if (by_rate.size() < 3) continue;
        LimitRate l;
        l.instances = key.first;
        l.aggregation = key.second;
        for (const auto& [rate, traces] : by_rate) {
            double m = 0, s = 0;
            for (const auto* t : traces) m += t->slowdown.measured, s += t->slowdown.simulated;
            l.rates_per_minute.push_back(rate);
            l.slowdown_measured.push_back(m / static_cast<double>(traces.size()));
            l.slowdown_simulated.push_back(s / static_cast<double>(traces.size()));
        }
        l.measured = limit_rate(l.rates_per_minute, l.slowdown_measured);
        l.predicted = limit_rate(l.rates_per_minute, l.slowdown_simulated);
        out.push_back(std::move(l));
    }
    return out;
}

}  // namespace tbsim::validation
