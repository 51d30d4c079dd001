// What `tbsim replay` reads from a log of operations beyond each one's latency
// (validation/replay/operation_patterns.hpp), on small logs built by hand whose answers are
// counted here: the phases' spans, the main loop's progress, slow operations in runs, the main
// loop's late iterations, and local inserts that meet a peer's batch at their server.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "validation/replay/operation_patterns.hpp"

using namespace tbsim::validation;
using tbsim::models::mysqlrep::BenchmarkOp;
using tbsim::models::mysqlrep::BenchmarkPhase;
using tbsim::models::mysqlrep::OperationRecord;
using tbsim::sim::Time;

namespace {

OperationRecord op(std::uint32_t instance, std::uint32_t peer, BenchmarkOp kind, double start_ms, double end_ms) {
    return {instance, peer, kind, Time::from_us(std::llround(start_ms * 1000.0)), Time::from_us(std::llround(end_ms * 1000.0)), 1};
}

}  // namespace

TEST_CASE("the phases' spans are each instance's first start to last end, and progress counts from the main loop's first") {
    const std::vector<OperationRecord> log{
        op(0, 0, BenchmarkOp::connect, 0.0, 5.0),          op(0, 0, BenchmarkOp::local_insert, 10.0, 11.0),
        op(0, 1, BenchmarkOp::batch_send, 11.0, 13.0),     op(0, 0, BenchmarkOp::local_insert, 20.0, 22.5),
        op(1, 1, BenchmarkOp::local_insert, 12.0, 12.5),   op(1, 1, BenchmarkOp::local_insert, 40.0, 44.0),
        op(1, 1, BenchmarkOp::desync_leave, 50.0, 51.0),
    };
    const PhaseSpans spans(log, 2);
    CHECK(spans.span_s(0, BenchmarkPhase::main) == doctest::Approx(0.0125));  // 10 to 22.5 ms
    CHECK(spans.span_s(1, BenchmarkPhase::main) == doctest::Approx(0.032));   // 12 to 44 ms
    CHECK(spans.span_s(0, BenchmarkPhase::desync) == 0.0);                    // none
    const auto [worst_s, who] = spans.slowest(BenchmarkPhase::main);
    CHECK(who == 1);
    CHECK(worst_s == doctest::Approx(0.032));
    const auto progress = progress_of(log, 1, spans);
    REQUIRE(progress.size() == 2);
    CHECK(progress[0] == doctest::Approx(0.0005));
    CHECK(progress[1] == doctest::Approx(0.032));
}

TEST_CASE("slow operations: the share over 3 ms, and among those that start within 1 ms of a slow one's end") {
    const std::vector<OperationRecord> log{
        op(0, 0, BenchmarkOp::connect, 0.0, 9.0),          // setup: not counted
        op(0, 0, BenchmarkOp::local_insert, 10.0, 11.0),   // fast
        op(0, 0, BenchmarkOp::local_insert, 11.2, 16.2),   // slow
        op(0, 0, BenchmarkOp::local_insert, 16.5, 20.5),   // slow, 0.3 ms after a slow one
        op(0, 0, BenchmarkOp::local_insert, 21.3, 22.3),   // fast, 0.8 ms after a slow one
        op(0, 0, BenchmarkOp::local_insert, 30.0, 31.0),   // fast, after a fast one
        op(1, 1, BenchmarkOp::local_insert, 22.5, 23.0),   // another instance: not after instance 0's
    };
    SlowOperations slow;
    slow.add(log, 2);
    CHECK(slow.share() == doctest::Approx(2.0 / 6.0));
    CHECK(slow.share_after_slow() == doctest::Approx(1.0 / 2.0));
}

TEST_CASE("late iterations: a local insert's start to the next's, half a period or more past the period") {
    // A period of 10 ms. Instance 0's iterations: 10, 10, 17 (0.7 periods late), 10, 10.5 (0.05:
    // not late), 22.5 ms (1.25); instance 1's: 10 ms. Batches and another instance's inserts do
    // not count.
    std::vector<OperationRecord> log;
    for (const double t : {0.0, 10.0, 20.0, 37.0, 47.0, 57.5, 80.0}) log.push_back(op(0, 0, BenchmarkOp::local_insert, t, t + 1.0));
    log.push_back(op(0, 1, BenchmarkOp::batch_send, 25.0, 30.0));
    for (const double t : {0.0, 10.0}) log.push_back(op(1, 1, BenchmarkOp::local_insert, t, t + 1.0));
    log.push_back(op(2, 2, BenchmarkOp::local_insert, 500.0, 501.0));  // an instance past `instances`
    LateIterations late;
    late.add(log, 2, Time::from_ms(10));
    CHECK(late.share() == doctest::Approx(2.0 / 7.0));
    CHECK(late.slowdown_added() == doctest::Approx((0.7 + 1.25) / 7.0));
    LateIterations none;
    none.add(log, 2, Time::zero());  // no rate: nothing to compare with
    CHECK(none.share() == 0.0);
}

TEST_CASE("local inserts behind a peer's batch: their share and their excess over those that meet none") {
    std::vector<OperationRecord> log;
    // Instance 0's server: 25 inserts alone (0.4 ms), 25 that begin 0.1 ms into a batch from
    // instance 1 that lasts 1 ms (0.7 ms each), and 5 during which a batch begins (neither group).
    for (int k = 0; k < 25; ++k) log.push_back(op(0, 0, BenchmarkOp::local_insert, 100.0 * k, 100.0 * k + 0.4));
    for (int k = 0; k < 25; ++k) {
        const double t = 5000.0 + 100.0 * k;
        log.push_back(op(1, 0, BenchmarkOp::batch_send, t, t + 1.0));
        log.push_back(op(0, 0, BenchmarkOp::local_insert, t + 0.1, t + 0.8));
    }
    for (int k = 0; k < 5; ++k) {
        const double t = 9000.0 + 100.0 * k;
        log.push_back(op(0, 0, BenchmarkOp::local_insert, t, t + 2.0));
        log.push_back(op(1, 0, BenchmarkOp::batch_send, t + 0.5, t + 1.0));
    }
    // A batch to instance 1's server does not concern instance 0's inserts.
    log.push_back(op(0, 1, BenchmarkOp::batch_send, 50.0, 60.0));
    ContendedInserts contended;
    contended.add(log, 2);
    CHECK(contended.share() == doctest::Approx(25.0 / 55.0));
    CHECK(contended.excess_ms() == doctest::Approx(0.3).epsilon(1e-6));

    SUBCASE("a long batch begun earlier still counts while it is under way") {
        // One batch spans 20 to 80 ms: an insert at 30 ms meets it although later batches began
        // and ended before.
        std::vector<OperationRecord> more = log;
        more.push_back(op(1, 0, BenchmarkOp::batch_send, 20.0, 80.0));
        more.push_back(op(1, 0, BenchmarkOp::batch_send, 25.0, 26.0));
        more.push_back(op(0, 0, BenchmarkOp::local_insert, 30.0, 30.9));
        ContendedInserts c;
        c.add(more, 2);
        CHECK(c.share() == doctest::Approx(26.0 / 56.0));
    }
    SUBCASE("fewer than 20 of either group: no excess") {
        log.resize(25 + 2 * 19);  // 19 inserts behind a batch
        ContendedInserts c;
        c.add(log, 2);
        CHECK(std::isnan(c.excess_ms()));
    }
}

TEST_CASE("the slow window: the 50 ms bin of the second where the operations over the p90 pile up") {
    // 20 seconds, one local insert in each 50 ms bin of each second (400), 1 ms each, except those
    // starting 0.95 s past a second: 5 ms. The p90 is 1 ms, so the slow ones are those 20, all in
    // the last bin: the window is at 0.95 s, every operation in it slow.
    std::vector<OperationRecord> log;
    for (int s = 0; s < 20; ++s)
        for (int b = 0; b < 20; ++b) {
            const double start = 1000.0 * s + 50.0 * b + 10.0;
            log.push_back(op(0, 0, BenchmarkOp::local_insert, start, start + (b == 19 ? 5.0 : 1.0)));
        }
    log.push_back(op(0, 0, BenchmarkOp::sync_poll, 12.0, 400.0));  // not a main-loop operation
    SlowWindow window;
    window.add(log);
    CHECK(window.phase_s() == doctest::Approx(0.95));
    CHECK(window.share() == doctest::Approx(1.0));
    // Another run with its slow ones at 0.30 s, added: its bin has 20 of 40 slow, the 0.95 s bin
    // 20 of 40 too; the first bin with the largest share wins (0.30 s).
    std::vector<OperationRecord> other;
    for (int s = 0; s < 20; ++s)
        for (int b = 0; b < 20; ++b) {
            const double start = 1000.0 * s + 50.0 * b + 10.0;
            other.push_back(op(1, 1, BenchmarkOp::batch_send, start, start + (b == 6 ? 5.0 : 1.0)));
        }
    window.add(other);
    CHECK(window.phase_s() == doctest::Approx(0.30));
    CHECK(window.share() == doctest::Approx(0.5));
    // Fewer than 20 operations in every bin: no window.
    SlowWindow sparse;
    sparse.add(std::vector<OperationRecord>(log.begin(), log.begin() + 100));
    CHECK(std::isnan(sparse.phase_s()));
    CHECK(std::isnan(sparse.share()));
}
