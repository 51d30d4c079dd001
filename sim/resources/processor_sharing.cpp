#include "sim/resources/processor_sharing.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace tbsim::sim {

ProcessorSharing::ProcessorSharing(Simulation& sim, double cores, double per_job_cores)
    : sim_(sim), cores_(cores), per_job_cores_(per_job_cores), last_(sim.now()) {
    TBSIM_CHECK(cores > 0.0 && per_job_cores > 0.0, "a processor needs positive capacity");
}

ProcessorSharing::~ProcessorSharing() { sim_.cancel(next_); }

double ProcessorSharing::rate(std::size_t group) const { return group < groups_.size() ? groups_[group].rate : 0.0; }

double ProcessorSharing::busy_over(double elapsed) const {
    double total = 0.0;
    for (const std::size_t g : active_) total += elapsed * groups_[g].rate * static_cast<double>(groups_[g].jobs.size());
    return total;
}

void ProcessorSharing::advance() {
    const double elapsed = (sim_.now() - last_).seconds();
    if (elapsed > 0.0) {
        for (const std::size_t g : active_) groups_[g].attained += elapsed * groups_[g].rate;
        busy_area_ += busy_over(elapsed);
    }
    last_ = sim_.now();
}

void ProcessorSharing::set_background(std::size_t group) {
    TBSIM_CHECK(group <= 0xffffffffU, "a CPU group number above 2^32");
    if (group >= groups_.size()) groups_.resize(group + 1);
    groups_[group].background = true;
}

void ProcessorSharing::share() {
    // Water filling with equal weights: the groups that want least are served first, each taking
    // what its jobs can use or an equal part of what is left, whichever is less; the background
    // groups after all the others, sharing what they left.
    if (active_.size() == 1) {
        Group& only = groups_[active_.front()];
        only.rate = std::min(per_job_cores_, cores_ / static_cast<double>(only.jobs.size()));
        return;
    }
    // The jobs together want no more than the cores: every one gets what it can use, as the
    // water filling below would give (each group its demand), without sorting the groups. On a
    // host whose containers mostly wait, this is most events.
    if (static_cast<double>(jobs_) * per_job_cores_ <= cores_) {
        for (const std::size_t g : active_) {
            Group& group = groups_[g];
            const double jobs = static_cast<double>(group.jobs.size());
            group.rate = jobs * per_job_cores_ / jobs;  // the expression below, to the last bit
        }
        return;
    }
    // The active groups by class and demand (background last, then jobs, then group number), each
    // as one key (background << 63 | jobs << 32 | group), sorted by insertion: a host has a few
    // groups, and their order changes little between events.
    auto& by_demand = by_demand_;  // kept between calls: no allocation per event
    by_demand.clear();
    constexpr std::uint64_t kBackground = std::uint64_t{1} << 63;
    std::size_t foreground = 0;
    for (const std::size_t g : active_) {
        const bool background = groups_[g].background;
        if (!background) ++foreground;
        const std::uint64_t key = (background ? kBackground : 0) | (static_cast<std::uint64_t>(groups_[g].jobs.size()) << 32) | g;
        std::size_t at = by_demand.size();
        by_demand.push_back(key);
        for (; at > 0 && by_demand[at - 1] > key; --at) by_demand[at] = by_demand[at - 1];
        by_demand[at] = key;
    }
    double left = cores_;
    std::size_t groups_left = foreground > 0 ? foreground : by_demand.size();
    for (const std::uint64_t key : by_demand) {
        if ((key & kBackground) != 0 && groups_left == 0) {
            groups_left = by_demand.size() - foreground;
            if (left < 1e-12) left = 0.0;  // no core left, not a rounding error's worth
        }
        Group& group = groups_[key & 0xffffffffU];
        const std::size_t job_count = group.jobs.size();
        const double jobs = static_cast<double>(job_count);
        const double cores = std::min(jobs * per_job_cores_, left / static_cast<double>(groups_left));
        group.rate = job_count == 1 ? cores : cores / jobs;  // x / 1 is x: one division less for most groups
        left -= cores;
        --groups_left;
    }
}

void ProcessorSharing::start(double work, Callback done, std::size_t group) {
    TBSIM_CHECK(work >= 0.0, "negative CPU work");
    TBSIM_CHECK(group <= 0xffffffffU, "a CPU group number above 2^32");
    advance();
    if (group >= groups_.size()) groups_.resize(group + 1);
    Group& g = groups_[group];
    if (g.jobs.empty()) active_.push_back(group);
    g.jobs.push(Job{g.attained + work, order_++, std::move(done)});
    ++jobs_;
    share();
    reschedule();
}

void ProcessorSharing::reschedule() {
    sim_.cancel(next_);
    if (jobs_ == 0) return;
    double soonest = std::numeric_limits<double>::infinity();
    for (const std::size_t g : active_) {
        const Group& group = groups_[g];
        if (group.rate <= 0.0) continue;  // a background group the others leave no core
        soonest = std::min(soonest, std::max(0.0, group.jobs.top().finish - group.attained) / group.rate);
    }
    // Round up to the next nanosecond so that a job never completes early.
    next_ = sim_.schedule_in(Time::from_ns_count(std::ceil(soonest * 1e9)), [this] { complete(); });
}

void ProcessorSharing::complete() {
    advance();
    // The finished jobs' callbacks, in a vector whose capacity is kept between calls (a callback
    // that ends up here again, through an event of its own, finds it empty and makes another).
    std::vector<Callback> finished = std::exchange(finished_, {});
    for (const std::size_t g : active_) {
        Group& group = groups_[g];
        // A job is done when its remaining work is below what one nanosecond of service gives.
        const double slack = group.rate * 1e-9 + 1e-12;
        while (!group.jobs.empty() && group.jobs.top().finish <= group.attained + slack) {
            finished.push_back(std::move(const_cast<Job&>(group.jobs.top()).done));
            group.jobs.pop();
            --jobs_;
        }
    }
    std::erase_if(active_, [this](std::size_t g) {
        if (!groups_[g].jobs.empty()) return false;
        groups_[g].rate = 0.0;
        return true;
    });
    if (jobs_ == 0) idle_since_ = sim_.now();
    else share();
    reschedule();
    for (auto& cb : finished) cb();
    finished.clear();
    if (finished_.capacity() < finished.capacity()) finished_ = std::move(finished);
}

double ProcessorSharing::utilisation() const {
    const double elapsed = sim_.now().seconds();
    if (elapsed <= 0.0) return 0.0;
    return work_done() / (elapsed * cores_);
}

double ProcessorSharing::work_done() const { return busy_area_ + busy_over((sim_.now() - last_).seconds()); }

}  // namespace tbsim::sim
