// The `openstack` model: a release profile's control traffic over a deployment, with optional VM
// operations and a Rally run, measured at the controller's WAN interface (Study B).
//
//   profile: juno                       # embedded name, or a profile file (relative to this file)
//   deployment: {network: study-b-vpn, servers: 4, vms_per_server: 0, wan: {...}, uplink: {...}, server: {...}}
//   phases: {nova-compute.periodic_tasks: 25s}    # optional: pin a task's first run on every server
//   operations: [{create_at: 2s, delete_after: 5s}]   # optional: single VMs created then deleted
//   rally: {times: 20, concurrency: 2, start: 10s}     # optional: boot-and-delete
//   outputs: {bin: 1s, internal_database: true}
// A sweep over any of these keys is the scenario's `sweep:` section (sim/scenario/sweep_spec.hpp).
// `tbsim plan` is this model too: scenarios/openstack/plan.yaml and the overrides of its options.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/openstack/deployment.hpp"
#include "models/openstack/openstack_figures.hpp"
#include "models/openstack/rally.hpp"
#include "models/openstack/release_profile.hpp"
#include "sim/scenario/run_ticker.hpp"
#include "sim/scenario/scenario_model.hpp"

namespace tbsim::models::openstack {

struct VmOperation {
    sim::Time create_at;
    std::optional<sim::Time> delete_after;  // after the VM is active; none: kept
};

struct OpenStackSpec {
    sim::ScenarioHeader header;
    ReleaseProfile profile;
    Deployment deployment;
    std::map<std::string, sim::Time> phases;
    std::vector<VmOperation> operations;
    RallySpec rally;
    sim::Time bin = sim::Time::from_s(1);
    bool internal_database = true;  // simulate the controller's own database traffic (outputs.internal_database)
    std::int64_t partition_servers = 500;  // independent servers are simulated in partitions of at most this many
};

/// One simulated point: its figures, and the uplink's series when asked for.
struct PointRun {
    OpenStackFigures figures;
    std::optional<sim::CsvTable> series;  // uplink and internal link, by direction and protocol
    // With the series: bytes per bin at the controller's WAN interface, by protocol (rabbitmq,
    // mysql, http) and direction (to_controller, from_controller), keyed "protocol/direction".
    std::map<std::string, std::vector<double>> wan_bins;
    std::uint64_t events = 0;
};

/// How many partitions the servers of `spec` are simulated in: one unless they never interact.
/// Servers interact through a link direction that queues or loses packets (its calendar, its loss
/// stream) and through VM operations (the controller's processors, the scheduler's choice of
/// server); without those, each server's traffic is the same whichever servers are simulated beside
/// it, and the plane splits into independent partitions of at most `partition_servers` servers
/// whose accounts add up (in partition order, so the figures do not depend on the threads; only the
/// partition size changes the last digits of byte sums). More sites than `partition_servers` also
/// mean one partition: each partition builds every site's link.
std::int64_t partition_count(const OpenStackSpec& spec);

/// Simulates `spec`, replication `replication`, on up to `threads` threads when its servers are
/// independent (see partition_servers); the results do not depend on `threads`.
PointRun simulate_point(const OpenStackSpec& spec, std::uint64_t replication, bool with_series = false, unsigned threads = 1,
                        sim::RunTicker* ticker = nullptr);

/// The spec of an openstack scenario's root (no sweep): what validation replays.
OpenStackSpec read_openstack_spec(const sim::ConfigNode& root, const sim::ScenarioHeader& header);
std::unique_ptr<sim::PreparedScenario> read_openstack_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header);

std::vector<sim::ParamSection> openstack_params();
std::vector<sim::FigureDoc> openstack_figures();

}  // namespace tbsim::models::openstack
