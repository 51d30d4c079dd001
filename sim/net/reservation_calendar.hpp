// When one direction of a link is busy: a sorted list of disjoint busy intervals.
//
// A transmission asks for the first idle gap of its duration at or after the time it is ready,
// so transmissions computed ahead of time (a call worked out when it starts) never overlap and
// never delay a transmission that is ready earlier but computed later unless they really occupy
// the wire then. Touching intervals are merged, so a saturated link is one interval and its
// backlog costs O(1) per transmission. Intervals that ended before `now` are forgotten.
//
// The list is cut into sorted runs of at most kRunSize intervals (a one-level B+ tree): a booking
// finds its run by binary search and shifts at most one run, so a shared link with thousands of
// bookings ahead (every server's calls in flight) stays cheap.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/time.hpp"

namespace tbsim::sim::net {

class ReservationCalendar {
public:
    /// Reserves `duration` starting at the earliest idle time >= `ready`; returns the start.
    /// `now` (<= ready) lets the calendar forget intervals that are over.
    Time reserve(Time ready, Time duration, Time now);
    /// Busy intervals still remembered (for tests).
    std::size_t intervals() const;

private:
    struct Interval {
        std::int64_t start;
        std::int64_t end;
    };
    static constexpr std::size_t kRunSize = 16;
    using Run = std::vector<Interval>;

    void forget_before(std::int64_t now);
    void insert(std::size_t run, std::size_t at, Interval iv);

    void sync_end(std::size_t run) { run_end_[run] = runs_[run].back().end; }

    std::vector<Run> runs_;               // non-empty, sorted, each run sorted, runs in order
    std::vector<std::int64_t> run_end_;   // end of each run's last interval, for a cache-friendly search
    std::size_t head_ = 0;                // intervals of runs_[0] before head_ are over (erased in batches)
    std::int64_t forgotten_until_ = -1;   // forget_before has run for this `now`
};

}  // namespace tbsim::sim::net
