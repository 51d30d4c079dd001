#include "sim/scenario/replications.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "sim/scenario/replication_store.hpp"
#include "sim/stats/confidence.hpp"

namespace tbsim::sim {
namespace {

// Walks the first summary; at each numeric leaf, pools the same leaf of every run.
void pool(const std::vector<const Json*>& nodes, Json& mean, Json& ci) {
    const Json& first = *nodes.front();
    if (first.is_object()) {
        mean = Json::object();
        ci = Json::object();
        for (const auto& [key, value] : first.items()) {
            std::vector<const Json*> children;
            for (const Json* n : nodes)
                if (n->is_object() && n->contains(key)) children.push_back(&(*n)[key]);
            if (children.size() != nodes.size()) {
                mean[key] = value;
                continue;
            }
            Json m, c;
            pool(children, m, c);
            mean[key] = m;
            if (!c.is_null() && !(c.is_object() && c.empty())) ci[key] = c;
        }
        return;
    }
    if (first.is_array()) {  // lists of equal length (sweep points) pool element by element
        bool same = true;
        for (const Json* n : nodes) same = same && n->is_array() && n->size() == first.size();
        if (same) {
            mean = Json::array();
            ci = Json::array();
            for (std::size_t i = 0; i < first.size(); ++i) {
                std::vector<const Json*> items;
                for (const Json* n : nodes) items.push_back(&(*n)[i]);
                Json m, c;
                pool(items, m, c);
                mean.push_back(m);
                ci.push_back(c);
            }
            return;
        }
    }
    if (first.is_number() && !first.is_boolean()) {
        std::vector<double> values;
        for (const Json* n : nodes) values.push_back(n->get<double>());
        const auto interval = confidence_95(values);
        mean = nodes.size() == 1 ? first : Json(interval.mean);
        ci = interval.half_width;
        return;
    }
    mean = first;  // strings, lists, booleans: from the first replication
}

}  // namespace

std::vector<RunResult> run_replications(const PreparedScenario& scenario, std::uint64_t count, unsigned jobs, ReplicationStore* store) {
    std::vector<RunResult> results(count);
    std::mutex store_mutex;
    std::atomic<std::uint64_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        for (std::uint64_t r = next++; r < count; r = next++) {
            try {
                if (store != nullptr) {
                    std::lock_guard lock(store_mutex);
                    if (auto kept = store->load(r)) {
                        results[r] = std::move(*kept);
                        continue;
                    }
                }
                results[r] = scenario.run(r);
                if (store != nullptr) {
                    std::lock_guard lock(store_mutex);
                    store->save(r, results[r]);
                }
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next = count;
            }
        }
    };
    const unsigned threads = static_cast<unsigned>(std::min<std::uint64_t>(std::max(1u, jobs), count));
    if (threads <= 1) {
        worker();
    } else {
        std::vector<std::thread> pool_threads;
        for (unsigned i = 0; i < threads; ++i) pool_threads.emplace_back(worker);
        for (auto& t : pool_threads) t.join();
    }
    if (failure) std::rethrow_exception(failure);
    return results;
}

RunResult pool_replications(const std::vector<RunResult>& runs, Json* ci95) {
    RunResult pooled;
    if (runs.empty()) return pooled;
    std::vector<const Json*> summaries;
    for (const auto& r : runs) summaries.push_back(&r.summary);
    Json ci;
    pool(summaries, pooled.summary, ci);
    if (ci95 != nullptr) *ci95 = ci;
    pooled.tables = runs.front().tables;
    for (std::size_t i = 1; i < runs.size(); ++i)
        for (std::size_t t = 0; t < pooled.tables.size() && t < runs[i].tables.size(); ++t) pooled.tables[t].append(runs[i].tables[t]);
    for (const auto& r : runs) pooled.events += r.events;
    return pooled;
}

}  // namespace tbsim::sim
