#include "models/openstack/control_plane.hpp"

#include <cmath>

#include <fmt/format.h>

#include "sim/random/distributions.hpp"

namespace tbsim::models::openstack {

ControlPlane::ControlPlane(sim::Simulation& sim, CallExecutor& calls, const ReleaseProfile& profile, const Deployment& deployment,
                           std::map<std::string, sim::Time> pinned_phases)
    : sim_(sim), calls_(calls), vms_(static_cast<std::size_t>(deployment.servers), deployment.vms_per_server) {
    for (std::int64_t s = 0; s < deployment.servers; ++s) {
        for (const auto& service : profile.services) {
            for (const auto& task : service.tasks) {
                const std::string key = fmt::format("{}.{}", service.name, task.name);
                Runner r{&task, static_cast<std::uint32_t>(s), sim.rng(fmt::format("openstack/{}/{}", server_name(s), key)), {}};
                const auto pinned = pinned_phases.find(key);
                r.first = pinned != pinned_phases.end() ? pinned->second : sim::Time::from_seconds(task.phase.draw(r.rng));
                runners_.push_back(std::move(r));
            }
        }
    }
}

void ControlPlane::start() {
    for (std::size_t i = 0; i < runners_.size(); ++i) sim_.schedule_at(runners_[i].first, [this, i] { run(i); });
}

void ControlPlane::run(std::size_t index) {
    Runner& r = runners_[index];
    const TaskSpec& task = *r.task;
    const auto vms = static_cast<double>(vms_[r.server]);
    auto sized = [&](const PerVmLaw& law, const sim::Fraction& spread) {
        const double v = law.at(vms);
        return spread.value > 0 ? v * (1.0 + sim::draw_uniform(r.rng, -spread.value, spread.value)) : v;
    };
    sim::Time t = sim_.now();
    bool first_call = true;
    for (const CallSpec& call : task.calls) {
        if (call.only_with_vms && vms <= 0) continue;
        const auto count = static_cast<std::int64_t>(std::llround(call.count.at(vms)));
        for (std::int64_t k = 0; k < count; ++k) {
            if (!first_call) t += task.gap;
            first_call = false;
            const double request = sized(call.request, call.size_spread);
            const std::optional<double> reply = call.reply ? std::optional<double>(sized(*call.reply, call.size_spread)) : std::nullopt;
            t = calls_.call(r.server, call.protocol, request, reply, call.controller_time, call.database.at(vms), t);
        }
    }
    ++task_runs_;
    const double j = task.jitter.value;
    const sim::Time next = j > 0 ? task.period.scaled(1.0 + sim::draw_uniform(r.rng, 0.0, j)) : task.period;
    sim_.schedule_in(next, [this, index] { run(index); });
}

}  // namespace tbsim::models::openstack
