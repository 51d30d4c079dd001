#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/process.hpp"

using namespace tbsim::sim;
using namespace tbsim::sim::time_literals;

namespace {

Process ticker(Simulation& sim, std::vector<double>& at, int n, Time period) {
    for (int i = 0; i < n; ++i) {
        co_await sim.timeout(period);
        at.push_back(sim.now().seconds());
    }
}

Process child(Simulation& sim, std::string& log, Time d) {
    log += "c0 ";
    co_await sim.timeout(d);
    log += "c1 ";
}

Process parent(Simulation& sim, std::string& log) {
    log += "p0 ";
    co_await child(sim, log, 2_s);
    log += "p1@" + std::to_string(sim.now().ns() / 1'000'000'000) + " ";
}

Process waiter(Simulation& sim, Trigger& t, std::vector<double>& woke) {
    co_await t.wait();
    woke.push_back(sim.now().seconds());
}

Process user(Simulation& sim, Resource& r, std::string& log, char name, Time hold) {
    co_await r.acquire();
    log += name;
    co_await sim.timeout(hold);
    r.release();
}

struct Flag {
    bool* destroyed;
    ~Flag() { *destroyed = true; }
};

Process sleeper(Simulation& sim, bool& destroyed) {
    Flag f{&destroyed};
    co_await sim.timeout(1000_s);
}

}  // namespace

TEST_CASE("a process advances through timeouts") {
    Simulation sim;
    std::vector<double> at;
    sim.start(ticker(sim, at, 3, 2_s));
    sim.run();
    CHECK(at == std::vector<double>{2.0, 4.0, 6.0});
}

TEST_CASE("awaiting a process runs it and resumes the awaiter when it ends") {
    Simulation sim;
    std::string log;
    sim.start(parent(sim, log));
    sim.run();
    CHECK(log == "p0 c0 c1 p1@2 ");
}

TEST_CASE("a trigger wakes every waiter once, in waiting order, at the firing time") {
    Simulation sim;
    Trigger t(sim);
    std::vector<double> woke;
    sim.start(waiter(sim, t, woke));
    sim.start(waiter(sim, t, woke));
    sim.schedule_at(5_s, [&] { t.fire(); });
    sim.run();
    CHECK(woke == std::vector<double>{5.0, 5.0});
    sim.start(waiter(sim, t, woke));  // already fired: no wait
    sim.run();
    CHECK(woke.size() == 3);
    CHECK(woke.back() == 5.0);
}

TEST_CASE("a resource serves waiters first come, first served") {
    Simulation sim;
    Resource r(sim, 2);
    std::string log;
    for (char c : std::string("abcde")) sim.start(user(sim, r, log, c, 10_s));
    sim.run_until(1_s);
    CHECK(log == "ab");
    CHECK(r.in_use() == 2);
    CHECK(r.queued() == 3);
    sim.run_until(10_s);
    CHECK(log == "abcd");
    sim.run();
    CHECK(log == "abcde");
    CHECK(sim.now() == 30_s);  // three rounds of 10 s with capacity 2
    CHECK(r.in_use() == 0);
}

TEST_CASE("the simulation destroys the frames of processes still suspended") {
    bool destroyed = false;
    {
        Simulation sim;
        sim.start(sleeper(sim, destroyed));
        sim.run_until(1_s);
        CHECK_FALSE(destroyed);
    }
    CHECK(destroyed);
}

#include "sim/resources/processor_sharing.hpp"

namespace {
Process job(Simulation& sim, ProcessorSharing& cpu, double work, std::vector<double>& done, std::size_t group = 0) {
    co_await cpu.run(work, group);
    done.push_back(sim.now().seconds());
}
}  // namespace

TEST_CASE("processor sharing: jobs beyond the core count share the cores equally") {
    Simulation sim;
    ProcessorSharing cpu(sim, 2.0);
    std::vector<double> done;
    // Four jobs of 1, 1, 2, 2 core-seconds on 2 cores: all run at 0.5 core until the short
    // ones finish at 2 s; then the two long ones get a full core each and finish at 3 s.
    for (const double w : {1.0, 1.0, 2.0, 2.0}) sim.start(job(sim, cpu, w, done));
    sim.run();
    REQUIRE(done.size() == 4);
    CHECK(done[0] == doctest::Approx(2.0));
    CHECK(done[1] == doctest::Approx(2.0));
    CHECK(done[2] == doctest::Approx(3.0));
    CHECK(done[3] == doctest::Approx(3.0));
    CHECK(cpu.work_done() == doctest::Approx(6.0));
    CHECK(cpu.utilisation() == doctest::Approx(1.0));
}

TEST_CASE("processor sharing: a single job uses at most its own share") {
    Simulation sim;
    ProcessorSharing cpu(sim, 4.0, 1.0);
    std::vector<double> done;
    sim.start(job(sim, cpu, 3.0, done));
    sim.schedule_at(Time::from_s(1), [&] { sim.start(job(sim, cpu, 0.5, done)); });
    sim.run();
    REQUIRE(done.size() == 2);
    CHECK(done[0] == doctest::Approx(1.5));  // arrives at 1 s, one full core
    CHECK(done[1] == doctest::Approx(3.0));  // never slowed: 4 cores for 2 jobs
    CHECK(cpu.utilisation() == doctest::Approx(3.5 / (3.0 * 4.0)));
}

TEST_CASE("processor sharing with groups: the cores go fairly to the groups first, then to each group's jobs") {
    // cgroups with the CPU controller at equal weights (CFS group scheduling). 2 cores, group 1
    // with three jobs of 1 core-second, group 2 with one of 1.5: each group gets a core, so the
    // lone job runs at 1 core and ends at 1.5 s while the three run at 1/3 (0.5 done by then);
    // alone, they share 2 cores (2/3 each) and end at 1.5 + 0.5 / (2/3) = 2.25 s. Without groups
    // all four would run at 0.5 until 2 s, and the long one would end at 2.5 s.
    Simulation sim;
    ProcessorSharing cpu(sim, 2.0);
    std::vector<double> done;
    for (int k = 0; k < 3; ++k) sim.start(job(sim, cpu, 1.0, done, 1));
    sim.start(job(sim, cpu, 1.5, done, 2));
    sim.schedule_at(Time::from_ms(100), [&] {
        CHECK(cpu.rate(1) == doctest::Approx(1.0 / 3.0));
        CHECK(cpu.rate(2) == doctest::Approx(1.0));
        CHECK(cpu.rate(0) == 0.0);
    });
    sim.run();
    REQUIRE(done.size() == 4);
    CHECK(done[0] == doctest::Approx(1.5));
    CHECK(done[1] == doctest::Approx(2.25));
    CHECK(done[3] == doctest::Approx(2.25));
    CHECK(cpu.work_done() == doctest::Approx(4.5));
    CHECK(cpu.jobs() == 0);
}

TEST_CASE("processor sharing with groups: a group that cannot use its share leaves the rest to the others") {
    // 3 cores, group 1 with one job (it can use one core of its 1.5), group 2 with four: group 2
    // gets the other 2 cores (0.5 a job). The lone job of 1 core-second ends at 1 s; the four
    // have done 0.5 each and then share 3 cores (0.75 each): they end at 1 + 0.5 / 0.75 s.
    Simulation sim;
    ProcessorSharing cpu(sim, 3.0);
    std::vector<double> done;
    sim.start(job(sim, cpu, 1.0, done, 1));
    for (int k = 0; k < 4; ++k) sim.start(job(sim, cpu, 1.0, done, 2));
    sim.run();
    REQUIRE(done.size() == 5);
    CHECK(done[0] == doctest::Approx(1.0));
    for (std::size_t k = 1; k < 5; ++k) CHECK(done[k] == doctest::Approx(1.0 + 0.5 / 0.75));
    CHECK(cpu.utilisation() == doctest::Approx(5.0 / (3.0 * (1.0 + 0.5 / 0.75))));
}

TEST_CASE("processor sharing with a background group: it runs only on the cores the others leave") {
    // 2 cores. Group 1 (background) has one job of 0.5 core-seconds from time zero; group 2 has one
    // job of 1 core-second from zero and another from 0.25 s. Until 0.25 s the background job has
    // the spare core (0.25 done); from 0.25 s the two foreground jobs take both cores and it waits;
    // at 1 s the first ends, and it runs again at a full core: done at 1.25 s. The second
    // foreground job ends at 1.25 s, never slowed by it. Without the background flag the three
    // would have shared the cores as two groups.
    Simulation sim;
    ProcessorSharing cpu(sim, 2.0);
    cpu.set_background(1);
    std::vector<double> done;
    sim.start(job(sim, cpu, 0.5, done, 1));
    sim.start(job(sim, cpu, 1.0, done, 2));
    sim.schedule_at(Time::from_ms(250), [&] { sim.start(job(sim, cpu, 1.0, done, 2)); });
    sim.schedule_at(Time::from_ms(500), [&] {
        CHECK(cpu.rate(1) == 0.0);
        CHECK(cpu.rate(2) == doctest::Approx(1.0));
    });
    sim.run();
    REQUIRE(done.size() == 3);
    CHECK(done[0] == doctest::Approx(1.0));
    CHECK(done[1] == doctest::Approx(1.25));
    CHECK(done[2] == doctest::Approx(1.25));
    CHECK(cpu.work_done() == doctest::Approx(2.5));
}

TEST_CASE("a finished process's frame is handed out again to the next of its size class") {
    using tbsim::sim::detail::FramePool;
    // 200 and 230 bytes share the 193-256 byte class; 1100 bytes is beyond the largest (1 KiB).
    void* first = FramePool::allocate(200);
    CHECK(reinterpret_cast<std::uintptr_t>(first) % alignof(std::max_align_t) == 0);
    FramePool::release(first, 200);
    void* second = FramePool::allocate(230);
    // Under AddressSanitizer the pool is off, so that every frame's end is seen.
    if (TBSIM_FRAME_POOL) CHECK(second == first);
    void* other = FramePool::allocate(230);  // the list is empty again: new memory
    CHECK(other != second);
    void* large = FramePool::allocate(1100);
    FramePool::release(large, 1100);
    FramePool::release(other, 230);
    FramePool::release(second, 230);

    // Processes that end, in a loop: each runs to completion with its frame recycled.
    Simulation sim(1);
    std::vector<double> at;
    for (int i = 0; i < 100; ++i) sim.start(ticker(sim, at, 1, Time::from_ms(i + 1)));
    sim.run_until(Time::from_seconds(1.0));
    REQUIRE(at.size() == 100);
    CHECK(at.front() == doctest::Approx(0.001));
    CHECK(at.back() == doctest::Approx(0.100));
}
