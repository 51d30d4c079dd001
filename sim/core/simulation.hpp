// The simulation: clock, future event list, random streams and the processes it runs.
//
// A Simulation owns all of its state and is passed by reference; there are no globals, so sweeps
// run many simulations in parallel threads safely (SimPy 3, unlike ns-3's static Simulator).
// Hot paths (packet delivery, periodic reports) schedule plain callbacks; multi-step workflows are
// C++20 coroutines (process.hpp) whose frames the simulation owns and destroys.
#pragma once

#include <coroutine>
#include <cstdint>
#include <string_view>

#include "sim/core/event_queue.hpp"
#include "sim/core/time.hpp"
#include "sim/core/random_stream.hpp"

namespace tbsim::sim {

class Process;

class Simulation {
public:
    explicit Simulation(std::uint64_t seed = 1, std::uint64_t replication = 0);
    ~Simulation();
    Simulation(const Simulation&) = delete;
    Simulation& operator=(const Simulation&) = delete;

    Time now() const { return now_; }
    std::uint64_t seed() const { return seed_; }
    std::uint64_t replication() const { return replication_; }

    /// Schedules `handler` at absolute time `at` (not before now). An event whose delay from now
    /// was declared with add_fixed_delay() goes through that delay's FIFO lane (same order, cheaper
    /// with many pending events). `hint`: memory the handler touches first (the state of the entity
    /// it serves); for lane events the engine fetches it while the event before runs.
    EventId schedule_at(Time at, Callback handler, const void* hint = nullptr) {
        TBSIM_CHECK(at >= now_, "an event cannot be scheduled in the past");
        if (has_lanes_) {
            const int lane = queue_.lane_of(at - now_);
            if (lane >= 0) return queue_.push_lane(static_cast<std::size_t>(lane), at, std::move(handler), hint);
        }
        return queue_.push(at, std::move(handler));
    }
    /// Schedules `handler` after `delay` (not negative).
    EventId schedule_in(Time delay, Callback handler, const void* hint = nullptr) {
        return schedule_at(now_ + delay, std::move(handler), hint);
    }
    /// Declares a delay (positive) that many events are scheduled with (a fixed period): those
    /// events then cost O(1) whatever the number of pending events.
    void add_fixed_delay(Time delay) {
        TBSIM_CHECK(delay > Time::zero(), "a fixed delay must be positive");
        queue_.add_lane(delay);
        has_lanes_ = true;
    }
    /// Registers a handler of direct events (event_queue.hpp): events that carry an entity's
    /// index instead of a callback, for models with very many similar entities. Returns its id.
    std::uint32_t add_direct_handler(const DirectHandler& handler) { return queue_.add_direct_handler(handler); }
    /// Schedules a direct event of `handler` for entity `index` at `at` (a fixed delay's lane if it has one).
    void schedule_direct_at(std::uint32_t handler, Time at, std::uint32_t index) {
        TBSIM_CHECK(at >= now_, "an event cannot be scheduled in the past");
        if (has_lanes_) {
            const int lane = queue_.lane_of(at - now_);
            if (lane >= 0) return queue_.push_direct_lane(static_cast<std::size_t>(lane), handler, at, index);
        }
        queue_.push_direct(handler, at, index);
    }

    /// Cancels a pending event; always valid, returns whether it was pending.
    bool cancel(EventId id) { return queue_.cancel(id); }
    bool is_pending(EventId id) const { return queue_.is_pending(id); }
    std::size_t pending_events() const { return queue_.size(); }

    /// Runs every event due at or before `until`, then advances the clock to `until`
    /// (unless stop() was called, which leaves the clock at the last event).
    void run_until(Time until);
    /// Runs every event strictly before `end` (a run that covers [0, end)), then advances the
    /// clock to `end`. Scenarios run this way, so that their last bin ends at `duration`.
    void run_before(Time end) {
        run_until(end - Time::from_ns(1));
        if (!stopped_ && now_ < end) now_ = end;
    }
    /// Runs until no event is left or stop() is called.
    void run() { run_until(Time::max()); }
    /// Makes run_until return after the event being processed.
    void stop() { stopped_ = true; }
    /// Number of events processed so far.
    std::uint64_t events_processed() const { return events_processed_; }

    /// The random stream named `name` for this run's seed and replication. Each call returns the
    /// stream from its start: give every entity its own name (e.g. "openstack.report/server-12").
    RandomStream rng(std::string_view name) const { return RandomStream(seed_, name, replication_); }

    /// Starts a detached process at the current time; the simulation owns its frame.
    void start(Process process);

    /// Awaitable: `co_await sim.timeout(d)` resumes the process after d.
    auto timeout(Time delay) {
        struct Awaiter {
            Simulation& sim;
            Time delay;
            bool await_ready() const noexcept { return false; }
            void await_suspend(std::coroutine_handle<> h) { sim.schedule_in(delay, [h] { h.resume(); }); }
            void await_resume() const noexcept {}
        };
        return Awaiter{*this, delay};
    }
    /// Awaitable: `co_await sim.until(t)` resumes the process at time t, or at once if t has passed.
    auto until(Time at) { return timeout(at > now_ ? at - now_ : Time::zero()); }

private:
    friend class Process;
    struct RootFrame;  // intrusive list node of detached process frames
    void adopt(std::coroutine_handle<> frame, RootFrame& node);
    void release(RootFrame& node);

    EventQueue queue_;
    Time now_;
    std::uint64_t seed_;
    std::uint64_t replication_;
    std::uint64_t events_processed_ = 0;
    bool stopped_ = false;
    bool has_lanes_ = false;
    RootFrame* roots_ = nullptr;
};

/// Node of the simulation's list of detached process frames (embedded in each promise).
struct Simulation::RootFrame {
    std::coroutine_handle<> frame;
    RootFrame* prev = nullptr;
    RootFrame* next = nullptr;
};

}  // namespace tbsim::sim
