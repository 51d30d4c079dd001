#include "sim/scenario/study_runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace tbsim::sim {

RunReport run_study(const Study& study, const RunOptions& options) {
    RunSchedule schedule(study, options.points);
    // A sweep keeps figures only; a single point also writes its tables (series.csv, ...).
    const RunOutputs outputs = study.is_sweep() ? RunOutputs::figures_only : RunOutputs::figures_and_tables;
    std::mutex mutex;  // the schedule, the store, the first failure
    std::condition_variable more;
    std::exception_ptr failure;
    bool stop = false;
    unsigned threads_per_run = 1;  // set below, before any worker starts
    auto publish = [&] {
        if (options.progress == nullptr) return;
        options.progress->known = schedule.known();
        options.progress->finished = schedule.finished();
        options.progress->failed = schedule.failures().size();
    };
    auto worker = [&] {
        std::unique_lock lock(mutex);
        for (;;) {
            Task task;
            const auto next = stop ? RunSchedule::Next::done : schedule.next(task);
            if (next == RunSchedule::Next::done) break;
            if (next == RunSchedule::Next::wait) {
                more.wait(lock);
                continue;
            }
            const auto& point = study.points[task.point];
            std::optional<RunResult> result;
            if (options.store != nullptr) result = options.store->load(point.identity, task.replication);
            const bool kept = result.has_value();
            if (kept && options.progress != nullptr) ++options.progress->kept;
            lock.unlock();
            std::exception_ptr error;
            std::optional<RunTicker> ticker;
            if (options.progress != nullptr) ticker.emplace(options.progress->thousandths);
            if (!result) {
                try {
                    if (!point.scenario) throw std::runtime_error("no store holds this run (a shard has not finished?)");
                    result = point.scenario->run(task.replication, outputs, threads_per_run, ticker ? &*ticker : nullptr);
                } catch (...) {
                    error = std::current_exception();
                }
            }
            if (ticker) ticker->finish();
            lock.lock();
            if (error) {
                std::string why = "unknown error";
                try {
                    std::rethrow_exception(error);
                } catch (const std::exception& e) {
                    why = e.what();
                } catch (...) {
                }
                schedule.fail(task, why);
                if (!options.keep_going) {
                    if (!failure) failure = error;
                    stop = true;
                }
            } else {
                // A run that cannot be kept (the disk full, the store's folder gone) stops the study:
                // the error goes to the caller, never out of a worker thread (std::terminate).
                try {
                    if (options.store != nullptr && !kept) options.store->save(point.identity, task.replication, *result);
                } catch (...) {
                    if (!failure) failure = std::current_exception();
                    stop = true;
                }
                schedule.complete(task, std::move(*result));
            }
            publish();
            more.notify_all();
        }
        more.notify_all();
    };
    publish();
    const unsigned threads = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(std::max<std::size_t>(1, schedule.known()))));
    // Threads left over when there are fewer runs than jobs (a single large plan) go inside the runs.
    threads_per_run = std::max(1u, options.jobs / threads);
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::thread> pool;
        for (unsigned i = 0; i < threads; ++i) pool.emplace_back(worker);
        for (auto& t : pool) t.join();
    }
    if (failure) std::rethrow_exception(failure);
    return {schedule.take_runs(), schedule.failures()};
}

StudyRuns run_study(const Study& study, unsigned jobs, RunStore* store) {
    RunOptions options;
    options.jobs = jobs;
    options.store = store;
    return run_study(study, options).runs;
}

}  // namespace tbsim::sim
