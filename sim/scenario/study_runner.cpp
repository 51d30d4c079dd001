#include "sim/scenario/study_runner.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace tbsim::sim {

StudyRuns run_study(const Study& study, unsigned jobs, RunStore* store) {
    StudyRuns runs(study.points.size());
    std::vector<std::pair<std::size_t, std::uint64_t>> tasks;  // (point, replication)
    for (std::size_t p = 0; p < study.points.size(); ++p) {
        const auto count = study.points[p].scenario->header().replications;
        runs[p].resize(count);
        for (std::uint64_t r = 0; r < count; ++r) tasks.emplace_back(p, r);
    }
    // A sweep keeps figures only; a single point also writes its tables (series.csv, ...).
    const RunOutputs outputs = study.is_sweep() ? RunOutputs::figures_only : RunOutputs::figures_and_tables;
    std::mutex store_mutex;
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        for (std::size_t t = next++; t < tasks.size(); t = next++) {
            const auto [p, r] = tasks[t];
            const auto& point = study.points[p];
            try {
                if (store != nullptr) {
                    std::lock_guard lock(store_mutex);
                    if (auto kept = store->load(point.identity, r)) {
                        runs[p][r] = std::move(*kept);
                        continue;
                    }
                }
                runs[p][r] = point.scenario->run(r, outputs);
                if (store != nullptr) {
                    std::lock_guard lock(store_mutex);
                    store->save(point.identity, r, runs[p][r]);
                }
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next = tasks.size();
            }
        }
    };
    const auto threads = static_cast<unsigned>(std::min<std::size_t>(std::max(1u, jobs), tasks.size()));
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
    }
    if (failure) std::rethrow_exception(failure);
    return runs;
}

}  // namespace tbsim::sim
