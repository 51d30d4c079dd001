// When one direction of a link is busy: a sorted list of disjoint busy intervals.
//
// A transmission asks for the first idle gap of its duration at or after the time it is ready,
// so transmissions computed ahead of time (a whole RPC exchange worked out when it starts) never
// overlap and never delay a transmission that is ready earlier but computed later unless they
// really occupy the wire then. Touching intervals are merged, so a saturated link is one interval
// and its backlog costs O(1) per transmission. Intervals that ended before `now` are dropped.
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
    std::size_t intervals() const { return busy_.size() - head_; }

private:
    struct Interval {
        std::int64_t start;
        std::int64_t end;
    };
    void forget_before(std::int64_t now);
    std::vector<Interval> busy_;
    std::size_t head_ = 0;  // busy_[0, head_) are over
};

}  // namespace tbsim::sim::net
