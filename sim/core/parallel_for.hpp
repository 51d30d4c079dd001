// Runs independent tasks on up to `jobs` threads: each thread takes the next task (by index, or in
// `order`) until none is left (dynamic scheduling, so a long task does not hold the others back). The first
// exception a task throws is rethrown after every thread has stopped. Tasks share no mutable
// state through this helper: each writes only its own result.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace tbsim::sim {

/// Runs task(0), task(1), ... task(count - 1) on up to `jobs` threads, taken in that order.
template <class Task>
void parallel_for_count(std::size_t count, unsigned jobs, Task&& task) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        for (std::size_t k = next++; k < count; k = next++) {
            try {
                task(k);
            } catch (...) {
                const std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
            }
        }
    };
    const unsigned threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(jobs, count)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

/// The same over task(order[0]), task(order[1]), ...: the tasks taken in the order given.
template <class Task>
void parallel_for(const std::vector<std::size_t>& order, unsigned jobs, Task&& task) {
    parallel_for_count(order.size(), jobs, [&](std::size_t k) { task(order[k]); });
}

}  // namespace tbsim::sim
