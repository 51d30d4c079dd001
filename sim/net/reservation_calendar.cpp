#include "sim/net/reservation_calendar.hpp"

#include <algorithm>

namespace tbsim::sim::net {
namespace {

// The first of `n` elements from `first` for which `before(element)` is false, the elements being
// partitioned (all `before` first). Branch-free halving: the search's comparisons are unpredictable,
// and a conditional move costs less than a mispredicted branch.
template <class T, class Before>
std::size_t partition_point_branchless(const T* first, std::size_t n, Before before) {
    if (n == 0) return 0;
    const T* base = first;
    while (n > 1) {
        const std::size_t half = n / 2;
        base = before(base[half]) ? base + half : base;
        n -= half;
    }
    return static_cast<std::size_t>(base - first) + (before(*base) ? 1 : 0);
}

}  // namespace

std::size_t ReservationCalendar::intervals() const {
    std::size_t n = 0;
    for (const auto& r : runs_) n += r.size();
    return n - head_;
}

void ReservationCalendar::forget_before(std::int64_t now) {
    if (now == forgotten_until_) return;
    forgotten_until_ = now;
    while (!runs_.empty()) {
        Run& first = runs_.front();
        if (run_end_.front() <= now) {  // the whole run is over
            runs_.erase(runs_.begin());
            run_end_.erase(run_end_.begin());
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
    sync_end(run);
    if (r.size() > 2 * kRunSize) {  // split a run that grew too long
        Run upper(r.begin() + static_cast<std::ptrdiff_t>(kRunSize), r.end());
        r.resize(kRunSize);
        runs_.insert(runs_.begin() + static_cast<std::ptrdiff_t>(run) + 1, std::move(upper));
        run_end_.insert(run_end_.begin() + static_cast<std::ptrdiff_t>(run) + 1, 0);
        sync_end(run);
        sync_end(run + 1);
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
        run_end_.push_back(ready + length);
        return ready_time;
    }
    Interval& last = runs_.back().back();
    if (ready >= last.start) {
        if (ready <= last.end) {
            const std::int64_t start = last.end;
            last.end = start + length;
            run_end_.back() = last.end;
            return Time::from_ns(start);
        }
        insert(runs_.size() - 1, runs_.back().size(), {ready, ready + length});
        return ready_time;
    }
    // The first interval ending after `ready`: its run by binary search on the runs' last ends.
    std::size_t run = partition_point_branchless(run_end_.data(), run_end_.size(), [ready](std::int64_t end) { return end <= ready; });
    std::size_t at = 0;
    if (run < runs_.size()) {
        const std::size_t from = run == 0 ? head_ : 0;
        const Run& r = runs_[run];
        at = from + partition_point_branchless(r.data() + from, r.size() - from, [ready](const Interval& iv) { return iv.end <= ready; });
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
    // The run holding `previous` (it may be the run before `run`).
    const std::size_t previous_run = at > (run == 0 ? head_ : 0) ? run : run - 1;
    if (joins_previous && joins_next) {
        previous->end = next->end;
        Run& r = runs_[run];
        r.erase(r.begin() + static_cast<std::ptrdiff_t>(at));
        if (r.size() == (run == 0 ? head_ : 0)) {
            runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(run));
            run_end_.erase(run_end_.begin() + static_cast<std::ptrdiff_t>(run));
            if (run == 0) head_ = 0;
        } else {
            sync_end(run);
        }
        sync_end(previous_run);
    } else if (joins_previous) {
        previous->end = end;
        sync_end(previous_run);
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
