// The `openstack` model: a release profile's control traffic over a deployment, with optional VM
// operations and a Rally run, measured at the controller's WAN interface (Study B).
//
//   profile: juno                       # embedded name, or a profile file (relative to this file)
//   deployment: {servers: 4, vms_per_server: 0, wan: {...}, uplink: {...}, server: {...}}
//   phases: {nova-compute.periodic_tasks: 25s}    # optional: pin a task's first run on every server
//   operations: [{create_at: 2s, delete_after: 5s}]   # optional: single VMs created then deleted
//   rally: {times: 20, concurrency: 2, start: 10s}     # optional: boot-and-delete
//   sweep: [{parameter: servers, values: [0, 1, 2, 3, 4]}]  # optional: one run per point; a line
//                                                           # fit of mean_kbps when there is one axis
//   outputs: {bin: 1s}
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/openstack/deployment.hpp"
#include "models/openstack/rally.hpp"
#include "models/openstack/release_profile.hpp"
#include "sim/scenario/scenario_model.hpp"

namespace tbsim::models::openstack {

struct VmOperation {
    sim::Time create_at;
    std::optional<sim::Time> delete_after;  // after the VM is active; none: kept
};

struct SweepAxis {
    std::string parameter;  // servers, vms_per_server, rally.times, rally.concurrency
    std::vector<double> values;
};

struct OpenStackSpec {
    sim::ScenarioHeader header;
    ReleaseProfile profile;
    Deployment deployment;
    std::map<std::string, sim::Time> phases;
    std::vector<VmOperation> operations;
    RallySpec rally;
    std::vector<SweepAxis> sweep;
    sim::Time bin = sim::Time::from_s(1);
    bool internal_database = true;  // simulate the controller's own database traffic (outputs.internal_database)
};

/// Figures at the controller's WAN interface for one simulated point (see docs/outputs.md).
struct PointFigures {
    sim::Json figures;
    sim::CsvTable series;  // uplink series by direction and protocol
    std::uint64_t events = 0;
};

/// Simulates one point (no sweep) of `spec`, replication `replication`.
PointFigures simulate_point(const OpenStackSpec& spec, std::uint64_t replication);

/// Applies a sweep value to a copy of the spec.
void apply_parameter(OpenStackSpec& spec, const std::string& parameter, double value);

std::unique_ptr<sim::PreparedScenario> read_openstack_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header);
std::unique_ptr<sim::PreparedScenario> make_openstack_scenario(OpenStackSpec spec);

std::string openstack_params();

}  // namespace tbsim::models::openstack
