// A move-only `void()` callable with in-place storage, for event handlers on the engine's hot path.
//
// Callables up to kInlineBytes (a few pointers and integers) live inside the object, so scheduling an
// event allocates nothing; larger ones fall back to the heap. Unlike std::function it accepts
// move-only callables (a captured unique_ptr, a coroutine owner).
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace tbsim::sim {

class Callback {
public:
    static constexpr std::size_t kInlineBytes = 40;

    Callback() = default;

    template <class F>
        requires(!std::is_same_v<std::decay_t<F>, Callback> && std::is_invocable_r_v<void, std::decay_t<F>&>)
    Callback(F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly, as for std::function
        using Fn = std::decay_t<F>;
        if constexpr (sizeof(Fn) <= kInlineBytes && alignof(Fn) <= alignof(std::max_align_t) &&
                      std::is_nothrow_move_constructible_v<Fn>) {
            ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
            ops_ = &inline_ops<Fn>;
        } else {
            *reinterpret_cast<Fn**>(storage_) = new Fn(std::forward<F>(f));
            ops_ = &heap_ops<Fn>;
        }
    }

    Callback(Callback&& o) noexcept { take(std::move(o)); }
    Callback& operator=(Callback&& o) noexcept {
        if (this != &o) {
            reset();
            take(std::move(o));
        }
        return *this;
    }
    Callback(const Callback&) = delete;
    Callback& operator=(const Callback&) = delete;
    ~Callback() { reset(); }

    explicit operator bool() const { return ops_ != nullptr; }
    void operator()() { ops_->invoke(storage_); }

    void reset() {
        if (ops_ != nullptr) {
            ops_->destroy(storage_);
            ops_ = nullptr;
        }
    }

private:
    struct Ops {
        void (*invoke)(void*);
        void (*move)(void* dst, void* src);  // move-constructs into dst, destroys src
        void (*destroy)(void*);
    };

    template <class Fn>
    static constexpr Ops inline_ops{
        [](void* p) { (*static_cast<Fn*>(p))(); },
        [](void* dst, void* src) {
            ::new (dst) Fn(std::move(*static_cast<Fn*>(src)));
            static_cast<Fn*>(src)->~Fn();
        },
        [](void* p) { static_cast<Fn*>(p)->~Fn(); },
    };
    template <class Fn>
    static constexpr Ops heap_ops{
        [](void* p) { (**static_cast<Fn**>(p))(); },
        [](void* dst, void* src) { *static_cast<Fn**>(dst) = *static_cast<Fn**>(src); },
        [](void* p) { delete *static_cast<Fn**>(p); },
    };

    void take(Callback&& o) noexcept {
        if (o.ops_ != nullptr) {
            o.ops_->move(storage_, o.storage_);
            ops_ = o.ops_;
            o.ops_ = nullptr;
        }
    }

    alignas(std::max_align_t) std::byte storage_[kInlineBytes];
    const Ops* ops_ = nullptr;
};

}  // namespace tbsim::sim
