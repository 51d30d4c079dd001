// What a log of the benchmark's operations shows beyond each operation's latency: how long each
// instance spent in each phase, how the slowest main loop progressed, whether slow operations come
// in runs, and how much longer a local insert takes when a peer's batch is under way at its
// server. The same code reads a recorded trace's operations and the model's (`tbsim replay`).
#pragma once

#include <array>
#include <cstddef>
#include <utility>
#include <vector>

#include "models/mysqlrep/operation_log.hpp"

namespace tbsim::validation {

/// An operation slower than this is slow (ms), and one that starts within kBackToBackMs of a slow
/// one's end (same instance) comes right after it.
inline constexpr double kSlowOperationMs = 3.0;
inline constexpr double kBackToBackMs = 1.0;
/// The fewest inserts of either group (behind a batch, alone) to compare their medians.
inline constexpr std::size_t kContentionSamples = 20;

/// First start and last end of each instance's operations in each phase.
class PhaseSpans {
public:
    PhaseSpans(const std::vector<models::mysqlrep::OperationRecord>& ops, std::size_t instances);
    /// Instance `i`'s span of `phase` in seconds (0 when it has no operation in it).
    double span_s(std::size_t i, models::mysqlrep::BenchmarkPhase phase) const;
    /// The slowest instance's span of `phase` (s), and which instance that is.
    std::pair<double, std::size_t> slowest(models::mysqlrep::BenchmarkPhase phase) const;
    /// When instance `i`'s first operation of `phase` began.
    sim::Time first_start(std::size_t i, models::mysqlrep::BenchmarkPhase phase) const;

private:
    std::vector<std::array<sim::Time, 4>> first_, last_;
    std::vector<std::array<bool, 4>> seen_;
};

/// When each local insert of `instance` ended, in seconds since its main loop's first operation,
/// in order: the main loop's progress.
std::vector<double> progress_of(const std::vector<models::mysqlrep::OperationRecord>& ops, std::size_t instance, const PhaseSpans& spans);

/// How many main-loop operations are slow, and how many of those that start right after a slow
/// one of the same instance. Real hosts stall in episodes (docs/mysqlrep.md).
class SlowOperations {
public:
    void add(std::vector<models::mysqlrep::OperationRecord> ops, std::size_t instances);
    double share() const;             // slow among all
    double share_after_slow() const;  // slow among those right after a slow one

private:
    double operations_ = 0, slow_ = 0, after_slow_ = 0, slow_after_slow_ = 0;
};

/// An iteration of the main loop (one local insert's start to the next's, same instance) this many
/// periods or more past its period is late.
inline constexpr double kLateIterationPeriods = 0.5;

/// The main loop's late iterations: what makes a loop that mostly keeps up fall behind. The
/// application starts an insert a period after the last one started, or when the last
/// iteration's work ends if that is later, so its slowdown is the mean of max(period, iteration)
/// over the period; below the limit rate a few long iterations make most of what exceeds 1
/// (docs/mysqlrep.md, "The limit's lower rungs").
class LateIterations {
public:
    /// `period`: the main loop's, 1 / D.
    void add(const std::vector<models::mysqlrep::OperationRecord>& ops, std::size_t instances, sim::Time period);
    /// Late iterations among all.
    double share() const;
    /// What the late iterations add to the slowdown: their time past the period, summed, over
    /// all the iterations' periods.
    double slowdown_added() const;

private:
    double iterations_ = 0, late_ = 0, late_periods_ = 0;
};

/// Where in each second of the clock the slow main-loop operations fall: the local inserts and
/// batches over their run's 90th percentile, by the 50 ms bin of the second they start in (the
/// clock's origin is the launcher's, shared by every instance). On the testbed they pile up in
/// one bin, where every server's purge round is (docs/mysqlrep.md, "The buffer pool and the
/// purge's rounds"); spread evenly, each bin has a tenth of its operations slow.
class SlowWindow {
public:
    static constexpr int kBins = 20;
    /// Bins with fewer operations than this (over all the runs added) are not a window.
    static constexpr double kMinOperations = 20;
    void add(const std::vector<models::mysqlrep::OperationRecord>& ops);
    /// The start of the bin with the largest share slow (s past each second), and that share;
    /// NaN when no bin has kMinOperations.
    double phase_s() const;
    double share() const;

private:
    int peak() const;
    std::array<double, kBins> operations_{}, slow_{};
};

/// Local inserts that reach their server while a peer's batch is under way there (begun before
/// them, not yet answered), against those that meet no batch at all: the share of the first and
/// how much longer they take, median against median, in ms. A likely cause of the wait: InnoDB
/// flushes a server's redo log one flush at a time, so a commit that finds one under way waits
/// for it (docs/mysqlrep.md, "A batch under way").
class ContendedInserts {
public:
    void add(const std::vector<models::mysqlrep::OperationRecord>& ops, std::size_t instances);
    double share() const;
    /// NaN when either group has fewer than kContentionSamples inserts.
    double excess_ms() const;

private:
    std::vector<double> under_way_ms_, alone_ms_;
    double inserts_ = 0;
};

}  // namespace tbsim::validation
