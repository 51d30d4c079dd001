// The periodic control traffic of every compute server: each task of each service of the release
// profile runs on every server at its period, from a first run drawn from the task's phase
// distribution (each server and task with its own random stream). One run of a task is one event:
// its calls, one after the other, are worked out arithmetically through the CallExecutor.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/openstack/call_executor.hpp"
#include "models/openstack/deployment.hpp"
#include "models/openstack/release_profile.hpp"
#include "sim/core/simulation.hpp"

namespace tbsim::models::openstack {

class ControlPlane {
public:
    /// `pinned_phases` fixes the first run of tasks named "service.task" (for reproducing a capture).
    ControlPlane(sim::Simulation& sim, CallExecutor& calls, const ReleaseProfile& profile, const Deployment& deployment,
                 std::map<std::string, sim::Time> pinned_phases);

    /// Schedules the first run of every task on every server.
    void start();

    std::int64_t vms(std::size_t server) const { return vms_[server]; }
    void change_vms(std::size_t server, std::int64_t delta) { vms_[server] += delta; }
    std::uint64_t task_runs() const { return task_runs_; }

private:
    struct Runner {
        const TaskSpec* task;
        std::uint32_t server;
        sim::RandomStream rng;
        sim::Time first;
    };
    void run(std::size_t runner);

    sim::Simulation& sim_;
    CallExecutor& calls_;
    std::vector<Runner> runners_;
    std::vector<std::int64_t> vms_;
    std::uint64_t task_runs_ = 0;
};

}  // namespace tbsim::models::openstack
