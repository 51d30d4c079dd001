// The shape of a collaborative cloud (Study B): one central controller (API services, conductor,
// schedulers, RabbitMQ, MySQL) and compute servers at sites, each site joined to the controller by a
// VPN tunnel over a WAN link.
//
// Topology (node names in quotes):
//   "site-<k>" --wan-<k>-- "hub" --uplink-- "controller" --internal-- "controller-db"
// The uplink is the controller's WAN (VPN) interface, where Study B captured: its forward direction
// (hub -> controller) is traffic to the controller. The internal link carries the controller's own
// database traffic, which never crosses the WAN. Server i is at site i mod sites and sends from the
// site's router: the LAN inside a site (gigabit, a fraction of a millisecond) never limits control
// traffic, so it is not modelled, which keeps the network's size independent of the servers.
//
// The WAN's numbers come from a network profile (scenarios/profiles/network/<name>.yaml, embedded:
// study-b-vpn, the default, and capture-veth); a scenario's `wan`, `uplink` and `internal` keys
// change single values on top of it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"
#include "sim/net/topology.hpp"

namespace tbsim::models::openstack {

/// A compute server's hypervisor and hardware, for VM boots.
struct ServerHardware {
    double cores = 6.0;                                  // cores available to VM builds
    sim::Time spawn_work = sim::Time::from_ms(1500);     // CPU time of one spawn on one core
    sim::Time spawn_time = sim::Time::from_ms(1000);     // spawn time that is not CPU (disk, libvirt)
    sim::Time destroy_time = sim::Time::from_ms(500);    // hypervisor teardown of a VM
    double agent_cores = 1.0;                            // nova-compute is one Python process: one core
};

/// The controller's processors, shared by API, scheduler and conductor work of VM operations.
struct ControllerHardware {
    double cores = 4.0;
};

struct Deployment {
    std::string network = "study-b-vpn";  // the network profile wan and uplink start from
    std::int64_t servers = 1;
    std::int64_t sites = 1;
    std::int64_t vms_per_server = 0;  // idle VMs present from the start
    // Servers whose services were started together (a testbed brought up by one script): every
    // task's first run is one draw for the whole plane, each server later by its own uniform draw
    // in [0, start_spread). None: each server's phases drawn on their own (servers started apart).
    std::optional<sim::Time> start_spread;
    // How much slower the hosts run than on the day the profile's CPU times were measured: every
    // processor of the controller and of the servers does 1/factor of a core-second of that day's
    // work per second (the clients', the services', nova-compute's, the spawns'). Replaying a
    // capture sets it from the capture's speed gauge (docs/openstack.md).
    double cpu_time_factor = 1.0;
    ServerHardware hardware;
    ControllerHardware controller;
    sim::net::LinkParams wan;       // site router <-> hub, through the VPN
    sim::net::LinkParams uplink;    // hub <-> controller: the controller's WAN interface
    sim::net::LinkParams internal;  // controller <-> its database: a LAN inside the controller's site

    Deployment();
};

/// Reads `deployment:` (absent: every default) of a scenario in folder `base_dir`: the network
/// profile first, then the keys. `where` names the scenario for errors when the mapping is absent.
void read_deployment(const std::optional<sim::ConfigNode>& node, const sim::ConfigNode& where, const std::string& base_dir, Deployment& d);

/// The topology; link 0 is the uplink, link 1 the internal link.
sim::net::TopologySpec build_topology(const Deployment& d);

std::string server_name(std::int64_t i);
/// The node server i sends from: its site's router, site i mod sites (CallExecutor relies on it).
std::string server_site(const Deployment& d, std::int64_t i);
inline constexpr std::size_t kUplinkLink = 0;
inline constexpr std::size_t kInternalLink = 1;

/// The declarations of `deployment:` and of a network profile.
std::vector<sim::ParamSection> deployment_params();

}  // namespace tbsim::models::openstack
