#include <doctest/doctest.h>

#include <vector>

#include "sim/stats/confidence.hpp"
#include "sim/stats/tally.hpp"
#include "sim/stats/time_series.hpp"
#include "sim/stats/time_weighted.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim::sim;
using namespace tbsim::sim::time_literals;

TEST_CASE("a tally gives mean, sample variance, extremes and exact percentiles") {
    Tally t;
    for (const double x : {7.0, 1.0, 3.0, 9.0, 5.0}) t.add(x);
    CHECK(t.count() == 5);
    CHECK(t.mean() == doctest::Approx(5.0));
    CHECK(t.variance() == doctest::Approx(10.0));  // sum of squares 40 over n - 1
    CHECK(t.min() == 1.0);
    CHECK(t.max() == 9.0);
    CHECK(t.percentile(0.0) == 1.0);
    CHECK(t.percentile(0.5) == 5.0);
    CHECK(t.percentile(1.0) == 9.0);
    CHECK(t.percentile(0.9) == doctest::Approx(8.2));  // type 7: 7 + 0.6 * (9 - 7)
    t.add(11.0);                                       // adding after a sort keeps percentiles exact
    CHECK(t.percentile(0.5) == doctest::Approx(6.0));
}

TEST_CASE("percentiles of 1..100 match numpy's linear interpolation") {
    Tally t;
    for (int i = 100; i >= 1; --i) t.add(i);
    CHECK(t.percentile(0.95) == doctest::Approx(95.05));
    CHECK(t.percentile(0.99) == doctest::Approx(99.01));
    CHECK(t.percentile(0.25) == doctest::Approx(25.75));
}

TEST_CASE("a time-weighted average integrates a piecewise-constant value") {
    TimeWeighted q(0_s, 0.0);
    q.set(2_s, 4.0);  // 0 for 2 s
    q.set(5_s, 1.0);  // 4 for 3 s
    // 1 for 5 s up to t = 10 s: (0*2 + 4*3 + 1*5) / 10
    CHECK(q.mean(10_s) == doctest::Approx(1.7));
    CHECK(q.max() == 4.0);
}

TEST_CASE("a time series spreads an interval's amount over the bins it overlaps") {
    TimeSeries s(1_s);
    s.add(500_ms, 10.0);
    s.add_spread(1500_ms, 3500_ms, 200.0);  // 0.5 s in bin 1, 1 s in bin 2, 0.5 s in bin 3
    CHECK(s.at(0) == doctest::Approx(10.0));
    CHECK(s.at(1) == doctest::Approx(50.0));
    CHECK(s.at(2) == doctest::Approx(100.0));
    CHECK(s.at(3) == doctest::Approx(50.0));
    CHECK(s.total() == doctest::Approx(210.0));
    s.add_spread(4_s, 5_s, 7.0);  // exactly one bin: nothing leaks into bin 5
    CHECK(s.at(4) == doctest::Approx(7.0));
    CHECK(s.bins() == 5);
}

TEST_CASE("a time series keeps nothing past its horizon, and the bins before it their share") {
    TimeSeries s(1_s, 2500_ms);  // bins 0, 1 and 2 (which the horizon cuts) are kept
    s.add_spread(1500_ms, 5500_ms, 400.0);  // 100 per second: 50 in bin 1, 100 in bin 2, the rest past it
    CHECK(s.at(1) == doctest::Approx(50.0));
    CHECK(s.at(2) == doctest::Approx(100.0));
    CHECK(s.bins() == 3);
    s.add(3_s, 9.0);             // past the horizon: dropped
    s.add_spread(4_s, 9_s, 9.0);
    CHECK(s.bins() == 3);
    CHECK(s.total() == doctest::Approx(150.0));
}

TEST_CASE("Student-t quantiles match the tables") {
    CHECK(student_t_975(1) == within(12.7062, 1e-5));
    CHECK(student_t_975(4) == within(2.7764, 1e-4));
    CHECK(student_t_975(30) == within(2.0423, 1e-4));
    CHECK(student_t_975(40) == within(2.0211, 1e-4));   // table: 2.021075
    CHECK(student_t_975(120) == within(1.9799, 1e-4));  // table: 1.979930
    CHECK(student_t_975(100000) == within(1.95999, 1e-4));
}

TEST_CASE("the 95% confidence interval of five replications") {
    const auto ci = confidence_95({1.0, 2.0, 3.0, 4.0, 5.0});
    CHECK(ci.n == 5);
    CHECK(ci.mean == doctest::Approx(3.0));
    // s = sqrt(2.5) = 1.5811; t(0.975, 4) = 2.776445; half-width = 2.776445 * 1.5811 / sqrt(5)
    CHECK(ci.half_width == within(1.96324, 1e-4));
    CHECK(confidence_95({42.0}).half_width == 0.0);
}

#include "sim/stats/linear_fit.hpp"

TEST_CASE("a least-squares line recovers slope, intercept and R^2") {
    const auto exact = fit_line({0, 1, 2, 3, 4}, {0.096, 15.132, 30.168, 45.204, 60.24});
    CHECK(exact.slope == doctest::Approx(15.036));
    CHECK(exact.intercept == doctest::Approx(0.096));
    CHECK(exact.r_squared == doctest::Approx(1.0));
    // y = 2x + 1 with residuals +1, -1, -1, +1: slope 2, intercept 1, R^2 = 1 - 4 / 24.
    const auto noisy = fit_line({0, 1, 2, 3}, {2, 2, 4, 8});
    CHECK(noisy.slope == doctest::Approx(2.0));
    CHECK(noisy.intercept == doctest::Approx(1.0));
    CHECK(noisy.r_squared == doctest::Approx(1.0 - 4.0 / 24.0));
}

#include "sim/stats/log_histogram.hpp"

TEST_CASE("a log histogram gives percentiles within 0.5% in fixed memory") {
    LogHistogram h;
    Tally exact;
    for (int i = 1; i <= 100000; ++i) {
        const double x = 1e-4 * i;  // 0.1 ms to 10 s
        h.add(x);
        exact.add(x);
    }
    h.add(0.0);
    exact.add(0.0);
    for (const double q : {0.5, 0.95, 0.99}) CHECK(h.percentile(q) == within(exact.percentile(q), 0.006));
    CHECK(h.percentile(0.0) == 0.0);
    CHECK(h.max() == 10.0);
    CHECK(h.mean() == doctest::Approx(exact.mean()));
    CHECK(h.count() == 100001);
}

TEST_CASE("a log histogram's percentiles hold for values of days and years, never below the mean of equal values") {
    // Values above 1e5 used to share the top bin, whose middle (1e5) came out as the p99 of queueing
    // delays of 1.8e5 s on a 1 bps uplink, below their mean.
    LogHistogram h;
    Tally exact;
    for (int i = 1; i <= 1000; ++i) {
        const double x = 1e5 + 1e3 * i;  // 1.01e5 to 1.1e6
        h.add(x);
        exact.add(x);
    }
    for (const double q : {0.5, 0.99}) CHECK(h.percentile(q) == within(exact.percentile(q), 0.006));
    LogHistogram beyond;
    beyond.add(5e13);
    beyond.add(6e13);
    CHECK(beyond.percentile(0.99) == 6e13);  // past the last edge: the maximum
}

#include <map>
#include <stdexcept>

#include "sim/scenario/run_store.hpp"
#include "sim/scenario/study_runner.hpp"

namespace {

// A scenario whose replication r reports r * 10 and counts how often it ran.
class CountingScenario final : public PreparedScenario {
public:
    mutable int* runs = nullptr;
    ScenarioHeader h;
    const ScenarioHeader& header() const override { return h; }
    RunResult run(std::uint64_t r, RunOutputs, unsigned, RunTicker*) const override {
        ++*runs;
        RunResult out;
        out.figures.add("value", static_cast<double>(r * 10));
        return out;
    }
    std::string account(const FigureRecord&) const override { return ""; }
    std::string headline(const FigureRecord&) const override { return ""; }
};

class MemoryStore final : public RunStore {
public:
    std::map<std::pair<std::string, std::uint64_t>, RunResult> kept;
    std::optional<RunResult> load(const std::string& identity, std::uint64_t r) const override {
        const auto it = kept.find({identity, r});
        return it == kept.end() ? std::nullopt : std::optional<RunResult>(it->second);
    }
    void save(const std::string& identity, std::uint64_t r, const RunResult& result) override { kept[{identity, r}] = result; }
};

// A store that cannot keep anything (a full disk): every save throws.
class FailingStore final : public RunStore {
public:
    std::optional<RunResult> load(const std::string&, std::uint64_t) const override { return std::nullopt; }
    void save(const std::string&, std::uint64_t, const RunResult&) override { throw std::runtime_error("disk full"); }
};

// One point, "point-a", of three replications of a CountingScenario counting into `runs`.
Study counting_study(int& runs) {
    auto scenario = std::make_unique<CountingScenario>();
    scenario->runs = &runs;
    scenario->h.replications = 3;
    Study study;
    study.points.push_back({{}, std::move(scenario), "point-a", 3});
    return study;
}

}  // namespace

TEST_CASE("replications already kept are reused, new ones are kept as they end") {
    int runs_done = 0;
    const Study study = counting_study(runs_done);
    MemoryStore store;
    RunResult earlier;
    earlier.figures.add("value", 999.0);  // a replication done before an interruption
    store.kept[{"point-a", 1}] = earlier;
    store.kept[{"point-b", 2}] = earlier;  // another point's: never reused here
    const auto runs = run_study(study, 1, &store);
    CHECK(runs_done == 2);
    CHECK(*runs[0][0].figures.number("value") == 0.0);
    CHECK(*runs[0][1].figures.number("value") == 999.0);
    CHECK(*runs[0][2].figures.number("value") == 20.0);
    CHECK(store.kept.size() == 4);
}

TEST_CASE("a run that cannot be kept stops the study with its error, in the calling thread") {
    // The error must leave run_study, not a worker thread (std::terminate, exit 134): with two
    // threads the workers save, and the exception reaches the caller.
    int runs_done = 0;
    const Study study = counting_study(runs_done);
    FailingStore store;
    CHECK_THROWS_WITH_AS(run_study(study, 2, &store), "disk full", std::runtime_error);
    CHECK(runs_done >= 1);
    CHECK(runs_done <= 3);
}

TEST_CASE("the progress of a study counts every run whole at its end, kept ones too") {
    // Three replications, one kept from before: the share done reaches three whole runs, the
    // runs that said nothing of their progress counted when they ended.
    int runs_done = 0;
    const Study study = counting_study(runs_done);
    MemoryStore store;
    store.kept[{"point-a", 1}] = RunResult{};
    RunProgress progress;
    RunOptions options;
    options.store = &store;
    options.progress = &progress;
    run_study(study, options);
    CHECK(progress.known == 3);
    CHECK(progress.finished == 3);
    CHECK(progress.kept == 1);
    CHECK(progress.thousandths == 3 * RunTicker::kWhole);
}
