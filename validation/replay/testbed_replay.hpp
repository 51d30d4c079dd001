// Replaying a trace of the real testbed in the model (`tbsim replay`, docs/replay.md).
//
// The scenario comes from the trace's meta.json (N, D, AG, K, baseline, poll period, limits, the
// host's cores) on top of a profile: a `mysqlrep` scenario that carries the testbed's mechanisms
// and numbers (scenarios/mysqlrep/testbed.yaml, or a calibrated copy). Mode `model` lets the
// simulated application pace itself: the prediction. Mode `driven` starts every main-loop
// operation at its recorded time (relative to the instance's main loop), which isolates the
// service times from the pacing. Replications pool their operations; the spans are their means.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/mysqlrep/operation_log.hpp"
#include "models/mysqlrep/replication_benchmark.hpp"
#include "validation/readers/testbed_trace.hpp"
#include "validation/replay/operation_patterns.hpp"

namespace tbsim::validation {

enum class ReplayMode { model, driven };
const char* replay_mode_name(ReplayMode m);

struct ReplayOptions {
    ReplayMode mode = ReplayMode::model;
    std::int64_t replications = 1;
    std::uint64_t seed = 1;  // replication r uses the simulation's stream r of this seed
    bool keep_simulated_operations = false;  // keep the first replication's operations (TraceReplay)
    // Only what a fit's loss reads (replay_residuals.hpp): no slow windows, contention or progress
    // of the simulated runs, which are left empty. A calibration's evaluations.
    bool fit_figures_only = false;
};

/// A measured figure against its simulated counterpart.
struct Comparison {
    double measured = 0.0, simulated = 0.0;
    double error() const;  // (simulated - measured) / measured
};

/// One kind of operation: how many, and its latency's quantiles and KS distance.
struct OperationComparison {
    models::mysqlrep::BenchmarkOp op{};
    std::int64_t count_measured = 0;
    double count_simulated = 0;  // per replication
    Comparison p50_ms, p95_ms, p99_ms, mean_ms;
    double ks = 1.0;
    std::vector<double> measured_sorted_ms, simulated_sorted_ms;  // the samples, for quantiles.csv and CDFs
};

struct PhaseComparison {
    models::mysqlrep::BenchmarkPhase phase{};
    Comparison duration_s;  // the slowest instance's: first start to last end of the phase's operations
};

struct NodeComparison {
    std::uint32_t instance = 0;
    Comparison cpu_s, bytes_sent, bytes_received, throttled_s, throttled_periods;
};

/// What the model read from the trace about the host during the run, and what it made of it: the
/// gauges (docs/replay.md, "What a trace becomes") and the factors they give the profile's times.
struct RunConditions {
    double foreign_cores = 0.0;                 // meta.json: busy time less the containers'
    std::optional<double> setup_s;              // meta.json setup_s
    std::optional<double> servers_start_s;      // meta.json setup_phases_s.start, as the model read it (none under a CPU quota)
    std::optional<double> pacing_lateness_us;   // trace.csv: how late the paced loop woke (median)
    std::optional<double> probe_fdatasync_us;   // meta.json host_probe_us: a 512-byte flush (median; not read by the model)
    std::optional<double> probe_wake_round_trip_us;  // the same probe: a pipe round trip to a blocked thread (median)
    std::optional<double> disk_busy_fraction;   // meta.json host_load.disk: the host's disks busy (not read by the model)
    std::optional<double> foreign_write_mb_per_s;  // the same: MB/s written beside the servers' (journal, foreign processes)
    std::optional<double> cpu_ratio;            // the CPU gauge: measured CPU over a first run's (hosts.cpu_ratio)
    double cpu_factor = 1.0;                    // what CPU times were multiplied by (setup and CPU gauges)
    double wait_factor = 1.0;                   // the host's waits (setup, pacing and CPU gauges)
    double wake_latency_us = 0.0;               // a woken thread's latency on the run
    double stall_factor = 1.0;                  // the log flush's stall probability's (foreign CPU and start gauges)
};

struct TraceReplay {
    std::string trace;      // the folder's name
    std::string folder;
    std::string day;        // the recording's day (meta.json date, YYYY-MM-DD): the host differs from day to day
    // What the recording ran, K aside: "N=4 D=3000/min AG=1 poll=1000ms cores=2" and the baseline
    // and limits when set. Two recordings with the same one are the same configuration.
    std::string configuration;
    ReplayMode mode = ReplayMode::model;
    std::int64_t replications = 1;
    std::int64_t instances = 0, aggregation = 0, inserts = 0;
    double rate_per_minute = 0;
    bool limited = false;   // the trace ran under a CPU quota, a bandwidth or a delay
    std::vector<std::string> warnings;  // the trace's signs of a run that did not complete (TestbedTrace::incomplete_run)
    RunConditions conditions;
    Comparison main_loop_s, slowdown;
    Comparison bytes_sent, cpu_s;  // per node, mean over nodes
    // Slow main-loop operations (above kSlowOperationMs) and whether they come in runs: the share
    // that is slow, and the share slow among those that start right after a slow one of the same
    // instance (within kBackToBackMs of its end). Real hosts stall in episodes (docs/mysqlrep.md).
    Comparison slow_share, slow_after_slow;
    // The main loop's late iterations (LateIterations): their share of the iterations, and what
    // they add to the slowdown. Below the limit rate most of a slowdown's excess over 1.
    Comparison late_share, late_slowdown;
    // Where in each second the operations over the p90 pile up (SlowWindow): the worst 50 ms
    // bin's start (s past each second) and the share of its operations over the p90.
    Comparison window_phase_s, window_share;
    // Local inserts that reach their server while a peer's batch is under way there: their share of
    // the local inserts, and how much longer they take than those that meet no batch (median
    // against median, ms; NaN below kContentionSamples of either). A check of how the model's
    // statements contend at a server (docs/mysqlrep.md, "A batch under way").
    Comparison contention_share, contention_excess_ms;
    std::vector<OperationComparison> ops;
    std::vector<PhaseComparison> phases;
    std::vector<NodeComparison> nodes;
    std::vector<std::vector<double>> progress_measured_s, progress_simulated_s;  // slowest instance's insert ends, s since its main loop began
    std::vector<models::mysqlrep::OperationRecord> simulated_operations;  // the first replication's, when kept
    double simulated_events = 0;
    double wall_s = 0;      // time the replay took

    const OperationComparison* op(models::mysqlrep::BenchmarkOp kind) const;
};


/// The model's parameters for `trace`: `profile` with the trace's workload, limits and cores.
models::mysqlrep::BenchmarkSpec testbed_spec(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& profile);
/// The profile's keys (or sections) that testbed_spec replaces with each trace's own: fitting one
/// of them would change nothing.
const std::vector<std::string>& keys_set_by_traces();

/// What a trace measured, in the replay's terms: computed once per trace and compared with every
/// simulated run of it (a calibration replays each trace a few hundred times).
struct MeasuredTrace {
    std::map<models::mysqlrep::BenchmarkOp, std::vector<double>> latency_ms;  // each kind's, sorted (ms)
    std::array<double, 4> phase_s{};  // the slowest instance's span of each phase (s)
    std::vector<double> progress_s;   // the slowest main loop's insert ends (progress_of)
    double slow_share = 0.0, slow_after_slow = 0.0;  // SlowOperations
    double late_share = 0.0, late_slowdown = 0.0;    // LateIterations
    double window_phase_s = 0.0, window_share = 0.0;  // SlowWindow
    double contention_share = 0.0, contention_excess_ms = 0.0;  // ContendedInserts
    models::mysqlrep::DrivenStarts driven;  // each instance's main-loop starts, from its first (mode driven)
};
MeasuredTrace measure_trace(const TestbedTrace& trace);
/// Each trace's, on up to `jobs` threads, in the traces' order.
std::vector<MeasuredTrace> measure_traces(const std::vector<TestbedTrace>& traces, unsigned jobs);

/// Replays `trace`, whose measures are `measured` (measure_trace(trace)).
TraceReplay replay_trace(const TestbedTrace& trace, const MeasuredTrace& measured, const models::mysqlrep::BenchmarkSpec& profile,
                         const ReplayOptions& options);
/// Replays `trace`, measuring it first.
TraceReplay replay_trace(const TestbedTrace& trace, const models::mysqlrep::BenchmarkSpec& profile, const ReplayOptions& options);

/// Replays each trace on up to `jobs` threads; the results in the traces' order, the same whatever
/// the threads do.
std::vector<TraceReplay> replay_traces(const std::vector<TestbedTrace>& traces, const models::mysqlrep::BenchmarkSpec& profile,
                                       const ReplayOptions& options, unsigned jobs);
/// The same, with each trace's measures computed before (`measured[i]` is traces[i]'s).
std::vector<TraceReplay> replay_traces(const std::vector<TestbedTrace>& traces, const std::vector<MeasuredTrace>& measured,
                                       const models::mysqlrep::BenchmarkSpec& profile, const ReplayOptions& options, unsigned jobs);

/// The operations of a trace as the model logs them.
std::vector<models::mysqlrep::OperationRecord> trace_operations(const TestbedTrace& trace);

/// The limit of Study A measured and predicted on a ladder: the traces of one (N, AG) without
/// limits at three rates or more. D* is the lowest rate with slowdown above 1.05, interpolated in
/// log(rate) between the last rate at or below and the first above; none if no rate crosses.
struct LimitRate {
    std::int64_t instances = 0, aggregation = 0;
    std::vector<double> rates_per_minute;
    std::vector<double> slowdown_measured, slowdown_simulated;
    std::optional<double> measured, predicted;
    double error() const;
};
std::optional<double> limit_rate(const std::vector<double>& rates, const std::vector<double>& slowdowns, double threshold = 1.05);
std::vector<LimitRate> limit_rates(const std::vector<TraceReplay>& replays);

}  // namespace tbsim::validation
