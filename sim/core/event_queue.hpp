// The future event list: a 4-ary min-heap ordered by (time, insertion sequence).
//
// Events at equal times fire in the order they were scheduled (SimPy's eid counter). A heap entry is
// 16 bytes: the time and one word holding the sequence number (high 40 bits) and the index of the
// event's slot (low 24 bits), so ordering by that word is ordering by sequence. Handlers live in a
// slab of slots with stable addresses; a cancelled event keeps its heap entry until it reaches the
// top, where it is discarded (lazy deletion). An EventId is a (slot, generation) pair, so cancelling
// an event that already fired or was cancelled is always valid and does nothing.
//
// Fixed-delay lanes: events scheduled at now + D for one declared delay D (a heartbeat re-armed
// every 10 s) arrive in time order, because now never decreases, so a FIFO holds them sorted at
// O(1) per push and pop instead of O(log n) in the heap. The next event is the least of the heap's
// top and the lanes' heads by (time, sequence), so lanes change the cost, never the order.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/check.hpp"
#include "sim/core/time.hpp"

namespace tbsim::sim {

/// A handle to a scheduled event. Default-constructed handles refer to no event.
struct EventId {
    static constexpr std::uint32_t kNone = 0xFFFF'FFFFu;
    std::uint32_t slot = kNone;
    std::uint32_t generation = 0;
};

class EventQueue {
public:
    static constexpr unsigned kSlotBits = 24;
    static constexpr std::uint64_t kSlotMask = (std::uint64_t{1} << kSlotBits) - 1;
    static constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << (64 - kSlotBits)) - 1;

    EventQueue() = default;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    EventId push(Time at, Callback handler) {
        const std::uint32_t slot = allocate_slot();
        Slot& s = slot_ref(slot);
        s.handler = std::move(handler);
        s.live = true;
        TBSIM_CHECK(sequence_ < kMaxSequence, "event sequence counter exhausted");
        heap_push(Entry{at.ns(), (sequence_++ << kSlotBits) | slot});
        ++live_;
        return EventId{slot, s.generation};
    }

    /// Declares a fixed-delay lane (see above) and returns its index; the same delay twice gives the
    /// same lane.
    std::size_t add_lane(Time delay) {
        for (std::size_t i = 0; i < lanes_.size(); ++i)
            if (lanes_[i].delay == delay) return i;
        lanes_.push_back(Lane{delay, {}, {}});
        return lanes_.size() - 1;
    }
    /// The lane for `delay`, or -1.
    int lane_of(Time delay) const {
        for (std::size_t i = 0; i < lanes_.size(); ++i)
            if (lanes_[i].delay == delay) return static_cast<int>(i);
        return -1;
    }
    /// Schedules into lane `lane` at `at`, which must not be before the lane's last event.
    /// `hint`: memory the handler will touch first, fetched while the event before it runs.
    EventId push_lane(std::size_t lane, Time at, Callback handler, const void* hint = nullptr) {
        const std::uint32_t slot = allocate_slot();
        Slot& s = slot_ref(slot);
        s.handler = std::move(handler);
        s.live = true;
        TBSIM_CHECK(sequence_ < kMaxSequence, "event sequence counter exhausted");
        auto& q = lanes_[lane].queue;
        TBSIM_CHECK(q.empty() || q.back().time <= at.ns(), "a fixed-delay lane received an event out of order");
        q.push_back(Entry{at.ns(), (sequence_++ << kSlotBits) | slot});
        lanes_[lane].hints.push_back(hint);
        ++live_;
        return EventId{slot, s.generation};
    }

    /// Cancels a pending event; returns false (and does nothing) if it already fired or was cancelled.
    bool cancel(EventId id) {
        if (!is_pending(id)) return false;
        Slot& s = slot_ref(id.slot);
        s.live = false;
        ++s.generation;
        s.handler.reset();
        --live_;
        return true;
    }

    bool is_pending(EventId id) const {
        if (id.slot == EventId::kNone || id.slot >= slot_count_) return false;
        const Slot& s = slot_ref(id.slot);
        return s.live && s.generation == id.generation;
    }

    /// Number of pending (not cancelled) events.
    std::size_t size() const { return live_; }
    bool empty() const { return live_ == 0; }

    /// Time of the earliest pending event, or Time::max() if there is none.
    Time next_time() {
        drop_cancelled_top();
        const Next e = earliest();
        return e.entry == nullptr ? Time::max() : Time::from_ns(e.entry->time);
    }

    /// If the earliest pending event is due at or before `until`, removes it, sets `now` to its time,
    /// runs its handler and returns true; otherwise returns false.
    bool run_next(Time until, Time& now) {
        for (;;) {
            const Next first = earliest();
            if (first.entry == nullptr || first.entry->time > until.ns()) return false;
            const Entry top = *first.entry;
            if (first.lane < 0) {
                heap_pop();
            } else {
                auto& lane = lanes_[static_cast<std::size_t>(first.lane)];
                lane.queue.pop_front();
                lane.hints.pop_front();
            }
            const auto slot = static_cast<std::uint32_t>(top.key & kSlotMask);
            Slot& s = slot_ref(slot);
            if (!s.live) {  // cancelled while pending
                release_slot(slot);
                continue;
            }
            // The next event's slot is a likely cache miss in a large queue: fetch it while this
            // handler runs.
            if (const Next next = earliest(); next.entry != nullptr) {
                __builtin_prefetch(&slot_ref(static_cast<std::uint32_t>(next.entry->key & kSlotMask)));
                if (next.hint != nullptr) __builtin_prefetch(next.hint);
            }
            now = Time::from_ns(top.time);
            s.live = false;
            ++s.generation;
            --live_;
            s.handler();  // may schedule or cancel events; slot addresses are stable
            s.handler.reset();
            release_slot(slot);
            return true;
        }
    }

private:
    struct Entry {
        std::int64_t time;
        std::uint64_t key;  // sequence << kSlotBits | slot
    };
    struct Lane {
        Time delay;
        std::deque<Entry> queue;         // sorted by construction
        std::deque<const void*> hints;   // one per entry of `queue`
    };
    struct Slot {
        Callback handler;
        std::uint32_t generation = 0;
        std::uint32_t next_free = EventId::kNone;
        bool live = false;
    };
    static constexpr unsigned kChunkBits = 12;
    static constexpr std::uint32_t kChunkSize = 1u << kChunkBits;

    static bool before(const Entry& a, const Entry& b) {
        return a.time < b.time || (a.time == b.time && a.key < b.key);
    }

    Slot& slot_ref(std::uint32_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const Slot& slot_ref(std::uint32_t i) const { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }

    std::uint32_t allocate_slot() {
        if (free_head_ != EventId::kNone) {
            const std::uint32_t i = free_head_;
            free_head_ = slot_ref(i).next_free;
            return i;
        }
        TBSIM_CHECK(slot_count_ <= kSlotMask, "more than 2^24 events pending at once");
        if ((slot_count_ & (kChunkSize - 1)) == 0) chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
        return slot_count_++;
    }
    void release_slot(std::uint32_t i) {
        slot_ref(i).next_free = free_head_;
        free_head_ = i;
    }

    void drop_cancelled_top() {
        while (!heap_.empty()) {
            const auto slot = static_cast<std::uint32_t>(heap_.front().key & kSlotMask);
            if (slot_ref(slot).live) break;
            heap_pop();
            release_slot(slot);
        }
        for (auto& lane : lanes_) {
            while (!lane.queue.empty()) {
                const auto slot = static_cast<std::uint32_t>(lane.queue.front().key & kSlotMask);
                if (slot_ref(slot).live) break;
                lane.queue.pop_front();
                lane.hints.pop_front();
                release_slot(slot);
            }
        }
    }

    // The earliest pending entry: the heap's top or a lane's head, by (time, sequence).
    struct Next {
        const Entry* entry = nullptr;
        int lane = -1;  // -1: the heap
        const void* hint = nullptr;
    };
    Next earliest() const {
        Next best;
        if (!heap_.empty()) best.entry = &heap_.front();
        for (std::size_t i = 0; i < lanes_.size(); ++i) {
            const auto& q = lanes_[i].queue;
            if (!q.empty() && (best.entry == nullptr || before(q.front(), *best.entry)))
                best = Next{&q.front(), static_cast<int>(i), lanes_[i].hints.front()};
        }
        return best;
    }

    void heap_push(Entry e) {
        std::size_t i = heap_.size();
        heap_.push_back(e);
        Entry* h = heap_.data();
        while (i > 0) {
            const std::size_t parent = (i - 1) >> 2;
            if (!before(e, h[parent])) break;
            h[i] = h[parent];
            i = parent;
        }
        h[i] = e;
    }

    void heap_pop() {
        const Entry last = heap_.back();
        heap_.pop_back();
        const std::size_t n = heap_.size();
        if (n == 0) return;
        Entry* h = heap_.data();
        std::size_t i = 0;
        for (;;) {
            const std::size_t first = 4 * i + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = first + 4 < n ? first + 4 : n;
            for (std::size_t c = first + 1; c < end; ++c)
                if (before(h[c], h[best])) best = c;
            if (!before(h[best], last)) break;
            h[i] = h[best];
            i = best;
        }
        h[i] = last;
    }

    std::vector<Entry> heap_;
    std::vector<Lane> lanes_;
    std::vector<std::unique_ptr<Slot[]>> chunks_;
    std::uint32_t slot_count_ = 0;
    std::uint32_t free_head_ = EventId::kNone;
    std::uint64_t sequence_ = 0;
    std::size_t live_ = 0;
};

}  // namespace tbsim::sim
