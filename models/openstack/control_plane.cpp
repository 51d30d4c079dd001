#include "models/openstack/control_plane.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include <fmt/format.h>

#include "sim/core/engine_limit.hpp"
#include "sim/random/distributions.hpp"

namespace tbsim::models::openstack {

ControlPlane::ControlPlane(sim::Simulation& sim, CallExecutor& calls, const ReleaseProfile& profile, const Deployment& deployment,
                           std::map<std::string, sim::Time> pinned_phases, std::optional<ServerRange> servers)
    : sim_(sim), calls_(calls) {
    const ServerRange range = servers.value_or(ServerRange{0, deployment.servers});
    TBSIM_CHECK(0 <= range.first && range.first <= range.end && range.end <= deployment.servers, "server range outside the deployment");
    first_server_ = static_cast<std::size_t>(range.first);
    vms_.assign(static_cast<std::size_t>(range.end - range.first), static_cast<std::int32_t>(deployment.vms_per_server));
    std::vector<std::string> keys;
    std::vector<std::size_t> service_of;  // each task's service, an index into profile.services
    for (std::size_t v = 0; v < profile.services.size(); ++v)
        for (const auto& task : profile.services[v].tasks) {
            tasks_.push_back(&task);
            keys.push_back(fmt::format("{}.{}", profile.services[v].name, task.name));
            service_of.push_back(v);
        }
    TBSIM_CHECK(tasks_.size() <= UINT16_MAX, "too many tasks in a release profile");
    inside_.resize(tasks_.size());
    for (std::size_t t = 0; t < tasks_.size(); ++t) {
        TBSIM_CHECK(tasks_[t]->calls.size() < kWaitingForHost, "too many calls in a task");
        if (tasks_[t]->within.empty()) continue;
        for (std::size_t h = 0; h < tasks_.size(); ++h)  // the host: the named task of the same service
            if (service_of[h] == service_of[t] && tasks_[h]->name == tasks_[t]->within) inside_[h].push_back(static_cast<std::uint16_t>(t));
    }
    // Servers started together share each task's first run (one draw for the plane, the same in every
    // partition), each server shifted by when it started.
    std::vector<sim::Time> plane_phases;
    if (deployment.start_spread) {
        auto rng = sim.rng("openstack/plane-start");
        for (const TaskSpec* task : tasks_) plane_phases.push_back(sim::Time::from_seconds(task->phase.draw(rng)));
    }
    std::vector<Runner> made;  // server by server, task by task: the order events are first scheduled in
    made.reserve(vms_.size() * tasks_.size());
    for (std::int64_t s = range.first; s < range.end; ++s) {
        sim::Time started;
        std::vector<sim::Time> first_pass;  // per service: when its periodic loop first ran, after `started`
        if (deployment.start_spread) {
            auto rng = sim.rng(fmt::format("openstack/{}/start", server_name(s)));
            started = deployment.start_spread->scaled(rng.uniform01());
            for (const ServiceSpec& service : profile.services) {
                if (!service.first_pass_delay.is_random()) {
                    first_pass.push_back(sim::Time::from_seconds(service.first_pass_delay.mean()));
                    continue;
                }
                auto pass_rng = sim.rng(fmt::format("openstack/{}/{}/first-pass", server_name(s), service.name));
                first_pass.push_back(sim::Time::from_seconds(service.first_pass_delay.draw(pass_rng)));
            }
        }
        for (std::size_t t = 0; t < tasks_.size(); ++t) {
            Runner r{sim.rng(fmt::format("openstack/{}/{}", server_name(s), keys[t])), {}, {}, static_cast<std::uint32_t>(s - range.first),
                     static_cast<std::uint16_t>(t), 0, 0, static_cast<std::int32_t>(deployment.vms_per_server)};
            const auto pinned = pinned_phases.find(keys[t]);
            if (pinned != pinned_phases.end()) r.next_call = pinned->second;
            else if (deployment.start_spread) {
                // The plane's runs are at plane_phases[t] + k periods (k = 0 the first one in the
                // simulated window); a server that started later runs `offset` after each of them,
                // so a run pushed past the period stands for the previous one, inside the window.
                const sim::Time offset = started + (tasks_[t]->run_immediately ? first_pass[service_of[t]] : sim::Time());
                r.next_call = plane_phases[t] + offset;
                const sim::Time period = tasks_[t]->period;
                if (plane_phases[t] < period && r.next_call >= period) r.next_call = r.next_call - period;
            }
            else r.next_call = sim::Time::from_seconds(tasks_[t]->phase.draw(r.rng));
            made.push_back(std::move(r));
        }
    }
    // Stored task by task in the order of their first runs: a task with a fixed period then runs
    // through its runners in memory order, run after run, which the processor's prefetcher follows
    // (a hundred thousand servers' runners are tens of MB). Where a runner is stored changes nothing
    // else: events are first scheduled in the order above, so ties in time break as they always did.
    std::vector<std::uint32_t> by_layout(made.size());
    std::iota(by_layout.begin(), by_layout.end(), 0u);
    std::stable_sort(by_layout.begin(), by_layout.end(), [&](std::uint32_t a, std::uint32_t b) {
        return std::pair(made[a].task, made[a].next_call) < std::pair(made[b].task, made[b].next_call);
    });
    position_.resize(made.size());
    runners_.reserve(made.size());
    for (const std::uint32_t i : by_layout) {
        position_[i] = static_cast<std::uint32_t>(runners_.size());
        runners_.push_back(std::move(made[i]));
    }
}

void ControlPlane::start() {
    // Tasks without jitter are re-armed at exactly their period: one FIFO lane per period.
    for (const TaskSpec* task : tasks_)
        if (task->jitter.value == 0.0 && !task->jitter_delay.is_random() && task->jitter_delay.mean() == 0.0) sim_.add_fixed_delay(task->period);
    auto handler = [this](void (*run)(void*, std::uint32_t)) {
        return sim_.add_direct_handler({run, this, runners_.data(), sizeof(Runner)});
    };
    start_event_ = handler([](void* self, std::uint32_t i) { static_cast<ControlPlane*>(self)->start_run(i); });
    continue_event_ = handler([](void* self, std::uint32_t i) { static_cast<ControlPlane*>(self)->continue_run(i); });
    for (const std::uint32_t at : position_) sim_.schedule_direct_at(start_event_, runners_[at].next_call, at);
}

void ControlPlane::change_vms(std::size_t server, std::int64_t delta) {
    const std::size_t local = server - first_server_;
    vms_[local] += static_cast<std::int32_t>(delta);
    for (std::size_t t = 0; t < tasks_.size(); ++t) runners_[position_[local * tasks_.size() + t]].vms = vms_[local];
}

void ControlPlane::start_run(std::size_t index) {
    Runner& r = runners_[index];
    if (!tasks_[r.task]->within.empty() && r.call != kWaitingForHost) {
        r.call = kWaitingForHost;  // due: its host's next run on this server wakes it (continue_run)
        return;
    }
    r.started = sim_.now();
    r.next_call = sim_.now();
    r.call = 0;
    r.repeat = 0;
    continue_run(index);
}

void ControlPlane::continue_run(std::size_t index) {
    Runner& r = runners_[index];
    const TaskSpec& task = *tasks_[r.task];
    const auto vms = static_cast<double>(r.vms);
    auto sized = [&](const PerVmLaw& law, const sim::Fraction& spread) {
        const double v = law.at(vms);
        return spread.value > 0 ? v * (1.0 + sim::draw_uniform(r.rng, -spread.value, spread.value)) : v;
    };
    const sim::Time horizon = sim_.now() + kLookahead;
    for (; r.call < task.calls.size(); ++r.call, r.repeat = 0) {
        const CallSpec& call = task.calls[r.call];
        if ((call.only_with_vms && vms <= 0) || (call.only_without_vms && vms > 0)) continue;
        const double calls = std::floor(call.count.at(vms) + 0.5);  // nearest whole number of calls
        if (calls > static_cast<double>(UINT32_MAX)) [[unlikely]]
            throw sim::EngineLimit(fmt::format("a run of {} makes {:g} '{}' calls at {:g} VMs, more than the 2^32 a run counts: the count "
                                               "law is out of proportion",
                                               task.name, calls, call.name, vms));
        const auto count = static_cast<std::uint32_t>(calls);
        for (; r.repeat < count; ++r.repeat) {
            if (r.next_call > horizon) {  // too far ahead: continue when the clock gets there
                sim_.schedule_direct_at(continue_event_, r.next_call, static_cast<std::uint32_t>(index));
                return;
            }
            const double request = sized(call.request, call.size_spread);
            const std::optional<double> reply = call.reply ? std::optional<double>(sized(*call.reply, call.size_spread)) : std::nullopt;
            const sim::Time done = calls_.call(first_server_ + r.server, call.protocol, request, reply, call.controller_time,
                                               call.database.at(vms), r.next_call, call.framed);
            r.next_call = done + task.gap;
        }
    }
    // The run is over (its last call returns at next_call - gap): schedule the next one.
    ++task_runs_;
    const double j = task.jitter.value;
    sim::Time period = j > 0 ? task.period.scaled(1.0 + sim::draw_uniform(r.rng, 0.0, j)) : task.period;
    if (const double delay = task.jitter_delay.draw(r.rng); delay != 0.0) period = period + sim::Time::from_seconds(delay);
    const sim::Time last_reply = r.next_call - task.gap;
    const sim::Time next = std::max(std::max(r.started + period, last_reply), sim_.now());
    sim_.schedule_direct_at(start_event_, next, static_cast<std::uint32_t>(index));
    // The tasks that run within this one and are due on this server: right after its last call.
    for (const std::uint16_t t : inside_[r.task]) {
        const std::uint32_t at = position_[r.server * tasks_.size() + t];
        if (runners_[at].call == kWaitingForHost) sim_.schedule_direct_at(start_event_, std::max(last_reply, sim_.now()), at);
    }
}

}  // namespace tbsim::models::openstack
