// Recycled memory for the frames of processes (C++20 coroutines).
//
// A model starts and ends millions of short processes (a query, a CPU burst, a log flush), each
// with a frame on the heap of a few hundred bytes, and a few sizes recur. The general allocator
// keeps only a handful of freed blocks of a size close at hand and takes the slow path for the
// rest; here each thread keeps every freed frame on a free list of its size class (64-byte steps
// up to 1 KiB) and hands it out again, so a run allocates only as many frames as it ever holds at
// once. The lists are freed when their thread ends; frames freed after that bypass them. Larger
// frames, and builds under AddressSanitizer (which must see every frame's end), go to the general
// allocator.
#pragma once

#include <array>
#include <cstddef>
#include <new>

#if defined(__SANITIZE_ADDRESS__)
#define TBSIM_FRAME_POOL 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TBSIM_FRAME_POOL 0
#endif
#endif
#ifndef TBSIM_FRAME_POOL
#define TBSIM_FRAME_POOL 1
#endif

namespace tbsim::sim::detail {

class FramePool {
public:
    static constexpr std::size_t kStep = 64;    // bytes between size classes
    static constexpr std::size_t kClasses = 16;  // the largest pooled frame: 1 KiB

    static void* allocate(std::size_t bytes) {
        const std::size_t c = size_class(bytes);
        if (!TBSIM_FRAME_POOL || c >= kClasses || closed()) return ::operator new(bytes);
        FreeFrame*& head = lists().heads[c];
        if (head == nullptr) return ::operator new((c + 1) * kStep);
        FreeFrame* frame = head;
        head = frame->next;
        return frame;
    }

    static void release(void* p, std::size_t bytes) noexcept {
        const std::size_t c = size_class(bytes);
        if (!TBSIM_FRAME_POOL || c >= kClasses || closed()) {
            ::operator delete(p);
            return;
        }
        FreeFrame*& head = lists().heads[c];
        head = ::new (p) FreeFrame{head};
    }

private:
    struct FreeFrame {
        FreeFrame* next;
    };
    struct Lists {
        std::array<FreeFrame*, kClasses> heads{};
        Lists() = default;
        Lists(const Lists&) = delete;
        Lists& operator=(const Lists&) = delete;
        ~Lists() {
            closed() = true;
            for (FreeFrame* head : heads)
                while (head != nullptr) {
                    FreeFrame* next = head->next;
                    ::operator delete(static_cast<void*>(head));
                    head = next;
                }
        }
    };
    static std::size_t size_class(std::size_t bytes) { return bytes == 0 ? 0 : (bytes - 1) / kStep; }
    // Whether this thread's lists are gone (the thread is ending; a frame destroyed after them,
    // say by a static object's destructor, goes to the general allocator). A plain flag, with no
    // destructor of its own, stays readable to the end.
    static bool& closed() {
        thread_local bool closed = false;
        return closed;
    }
    static Lists& lists() {
        thread_local Lists lists;
        return lists;
    }
};

}  // namespace tbsim::sim::detail
