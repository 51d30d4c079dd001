#include "validation/replay/testbed_replay.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "models/mysqlrep/cpu_layout.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/parallel_for.hpp"
#include "sim/core/simulation.hpp"
#include "validation/replay/sample_stats.hpp"

namespace tbsim::validation {
namespace {

using models::mysqlrep::BenchmarkOp;
using models::mysqlrep::BenchmarkPhase;
using models::mysqlrep::OperationRecord;
using sim::Time;

// First start and last end of each instance's operations in each phase.
struct Spans {
    std::vector<std::array<Time, 4>> first, last;
    std::vector<std::array<bool, 4>> seen;
    explicit Spans(std::size_t instances) : first(instances), last(instances), seen(instances) {}
    void add(const OperationRecord& r) {
        const auto p = static_cast<std::size_t>(models::mysqlrep::phase_of(r.op));
        if (r.instance >= seen.size()) return;
        if (!seen[r.instance][p] || r.start < first[r.instance][p]) first[r.instance][p] = r.start;
        if (!seen[r.instance][p] || r.end > last[r.instance][p]) last[r.instance][p] = r.end;
        seen[r.instance][p] = true;
    }
    double span_s(std::size_t i, BenchmarkPhase phase) const {
        const auto p = static_cast<std::size_t>(phase);
        return seen[i][p] ? (last[i][p] - first[i][p]).seconds() : 0.0;
    }
    // The slowest instance's span of `phase`, and which instance that is.
    std::pair<double, std::size_t> slowest(BenchmarkPhase phase) const {
        double worst = 0.0;
        std::size_t who = 0;
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (span_s(i, phase) > worst) worst = span_s(i, phase), who = i;
        return {worst, who};
    }
};

Spans spans_of(const std::vector<OperationRecord>& ops, std::size_t instances) {
    Spans s(instances);
    for (const auto& r : ops) s.add(r);
    return s;
}

// When each local insert of `instance` ended, in seconds since its main loop's first operation.
std::vector<double> progress_of(const std::vector<OperationRecord>& ops, std::size_t instance, const Spans& spans) {
    std::vector<double> ends;
    const Time begin = spans.first[instance][static_cast<std::size_t>(BenchmarkPhase::main)];
    for (const auto& r : ops)
        if (r.instance == instance && r.op == BenchmarkOp::local_insert) ends.push_back((r.end - begin).seconds());
    std::sort(ends.begin(), ends.end());
    return ends;
}

// How many main-loop operations are slow, and how many of those that start right after a slow one.
struct SlowOperations {
    double operations = 0, slow = 0, after_slow = 0, slow_after_slow = 0;
    void add(std::vector<OperationRecord> ops, std::size_t instances) {
        std::erase_if(ops, [](const OperationRecord& r) { return models::mysqlrep::phase_of(r.op) != BenchmarkPhase::main; });
        models::mysqlrep::sort_by_instance_and_start(ops);
        const OperationRecord* previous = nullptr;
        for (const auto& r : ops) {
            if (r.instance >= instances) continue;
            const bool is_slow = r.milliseconds() > kSlowOperationMs;
            operations += 1;
            slow += is_slow ? 1 : 0;
            if (previous != nullptr && previous->instance == r.instance && previous->milliseconds() > kSlowOperationMs &&
                (r.start - previous->end).milliseconds() <= kBackToBackMs) {
                after_slow += 1;
                slow_after_slow += is_slow ? 1 : 0;
            }
            previous = &r;
        }
    }
    double share() const { return operations > 0 ? slow / operations : 0.0; }
    double share_after_slow() const { return after_slow > 0 ? slow_after_slow / after_slow : 0.0; }
};

// Local inserts that reach their server while a peer's batch is under way there (begun before
// them, not yet answered), against those that meet no batch at all: the share of the first and
// how much longer they take, median against median, in ms. A likely cause of the wait: InnoDB
// flushes a server's redo log one flush at a time, so a commit that finds one under way waits
// for it (docs/mysqlrep.md, "A batch under way").
struct ContendedInserts {
    std::vector<double> under_way_ms, alone_ms;
    double inserts = 0;
    void add(const std::vector<OperationRecord>& ops, std::size_t instances) {
        // Per receiving server, its batches' starts in order and the latest end among the batches
        // begun so far: one begun by time t is still under way at t when that latest end is later.
        std::vector<std::vector<std::pair<Time, Time>>> batches_to(instances);  // (start, end)
        for (const auto& r : ops)
            if (r.op == BenchmarkOp::batch_send && r.peer < instances) batches_to[r.peer].emplace_back(r.start, r.end);
        std::vector<std::vector<Time>> starts(instances), latest_end(instances);
        for (std::size_t i = 0; i < instances; ++i) {
            std::sort(batches_to[i].begin(), batches_to[i].end());
            Time latest = Time::zero();
            for (const auto& [start, end] : batches_to[i]) {
                latest = std::max(latest, end);
                starts[i].push_back(start);
                latest_end[i].push_back(latest);
            }
        }
        for (const auto& r : ops) {
            if (r.op != BenchmarkOp::local_insert || r.instance >= instances) continue;
            inserts += 1;
            const auto& s = starts[r.instance];
            const auto begun = static_cast<std::size_t>(std::upper_bound(s.begin(), s.end(), r.start) - s.begin());
            const auto begun_by_end = static_cast<std::size_t>(std::lower_bound(s.begin(), s.end(), r.end) - s.begin());
            if (begun > 0 && latest_end[r.instance][begun - 1] > r.start) under_way_ms.push_back(r.milliseconds());
            else if (begun_by_end == begun) alone_ms.push_back(r.milliseconds());  // no batch begins during it either
        }
    }
    double share() const { return inserts > 0 ? static_cast<double>(under_way_ms.size()) / inserts : 0.0; }
    // NaN when either group has fewer than kContentionSamples inserts.
    double excess_ms() const {
        if (under_way_ms.size() < kContentionSamples || alone_ms.size() < kContentionSamples) return std::nan("");
        return median_of(under_way_ms) - median_of(alone_ms);
    }
    static double median_of(std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return quantile(v, 0.5);
    }
};

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
        bench.start();
        sim.run_before(horizon);
        runs.events += static_cast<double>(sim.events_processed());
        const Spans spans = spans_of(log, n);
        runs.main_loop_s += spans.slowest(BenchmarkPhase::main).first;
        for (const auto p : models::mysqlrep::kBenchmarkPhases) runs.phase_s[static_cast<std::size_t>(p)] += spans.slowest(p).first;
        for (const auto& rec : log) runs.operations_ms[rec.op].push_back(rec.milliseconds());
        runs.slow.add(log, n);
        runs.contended.add(log, n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto a = bench.activity(i);
            runs.activity[i].cpu_s += a.cpu_s;
            runs.activity[i].sent_bytes += a.sent_bytes;
            runs.activity[i].received_bytes += a.received_bytes;
            runs.activity[i].throttled += a.throttled;
            runs.activity[i].throttled_periods += a.throttled_periods;
        }
        if (r == 0) {
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

const std::vector<std::string>& keys_set_by_traces() {
    static const std::vector<std::string> keys{"workload",           "hosts.count",      "hosts.cores", "hosts.threads",
                                               "hosts.foreign_cores", "hosts.setup_time", "hosts.pacing_lateness", "hosts.cpu_ratio", "limits"};
    return keys;
}

TraceReplay replay_trace(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& profile, const ReplayOptions& options) {
    const auto wall_start = std::chrono::steady_clock::now();
    auto spec = testbed_spec(trace, profile);
    const auto n = static_cast<std::size_t>(trace.instances);
    const auto measured_ops = trace_operations(trace);
    const Spans measured_spans = spans_of(measured_ops, n);
    const auto driven = options.mode == ReplayMode::driven ? driven_starts(measured_ops, n) : models::mysqlrep::DrivenStarts{};

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
    out.conditions.foreign_cores = spec.hosts.foreign_cores;
    out.conditions.setup_s = trace.setup_s;
    out.conditions.probe_fdatasync_us = trace.probe_fdatasync_us;
    out.conditions.probe_wake_round_trip_us = trace.probe_wake_round_trip_us;
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
    out.main_loop_s = {measured_spans.slowest(BenchmarkPhase::main).first, main_loop / reps};
    out.slowdown = {out.main_loop_s.measured / nominal, out.main_loop_s.simulated / nominal};
    SlowOperations slow_measured;
    slow_measured.add(measured_ops, n);
    out.slow_share = {slow_measured.share(), slow_simulated.share()};
    out.slow_after_slow = {slow_measured.share_after_slow(), slow_simulated.share_after_slow()};
    ContendedInserts contended_measured;
    contended_measured.add(measured_ops, n);
    out.contention_share = {contended_measured.share(), runs.contended.share()};
    out.contention_excess_ms = {contended_measured.excess_ms(), runs.contended.excess_ms()};
    out.progress_measured_s = {progress_of(measured_ops, measured_spans.slowest(BenchmarkPhase::main).second, measured_spans)};
    for (const auto p : models::mysqlrep::kBenchmarkPhases)
        out.phases.push_back({p, {measured_spans.slowest(p).first, phase_s[static_cast<std::size_t>(p)] / reps}});

    std::map<BenchmarkOp, std::vector<double>> measured_ms;
    for (const auto& rec : measured_ops) measured_ms[rec.op].push_back(rec.milliseconds());
    for (const auto op : models::mysqlrep::kBenchmarkOps) {
        auto& m = measured_ms[op];
        auto& s = simulated_ms[op];
        if (m.empty() && s.empty()) continue;
        std::sort(m.begin(), m.end());
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
        c.measured_sorted_ms = std::move(m);
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
    // Longest first, so that the last thread does not start the biggest trace alone.
    std::vector<std::size_t> order(traces.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return traces[a].operations.size() > traces[b].operations.size();
    });
    sim::parallel_for(order, jobs, [&](std::size_t i) { replays[i] = replay_trace(traces[i], profile, options); });
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
