#include "sim/scenario/mpi_runner.hpp"

#include <cstdlib>
#include <stdexcept>

#ifdef TBSIM_WITH_MPI
#include <mpi.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "sim/output/figure_json.hpp"
#include "sim/scenario/result_store.hpp"
#endif

namespace tbsim::sim {

bool launched_by_mpirun() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
        if (const char* v = std::getenv(name); v != nullptr && std::atoi(v) > 1) return true;
    return false;
}

#ifndef TBSIM_WITH_MPI

bool mpi_available() { return false; }
MpiSession::MpiSession() { throw std::runtime_error("this tbsim was built without MPI (install libopenmpi-dev and build again)"); }
MpiSession::~MpiSession() = default;
RunReport run_study_mpi(const Study&, const RunOptions&, const MpiSession&) {
    throw std::runtime_error("this tbsim was built without MPI (install libopenmpi-dev and build again)");
}

#else

namespace {

constexpr int kTagRequest = 1;  // worker -> rank 0: "I am free", with the previous task's result
constexpr int kTagTask = 2;     // rank 0 -> worker: "point replication"
constexpr int kTagDone = 3;     // rank 0 -> worker: no more tasks

// A finished task as a message: its coordinates and the result, or the error it ended with.
std::string encode(const Task& t, const std::optional<RunResult>& result, const std::string& error) {
    Json j;
    j["p"] = t.point;
    j["r"] = t.replication;
    if (result) j["line"] = ResultStore::to_line("", t.replication, *result);
    else j["error"] = error;
    return j.dump();
}

void send_text(const std::string& text, int to, int tag) {
    MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string receive_text(int from, int tag, MPI_Status& status) {
    MPI_Probe(from, tag, MPI_COMM_WORLD, &status);
    int size = 0;
    MPI_Get_count(&status, MPI_CHAR, &size);
    std::string text(static_cast<std::size_t>(size), '\0');
    MPI_Recv(text.data(), size, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return text;
}

// Runs one task of a point that has a prepared scenario.
std::pair<std::optional<RunResult>, std::string> execute(const Study& study, const Task& t) {
    try {
        const auto outputs = study.is_sweep() ? RunOutputs::figures_only : RunOutputs::figures_and_tables;
        return {study.points[t.point].scenario->run(t.replication, outputs), {}};
    } catch (const std::exception& e) {
        return {std::nullopt, e.what()};
    }
}

// Rank 0: the schedule, the store, its own workers, and the requests of the other ranks.
RunReport coordinate(const Study& study, const RunOptions& options, int ranks) {
    RunSchedule schedule(study, options.points);
    std::mutex mutex;
    std::condition_variable more;
    auto publish = [&] {
        if (options.progress == nullptr) return;
        options.progress->known = schedule.known();
        options.progress->finished = schedule.finished();
        options.progress->failed = schedule.failures().size();
    };
    auto finish = [&](const Task& t, std::optional<RunResult> result, const std::string& error) {  // under the lock
        if (result) {
            if (options.store != nullptr) options.store->save(study.points[t.point].identity, t.replication, *result);
            schedule.complete(t, std::move(*result));
        } else {
            schedule.fail(t, error);
        }
        publish();
        more.notify_all();
    };
    // The next task no store holds (kept runs complete at once).
    auto next = [&](Task& t) {  // under the lock
        for (;;) {
            const auto n = schedule.next(t);
            if (n != RunSchedule::Next::run || options.store == nullptr) return n;
            auto kept = options.store->load(study.points[t.point].identity, t.replication);
            if (!kept) return n;
            if (options.progress != nullptr) ++options.progress->kept;
            finish(t, std::move(kept), {});
        }
    };
    auto local_worker = [&] {
        std::unique_lock lock(mutex);
        for (;;) {
            Task t;
            const auto n = next(t);
            if (n == RunSchedule::Next::done) break;
            if (n == RunSchedule::Next::wait) {
                more.wait_for(lock, std::chrono::milliseconds(50));
                continue;
            }
            lock.unlock();
            auto [result, error] = execute(study, t);
            lock.lock();
            finish(t, std::move(result), error);
        }
        more.notify_all();
    };
    std::vector<std::thread> locals;
    for (unsigned i = 0; i < std::max(1u, options.jobs); ++i) locals.emplace_back(local_worker);

    // Every other rank's worker threads, as they ask.
    std::vector<int> threads(static_cast<std::size_t>(ranks), 0);
    int mine = 0;
    MPI_Gather(&mine, 1, MPI_INT, threads.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    int remote = 0;
    for (int r = 1; r < ranks; ++r) remote += threads[static_cast<std::size_t>(r)];
    std::deque<int> waiting;  // ranks whose request found no task yet
    int done_sent = 0;
    while (done_sent < remote) {
        int flag = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &status);
        std::unique_lock lock(mutex);
        if (flag) {
            lock.unlock();
            const std::string text = receive_text(status.MPI_SOURCE, kTagRequest, status);
            lock.lock();
            if (!text.empty()) {
                const Json j = Json::parse(text);
                const Task t{j.at("p").get<std::size_t>(), j.at("r").get<std::uint64_t>()};
                if (j.contains("line")) {
                    auto run = ResultStore::from_line(j.at("line").get<std::string>());
                    finish(t, std::move(run->second), {});
                } else {
                    finish(t, std::nullopt, j.at("error").get<std::string>());
                }
            }
            waiting.push_back(status.MPI_SOURCE);
        }
        // Serve every waiting rank that can be served now.
        while (!waiting.empty()) {
            Task t;
            const auto n = next(t);
            if (n == RunSchedule::Next::wait) break;
            const int to = waiting.front();
            waiting.pop_front();
            lock.unlock();
            if (n == RunSchedule::Next::done) {
                send_text("", to, kTagDone);
                ++done_sent;
            } else {
                send_text(fmt::format("{} {}", t.point, t.replication), to, kTagTask);
            }
            lock.lock();
        }
        if (!flag) {
            lock.unlock();
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }
    for (auto& t : locals) t.join();
    return {schedule.take_runs(), schedule.failures()};
}

// Another rank: `jobs` threads asking rank 0 for tasks, one conversation at a time.
void work(const Study& study, const RunOptions& options) {
    int mine = static_cast<int>(std::max(1u, options.jobs));
    MPI_Gather(&mine, 1, MPI_INT, nullptr, 0, MPI_INT, 0, MPI_COMM_WORLD);
    std::mutex conversation;
    auto worker = [&] {
        std::string finished;  // the previous task's result, sent with the next request
        for (;;) {
            std::string reply;
            MPI_Status status;
            {
                std::lock_guard lock(conversation);
                send_text(finished, 0, kTagRequest);
                MPI_Probe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
                reply = receive_text(0, status.MPI_TAG, status);
            }
            if (status.MPI_TAG == kTagDone) return;
            std::istringstream in(reply);
            Task t;
            in >> t.point >> t.replication;
            auto [result, error] = execute(study, t);
            finished = encode(t, result, error);
        }
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < mine; ++i) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
}

}  // namespace

bool mpi_available() { return true; }

MpiSession::MpiSession() {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
    if (provided < MPI_THREAD_SERIALIZED) throw std::runtime_error("the MPI library does not allow serialized calls from threads");
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() { MPI_Finalize(); }

RunReport run_study_mpi(const Study& study, const RunOptions& options, const MpiSession& session) {
    if (session.rank() == 0) return coordinate(study, options, session.size());
    work(study, options);
    return {};
}

#endif

}  // namespace tbsim::sim
