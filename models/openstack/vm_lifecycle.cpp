#include "models/openstack/vm_lifecycle.hpp"

#include "sim/core/check.hpp"

namespace tbsim::models::openstack {

VmLifecycle::VmLifecycle(sim::Simulation& sim, CallExecutor& calls, ControlPlane& plane, const LifecycleSpec& spec,
                         const Deployment& deployment)
    : sim_(sim),
      calls_(calls),
      plane_(plane),
      spec_(spec),
      hardware_(deployment.hardware),
      // A slower day: each processor's cores do 1/factor of the work per second.
      controller_cpu_(sim, deployment.controller.cores / deployment.cpu_time_factor, 1.0 / deployment.cpu_time_factor),
      rng_(sim.rng("openstack/lifecycle")) {
    for (std::int64_t s = 0; s < deployment.servers; ++s) {
        build_slots_.push_back(std::make_unique<sim::Resource>(sim, static_cast<std::size_t>(spec.max_concurrent_builds)));
        const double speed = 1.0 / deployment.cpu_time_factor;
        cpus_.push_back(std::make_unique<sim::ProcessorSharing>(sim, hardware_.cores * speed, speed));
        agent_cpus_.push_back(std::make_unique<sim::ProcessorSharing>(sim, hardware_.agent_cores * speed, hardware_.agent_cores * speed));
        building_.push_back(0);
    }
}

sim::Process VmLifecycle::run_steps(const std::vector<LifecycleStep>& steps, std::size_t server, bool building) {
    using Kind = LifecycleStep::Kind;
    bool holds_slot = false;
    for (const LifecycleStep& step : steps) {
        if (building && !holds_slot && step.kind != Kind::controller_work) {
            co_await build_slots_[server]->acquire();
            holds_slot = true;
        }
        const sim::Time now = sim_.now();
        const Protocol protocol = step.protocol.value_or(spec_.protocol);
        const sim::ValueDistribution& request_size = step.request ? *step.request : spec_.message_size;
        const sim::ValueDistribution& reply_size = step.reply ? *step.reply : spec_.message_size;
        const auto messages = static_cast<std::int64_t>(step.messages.at(static_cast<double>(plane_.vms(server))) + 0.5);
        switch (step.kind) {
            case Kind::controller_work: {
                const sim::Time read = calls_.database_read(step.database.bytes, now);
                co_await controller_cpu_.run(step.work.draw(rng_));
                co_await sim_.until(read);
                break;
            }
            case Kind::server_work:
                co_await agent_cpus_[server]->run(step.work.draw(rng_));
                break;
            case Kind::cast_to_server: {
                sim::Time last = now;
                for (std::int64_t m = 0; m < messages; ++m)
                    last = std::max(last, calls_.cast_to_server(server, protocol, request_size.draw(rng_), now));
                co_await sim_.until(last);
                break;
            }
            case Kind::cast_to_controller: {
                sim::Time last = now;
                for (std::int64_t m = 0; m < messages; ++m)
                    last = std::max(last, calls_.call(server, protocol, request_size.draw(rng_), std::nullopt,
                                                      sim::Time::zero(), 0.0, now));
                co_await sim_.until(last);
                break;
            }
            case Kind::rpc_from_server: {
                // Each call: nova-compute's own work, the request, the controller's work, the reply.
                for (std::int64_t m = 0; m < messages; ++m) {
                    co_await agent_cpus_[server]->run(step.agent_work.seconds());
                    const double request = request_size.draw(rng_);
                    const sim::Time arrived = calls_.call(server, protocol, request, std::nullopt, sim::Time::zero(), 0.0, sim_.now());
                    co_await sim_.until(arrived);
                    co_await controller_cpu_.run(step.controller_work.seconds());
                    const sim::Time back = calls_.reply_to_server(server, protocol, reply_size.draw(rng_), sim_.now());
                    co_await sim_.until(back);
                }
                break;
            }
            case Kind::spawn:
                co_await sim_.timeout(hardware_.spawn_time);
                co_await cpus_[server]->run(hardware_.spawn_work.seconds());
                break;
            case Kind::destroy:
                co_await sim_.timeout(hardware_.destroy_time);
                break;
        }
    }
    if (holds_slot) build_slots_[server]->release();
}

sim::Process VmLifecycle::controller_compute(sim::Time work) { co_await controller_cpu_.run(work.seconds()); }

sim::Process VmLifecycle::create(Vm& vm) {
    vm.create_requested = sim_.now();
    std::size_t best = 0;
    for (std::size_t s = 1; s < building_.size(); ++s)
        if (plane_.vms(s) + building_[s] < plane_.vms(best) + building_[best]) best = s;
    TBSIM_CHECK(!building_.empty(), "a VM cannot be created without a server");
    vm.server = best;
    ++building_[best];
    co_await run_steps(spec_.create, best, true);
    --building_[best];
    plane_.change_vms(best, +1);
    vm.active = sim_.now();
    vm.is_active = true;
    create_s_.add((vm.active - vm.create_requested).seconds());
}

sim::Process VmLifecycle::remove(Vm& vm) {
    vm.delete_requested = sim_.now();
    co_await run_steps(spec_.remove, vm.server, false);
    plane_.change_vms(vm.server, -1);
    vm.gone = sim_.now();
    vm.is_active = false;
    vm.is_gone = true;
    delete_s_.add((vm.gone - vm.delete_requested).seconds());
}

}  // namespace tbsim::models::openstack
