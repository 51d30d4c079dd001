#include "sim/net/reservation_calendar.hpp"

#include <algorithm>

namespace tbsim::sim::net {

void ReservationCalendar::forget_before(std::int64_t now) {
    while (head_ < busy_.size() && busy_[head_].end <= now) ++head_;
    if (head_ > 64 && head_ * 2 > busy_.size()) {  // compact now and then
        busy_.erase(busy_.begin(), busy_.begin() + static_cast<std::ptrdiff_t>(head_));
        head_ = 0;
    }
}

Time ReservationCalendar::reserve(Time ready_time, Time duration_time, Time now) {
    forget_before(now.ns());
    const std::int64_t ready = ready_time.ns();
    const std::int64_t length = duration_time.ns();
    // Common cases first: nothing booked, or ready after (or while) the last booking.
    if (head_ == busy_.size() || ready >= busy_.back().start) {
        if (head_ < busy_.size() && ready <= busy_.back().end) {
            const std::int64_t start = busy_.back().end;
            busy_.back().end = start + length;
            return Time::from_ns(start);
        }
        busy_.push_back({ready, ready + length});
        return ready_time;
    }
    // Find the first interval that ends after `ready`, then the first gap that fits.
    auto it = std::upper_bound(busy_.begin() + static_cast<std::ptrdiff_t>(head_), busy_.end(), ready,
                               [](std::int64_t t, const Interval& iv) { return t < iv.end; });
    std::int64_t start = ready;
    for (; it != busy_.end(); ++it) {
        if (start + length <= it->start) break;  // fits before this interval
        start = std::max(start, it->end);
    }
    const std::int64_t end = start + length;
    // Merge with the interval before (ending at start) and/or after (starting at end).
    const bool joins_previous = it != busy_.begin() + static_cast<std::ptrdiff_t>(head_) && (it - 1)->end == start;
    const bool joins_next = it != busy_.end() && it->start == end;
    if (joins_previous && joins_next) {
        (it - 1)->end = it->end;
        busy_.erase(it);
    } else if (joins_previous) {
        (it - 1)->end = end;
    } else if (joins_next) {
        it->start = start;
    } else {
        busy_.insert(it, Interval{start, end});
    }
    return Time::from_ns(start);
}

}  // namespace tbsim::sim::net
