// The future event list: a 4-ary min-heap ordered by (time, insertion sequence).
//
// The heap is laid out so that a node's four children are one 64-byte cache line (16-byte entries,
// the array aligned to 64 bytes and shifted by three entries): taking the least child costs one
// line, so a pop through a large heap misses the cache once per level, not twice.
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
//
// Direct events: a model with very many similar entities (every server's periodic tasks) registers
// a handler once and schedules events that carry an entity's index instead of a callback. They have
// no slot (one cache miss less per event in a large queue), cannot be cancelled, and while the
// event before runs the engine fetches the state of the entity they serve (the handler's `base +
// index * stride`). They are ordered with every other event by (time, sequence), like lane events.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/check.hpp"
#include "sim/core/engine_limit.hpp"
#include "sim/core/large_array_allocator.hpp"
#include "sim/core/time.hpp"

namespace tbsim::sim {

/// A handle to a scheduled event. Default-constructed handles refer to no event.
struct EventId {
    static constexpr std::uint32_t kNone = 0xFFFF'FFFFu;
    std::uint32_t slot = kNone;
    std::uint32_t generation = 0;
};

/// What runs a direct event: `run(context, index)`, and where the entity `index` keeps its state
/// (`state + index * stride`, `stride` bytes or more), fetched before the event runs.
struct DirectHandler {
    void (*run)(void* context, std::uint32_t index) = nullptr;
    void* context = nullptr;
    const void* state = nullptr;
    std::size_t stride = 0;
};

class EventQueue {
public:
    // An entry's key: sequence (38 bits) | kind (2 bits: 0 a slot event, 1-3 a direct handler) |
    // index (24 bits: the slot, or the entity of a direct event).
    static constexpr unsigned kIndexBits = 24;
    static constexpr unsigned kKindBits = 2;
    static constexpr std::uint64_t kIndexMask = (std::uint64_t{1} << kIndexBits) - 1;
    static constexpr std::uint64_t kMaxSequence = (std::uint64_t{1} << (64 - kIndexBits - kKindBits)) - 1;
    static constexpr std::uint32_t kMaxDirectHandlers = (1u << kKindBits) - 1;

    EventQueue() = default;
    EventQueue(const EventQueue&) = delete;
    EventQueue& operator=(const EventQueue&) = delete;

    EventId push(Time at, Callback handler) {
        const std::uint32_t slot = allocate_slot();
        Slot& s = slot_ref(slot);
        s.handler = std::move(handler);
        s.live = true;
        heap_push(Entry{at.ns(), next_key(0, slot)});
        ++live_;
        return EventId{slot, s.generation};
    }

    /// Registers a direct handler; returns its id (1 to kMaxDirectHandlers).
    std::uint32_t add_direct_handler(const DirectHandler& handler) {
        TBSIM_CHECK(direct_.size() < kMaxDirectHandlers, "too many direct event handlers");
        direct_.push_back(handler);
        return static_cast<std::uint32_t>(direct_.size());
    }
    /// Schedules a direct event of handler `handler` for entity `index` at `at`.
    void push_direct(std::uint32_t handler, Time at, std::uint32_t index) {
        TBSIM_CHECK(index <= kIndexMask, "a direct event's index needs more than 24 bits");
        heap_push(Entry{at.ns(), next_key(handler, index)});
        ++live_;
    }
    /// The same into lane `lane` (its events in time order, see push_lane).
    void push_direct_lane(std::size_t lane, std::uint32_t handler, Time at, std::uint32_t index) {
        TBSIM_CHECK(index <= kIndexMask, "a direct event's index needs more than 24 bits");
        auto& q = lanes_[lane].queue;
        TBSIM_CHECK(q.empty() || q.back().time <= at.ns(), "a fixed-delay lane received an event out of order");
        q.push_back(Entry{at.ns(), next_key(handler, index)});
        lanes_[lane].hints.push_back(nullptr);
        ++live_;
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
        auto& q = lanes_[lane].queue;
        TBSIM_CHECK(q.empty() || q.back().time <= at.ns(), "a fixed-delay lane received an event out of order");
        q.push_back(Entry{at.ns(), next_key(0, slot)});
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
            const auto index = static_cast<std::uint32_t>(top.key & kIndexMask);
            if (const auto kind = kind_of(top.key); kind != 0) {  // a direct event: never cancelled
                prefetch_next();
                now = Time::from_ns(top.time);
                --live_;
                const DirectHandler& h = direct_[kind - 1];
                h.run(h.context, index);
                return true;
            }
            const auto slot = index;
            Slot& s = slot_ref(slot);
            if (!s.live) {  // cancelled while pending
                release_slot(slot);
                continue;
            }
            prefetch_next();
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
        std::uint64_t key;  // sequence | kind | index (see kIndexBits)
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

    // Keys order by sequence first: the kind and index bits below never decide.
    static bool before(const Entry& a, const Entry& b) {
        return a.time < b.time || (a.time == b.time && a.key < b.key);
    }
    static std::uint32_t kind_of(std::uint64_t key) { return static_cast<std::uint32_t>((key >> kIndexBits) & ((1u << kKindBits) - 1)); }
    std::uint64_t next_key(std::uint32_t kind, std::uint32_t index) {
        if (sequence_ >= kMaxSequence) [[unlikely]]
            throw EngineLimit("a run scheduled more events than tbsim counts (2^38, about 275 billion): run a shorter or smaller scenario");
        return (sequence_++ << (kIndexBits + kKindBits)) | (std::uint64_t{kind} << kIndexBits) | index;
    }
    // The next event's state is a likely cache miss in a large queue: fetch it while this one runs.
    Slot& slot_ref(std::uint32_t i) { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }
    const Slot& slot_ref(std::uint32_t i) const { return chunks_[i >> kChunkBits][i & (kChunkSize - 1)]; }

    std::uint32_t allocate_slot() {
        if (free_head_ != EventId::kNone) {
            const std::uint32_t i = free_head_;
            free_head_ = slot_ref(i).next_free;
            return i;
        }
        if (slot_count_ > kIndexMask) [[unlikely]]
            throw EngineLimit(
                "more than 2^24 (16.8 million) events pending at once: the scenario piles up work far beyond what its links or "
                "servers serve (a rate, a count or a size out of proportion)");
        if ((slot_count_ & (kChunkSize - 1)) == 0) chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
        return slot_count_++;
    }
    void release_slot(std::uint32_t i) {
        slot_ref(i).next_free = free_head_;
        free_head_ = i;
    }

    bool heap_empty() const { return heap_.size() == kHeapPad; }
    const Entry& heap_top() const { return heap_[kHeapPad]; }

    void drop_cancelled_top() {
        while (!heap_empty()) {
            const auto slot = static_cast<std::uint32_t>(heap_top().key & kIndexMask);
            if (kind_of(heap_top().key) != 0 || slot_ref(slot).live) break;
            heap_pop();
            release_slot(slot);
        }
        for (auto& lane : lanes_) {
            while (!lane.queue.empty()) {
                const auto slot = static_cast<std::uint32_t>(lane.queue.front().key & kIndexMask);
                if (kind_of(lane.queue.front().key) != 0 || slot_ref(slot).live) break;
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
        if (!heap_empty()) best.entry = &heap_top();
        for (std::size_t i = 0; i < lanes_.size(); ++i) {
            const auto& q = lanes_[i].queue;
            if (!q.empty() && (best.entry == nullptr || before(q.front(), *best.entry)))
                best = Next{&q.front(), static_cast<int>(i), lanes_[i].hints.front()};
        }
        return best;
    }

    void prefetch_next() {
        const Next next = earliest();
        if (next.entry == nullptr) return;
        prefetch_state(*next.entry, next.hint);
        // And the one after: a miss takes longer than most events, so it is started two ahead.
        if (const Entry* after = second_earliest(next)) prefetch_state(*after, nullptr);
    }
    // Always inlined: GCC 12 deems an out-of-line function whose only effect is a prefetch free of
    // side effects (its IPA pure-const pass) and deletes the calls, prefetches and all.
    [[gnu::always_inline]] void prefetch_state(const Entry& e, const void* hint) const {
        const auto index = static_cast<std::uint32_t>(e.key & kIndexMask);
        if (const auto kind = kind_of(e.key); kind != 0) {
            const DirectHandler& h = direct_[kind - 1];
            const char* state = static_cast<const char*>(h.state) + static_cast<std::size_t>(index) * h.stride;
            __builtin_prefetch(state);
            __builtin_prefetch(state + h.stride - 1);
            return;
        }
        __builtin_prefetch(&slot_ref(index));
        if (hint != nullptr) __builtin_prefetch(hint);
    }
    // The entry that comes after `first` (the earliest): among the heap's top, the top's children,
    // and each lane's first two.
    const Entry* second_earliest(const Next& first) const {
        const Entry* best = nullptr;
        auto consider = [&](const Entry* e) {
            if (e != first.entry && (best == nullptr || before(*e, *best))) best = e;
        };
        const std::size_t n = heap_.size() - kHeapPad;
        if (n > 0) {
            const Entry* h = heap_.data() + kHeapPad;
            if (first.lane >= 0) consider(&h[0]);
            else
                for (std::size_t c = 1; c <= 4 && c < n; ++c) consider(&h[c]);
        }
        for (std::size_t i = 0; i < lanes_.size(); ++i) {
            const auto& q = lanes_[i].queue;
            if (q.empty()) continue;
            if (static_cast<int>(i) != first.lane) consider(&q.front());
            else if (q.size() > 1) consider(&q[1]);
        }
        return best;
    }

    void heap_push(Entry e) {
        std::size_t i = heap_.size() - kHeapPad;
        heap_.push_back(e);
        Entry* h = heap_.data() + kHeapPad;
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
        const std::size_t n = heap_.size() - kHeapPad;
        if (n == 0) return;
        Entry* h = heap_.data() + kHeapPad;
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

    static constexpr std::size_t kHeapPad = 3;  // logical node i at heap_[i + 3]: children 4i+1..4i+4 start a line

    // Aligned to a cache line (so that sibling groups are lines), on huge pages when large.
    std::vector<Entry, LargeArrayAllocator<Entry>> heap_ = std::vector<Entry, LargeArrayAllocator<Entry>>(kHeapPad);
    std::vector<Lane> lanes_;
    std::vector<DirectHandler> direct_;
    std::vector<std::unique_ptr<Slot[]>> chunks_;
    std::uint32_t slot_count_ = 0;
    std::uint32_t free_head_ = EventId::kNone;
    std::uint64_t sequence_ = 0;
    std::size_t live_ = 0;
};

}  // namespace tbsim::sim
