#include "sim/net/reservation_calendar.hpp"

#include <algorithm>

namespace tbsim::sim::net {

std::size_t ReservationCalendar::intervals() const {
    std::size_t n = 0;
    for (const auto& r : runs_) n += r.size();
    return n - head_;
}

void ReservationCalendar::forget_before(std::int64_t now) {
    while (!runs_.empty()) {
        Run& first = runs_.front();
        if (first.back().end <= now) {  // the whole run is over
            runs_.erase(runs_.begin());
            head_ = 0;
            continue;
        }
        while (first[head_].end <= now) ++head_;
        if (head_ >= kRunSize / 2) {  // erase in batches, not one shift per booking
            first.erase(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
        return;
    }
}

void ReservationCalendar::insert(std::size_t run, std::size_t at, Interval iv) {
    Run& r = runs_[run];
    r.insert(r.begin() + static_cast<std::ptrdiff_t>(at), iv);
    if (r.size() > 2 * kRunSize) {  // split a run that grew too long
        Run upper(r.begin() + static_cast<std::ptrdiff_t>(kRunSize), r.end());
        r.resize(kRunSize);
        runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(run) + 1, std::move(upper));
    }
}

Time ReservationCalendar::reserve(Time ready_time, Time duration_time, Time now) {
    forget_before(now.ns());
    const std::int64_t ready = ready_time.ns();
    const std::int64_t length = duration_time.ns();
    // Common cases first: nothing booked, or ready at or after the start of the last booking.
    if (runs_.empty()) {
        head_ = 0;
        runs_.push_back(Run{{ready, ready + length}});
        runs_.back().reserve(kRunSize);
        return ready_time;
    }
    Interval& last = runs_.back().back();
    if (ready >= last.start) {
        if (ready <= last.end) {
            const std::int64_t start = last.end;
            last.end = start + length;
            return Time::from_ns(start);
        }
        insert(runs_.size() - 1, runs_.back().size(), {ready, ready + length});
        return ready_time;
    }
    // The first interval ending after `ready`: its run by binary search on the runs' last ends.
    std::size_t run = static_cast<std::size_t>(
        std::upper_bound(runs_.begin(), runs_.end(), ready, [](std::int64_t t, const Run& r) { return t < r.back().end; }) -
        runs_.begin());
    std::size_t at = 0;
    if (run < runs_.size()) {
        const auto from = runs_[run].begin() + static_cast<std::ptrdiff_t>(run == 0 ? head_ : 0);
        at = static_cast<std::size_t>(std::upper_bound(from, runs_[run].end(), ready,
                                                       [](std::int64_t t, const Interval& iv) { return t < iv.end; }) -
                                      runs_[run].begin());
    }
    // Walk forward to the first gap that fits; (run, at) ends at the interval after the gap.
    std::int64_t start = ready;
    while (run < runs_.size()) {
        const Interval& iv = runs_[run][at];
        if (start + length <= iv.start) break;
        start = std::max(start, iv.end);
        if (++at == runs_[run].size()) {
            ++run;
            at = 0;
        }
    }
    const std::int64_t end = start + length;
    // The interval before the gap, if any, and whether the new one touches its neighbours.
    Interval* previous = nullptr;
    if (at > (run == 0 ? head_ : 0)) previous = &runs_[run][at - 1];
    else if (run > 0) previous = &runs_[run - 1].back();
    Interval* next = run < runs_.size() ? &runs_[run][at] : nullptr;
    const bool joins_previous = previous != nullptr && previous->end == start;
    const bool joins_next = next != nullptr && next->start == end;
    if (joins_previous && joins_next) {
        previous->end = next->end;
        Run& r = runs_[run];
        r.erase(r.begin() + static_cast<std::ptrdiff_t>(at));
        if (r.size() == (run == 0 ? head_ : 0)) {
            runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(run));
            if (run == 0) head_ = 0;
        }
    } else if (joins_previous) {
        previous->end = end;
    } else if (joins_next) {
        next->start = start;
    } else if (run < runs_.size()) {
        insert(run, at, {start, end});
    } else {
        insert(runs_.size() - 1, runs_.back().size(), {start, end});
    }
    return Time::from_ns(start);
}

}  // namespace tbsim::sim::net
