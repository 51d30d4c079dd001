#include "models/openstack/rally.hpp"

namespace tbsim::models::openstack {

RallyRun::RallyRun(sim::Simulation& sim, VmLifecycle& lifecycle, RallySpec spec)
    : sim_(sim), lifecycle_(lifecycle), spec_(spec), client_rng_(sim.rng("rally/client")) {}

sim::Process RallyRun::client_start() {
    const double work = spec_.client_start_work.draw(client_rng_);
    if (work > 0.0) co_await lifecycle_.controller_compute(sim::Time::from_seconds(work));
}

void RallyRun::start() {
    if (spec_.times <= 0) return;
    for (std::int64_t u = 0; u < spec_.users(); ++u)
        sim_.schedule_at(spec_.start, [this] { sim_.start(user()); });
}

sim::Process RallyRun::user() {
    while (created_ < spec_.times) {
        ++created_;
        Vm& vm = vms_.emplace_back();  // deque: references stay valid
        const sim::Time create_start = sim_.now();
        co_await client_start();
        sim_.start(lifecycle_.create(vm));
        co_await sim_.timeout(spec_.prepoll_delay);
        while (!vm.is_active) co_await sim_.timeout(spec_.poll_interval);
        seen_create_s_.add((sim_.now() - create_start).seconds());
        const sim::Time delete_start = sim_.now();
        co_await client_start();
        sim_.start(lifecycle_.remove(vm));
        do co_await sim_.timeout(spec_.delete_poll_interval);
        while (!vm.is_gone);
        seen_delete_s_.add((sim_.now() - delete_start).seconds());
    }
    if (++users_done_ == spec_.users()) end_ = sim_.now();
}

}  // namespace tbsim::models::openstack
