// Processes: multi-step workflows written as C++20 coroutines (SimPy processes, SimCpp20).
//
//   Process boot(Simulation& sim, Vm& vm) {
//       co_await sim.timeout(vm.boot_time);
//       vm.state = VmState::active;
//   }
//   sim.start(boot(sim, vm));          // detached: the simulation owns the frame
//   co_await boot(sim, vm);            // inside another process: runs it and waits for its end
//
// A Process is lazy: nothing runs until it is started or awaited. A detached process's frame is
// destroyed when it finishes, or with the simulation if it is still suspended then. An awaited
// process is owned by the awaiting frame. An exception escaping a process propagates out of
// Simulation::run_until (a bug or a configuration error, never a simulated failure).
#pragma once

#include <coroutine>
#include <deque>
#include <exception>
#include <utility>
#include <vector>

#include "sim/core/frame_pool.hpp"
#include "sim/core/simulation.hpp"

namespace tbsim::sim {

class Process {
public:
    struct promise_type {
        Simulation* sim = nullptr;
        bool detached = false;
        Simulation::RootFrame root;
        std::coroutine_handle<> continuation;  // the awaiting process, if any

        // The frame's memory: recycled within the thread (frame_pool.hpp).
        static void* operator new(std::size_t bytes) { return detail::FramePool::allocate(bytes); }
        static void operator delete(void* frame, std::size_t bytes) noexcept { detail::FramePool::release(frame, bytes); }

        Process get_return_object() { return Process(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        auto final_suspend() noexcept {
            struct FinalAwaiter {
                bool await_ready() const noexcept { return false; }
                std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept {
                    promise_type& p = h.promise();
                    if (p.detached) {
                        p.sim->release(p.root);
                        h.destroy();
                        return std::noop_coroutine();
                    }
                    return p.continuation ? p.continuation : std::noop_coroutine();
                }
                void await_resume() const noexcept {}
            };
            return FinalAwaiter{};
        }
        void return_void() noexcept {}
        [[noreturn]] void unhandled_exception() { throw; }
    };

    Process(Process&& o) noexcept : handle_(std::exchange(o.handle_, {})) {}
    Process& operator=(Process&& o) noexcept {
        if (this != &o) {
            if (handle_) handle_.destroy();
            handle_ = std::exchange(o.handle_, {});
        }
        return *this;
    }
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;
    ~Process() {
        if (handle_) handle_.destroy();
    }

    // Awaiting a process runs it now (symmetric transfer) and resumes the awaiter when it ends.
    bool await_ready() const noexcept { return !handle_ || handle_.done(); }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept {
        handle_.promise().continuation = awaiting;
        return handle_;
    }
    void await_resume() const noexcept {}

private:
    friend class Simulation;
    explicit Process(std::coroutine_handle<promise_type> h) : handle_(h) {}
    std::coroutine_handle<promise_type> release() { return std::exchange(handle_, {}); }
    std::coroutine_handle<promise_type> handle_;
};

/// A one-shot condition ("the VM is active"): processes wait on it until it is fired; once fired it
/// stays fired and waiting on it completes at once. Waiters resume in the order they began waiting,
/// each through an event at the firing time.
class Trigger {
public:
    explicit Trigger(Simulation& sim) : sim_(&sim) {}
    bool fired() const { return fired_; }
    void fire() {
        if (fired_) return;
        fired_ = true;
        for (auto h : waiters_) sim_->schedule_in(Time::zero(), [h] { h.resume(); });
        waiters_.clear();
    }
    auto wait() {
        struct Awaiter {
            Trigger& t;
            bool await_ready() const noexcept { return t.fired_; }
            void await_suspend(std::coroutine_handle<> h) { t.waiters_.push_back(h); }
            void await_resume() const noexcept {}
        };
        return Awaiter{*this};
    }

private:
    Simulation* sim_;
    bool fired_ = false;
    std::vector<std::coroutine_handle<>> waiters_;
};

/// A counted resource with FIFO waiting (nova's limit of concurrent builds, a pool of connections):
/// `co_await r.acquire()` takes one unit, waiting in line if none is free; `r.release()` gives it back.
class Resource {
public:
    Resource(Simulation& sim, std::size_t capacity) : sim_(&sim), capacity_(capacity) {}
    std::size_t capacity() const { return capacity_; }
    std::size_t in_use() const { return in_use_; }
    std::size_t queued() const { return waiters_.size(); }

    auto acquire() {
        struct Awaiter {
            Resource& r;
            bool await_ready() noexcept {
                if (r.in_use_ < r.capacity_ && r.waiters_.empty()) {
                    ++r.in_use_;
                    return true;
                }
                return false;
            }
            void await_suspend(std::coroutine_handle<> h) { r.waiters_.push_back(h); }
            void await_resume() const noexcept {}
        };
        return Awaiter{*this};
    }
    void release() {
        TBSIM_CHECK(in_use_ > 0, "resource released more often than acquired");
        if (!waiters_.empty()) {  // hand the unit straight to the next in line
            auto h = waiters_.front();
            waiters_.pop_front();
            sim_->schedule_in(Time::zero(), [h] { h.resume(); });
        } else {
            --in_use_;
        }
    }

private:
    Simulation* sim_;
    std::size_t capacity_;
    std::size_t in_use_ = 0;
    std::deque<std::coroutine_handle<>> waiters_;
};

}  // namespace tbsim::sim
