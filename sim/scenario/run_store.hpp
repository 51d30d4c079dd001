// Where finished runs are kept until a run's results are written, so that an interrupted run or
// sweep resumes where it stopped: a rerun reuses every (point, replication) already done. A point
// is known by its identity, a hash of its fully resolved scenario (overrides and axis values
// applied), of the profiles it names and of tbsim's version: anything else and nothing is reused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::sim {

class RunStore {
public:
    virtual ~RunStore() = default;
    virtual std::optional<RunResult> load(const std::string& identity, std::uint64_t replication) const = 0;
    virtual void save(const std::string& identity, std::uint64_t replication, const RunResult& result) = 0;
};

/// Keeps each finished run as `<dir>/.tbsim-resume/<identity>/replication-<r>.json`, written
/// atomically (figures, tables, event count).
class ResumeFolder final : public RunStore {
public:
    /// ConfigError when `<out_dir>/.tbsim-resume` exists and is not a folder (checked before any run).
    explicit ResumeFolder(const std::string& out_dir);
    std::optional<RunResult> load(const std::string& identity, std::uint64_t replication) const override;
    void save(const std::string& identity, std::uint64_t replication, const RunResult& result) override;
    /// Removes the kept runs (after the results are written).
    void clear();

private:
    std::string path(const std::string& identity, std::uint64_t replication) const;
    std::string root_;
};

}  // namespace tbsim::sim
