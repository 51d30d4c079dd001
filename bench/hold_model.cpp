#include "bench/hold_model.hpp"

#include <chrono>
#include <vector>

#include "sim/core/simulation.hpp"
#include "sim/random/distributions.hpp"

namespace tbsim::bench {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t hold_gap_ns(sim::RandomStream& rs) { return sim::Time::from_seconds(sim::draw_exponential(rs, 1.0)).ns(); }

// The reference: the same 16-byte (time, id) entries and ordering as the engine, no handlers.
class BareHeap {
public:
    struct Entry {
        std::int64_t time;
        std::uint64_t id;
    };
    void reserve(std::size_t n) { h_.reserve(n); }
    void push(Entry e) {
        std::size_t i = h_.size();
        h_.push_back(e);
        while (i > 0) {
            const std::size_t parent = (i - 1) >> 2;
            if (!less(e, h_[parent])) break;
            h_[i] = h_[parent];
            i = parent;
        }
        h_[i] = e;
    }
    Entry pop() {
        const Entry top = h_.front();
        const Entry last = h_.back();
        h_.pop_back();
        const std::size_t n = h_.size();
        if (n == 0) return top;
        std::size_t i = 0;
        for (;;) {
            const std::size_t first = 4 * i + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = first + 4 < n ? first + 4 : n;
            for (std::size_t c = first + 1; c < end; ++c)
                if (less(h_[c], h_[best])) best = c;
            if (!less(h_[best], last)) break;
            h_[i] = h_[best];
            i = best;
        }
        h_[i] = last;
        return top;
    }

private:
    static bool less(const Entry& a, const Entry& b) { return a.time < b.time || (a.time == b.time && a.id < b.id); }
    std::vector<Entry> h_;
};

struct HoldEvent {
    sim::Simulation* sim;
    struct State {
        sim::RandomStream rng;
        std::uint64_t remaining;
        std::uint64_t checksum;
    }* state;
    void operator()() const {
        state->checksum += static_cast<std::uint64_t>(sim->now().ns());
        if (--state->remaining == 0) {
            sim->stop();
            return;
        }
        sim->schedule_in(sim::Time::from_ns(hold_gap_ns(state->rng)), *this);
    }
};

}  // namespace

HoldFigures run_hold_model(std::uint64_t pending, std::uint64_t events, std::uint64_t seed) {
    HoldFigures f;
    f.pending = pending;
    f.events = events;
    {
        sim::Simulation sim(seed);
        HoldEvent::State state{sim::RandomStream(seed, "bench.hold"), events, 0};
        for (std::uint64_t i = 0; i < pending; ++i)
            sim.schedule_at(sim::Time::from_ns(hold_gap_ns(state.rng)), HoldEvent{&sim, &state});
        const auto t0 = Clock::now();
        sim.run();
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        f.events_per_sec = static_cast<double>(events) / seconds;
        f.checksum = state.checksum;
    }
    {
        sim::RandomStream rng(seed, "bench.hold");
        BareHeap heap;
        heap.reserve(pending + 1);
        std::uint64_t next_id = 0;
        for (std::uint64_t i = 0; i < pending; ++i) heap.push({hold_gap_ns(rng), next_id++});
        std::uint64_t checksum = 0;
        const auto t0 = Clock::now();
        for (std::uint64_t i = 0; i < events; ++i) {
            const auto e = heap.pop();
            checksum += static_cast<std::uint64_t>(e.time);
            if (i + 1 < events) heap.push({e.time + hold_gap_ns(rng), next_id++});
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
        f.reference_events_per_sec = static_cast<double>(events) / seconds;
        f.reference_checksum = checksum;
    }
    f.ratio = f.events_per_sec / f.reference_events_per_sec;
    return f;
}

}  // namespace tbsim::bench
