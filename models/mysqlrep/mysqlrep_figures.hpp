// The figures of a `mysqlrep` scenario: Study A's figure of merit (the main loop of the slowest
// instance, against its nominal length), the phases, the latencies, the host's CPU and the network.
#pragma once

#include <string>
#include <vector>

#include "sim/output/figures.hpp"

namespace tbsim::models::mysqlrep {

/// A latency's distribution over the run, in ms.
struct LatencyFigures {
    double mean = 0.0, p50 = 0.0, p95 = 0.0, p99 = 0.0;
};

template <sim::FiguresOf<LatencyFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.number("mean", f.mean, "ms", "mean");
    v.number("p50", f.p50, "ms", "median");
    v.number("p95", f.p95, "ms", "95th percentile");
    v.number("p99", f.p99, "ms", "99th percentile");
}

struct MysqlRepFigures {
    std::string profile;
    double instances = 0.0, rate_per_min = 0.0, aggregation = 0.0, inserts = 0.0;
    bool remote_inserts = true;
    bool finished = false;
    double boot_s = 0.0, sync_s = 0.0, main_loop_s = 0.0, main_loop_mean_s = 0.0, desync_s = 0.0;
    double nominal_main_loop_s = 0.0, slowdown = 0.0;
    bool keeps_up = false;
    LatencyFigures insert_latency_ms, batch_latency_ms, replication_lag_ms;
    std::vector<double> host_cpu_utilisation;
    double network_bytes = 0.0;
};

/// Study A's threshold: a main loop within 5% of its nominal length keeps up with the rate.
inline constexpr double kKeepsUpSlowdown = 1.05;

template <sim::FiguresOf<MysqlRepFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.text("profile", f.profile, "the nodes' virtualization profile");
    v.number("instances", f.instances, "count", "N");
    v.number("rate_per_min", f.rate_per_min, "1/min", "D: local inserts per minute per instance");
    v.number("aggregation", f.aggregation, "count", "AG: local inserts per batch to every peer");
    v.number("inserts", f.inserts, "count", "local inserts of the main loop, per instance");
    v.flag("remote_inserts", f.remote_inserts, "false: the baseline without batches");
    v.flag("finished", f.finished, "every instance finished within the scenario's duration");
    v.number("boot_s", f.boot_s, "s", "when the last node had booted (the profile's boot time)");
    v.number("sync_s", f.sync_s, "s", "synchronisation phase of the slowest instance");
    v.number("main_loop_s", f.main_loop_s, "s",
             "main loop of the slowest instance: Study A's figure of merit (not finished: a lower bound, the part run and a period "
             "per insert left; the part run only under replay --mode driven)");
    v.number("main_loop_mean_s", f.main_loop_mean_s, "s", "main loop, mean over instances (not finished: lower bounds, as main_loop_s)");
    v.number("desync_s", f.desync_s, "s", "de-synchronisation phase of the slowest instance");
    v.number("nominal_main_loop_s", f.nominal_main_loop_s, "s", "inserts / D");
    v.number("slowdown", f.slowdown, "ratio", "main_loop_s / nominal_main_loop_s (not finished: a lower bound)");
    v.flag("keeps_up", f.keeps_up,
           "finished with slowdown <= 1.05: the configuration keeps up with the rate (above: its limit; not finished: false, "
           "and the summary says whether the lower bound already falls behind)");
    v.group("insert_latency_ms", f.insert_latency_ms, "a local insert, request to commit acknowledged");
    v.group("batch_latency_ms", f.batch_latency_ms, "one batch to one peer, sent to acknowledged");
    v.group("replication_lag_ms", f.replication_lag_ms, "a row's local commit to its commit at a peer (percentiles within 0.5%)");
    v.numbers("host_cpu_utilisation", f.host_cpu_utilisation, "fraction",
              "per host that holds a node (round-robin fills the first ones), time zero to the benchmark's end, idle load included");
    v.number("network_bytes", f.network_bytes, "B", "wire bytes of the benchmark's messages");
}

}  // namespace tbsim::models::mysqlrep
