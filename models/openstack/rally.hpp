// Rally's NovaServers.boot_and_delete_server: `concurrency` users, each creating a VM, waiting until
// it is active, deleting it and waiting until it is gone, then starting over, until `times` VMs
// have been created in all. Rally learns the state by polling the API (from the controller's side,
// so the polls do not cross the WAN): first `prepoll_delay` after the request, then every
// `poll_interval` until active; every `delete_poll_interval` until the VM is gone. Users beyond
// `times` would find nothing left to create: only min(concurrency, times) start.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>

#include "models/openstack/vm_lifecycle.hpp"
#include "sim/random/value_distribution.hpp"
#include "sim/stats/tally.hpp"

namespace tbsim::models::openstack {

struct RallySpec {
    std::int64_t times = 0;  // 0: no Rally run
    std::int64_t concurrency = 1;
    sim::Time start = sim::Time::from_s(10);
    // Rally's defaults (nova_server_boot_prepoll_delay, nova_server_boot_poll_interval,
    // nova_server_delete_poll_interval).
    sim::Time prepoll_delay = sim::Time::from_s(1);
    sim::Time poll_interval = sim::Time::from_s(1);
    sim::Time delete_poll_interval = sim::Time::from_s(2);
    // CPU of a client's start before each request (an openstack CLI: Python start-up,
    // authentication, look-ups), on the controller's processors, which the clients share with the
    // services, as where the Zed captures were recorded; 0: Rally, one long-running process.
    sim::ValueDistribution client_start_work = sim::ValueDistribution::constant(0.0);  // seconds

    /// The users that have a VM to create: each is one process, with an event pending from the start.
    std::int64_t users() const { return std::min(concurrency, times); }
};

class RallyRun {
public:
    RallyRun(sim::Simulation& sim, VmLifecycle& lifecycle, RallySpec spec);
    /// Starts the users.
    void start();

    bool finished() const { return users_done_ == spec_.users(); }
    sim::Time started() const { return spec_.start; }
    /// When the last VM was gone (the simulation's end if the run did not finish).
    sim::Time ended(sim::Time horizon) const { return finished() ? end_ : horizon; }
    std::int64_t created() const { return created_; }
    /// Create (request to seen active) and delete (request to seen gone) as the users saw them,
    /// their start included, in seconds.
    const sim::Tally& seen_create_seconds() const { return seen_create_s_; }
    const sim::Tally& seen_delete_seconds() const { return seen_delete_s_; }

private:
    sim::Process user();
    /// A client starting before a request: its CPU on the controller's processors.
    sim::Process client_start();
    sim::Simulation& sim_;
    VmLifecycle& lifecycle_;
    RallySpec spec_;
    std::deque<Vm> vms_;
    std::int64_t created_ = 0;
    std::int64_t users_done_ = 0;
    sim::Time end_;
    sim::Tally seen_create_s_, seen_delete_s_;
    sim::RandomStream client_rng_;
};

}  // namespace tbsim::models::openstack
