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
