#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/simulation.hpp"

using namespace tbsim::sim;
using namespace tbsim::sim::time_literals;

TEST_CASE("events at equal times run in schedule order") {
    Simulation sim;
    std::string order;
    sim.schedule_at(5_s, [&] { order += 'a'; });
    sim.schedule_at(1_s, [&] { order += 'b'; });
    sim.schedule_at(5_s, [&] { order += 'c'; });
    sim.schedule_at(5_s, [&] {
        order += 'd';
        sim.schedule_in(0_s, [&] { order += 'f'; });  // same time, scheduled later: runs last
    });
    sim.schedule_at(5_s, [&] { order += 'e'; });
    sim.run();
    CHECK(order == "bacdef");
    CHECK(sim.now() == 5_s);
    CHECK(sim.events_processed() == 6);
}

TEST_CASE("events run in time order whatever the insertion order") {
    Simulation sim;
    std::vector<std::int64_t> fired;
    const std::int64_t times[] = {70, 10, 50, 30, 90, 20, 80, 60, 40, 0, 100, 5};
    for (const auto t : times) sim.schedule_at(Time::from_ms(t), [&fired, &sim] { fired.push_back(sim.now().ns() / 1'000'000); });
    sim.run();
    REQUIRE(fired.size() == 12);
    CHECK(std::is_sorted(fired.begin(), fired.end()));
    CHECK(fired.front() == 0);
    CHECK(fired.back() == 100);
}

TEST_CASE("a cancelled event never runs, and cancelling is always valid") {
    Simulation sim;
    int ran = 0;
    const EventId a = sim.schedule_at(1_s, [&] { ran += 1; });
    const EventId b = sim.schedule_at(2_s, [&] { ran += 10; });
    CHECK(sim.pending_events() == 2);
    CHECK(sim.cancel(a));
    CHECK_FALSE(sim.cancel(a));  // twice: no effect
    CHECK(sim.pending_events() == 1);
    CHECK_FALSE(sim.cancel(EventId{}));  // a handle to nothing
    sim.run();
    CHECK(ran == 10);
    CHECK_FALSE(sim.cancel(b));  // already fired
    CHECK_FALSE(sim.is_pending(b));
}

TEST_CASE("a reused slot does not revive an old handle") {
    Simulation sim;
    int ran = 0;
    const EventId old = sim.schedule_at(1_s, [&] { ran += 1; });
    sim.run();
    const EventId fresh = sim.schedule_at(2_s, [&] { ran += 100; });
    CHECK(fresh.slot == old.slot);  // the slot was recycled
    CHECK_FALSE(sim.cancel(old));   // but the old handle is stale
    sim.run();
    CHECK(ran == 101);
}

TEST_CASE("an event can cancel another pending at the same time") {
    Simulation sim;
    int ran = 0;
    EventId second;
    sim.schedule_at(1_s, [&] { sim.cancel(second); });
    second = sim.schedule_at(1_s, [&] { ran = 1; });
    sim.run();
    CHECK(ran == 0);
}

TEST_CASE("run_until stops at the horizon and advances the clock to it") {
    Simulation sim;
    int ran = 0;
    sim.schedule_at(1_s, [&] { ++ran; });
    sim.schedule_at(3_s, [&] { ++ran; });
    sim.schedule_at(3_s + 1_ns, [&] { ++ran; });
    sim.run_until(3_s);  // inclusive
    CHECK(ran == 2);
    CHECK(sim.now() == 3_s);
    sim.run_until(10_s);
    CHECK(ran == 3);
    CHECK(sim.now() == 10_s);
}

TEST_CASE("stop ends the run after the current event") {
    Simulation sim;
    int ran = 0;
    sim.schedule_at(1_s, [&] {
        ++ran;
        sim.stop();
    });
    sim.schedule_at(2_s, [&] { ++ran; });
    sim.run();
    CHECK(ran == 1);
    CHECK(sim.now() == 1_s);
}

TEST_CASE("scheduling in the past is a broken invariant") {
    Simulation sim;
    sim.schedule_at(5_s, [] {});
    sim.run();
    CHECK_THROWS_AS(sim.schedule_at(1_s, [] {}), InvariantError);
}

TEST_CASE("a large pending set fires in exact time order") {
    Simulation sim;
    RandomStream rs(7, "test");
    std::int64_t last = -1;
    bool ordered = true;
    for (int i = 0; i < 20000; ++i)
        sim.schedule_at(Time::from_ns(static_cast<std::int64_t>(rs.below(1'000'000))), [&] {
            ordered = ordered && sim.now().ns() >= last;
            last = sim.now().ns();
        });
    sim.run();
    CHECK(ordered);
    CHECK(sim.events_processed() == 20000);
}

TEST_CASE("run_before covers a half-open window") {
    Simulation sim;
    int ran = 0;
    sim.schedule_at(10_s - 1_ns, [&] { ++ran; });
    sim.schedule_at(10_s, [&] { ran += 100; });
    sim.run_before(10_s);
    CHECK(ran == 1);
    CHECK(sim.now() == 10_s);
}

TEST_CASE("fixed-delay lanes keep the exact (time, schedule order) of the heap") {
    // The same random workload with and without a lane for the 10 s delay fires identically.
    auto trace = [](bool lanes) {
        Simulation sim(5);
        if (lanes) sim.add_fixed_delay(10_s);
        RandomStream rs(5, "lanes");
        std::vector<std::pair<std::int64_t, int>> fired;
        int next_id = 0;
        std::function<void(int)> fire = [&](int id) {
            fired.emplace_back(sim.now().ns(), id);
            if (fired.size() > 5000) return;
            const bool periodic = rs.below(3) != 0;
            const Time delay = periodic ? 10_s : Time::from_ms(static_cast<std::int64_t>(rs.below(20000)));
            const int child = next_id++;
            EventId e = sim.schedule_in(delay, [&, child] { fire(child); });
            if (rs.below(10) == 0) sim.cancel(e);
        };
        for (int i = 0; i < 300; ++i) {
            const int id = next_id++;
            sim.schedule_at(Time::from_ms(static_cast<std::int64_t>(rs.below(10000))), [&, id] { fire(id); });
        }
        sim.run();
        return fired;
    };
    const auto with = trace(true), without = trace(false);
    CHECK(with.size() > 1000);
    CHECK(with == without);
}
