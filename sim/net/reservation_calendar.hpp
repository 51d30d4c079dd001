// When one direction of a link is busy: a sorted list of disjoint busy intervals.
//
// A transmission asks for the first idle gap of its duration at or after the time it is ready,
// so transmissions computed ahead of time (a call worked out when it starts) never overlap and
// never delay a transmission that is ready earlier but computed later unless they really occupy
// the wire then. Touching intervals are merged, so a saturated link is one interval and its
// backlog costs O(1) per transmission. Intervals that ended before `now` are forgotten.
//
// The list is cut into sorted runs of at most 2 x kRunSize intervals (a one-level B+ tree): a
// booking finds its run by binary search over the runs' last ends and shifts at most one run, so a
// shared link with thousands of bookings ahead (every server's calls in flight) stays cheap. Runs
// live in one pool of fixed-size blocks, ordered by a small index array, and runs that are over
// leave from the front in O(1): a booking touches a few cache lines and moves little memory.
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
    struct Run {
        std::uint32_t size = 0;
        Interval iv[2 * kRunSize + 1];  // one more than a run holds before it is split
    };

    std::size_t runs() const { return order_.size() - first_; }
    Run& run(std::size_t i) { return pool_[order_[first_ + i]]; }
    const Run& run(std::size_t i) const { return pool_[order_[first_ + i]]; }
    std::int64_t& run_end(std::size_t i) { return run_end_[first_ + i]; }
    void sync_end(std::size_t i) { run_end(i) = run(i).iv[run(i).size - 1].end; }
    /// A new run holding `iv`, placed at position `i` of the order.
    void add_run(std::size_t i, Interval iv);
    void remove_run(std::size_t i);
    void forget_before(std::int64_t now);
    void insert(std::size_t run, std::size_t at, Interval iv);

    std::vector<Run> pool_;               // runs, in no particular order
    std::vector<std::uint32_t> free_;     // pool entries not in use
    std::vector<std::uint32_t> order_;    // pool entries in time order; those before first_ are over
    std::vector<std::int64_t> run_end_;   // end of each ordered run's last interval (parallel to order_)
    std::size_t first_ = 0;
    std::size_t head_ = 0;                // intervals of the first run before head_ are over (erased in batches)
    std::int64_t forgotten_until_ = -1;   // forget_before has run for this `now`
};

}  // namespace tbsim::sim::net
