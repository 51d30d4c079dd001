#include "models/mysqlrep/benchmark_spec.hpp"

#include <algorithm>
#include <cmath>

#include "sim/stats/gauge_factor.hpp"

namespace tbsim::models::mysqlrep {

using sim::Check;
using sim::param;

const sim::ParamTable<DatabaseCosts>& database_table() {
    static const sim::ParamTable<DatabaseCosts> t{
        "database (native cost of each MySQL operation)",
        {
            param("insert_work", &DatabaseCosts::insert_work, "CPU of a single-row insert", Check::non_negative),
            param("batch_fixed_work", &DatabaseCosts::batch_fixed_work, "CPU of a multi-row insert, fixed part", Check::non_negative),
            param("batch_row_work", &DatabaseCosts::batch_row_work, "CPU of a multi-row insert, per row", Check::non_negative),
            param("select_work", &DatabaseCosts::select_work, "CPU of a select on the sync table", Check::non_negative),
            param("commit_work", &DatabaseCosts::commit_work, "CPU of a commit", Check::non_negative),
            param("background_share", &DatabaseCosts::background_share,
                  "of a committing statement's server CPU, the share InnoDB's own threads spend after its commit (off its path)",
                  Check::probability),
            sim::distribution_param("commit_io", &DatabaseCosts::commit_io, sim::ValueKind::duration,
                                    "wait for the redo log's flush at a commit (not CPU)"),
            param("group_commit", &DatabaseCosts::group_commit,
                  "one log flush at a time per server: a commit that finds one under way waits for it, then shares the next "
                  "with every commit waiting (InnoDB's group commit); false: each commit flushes on its own"),
            param("group_commit_waits_stalls", &DatabaseCosts::group_commit_waits_stalls,
                  "under group_commit, the commits waiting for a stalled flush wait for its stall too; false: they go when "
                  "the flush would have ended without it, the stall delays only the commit that drew it"),
            param("row_latch_share", &DatabaseCosts::row_latch_share,
                  "of an inserting statement's server CPU, the share spent holding the data table's last page's latch (its "
                  "AUTO_INCREMENT key puts every row there), with the statement's waits above its median: a server's inserts "
                  "write one at a time; 0: no latch",
                  Check::probability),
            sim::distribution_param("page_read", &DatabaseCosts::page_read, sim::ValueKind::duration,
                                    "one page read back from the disk into the buffer pool (in the host's disk queue with "
                                    "hosts.disk_queue), times the host's wait factor; 0: no reads"),
            param("buffer_pool_commits", &DatabaseCosts::buffer_pool_commits,
                  "transactions whose pages the buffer pool holds: a server that committed c in its last background round "
                  "finds a page evicted with probability max(0, 1 - this / c)",
                  Check::non_negative),
            param("statement_pages", &DatabaseCosts::statement_pages,
                  "pages an inserting statement needs that can be evicted (each read back when it is)", Check::non_negative),
            param("purge_pages_per_commit", &DatabaseCosts::purge_pages_per_commit,
                  "pages each background round reads back per transaction committed since the last, where the pool misses",
                  Check::non_negative),
            param("purge_read_threads", &DatabaseCosts::purge_read_threads,
                  "threads of a round's reads, each one read after the other", Check::positive),
            param("service_sigma", &DatabaseCosts::service_sigma,
                  "spread of each query's server time: a log-normal factor of median 1 and this sigma", Check::non_negative),
            param("service_wait_share", &DatabaseCosts::service_wait_share,
                  "of a server time above its median, the share spent off the CPU (lock and I/O waits): 0 all CPU, 1 all waiting",
                  Check::probability),
            param("count_row_work", &DatabaseCosts::count_row_work, "CPU per row of the final row count", Check::non_negative),
            param("server_start_work", &DatabaseCosts::server_start_work,
                  "CPU of a server's start, before the benchmark's clock (counted in the node's CPU, not simulated)", Check::non_negative),
            param("connect_work", &DatabaseCosts::connect_work, "server CPU of a new connection", Check::non_negative),
            param("first_statement_wait", &DatabaseCosts::first_statement_wait,
                  "a connection's first statement waits this long at the server beyond its own time (its table handle, its "
                  "transaction; not CPU), times the host's wait factor",
                  Check::non_negative),
            sim::distribution_param("first_statement_io", &DatabaseCosts::first_statement_io, sim::ValueKind::duration,
                                    "a write a connection's first commit queues on the host's disk, off the statement's path "
                                    "(the flushes behind it wait; needs hosts.disk_queue), times the host's wait factor"),
            param("launch_work", &DatabaseCosts::launch_work,
                  "the launcher's CPU per application it starts, one after the other, in the node's cgroup (0: all start at once)",
                  Check::non_negative),
            param("application_start_work", &DatabaseCosts::application_start_work,
                  "an application's CPU from its launch to its first operation (loading and linking its libraries)",
                  Check::non_negative),
            param("client_start_work", &DatabaseCosts::client_start_work,
                  "an application's CPU in its first connection (the client library's initialisation)", Check::non_negative),
            param("client_work", &DatabaseCosts::client_work, "the application's CPU per operation", Check::non_negative),
            param("loop_work", &DatabaseCosts::loop_work, "the application's CPU between two operations of the main loop",
                  Check::non_negative),
            param("syscalls_per_query", &DatabaseCosts::syscalls_per_query, "system calls per query, server side", Check::non_negative),
            param("query_bytes", &DatabaseCosts::query_bytes, "statement and protocol bytes per query", Check::non_negative),
            param("row_bytes", &DatabaseCosts::row_bytes, "bytes per tuple in an INSERT", Check::non_negative),
            param("reply_bytes", &DatabaseCosts::reply_bytes, "bytes of a reply", Check::non_negative),
            param("multi_row_info_bytes", &DatabaseCosts::multi_row_info_bytes,
                  "bytes an INSERT of R > 1 rows adds to its reply, plus R's digits (\"Records: R  Duplicates: 0  Warnings: 0\")",
                  Check::non_negative),
            param("update_info_bytes", &DatabaseCosts::update_info_bytes,
                  "bytes an UPDATE adds to its reply (\"Rows matched: 1  Changed: 1  Warnings: 0\")", Check::non_negative),
            param("result_set_bytes", &DatabaseCosts::result_set_bytes,
                  "bytes of a SELECT's result set besides its rows: column count, column definitions, EOF packets (0: reply_bytes)",
                  Check::non_negative),
            param("result_row_bytes", &DatabaseCosts::result_row_bytes, "bytes of each row a SELECT lists (with result_set_bytes)",
                  Check::non_negative),
        }};
    return t;
}

const sim::ParamTable<Workload>& workload_table() {
    static const sim::ParamTable<Workload> t{
        "workload (Study A's parameters)",
        {
            param("instances", &Workload::instances, "N: instances, each with its own database", Check::positive),
            param("rate", &Workload::rate, "D: local inserts per unit of time, e.g. 600/min", Check::positive),
            param("aggregation", &Workload::aggregation, "AG: local inserts per batch sent to every peer", Check::positive),
            param("inserts", &Workload::inserts, "local inserts of the main loop, per instance", Check::positive),
            param("remote_inserts", &Workload::remote_inserts, "false: the baseline, no batches to the peers"),
            param("poll_period", &Workload::poll_period, "period of listing the sync table", Check::positive),
        }};
    return t;
}

const sim::ParamTable<Hosts>& hosts_table() {
    static const sim::ParamTable<Hosts> t{
        "hosts (physical machines)",
        {
            param("count", &Hosts::count,
                  "physical hosts; instances are placed round-robin, and hosts left without one are idle and not simulated",
                  Check::positive),
            param("cores", &Hosts::cores, "cores per host", Check::positive),
            param("threads", &Hosts::threads, "hardware threads per host (SMT)", Check::positive),
            param("smt_gain", &Hosts::smt_gain, "extra throughput of a hardware thread beyond a core", Check::non_negative),
            param("memory", &Hosts::memory, "memory per host", Check::positive),
            param("wake_up", &Hosts::wake_up, "longest wait of the first work after an idle gap (sleep states, cold caches)",
                  Check::non_negative),
            param("wake_up_time_constant", &Hosts::wake_up_time_constant,
                  "idle gap g costs wake_up * (1 - exp(-g / this))", Check::positive),
            param("wake_latency", &Hosts::wake_latency,
                  "time a woken thread takes to run, busy host or not (a server thread at a request and at its flush's end, "
                  "the client at a reply)",
                  Check::non_negative),
            sim::distribution_param("timer_overshoot", &Hosts::timer_overshoot, sim::ValueKind::duration,
                                    "how late a sleeping process wakes past its deadline (the application's sleeps; "
                                    "the delay daemon's release of each message under limits.receive_delay)"),
            param("disk_queue", &Hosts::disk_queue,
                  "the host's disk as one queue: log flushes wait for each other and for the servers' page flushes"),
            param("disk_channels", &Hosts::disk_channels,
                  "flushes the host's disk queue serves at once (disk_queue; 1: one at a time)", Check::positive),
            param("page_flush_period", &Hosts::page_flush_period,
                  "period of each database server's background round (page flush: disk_queue; its CPU)", Check::positive),
            param("page_flush_together", &Hosts::page_flush_together,
                  "the servers' rounds keep one phase host-wide: every period from the servers' start, page_flush_lead "
                  "(and host_probe) before the clock's origin, each within page_flush_spread_per_instance x N after it; "
                  "false: each server its own random phase"),
            param("page_flush_lead", &Hosts::page_flush_lead,
                  "with page_flush_together, how long before the clock's origin the servers started, not counting host_probe",
                  Check::non_negative),
            param("host_probe", &Hosts::host_probe,
                  "the testbed's probe of the host between the servers' start and the clock's origin (tbsim replay: from "
                  "meta.json host_probe_us)",
                  Check::non_negative),
            param("page_flush_spread_per_instance", &Hosts::page_flush_spread_per_instance,
                  "with page_flush_together, how far the servers' phases spread, per instance", Check::non_negative),
            param("page_flush_fixed", &Hosts::page_flush_fixed, "disk time of a page flush, fixed part", Check::non_negative),
            param("page_flush_per_row", &Hosts::page_flush_per_row, "disk time of a page flush per row inserted since the last",
                  Check::non_negative),
            param("page_flush_latches", &Hosts::page_flush_latches,
                  "the page flush holds the server's data table's last-page latch until its write completes: the server's "
                  "inserts wait (needs disk_queue, a page flush's disk time and database.row_latch_share)"),
            param("page_flush_cpu_fixed", &Hosts::page_flush_cpu_fixed,
                  "CPU of a server's background round (master thread, page cleaner), fixed part", Check::non_negative),
            param("page_flush_cpu_per_row", &Hosts::page_flush_cpu_per_row,
                  "CPU of a server's background round per row inserted since the last", Check::non_negative),
            param("page_flush_cpu_per_commit", &Hosts::page_flush_cpu_per_commit,
                  "CPU of a server's background round per transaction committed since the last", Check::non_negative),
            param("page_flush_cpu_background", &Hosts::page_flush_cpu_background,
                  "the round's CPU runs in the cores' idle time (still counted against a CPU quota); false: shared with the queries"),
            param("page_flush_cpu_latches", &Hosts::page_flush_cpu_latches,
                  "the round's CPU per commit runs commit by commit, each piece holding the server's last-page latch "
                  "(needs database.row_latch_share and page_flush_cpu_per_commit)"),
            param("disk_stall_probability", &Hosts::disk_stall_probability, "probability that a log flush stalls", Check::probability),
            sim::distribution_param("disk_stall", &Hosts::disk_stall, sim::ValueKind::duration, "what a stall adds to the flush"),
            sim::distribution_param("disk_stall_episode", &Hosts::disk_stall_episode, sim::ValueKind::duration,
                                    "how long the host's flushes keep stalling once one has (0: each stall alone)"),
            param("disk_stall_renewal", &Hosts::disk_stall_renewal,
                  "probability that a flush stalling within an episode prolongs it by a fresh draw of disk_stall_episode",
                  Check::probability),
            param("disk_stall_foreign", &Hosts::disk_stall_foreign,
                  "disk_stall_probability grows by this factor per core of foreign_cores: p x (1 + this x foreign_cores)",
                  Check::non_negative),
            param("servers_start", &Hosts::servers_start,
                  "time the launcher took to start the N servers, a gauge of the host's disk (tbsim replay: meta.json "
                  "setup_phases_s.start, where no CPU quota binds the start)",
                  Check::positive),
            param("servers_start_fixed", &Hosts::servers_start_fixed, "the reference start: this plus servers_start_per_instance x N",
                  Check::non_negative),
            param("servers_start_per_instance", &Hosts::servers_start_per_instance, "the reference start's time per server", Check::positive),
            param("stall_start_elasticity", &Hosts::stall_start_elasticity,
                  "disk_stall_probability scales by (servers_start / reference start) to this power (0: ignored)", Check::non_negative),
            param("foreign_cores", &Hosts::foreign_cores,
                  "CPU of processes outside the benchmark, in cores (tbsim replay: from meta.json)", Check::non_negative),
            sim::distribution_param("foreign_wait", &Hosts::foreign_wait, sim::ValueKind::duration,
                                    "wait of a thread whose core a foreign process holds (probability foreign_cores / cores per wake)"),
            param("setup_time", &Hosts::setup_time,
                  "time the testbed took to set up before the run, a gauge of the host's speed (tbsim replay: meta.json setup_s)",
                  Check::positive),
            param("setup_fixed", &Hosts::setup_fixed, "the reference host's setup time, fixed part", Check::non_negative),
            param("setup_per_instance", &Hosts::setup_per_instance, "the reference host's setup time per instance", Check::positive),
            param("setup_elasticity", &Hosts::setup_elasticity,
                  "CPU times scale by (setup_time / reference setup time) to this power (0: setup_time ignored)", Check::non_negative),
            param("setup_wait_elasticity", &Hosts::setup_wait_elasticity,
                  "the host's other times (wake_up, service waits, commit_io, disk stalls) "
                  "scale by the setup ratio to this power",
                  Check::non_negative),
            param("wake_latency_elasticity", &Hosts::wake_latency_elasticity,
                  "wake_latency scales by the setup ratio to this power", Check::non_negative),
            param("start_elasticity", &Hosts::start_elasticity,
                  "the applications' start (launch_work, application_start_work, client_start_work) scales by the setup ratio "
                  "to this power, beyond the CPU factor",
                  Check::non_negative),
            param("setup_ratio_max", &Hosts::setup_ratio_max,
                  "the setup ratio is taken as at most this (none: no bound)", Check::positive),
            param("pacing_lateness", &Hosts::pacing_lateness,
                  "median lateness of the paced main loop's wake-ups, a gauge of the host's wake-ups during the run "
                  "(tbsim replay: from trace.csv)",
                  Check::positive),
            param("pacing_lateness_reference", &Hosts::pacing_lateness_reference, "the reference host's pacing lateness",
                  Check::positive),
            param("pacing_elasticity", &Hosts::pacing_elasticity,
                  "the host's waits and wake latency scale by (pacing_lateness / reference) to this power (0: ignored)",
                  Check::non_negative),
            param("pacing_wake_elasticity", &Hosts::pacing_wake_elasticity,
                  "wake_latency's own power of the pacing ratio (none: pacing_elasticity)", Check::non_negative),
            param("pacing_replaces_setup", &Hosts::pacing_replaces_setup,
                  "where the trace gives a pacing lateness, the setup gauge does not scale the host's waits and wake latency"),
            param("pacing_ratio_max", &Hosts::pacing_ratio_max,
                  "the pacing ratio (lateness / reference) is taken as at most this (none: no bound)", Check::positive),
            param("cpu_ratio", &Hosts::cpu_ratio,
                  "the containers' measured CPU over the model's for the same run, a gauge of the host's speed "
                  "(tbsim replay: meta.json cpu_ns against a first run)",
                  Check::positive),
            param("cpu_ratio_elasticity", &Hosts::cpu_ratio_elasticity,
                  "CPU times scale by cpu_ratio to this power (0: ignored)", Check::non_negative),
            param("cpu_ratio_wait_elasticity", &Hosts::cpu_ratio_wait_elasticity,
                  "the host's waits and wake latency scale by cpu_ratio to this power (0: ignored)", Check::non_negative),
            param("cpu_ratio_max", &Hosts::cpu_ratio_max,
                  "cpu_ratio is taken within [1 / this, this] (none: no bound)", Check::positive),
            param("quota_cpu_factor", &Hosts::quota_cpu_factor,
                  "CPU of a container's work under a CPU quota (limits.cpu_quota), relative to without one", Check::positive),
        }};
    return t;
}

const sim::ParamTable<NetworkSpec>& network_table() {
    static const sim::ParamTable<NetworkSpec> t{
        "network (between the instances' nodes)",
        {
            param("latency", &NetworkSpec::latency, "one-way latency of the switch, before virtualization", Check::non_negative),
            param("bandwidth", &NetworkSpec::bandwidth, "bandwidth of each node's link", Check::positive),
            param("header", &NetworkSpec::header, "bytes each packet adds on the wire (66: Ethernet, IPv4, TCP with timestamps)",
                  Check::non_negative),
            param("ack_every", &NetworkSpec::ack_every, "data packets per header-only ACK (0: none)", Check::non_negative),
            param("delayed_ack", &NetworkSpec::delayed_ack,
                  "a reply's ACK rides on the next request on its connection if that leaves within this time (Linux: 40ms), "
                  "else it is a packet of its own; unset: every reply acknowledged on its own",
                  Check::positive),
        }};
    return t;
}

const sim::ParamTable<Limits>& limits_table() {
    static const sim::ParamTable<Limits> t{
        "limits (tbsim-testbed --cpu-quota, --bandwidth, --delay)",
        {
            param("cpu_quota", &Limits::cpu_quota, "CFS bandwidth per node, in cores per period (cpu.max); none: unlimited",
                  Check::positive),
            param("cpu_period", &Limits::cpu_period, "the CFS period", Check::positive),
            param("cfs_bandwidth_slice", &Limits::cfs_bandwidth_slice,
                  "runtime each CPU's run queue of a node takes from its quota at a time (sched_cfs_bandwidth_slice_us); "
                  "0: the quota as one pool, without per-CPU slices",
                  Check::non_negative),
            param("bandwidth", &Limits::bandwidth, "tc tbf rate on both ends of every node's link; none: unlimited", Check::positive),
            param("tbf_burst", &Limits::tbf_burst, "tbf bucket size; default max(16 KiB, 10 ms at the rate)", Check::positive),
            param("tbf_latency", &Limits::tbf_latency, "tbf's longest queueing delay", Check::positive),
            param("receive_delay", &Limits::receive_delay, "one-way delay added to every message a node receives",
                  Check::non_negative),
        }};
    return t;
}

double DatabaseCosts::reply_bytes_for(std::int64_t rows) const {
    if (rows <= 1 || multi_row_info_bytes.bytes == 0.0) return reply_bytes.bytes;
    double digits = 1.0;
    for (std::int64_t r = rows; r >= 10; r /= 10) digits += 1.0;
    return reply_bytes.bytes + multi_row_info_bytes.bytes + digits;
}

double DatabaseCosts::result_bytes_for(std::int64_t rows) const {
    if (result_set_bytes.bytes == 0.0) return reply_bytes.bytes;
    return result_set_bytes.bytes + result_row_bytes.bytes * static_cast<double>(std::max<std::int64_t>(rows, 0));
}

using sim::gauge_factor;

double Hosts::pacing_factor(double elasticity) const {
    std::optional<double> ratio;
    if (pacing_lateness) ratio = pacing_lateness->seconds() / pacing_lateness_reference.seconds();
    return gauge_factor(ratio, 0.0, pacing_ratio_max, elasticity);
}

double Hosts::cpu_ratio_factor(double elasticity) const {
    return gauge_factor(cpu_ratio, cpu_ratio_max ? 1.0 / *cpu_ratio_max : 0.0, cpu_ratio_max, elasticity);
}

namespace {

/// A time the launcher measured against its reference line for N instances (fixed + per instance x N);
/// none without a measurement.
std::optional<double> ratio_to_line(const std::optional<sim::Time>& measured, sim::Time fixed, sim::Time per_instance, std::int64_t instances) {
    if (!measured) return std::nullopt;
    return measured->seconds() / (fixed.seconds() + per_instance.seconds() * static_cast<double>(instances));
}

}  // namespace

double Hosts::start_stall_factor(std::int64_t instances) const {
    return gauge_factor(ratio_to_line(servers_start, servers_start_fixed, servers_start_per_instance, instances), 0.0, std::nullopt,
                        stall_start_elasticity);
}

double Hosts::setup_factor(std::int64_t instances, double elasticity) const {
    return gauge_factor(ratio_to_line(setup_time, setup_fixed, setup_per_instance, instances), 0.0, setup_ratio_max, elasticity);
}

}  // namespace tbsim::models::mysqlrep
