// A sweep's results on disk, kept for good: every finished run is appended as one JSON line to
// its writer's own file under DIR/store/ (`main`, `shard-2-of-3`, ...), with a single write(2), so
// that a SIGKILL never loses a finished run and never leaves half of one to be read back (a partial
// last line is ignored); the file is synced to disk at least every second and when it is closed.
// Runs are keyed by their point's identity (hash of its resolved scenario, seed and tbsim version)
// and replication: a sweep started again runs only what no file holds, and a changed axis reruns
// only the points it changes. Opening a store reads every writer's file, so shards that wrote into
// one folder, or several folders, come together.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/run_store.hpp"

namespace tbsim::sim {

class ResultStore final : public RunStore {
public:
    /// Reads the runs in `dirs`' stores; appends new ones to `dirs.front()`/store/<writer>.jsonl
    /// (an empty writer: read only, saving keeps runs in memory).
    ResultStore(const std::vector<std::string>& dirs, const std::string& writer);
    ~ResultStore() override;
    ResultStore(const ResultStore&) = delete;
    ResultStore& operator=(const ResultStore&) = delete;

    std::optional<RunResult> load(const std::string& identity, std::uint64_t replication) const override;
    void save(const std::string& identity, std::uint64_t replication, const RunResult& result) override;

    std::size_t size() const { return runs_.size(); }

    /// A run as the line a store file holds, and back (nothing for a damaged line).
    static std::string to_line(const std::string& identity, std::uint64_t replication, const RunResult& result);
    static std::optional<std::pair<std::pair<std::string, std::uint64_t>, RunResult>> from_line(const std::string& line);

private:
    void read_folder(const std::string& dir);
    std::map<std::pair<std::string, std::uint64_t>, RunResult> runs_;
    int fd_ = -1;
    std::string path_;
    std::chrono::steady_clock::time_point synced_;
};

}  // namespace tbsim::sim
