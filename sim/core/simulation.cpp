#include "sim/core/simulation.hpp"

#include "sim/core/process.hpp"

namespace tbsim::sim {

Simulation::Simulation(std::uint64_t seed, std::uint64_t replication) : seed_(seed), replication_(replication) {}

Simulation::~Simulation() {
    // Destroy suspended process frames first: their locals may own child processes, never events.
    while (roots_ != nullptr) {
        RootFrame* node = roots_;
        release(*node);
        node->frame.destroy();
    }
}

void Simulation::run_until(Time until) {
    stopped_ = false;
    while (!stopped_ && queue_.run_next(until, now_)) ++events_processed_;
    if (!stopped_ && until != Time::max() && now_ < until) now_ = until;
}

void Simulation::start(Process process) {
    auto handle = process.release();
    auto& promise = handle.promise();
    promise.sim = this;
    promise.detached = true;
    adopt(handle, promise.root);
    schedule_in(Time::zero(), [handle] { handle.resume(); });
}

void Simulation::adopt(std::coroutine_handle<> frame, RootFrame& node) {
    node.frame = frame;
    node.prev = nullptr;
    node.next = roots_;
    if (roots_ != nullptr) roots_->prev = &node;
    roots_ = &node;
}

void Simulation::release(RootFrame& node) {
    if (node.prev != nullptr) node.prev->next = node.next;
    else roots_ = node.next;
    if (node.next != nullptr) node.next->prev = node.prev;
    node.prev = node.next = nullptr;
}

}  // namespace tbsim::sim
