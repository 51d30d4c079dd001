// The periodic control traffic of every compute server: each task of each service of the release
// profile runs on every server at its period, from a first run drawn from the task's phase
// distribution (each server and task with its own random stream). A run's calls, one after the
// other, are worked out arithmetically through the CallExecutor, up to kLookahead ahead of the
// clock; past that the run continues in a new event. So a short task (a state report) costs one
// event, and no link's reservation calendar holds more than about a lookahead of traffic booked
// ahead. A run that outlasts its period delays the next one, as oslo's periodic task loop does.
// A task `within` another, once due, waits for that task's next run on its server and runs right
// after it (the host's run wakes it): the same pass, so mostly the same second.
// Runs and their continuations are direct events of the engine (an index, no callback): with a
// hundred thousand servers the queue holds about a million of them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/openstack/call_executor.hpp"
#include "models/openstack/deployment.hpp"
#include "models/openstack/release_profile.hpp"
#include "sim/core/large_array_allocator.hpp"
#include "sim/core/simulation.hpp"

namespace tbsim::models::openstack {

/// Servers [first, end) of a deployment.
struct ServerRange {
    std::int64_t first = 0;
    std::int64_t end = 0;
};

class ControlPlane {
public:
    /// `pinned_phases` fixes the first run of tasks named "service.task" (for reproducing a capture).
    /// `servers`: the servers this plane runs (all of the deployment's unless a partition's).
    ControlPlane(sim::Simulation& sim, CallExecutor& calls, const ReleaseProfile& profile, const Deployment& deployment,
                 std::map<std::string, sim::Time> pinned_phases, std::optional<ServerRange> servers = std::nullopt);

    /// Schedules the first run of every task on every server.
    void start();

    std::int64_t vms(std::size_t server) const { return vms_[server - first_server_]; }
    void change_vms(std::size_t server, std::int64_t delta);
    std::uint64_t task_runs() const { return task_runs_; }

    /// How far ahead of the clock a run's calls are worked out before it continues in a new event.
    static constexpr sim::Time kLookahead = sim::Time::from_ms(40);

private:
    struct alignas(64) Runner {  // one task on one server: one cache line
        sim::RandomStream rng;
        sim::Time started;
        sim::Time next_call;       // when the next call leaves (before the first run: its start)
        std::uint32_t server;      // counted from first_server_ (a partition's servers may number past 2^32)
        std::uint16_t task;        // index in tasks_
        std::uint16_t call = 0;    // index in the task's calls
        std::uint32_t repeat = 0;  // calls of that kind already made
        std::int32_t vms = 0;      // the server's VMs, kept with each of its runners: one cache line per event
    };
    static_assert(sizeof(Runner) == 64, "a runner is one cache line");
    // Runner::call of a task `within` another that is due and waits for its host's next run.
    static constexpr std::uint16_t kWaitingForHost = UINT16_MAX;
    void start_run(std::size_t runner);
    void continue_run(std::size_t runner);

    sim::Simulation& sim_;
    CallExecutor& calls_;
    std::vector<const TaskSpec*> tasks_;  // every task of every service, in profile order
    std::vector<std::vector<std::uint16_t>> inside_;  // per task: the tasks that run within it
    std::vector<Runner, sim::LargeArrayAllocator<Runner>> runners_;  // a million on a large plan: huge pages
    std::vector<std::uint32_t> position_;  // where runner (server, task) is stored, at (server - first) x tasks + task
    // Direct events (sim/core/event_queue.hpp): a runner's next run, and the rest of a run.
    std::uint32_t start_event_ = 0;
    std::uint32_t continue_event_ = 0;
    std::size_t first_server_ = 0;
    std::vector<std::int32_t> vms_;  // of servers first_server_ onwards
    std::uint64_t task_runs_ = 0;
};

}  // namespace tbsim::models::openstack
