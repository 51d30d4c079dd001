// An allocator for the few arrays that a large run reads at random, one element per event: the
// event heap, a model's state per entity (a hundred thousand servers' task runners: tens of MB).
//
// With 4 KiB pages such an array spans thousands of pages, more than the TLB holds, so nearly every
// access also walks the page tables (twice over in a virtual machine). Blocks of at least 2 MiB are
// therefore aligned to 2 MiB and marked for transparent huge pages (madvise MADV_HUGEPAGE; Linux
// grants them when /sys/kernel/mm/transparent_hugepage/enabled is `always` or `madvise`, and the
// mark is a harmless hint otherwise). Smaller blocks are aligned to a cache line. Only memory
// placement changes: contents, and so results, are the same.
#pragma once

#include <cstddef>
#include <new>

namespace tbsim::sim {

namespace detail {
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;
inline constexpr std::size_t kCacheLine = 64;
/// Marks [p, p + bytes) for huge pages (whole 2 MiB pages inside it); does nothing elsewhere than Linux.
void advise_huge_pages(void* p, std::size_t bytes) noexcept;
}  // namespace detail

template <class T>
struct LargeArrayAllocator {
    using value_type = T;
    LargeArrayAllocator() = default;
    template <class U>
    LargeArrayAllocator(const LargeArrayAllocator<U>&) {}  // NOLINT(google-explicit-constructor): rebinding

    T* allocate(std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        if (bytes < detail::kHugePage) return static_cast<T*>(::operator new(bytes, std::align_val_t{detail::kCacheLine}));
        void* p = ::operator new(bytes, std::align_val_t{detail::kHugePage});
        detail::advise_huge_pages(p, bytes);
        return static_cast<T*>(p);
    }
    void deallocate(T* p, std::size_t n) {
        const std::size_t bytes = n * sizeof(T);
        ::operator delete(p, std::align_val_t{bytes < detail::kHugePage ? detail::kCacheLine : detail::kHugePage});
    }
    bool operator==(const LargeArrayAllocator&) const { return true; }
};

}  // namespace tbsim::sim
