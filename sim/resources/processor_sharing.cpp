#include "sim/resources/processor_sharing.hpp"

#include <algorithm>
#include <cmath>

namespace tbsim::sim {

ProcessorSharing::ProcessorSharing(Simulation& sim, double cores, double per_job_cores)
    : sim_(sim), cores_(cores), per_job_cores_(per_job_cores), last_(sim.now()) {
    TBSIM_CHECK(cores > 0.0 && per_job_cores > 0.0, "a processor needs positive capacity");
}

ProcessorSharing::~ProcessorSharing() { sim_.cancel(next_); }

double ProcessorSharing::rate() const {
    return jobs_.empty() ? 0.0 : std::min(per_job_cores_, cores_ / static_cast<double>(jobs_.size()));
}

void ProcessorSharing::advance() {
    const double elapsed = (sim_.now() - last_).seconds();
    if (elapsed > 0.0) {
        const double r = rate();
        attained_ += elapsed * r;
        busy_area_ += elapsed * r * static_cast<double>(jobs_.size());
    }
    last_ = sim_.now();
}

void ProcessorSharing::start(double work, Callback done) {
    TBSIM_CHECK(work >= 0.0, "negative CPU work");
    advance();
    // const_cast-free move into the heap: Job holds a move-only callback.
    jobs_.push(Job{attained_ + work, order_++, std::move(done)});
    reschedule();
}

void ProcessorSharing::reschedule() {
    sim_.cancel(next_);
    if (jobs_.empty()) return;
    const double remaining = std::max(0.0, jobs_.top().finish - attained_);
    // Round up to the next nanosecond so that a job never completes early.
    next_ = sim_.schedule_in(Time::from_ns_count(std::ceil(remaining / rate() * 1e9)), [this] { complete(); });
}

void ProcessorSharing::complete() {
    advance();
    std::vector<Callback> finished;
    // A job is done when its remaining work is below what one nanosecond of service gives.
    const double slack = rate() * 1e-9 + 1e-12;
    while (!jobs_.empty() && jobs_.top().finish <= attained_ + slack) {
        finished.push_back(std::move(const_cast<Job&>(jobs_.top()).done));
        jobs_.pop();
    }
    if (jobs_.empty()) idle_since_ = sim_.now();
    reschedule();
    for (auto& cb : finished) cb();
}

double ProcessorSharing::utilisation() const {
    const double elapsed = sim_.now().seconds();
    if (elapsed <= 0.0) return 0.0;
    const double pending = (sim_.now() - last_).seconds() * rate() * static_cast<double>(jobs_.size());
    return (busy_area_ + pending) / (elapsed * cores_);
}

double ProcessorSharing::work_done() const {
    return busy_area_ + (sim_.now() - last_).seconds() * rate() * static_cast<double>(jobs_.size());
}

}  // namespace tbsim::sim
