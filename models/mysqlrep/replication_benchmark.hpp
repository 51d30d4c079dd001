// Study A's MySQL replication benchmark, run as processes over the hosts' CPUs and the network.
//
// N instances, each an application and its own MySQL database on a node (a VM, a container, ...).
// 1. Sync: connect to every peer (a handshake, and the profile's name-resolution delay per
//    connection), insert a row into the master's sync table (the master is instance 0, the lowest
//    address), list that table every poll period until it holds N rows.
// 2. Main loop (timed): at rate D, a local insert of a random tuple; after every AG local inserts,
//    those AG tuples as one batch into each of the other N-1 databases, one after the other. An
//    insert starts a period after the previous one started, or as soon as the previous work ends
//    if that is later: an application that falls behind stays behind.
// 3. Desync: delete its row from the master's sync table, list it until it is empty.
// Every database operation runs on the CPU of the host of the database's node (processor sharing,
// reduced by the nodes' idle load), with the node profile's per-call, per-packet and per-write
// costs; messages cross the network with the profile's added latency per packet path.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/mysqlrep/benchmark_spec.hpp"
#include "models/mysqlrep/mysqlrep_figures.hpp"
#include "sim/core/process.hpp"
#include "sim/net/network.hpp"
#include "sim/resources/processor_sharing.hpp"
#include "sim/scenario/scenario_model.hpp"
#include "sim/stats/log_histogram.hpp"
#include "sim/stats/tally.hpp"

namespace tbsim::models::mysqlrep {

struct BenchmarkSpec {
    DatabaseCosts database;
    Workload workload;
    Hosts hosts;
    Placement placement;
    virt::VirtProfile profile;
    NetworkSpec network;
};

class ReplicationBenchmark {
public:
    ReplicationBenchmark(sim::Simulation& sim, const BenchmarkSpec& spec);
    ~ReplicationBenchmark();

    /// Starts every instance's application.
    void start();
    bool finished() const { return finished_ == spec_.workload.instances; }
    /// Figures after the run (docs/outputs.md, model mysqlrep).
    MysqlRepFigures figures() const;

private:
    struct Instance {
        std::size_t host = 0;
        std::size_t cpu = 0;
        sim::net::NodeId node = 0;
        sim::Time sync_start, main_start, main_end, desync_end;
    };

    sim::Process application(std::size_t i);
    /// A query from instance `client` to the database of instance `server`; returns when the client
    /// has the reply. `work` is the native CPU of the query at the server.
    sim::Process query(std::size_t client, std::size_t server, double request_bytes, sim::Time work, bool commit, sim::Time* done);
    sim::Process connect(std::size_t client, std::size_t server);

    sim::Simulation& sim_;
    const BenchmarkSpec& spec_;
    // The profile as the instances' queries see it: between separate nodes a packet pays every
    // layer; inside one shared node (containers in a VM) only the innermost layer's bridge.
    virt::VirtProfile query_profile_;
    std::unique_ptr<sim::net::Network> net_;
    sim::net::TagId tag_;
    std::vector<std::unique_ptr<sim::ProcessorSharing>> cpus_;  // one per node (VM, container, shared VM)
    std::vector<std::size_t> cpu_of_;                             // instance -> its node's CPU
    std::vector<double> host_cores_;                              // physical cores of each host
    std::vector<Instance> instances_;
    std::int64_t sync_rows_ = 0;
    std::int64_t finished_ = 0;
    sim::Tally insert_ms_;
    sim::Tally batch_ms_;
    sim::LogHistogram lag_ms_;
};

}  // namespace tbsim::models::mysqlrep
