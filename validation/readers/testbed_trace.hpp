// A trace of the real testbed (tbsim-testbed, docs/traces.md) read back: the run's conditions
// (meta.json), every database operation with its times (trace.csv, trace.csv.gz or trace.csv.xz),
// the traffic per node (bytes.csv) and, when recorded, per node pair (flows.csv).
//
// Strict: a missing file or column, a cell that is not a number, an operation that ends before it
// starts, an instance's operations out of order, an instance the metadata does not have, a
// truncated gzip: a ConfigError "FILE:LINE: message" (exit code 2 on the command line).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/mysqlrep/operation_log.hpp"

namespace tbsim::validation {

using models::mysqlrep::BenchmarkOp;
using models::mysqlrep::BenchmarkPhase;

struct TraceOperation {
    std::uint32_t instance = 0;
    BenchmarkPhase phase = BenchmarkPhase::sync;
    BenchmarkOp op = BenchmarkOp::connect;
    std::uint32_t peer = 0;
    std::int64_t rows = 0;
    std::int64_t start_ns = 0;  // since the launcher started the applications
    std::int64_t end_ns = 0;
    bool ok = true;
    double latency_ms() const { return static_cast<double>(end_ns - start_ns) * 1e-6; }
};

struct TraceNode {
    std::uint32_t instance = 0;
    std::string address;
    bool master = false;
    std::int64_t cpu_ns = 0;           // CPU of the container (server and application) over the run
    std::int64_t throttled_ns = 0;     // time its CPU quota held it back
    std::int64_t throttled_periods = 0;
    // bytes.csv: Ethernet frames at the host-side veth
    std::int64_t sent_bytes = 0, sent_packets = 0, received_bytes = 0, received_packets = 0;
};

struct TraceLimits {
    std::optional<double> cpu_quota_cores;  // CFS quota per container, in cores
    std::int64_t cpu_period_us = 100000;
    std::optional<double> bandwidth_bps;    // tc tbf on both ends of every veth
    std::optional<std::string> bandwidth;   // as given to the launcher ("1mbit")
    std::optional<double> delay_s;          // one-way delay added to every packet a node receives
    std::optional<std::string> delay;
};

struct TraceFlow {
    std::uint32_t from = 0, to = 0;
    std::int64_t frames = 0, bytes = 0;
};

struct TestbedTrace {
    std::string folder;
    std::string name;  // the folder's name
    std::int64_t instances = 0;
    double rate_per_minute = 0;
    std::int64_t aggregation = 0;
    std::int64_t inserts = 0;
    bool remote_inserts = true;
    std::int64_t poll_period_ms = 1000;
    std::int64_t seed = 0;
    TraceLimits limits;
    std::int64_t cores = 0;
    double host_busy_fraction = 0;          // of all cores' time over the run (meta.json host_load)
    std::optional<double> run_s;            // the run's wall-clock time, the applications' start to the last end
    std::optional<double> setup_s;          // time to build the testbed (data directories, servers started)
    std::optional<double> servers_start_s;  // the part of it that started the N servers (meta.json setup_phases_s.start)
    // The launcher's probe of the host just before the run (meta.json host_probe_us, since
    // 2026-12-05): medians of a pipe round trip to a blocked thread and of a 512-byte fdatasync, in us.
    std::optional<double> probe_wake_round_trip_us, probe_fdatasync_us;
    std::optional<std::int64_t> probe_samples;  // of each of the two
    // The host's disks over the run (meta.json host_load.disk, since 2026-12-06): the share of time
    // with a request in flight, and what every process and the servers alone wrote, in bytes (the
    // launcher also records the writes and flushes completed, which nothing here reads yet).
    struct HostDisk {
        double busy_fraction = 0;
        std::int64_t write_bytes = 0, servers_write_bytes = 0;
    };
    std::optional<HostDisk> host_disk;
    std::string date;
    std::vector<TraceNode> nodes;             // by instance
    std::vector<TraceOperation> operations;   // in file order: grouped by instance, each in its order
    std::optional<std::vector<TraceFlow>> flows;

    /// How long the launcher's host probe took, in seconds (none without one): each of its samples
    /// of each kind sleeps 1 ms first (1.06 ms with the timer's slack and wake-up), then takes its
    /// median (validation/testbed/launcher/host_probe.cpp).
    std::optional<double> probe_s() const;
    /// CPU the host spent outside the containers over the run, in cores: its busy time less the
    /// containers' cpu_ns (0 when meta.json has no run_s).
    double foreign_cores() const;
    /// Bytes a second the host's disks took from anything but the servers (the kernel's journal,
    /// foreign processes) over the run; none without host_load.disk or run_s.
    std::optional<double> foreign_write_bytes_per_s() const;
    /// How late the application's paced main loop woke, in seconds: the median over the local
    /// inserts whose previous iteration (its local insert and batches) ended at least
    /// kPacingMargin_s before it was due of (start - the previous local insert's start - the
    /// period); the application sleeps until the previous start plus the period. None when fewer
    /// than 20 such inserts (a loop that never waits) or a median not above 0.
    std::optional<double> pacing_lateness_s() const;
    static constexpr double kPacingMargin_s = 0.5e-3;

    /// The span of an instance's main loop: first local insert's start to its last operation's end
    /// in the main phase, in seconds.
    double main_loop_s(std::uint32_t instance) const;
    /// The slowest instance's main loop, in seconds (Study A's figure of merit).
    double main_loop_s() const;
    /// The main loop's period, 1 / D, in seconds (0 without a rate).
    double period_s() const { return rate_per_minute > 0 ? 60.0 / rate_per_minute : 0.0; }
    /// inserts / D, in seconds (the main loop of a configuration that keeps up).
    double nominal_main_loop_s() const { return static_cast<double>(inserts) * 60.0 / rate_per_minute; }
    /// What shows that the run did not complete: failed operations (ok = 0) and instances with
    /// fewer local inserts than K, one sentence each; empty for a complete run. tbsim-testbed
    /// writes no trace of a run that failed, so these come from a trace cut or edited afterwards.
    std::vector<std::string> incomplete_run() const;
};

/// Reads the trace in `folder`. Throws sim::ConfigError on anything malformed.
TestbedTrace read_testbed_trace(const std::string& folder);
/// Reads the traces in `folders`, on up to `jobs` threads, in that order. Where several are
/// malformed, the error is the first folder's in that order, whatever the threads did.
std::vector<TestbedTrace> read_testbed_traces(const std::vector<std::string>& folders, unsigned jobs);

/// Whether `folder` holds a testbed trace (a meta.json of the testbed's format).
bool is_testbed_trace(const std::string& folder);

}  // namespace tbsim::validation
