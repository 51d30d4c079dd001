// Where finished replications are kept until a run's results are written, so that a run (or a
// sweep of replications) that is interrupted resumes where it stopped: a rerun of the same scenario
// reuses the replications already done. The identity of a run is a hash of its fully resolved
// scenario (overrides applied), of the profiles it names and of the tbsim version: anything else
// and nothing is reused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::sim {

class ReplicationStore {
public:
    virtual ~ReplicationStore() = default;
    virtual std::optional<RunResult> load(std::uint64_t replication) const = 0;
    virtual void save(std::uint64_t replication, const RunResult& result) = 0;
};

/// Keeps each finished replication as `<dir>/.tbsim-resume/<identity>/replication-<r>.json`,
/// written atomically.
class FileReplicationStore final : public ReplicationStore {
public:
    FileReplicationStore(const std::string& out_dir, std::string identity);
    std::optional<RunResult> load(std::uint64_t replication) const override;
    void save(std::uint64_t replication, const RunResult& result) override;
    /// Removes the kept replications (after the results are written).
    void clear();

private:
    std::string path(std::uint64_t replication) const;
    std::string root_;
    std::string dir_;
};

}  // namespace tbsim::sim
