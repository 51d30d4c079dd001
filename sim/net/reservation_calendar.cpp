#include "sim/net/reservation_calendar.hpp"

#include <algorithm>
#include <cstring>

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
    for (std::size_t i = 0; i < runs(); ++i) n += run(i).size;
    return n - head_;
}

void ReservationCalendar::add_run(std::size_t i, Interval iv) {
    std::uint32_t id;
    if (!free_.empty()) {
        id = free_.back();
        free_.pop_back();
    } else {
        id = static_cast<std::uint32_t>(pool_.size());
        pool_.emplace_back();
    }
    pool_[id].size = 1;
    pool_[id].iv[0] = iv;
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(first_ + i), id);
    run_end_.insert(run_end_.begin() + static_cast<std::ptrdiff_t>(first_ + i), iv.end);
}

void ReservationCalendar::remove_run(std::size_t i) {
    free_.push_back(order_[first_ + i]);
    if (i == 0) {  // from the front: O(1), the array compacted now and then
        ++first_;
        head_ = 0;
        if (first_ >= 64 && first_ * 2 >= order_.size()) {
            order_.erase(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(first_));
            run_end_.erase(run_end_.begin(), run_end_.begin() + static_cast<std::ptrdiff_t>(first_));
            first_ = 0;
        }
        return;
    }
    order_.erase(order_.begin() + static_cast<std::ptrdiff_t>(first_ + i));
    run_end_.erase(run_end_.begin() + static_cast<std::ptrdiff_t>(first_ + i));
}

void ReservationCalendar::forget_before(std::int64_t now) {
    if (now == forgotten_until_) return;
    forgotten_until_ = now;
    while (runs() > 0) {
        if (run_end(0) <= now) {  // the whole run is over
            remove_run(0);
            continue;
        }
        Run& first = run(0);
        while (first.iv[head_].end <= now) ++head_;
        if (head_ >= kRunSize / 2) {  // erase in batches, not one shift per booking
            std::memmove(first.iv, first.iv + head_, (first.size - head_) * sizeof(Interval));
            first.size -= static_cast<std::uint32_t>(head_);
            head_ = 0;
        }
        return;
    }
}

void ReservationCalendar::insert(std::size_t i, std::size_t at, Interval iv) {
    Run& r = run(i);
    std::memmove(r.iv + at + 1, r.iv + at, (r.size - at) * sizeof(Interval));
    r.iv[at] = iv;
    ++r.size;
    sync_end(i);
    if (r.size > 2 * kRunSize) {  // split a run that grew too long: its upper half becomes the next run
        const std::uint32_t upper_size = r.size - static_cast<std::uint32_t>(kRunSize);
        const Interval first_upper = r.iv[kRunSize];
        add_run(i + 1, first_upper);
        Run& lower = run(i);  // the pool may have grown
        Run& upper = run(i + 1);
        std::memcpy(upper.iv, lower.iv + kRunSize, upper_size * sizeof(Interval));
        upper.size = upper_size;
        lower.size = static_cast<std::uint32_t>(kRunSize);
        sync_end(i);
        sync_end(i + 1);
    }
}

Time ReservationCalendar::reserve(Time ready_time, Time duration_time, Time now) {
    forget_before(now.ns());
    const std::int64_t ready = ready_time.ns();
    const std::int64_t length = duration_time.ns();
    // Common cases first: nothing booked, or ready at or after the start of the last booking.
    if (runs() == 0) {
        head_ = 0;
        add_run(0, {ready, ready + length});
        return ready_time;
    }
    const std::size_t last_run = runs() - 1;
    Run& tail = run(last_run);
    Interval& last = tail.iv[tail.size - 1];
    if (ready >= last.start) {
        if (ready <= last.end) {
            const std::int64_t start = last.end;
            last.end = start + length;
            run_end(last_run) = last.end;
            return Time::from_ns(start);
        }
        insert(last_run, tail.size, {ready, ready + length});
        return ready_time;
    }
    // The first interval ending after `ready`: its run by binary search on the runs' last ends.
    std::size_t r = partition_point_branchless(run_end_.data() + first_, runs(), [ready](std::int64_t end) { return end <= ready; });
    std::size_t at = 0;
    if (r < runs()) {
        const std::size_t from = r == 0 ? head_ : 0;
        const Run& rr = run(r);
        at = from + partition_point_branchless(rr.iv + from, rr.size - from, [ready](const Interval& iv) { return iv.end <= ready; });
    }
    // Walk forward to the first gap that fits; (r, at) ends at the interval after the gap.
    std::int64_t start = ready;
    while (r < runs()) {
        const Interval& iv = run(r).iv[at];
        if (start + length <= iv.start) break;
        start = std::max(start, iv.end);
        if (++at == run(r).size) {
            ++r;
            at = 0;
        }
    }
    const std::int64_t end = start + length;
    // The interval before the gap, if any, and whether the new one touches its neighbours.
    const bool previous_in_run = at > (r == 0 ? head_ : 0);
    Interval* previous = nullptr;
    if (previous_in_run) previous = &run(r).iv[at - 1];
    else if (r > 0) previous = &run(r - 1).iv[run(r - 1).size - 1];
    Interval* next = r < runs() ? &run(r).iv[at] : nullptr;
    const bool joins_previous = previous != nullptr && previous->end == start;
    const bool joins_next = next != nullptr && next->start == end;
    // The run holding `previous` (it may be the run before `r`).
    const std::size_t previous_run = previous_in_run ? r : r - 1;
    if (joins_previous && joins_next) {
        previous->end = next->end;
        Run& rr = run(r);
        std::memmove(rr.iv + at, rr.iv + at + 1, (rr.size - at - 1) * sizeof(Interval));
        --rr.size;
        if (rr.size == (r == 0 ? head_ : 0)) {
            remove_run(r);
        } else {
            sync_end(r);
        }
        sync_end(previous_run);
    } else if (joins_previous) {
        previous->end = end;
        sync_end(previous_run);
    } else if (joins_next) {
        next->start = start;
    } else if (r < runs()) {
        insert(r, at, {start, end});
    } else {
        insert(runs() - 1, run(runs() - 1).size, {start, end});
    }
    return Time::from_ns(start);
}

}  // namespace tbsim::sim::net
