// CFS bandwidth control (sim/resources/cpu_quota): a group runs at full speed until its quota for
// the period is spent, then waits for the next period, whose start is the group's own phase.
#include <doctest/doctest.h>

#include <cstdint>

#include "sim/core/process.hpp"
#include "sim/resources/cpu_quota.hpp"

using namespace tbsim::sim;
using namespace tbsim::sim::time_literals;

namespace {

Process quota_job(Simulation& sim, CpuQuota& quota, ProcessorSharing& cpu, double work, double& done_s) {
    co_await quota.run(cpu, work);
    done_s = sim.now().seconds();
}

struct QuotaRun {
    double done_s = -1.0;
    std::int64_t throttled_periods = 0;
    double throttled_s = 0.0;
};

// 30 ms of CPU on one core under 0.1 cores (10 ms of every 100 ms period), periods from `phase`.
QuotaRun thirty_ms_at_a_tenth_of_a_core(Time phase) {
    Simulation sim;
    ProcessorSharing cpu(sim, 1.0);
    CpuQuota quota(sim, 0.1, 100_ms, phase);
    QuotaRun run;
    sim.start(quota_job(sim, quota, cpu, 0.030, run.done_s));
    sim.run();
    run.throttled_periods = quota.throttled_periods();
    run.throttled_s = quota.throttled_time().seconds();
    return run;
}

}  // namespace

TEST_CASE("a quota of 0.1 cores runs 10 ms of every 100 ms period, from the group's phase") {
    SUBCASE("periods from time zero") {
        // Runs [0, 10), throttled [10, 100), runs [100, 110), throttled [110, 200), runs [200, 210).
        const QuotaRun run = thirty_ms_at_a_tenth_of_a_core(Time::zero());
        CHECK(run.done_s == doctest::Approx(0.210).epsilon(1e-6));
        CHECK(run.throttled_periods == 2);
        CHECK(run.throttled_s == doctest::Approx(0.180).epsilon(1e-6));
    }
    SUBCASE("periods starting 40 ms into each 100 ms") {
        // The period [-60, 40) ms holds time zero: runs [0, 10), throttled [10, 40), runs [40, 50),
        // throttled [50, 140), runs [140, 150).
        const QuotaRun run = thirty_ms_at_a_tenth_of_a_core(40_ms);
        CHECK(run.done_s == doctest::Approx(0.150).epsilon(1e-6));
        CHECK(run.throttled_periods == 2);
        CHECK(run.throttled_s == doctest::Approx(0.120).epsilon(1e-6));
    }
}

namespace {

Process job_on_cpu(Simulation& sim, CpuQuota& quota, ProcessorSharing& cpu, std::size_t cpu_index, Time start, double work,
                   double& done_s) {
    co_await sim.timeout(start);
    co_await quota.run_on_cpu(cpu_index, cpu, work, 0);
    done_s = sim.now().seconds();
}

}  // namespace

TEST_CASE("per-CPU slices: a run queue is throttled while the other CPU holds the group's only slice") {
    // 0.05 cores of a 100 ms period is 5 ms, one slice: the job on CPU 0 takes all of it at time
    // zero and needs 1 ms; the job on CPU 1 finds the pool empty and waits for the next period,
    // although 4 ms of the quota go unused. As one pool, both run at once and nothing waits.
    for (const bool slices : {true, false}) {
        CAPTURE(slices);
        Simulation sim;
        ProcessorSharing cpu(sim, 2.0);
        CpuQuota quota(sim, 0.05, 100_ms);
        double a = -1.0, b = -1.0;
        if (slices) {
            quota.use_run_queues(2, 5_ms, sim.rng("test/placement"));
            sim.start(job_on_cpu(sim, quota, cpu, 0, Time::zero(), 0.001, a));
            sim.start(job_on_cpu(sim, quota, cpu, 1, Time::zero(), 0.002, b));
        } else {
            sim.start(quota_job(sim, quota, cpu, 0.001, a));
            sim.start(quota_job(sim, quota, cpu, 0.002, b));
        }
        sim.run();
        CHECK(a == doctest::Approx(0.001).epsilon(1e-6));
        if (slices) {
            // Throttled [0, 100) ms, then 2 ms of the refilled pool.
            CHECK(b == doctest::Approx(0.102).epsilon(1e-6));
            CHECK(quota.throttled_periods() == 1);
            CHECK(quota.throttled_time().seconds() == doctest::Approx(0.100).epsilon(1e-6));
        } else {
            CHECK(b == doctest::Approx(0.002).epsilon(1e-6));
            CHECK(quota.throttled_periods() == 0);
        }
    }
}

TEST_CASE("per-CPU slices: runtime given back reaches a throttled run queue through the slack timer only above a slice") {
    // 15 ms per 1 s period, slices of 5 ms, three CPUs. CPU 1 takes a slice at 0 and runs it out
    // at 5 ms; at 4.9 ms CPUs 0 and 2 each take a slice (the pool is empty) for 1 ms of work. CPU 1
    // is throttled at 5 ms. At 5.9 ms both sleep and give back 5 - 1 - 1 = 3 ms each (they keep 1
    // ms): 6 ms in the pool, more than a slice, so the slack timer hands it to CPU 1 at 10.9 ms.
    // CPU 1 then runs 5 + 1 ms, is throttled at 16.9 ms until the period ends at 1 s, and runs its
    // last 9 ms from the refilled pool: done at 1.009 s.
    Simulation sim;
    ProcessorSharing cpu(sim, 3.0);
    CpuQuota quota(sim, 0.015, 1000_ms);
    quota.use_run_queues(3, 5_ms, sim.rng("test/placement"));
    double a = -1.0, b = -1.0, c = -1.0;
    sim.start(job_on_cpu(sim, quota, cpu, 1, Time::zero(), 0.020, b));
    sim.start(job_on_cpu(sim, quota, cpu, 0, Time::from_us(4900), 0.001, a));
    sim.start(job_on_cpu(sim, quota, cpu, 2, Time::from_us(4900), 0.001, c));
    sim.run();
    CHECK(a == doctest::Approx(0.0059).epsilon(1e-6));
    CHECK(c == doctest::Approx(0.0059).epsilon(1e-6));
    CHECK(b == doctest::Approx(1.009).epsilon(1e-6));
    // The slack timer's release within the period is not a throttled period; the wait to its end is.
    CHECK(quota.throttled_periods() == 1);
    CHECK(quota.throttled_time().seconds() == doctest::Approx(0.0059 + 0.9831).epsilon(1e-6));
}

namespace {

// A query over a local socket: the client thread runs `client_work`, wakes the server thread,
// which runs `server_work`; each on the run queue of the CPU given.
Process local_query(Simulation& sim, CpuQuota& quota, ProcessorSharing& cpu, std::size_t client_cpu, std::size_t server_cpu,
                    double client_work, double server_work, double& done_s) {
    co_await quota.run_on_cpu(client_cpu, cpu, client_work, 0);
    co_await quota.run_on_cpu(server_cpu, cpu, server_work, 0);
    done_s = sim.now().seconds();
}

}  // namespace

TEST_CASE("per-CPU slices: a thread woken on its waker's CPU spends the runtime that run queue kept; on the other it waits") {
    // 0.01 cores of a 100 ms period: 1 ms, less than a slice, all taken by the client's run queue
    // at time zero. The client runs 0.3 ms and sleeps; its run queue keeps the 0.7 ms left (a run
    // queue whose last thread sleeps keeps up to 1 ms). The server thread woken on the same CPU
    // (the kernel's wake-affine placement of a synchronous wake-up) runs its 0.5 ms from it: done
    // at 0.8 ms. Woken on the other CPU it finds the pool empty and waits for the period: done at
    // 100.5 ms, throttled 99.7 ms. replication_benchmark.cpp draws one run queue for a local query.
    for (const bool same_cpu : {true, false}) {
        CAPTURE(same_cpu);
        Simulation sim;
        ProcessorSharing cpu(sim, 2.0);
        CpuQuota quota(sim, 0.01, 100_ms);
        quota.use_run_queues(2, 5_ms, sim.rng("test/placement"));
        double done = -1.0;
        sim.start(local_query(sim, quota, cpu, 0, same_cpu ? 0 : 1, 0.0003, 0.0005, done));
        sim.run();
        if (same_cpu) {
            CHECK(done == doctest::Approx(0.0008).epsilon(1e-6));
            CHECK(quota.throttled_periods() == 0);
        } else {
            CHECK(done == doctest::Approx(0.1005).epsilon(1e-6));
            CHECK(quota.throttled_periods() == 1);
            CHECK(quota.throttled_time().seconds() == doctest::Approx(0.0997).epsilon(1e-6));
        }
    }
    // The run queue a thread wakes on is drawn from the quota's placement stream, each CPU alike.
    Simulation sim;
    CpuQuota quota(sim, 0.5, 100_ms);
    quota.use_run_queues(2, 5_ms, sim.rng("test/placement"));
    int on_first = 0;
    for (int i = 0; i < 1000; ++i) {
        const std::size_t queue = quota.draw_run_queue().value();
        REQUIRE(queue < 2);
        on_first += queue == 0 ? 1 : 0;
    }
    CHECK(on_first > 430);
    CHECK(on_first < 570);
    // A quota without per-CPU run queues is one pool: no queue to draw.
    CpuQuota pooled(sim, 0.5, 100_ms);
    CHECK_FALSE(pooled.draw_run_queue().has_value());
}
