// VM creation and deletion as sequences of steps (release_profile.hpp): API work and scheduling on
// the controller, the build request cast to the chosen server, bursts of RPCs from the server
// (instance state updates, network setup, block devices), the hypervisor's spawn, and nova's limit
// of builds in progress per server. Three processors are shared, so contention emerges with
// concurrent operations: the controller's cores (API, scheduler, conductor work), each server's
// nova-compute process (one Python process: one core for its work between RPCs), and each
// server's cores for the hypervisor's spawn. Messages have sizes drawn from the measured
// distribution in the profile.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/openstack/call_executor.hpp"
#include "models/openstack/control_plane.hpp"
#include "models/openstack/deployment.hpp"
#include "sim/core/process.hpp"
#include "sim/resources/processor_sharing.hpp"
#include "sim/stats/tally.hpp"

namespace tbsim::models::openstack {

struct Vm {
    std::size_t server = 0;
    sim::Time create_requested;
    sim::Time active;
    sim::Time delete_requested;
    sim::Time gone;
    bool is_active = false;
    bool is_gone = false;
};

class VmLifecycle {
public:
    VmLifecycle(sim::Simulation& sim, CallExecutor& calls, ControlPlane& plane, const LifecycleSpec& spec,
                const Deployment& deployment);

    /// Creates a VM: chooses the server with the fewest VMs (built or building), runs the create steps.
    sim::Process create(Vm& vm);
    /// Deletes an active VM.
    sim::Process remove(Vm& vm);
    /// Work on the controller's processors that is not a VM's (a client starting on that machine).
    sim::Process controller_compute(sim::Time work);

    const sim::Tally& create_seconds() const { return create_s_; }
    const sim::Tally& delete_seconds() const { return delete_s_; }

private:
    sim::Process run_steps(const std::vector<LifecycleStep>& steps, std::size_t server, bool building);

    sim::Simulation& sim_;
    CallExecutor& calls_;
    ControlPlane& plane_;
    const LifecycleSpec& spec_;
    const ServerHardware hardware_;
    std::vector<std::unique_ptr<sim::Resource>> build_slots_;
    sim::ProcessorSharing controller_cpu_;
    std::vector<std::unique_ptr<sim::ProcessorSharing>> agent_cpus_;  // nova-compute processes
    std::vector<std::unique_ptr<sim::ProcessorSharing>> cpus_;        // hypervisor cores
    std::vector<std::int64_t> building_;
    sim::RandomStream rng_;
    sim::Tally create_s_;
    sim::Tally delete_s_;
};

}  // namespace tbsim::models::openstack
