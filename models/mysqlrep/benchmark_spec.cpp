#include "models/mysqlrep/benchmark_spec.hpp"

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
            param("commit_io", &DatabaseCosts::commit_io, "wait for the log flush of a commit (not CPU)", Check::non_negative),
            param("connect_work", &DatabaseCosts::connect_work, "server CPU of a new connection", Check::non_negative),
            param("client_work", &DatabaseCosts::client_work, "the application's CPU per operation", Check::non_negative),
            param("syscalls_per_query", &DatabaseCosts::syscalls_per_query, "system calls per query, server side", Check::non_negative),
            param("query_bytes", &DatabaseCosts::query_bytes, "statement and protocol bytes per query", Check::non_negative),
            param("row_bytes", &DatabaseCosts::row_bytes, "bytes per tuple in an INSERT", Check::non_negative),
            param("reply_bytes", &DatabaseCosts::reply_bytes, "bytes of a reply", Check::non_negative),
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
            param("count", &Hosts::count, "physical hosts; instances are placed round-robin", Check::positive),
            param("cores", &Hosts::cores, "cores per host", Check::positive),
            param("threads", &Hosts::threads, "hardware threads per host (SMT)", Check::positive),
            param("smt_gain", &Hosts::smt_gain, "extra throughput of a hardware thread beyond a core", Check::non_negative),
            param("memory", &Hosts::memory, "memory per host", Check::positive),
        }};
    return t;
}

const sim::ParamTable<NetworkSpec>& network_table() {
    static const sim::ParamTable<NetworkSpec> t{
        "network (between the instances' nodes)",
        {
            param("latency", &NetworkSpec::latency, "one-way latency of the switch, before virtualization", Check::non_negative),
            param("bandwidth", &NetworkSpec::bandwidth, "bandwidth of each node's link", Check::positive),
        }};
    return t;
}

}  // namespace tbsim::models::mysqlrep
