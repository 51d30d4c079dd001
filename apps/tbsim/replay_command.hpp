// `tbsim replay TRACE_DIR... [--profile FILE] [--mode model|driven] [--replications R] [--seed S]
// [--jobs N] [--json] [--out DIR] [--set KEY=VALUE] [--simulated-traces]`: the real testbed's traces replayed in the
// model and compared, operation by operation (validation/replay, docs/replay.md). A TRACE_DIR is a
// trace's folder or a folder of traces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/study.hpp"

namespace tbsim::app {

struct ReplayRequest {
    std::vector<std::string> traces;
    std::string profile = "testbed";  // a file, or the compiled-in profile's name
    std::vector<sim::Override> overrides;
    std::string mode = "model";
    std::optional<std::int64_t> replications;  // default: the profile's `replications`
    std::optional<std::uint64_t> seed;         // default: the profile's `seed`
    unsigned jobs = 1;
    std::string out;  // empty: out/replay (one trace: out/replay/<trace>)
    bool simulated_traces = false;  // also write simulated/<trace>.csv: the model's operations
};

struct ReplayOutcome {
    std::string table;
    nlohmann::json json;
    std::vector<std::string> files;
    double wall_s = 0;
};

/// The trace folders named by `paths`, testbed traces or OpenStack captures (a folder of them
/// expands to them, in name order).
/// ConfigError if a path is neither.
std::vector<std::string> expand_trace_folders(const std::vector<std::string>& paths);

ReplayOutcome run_replay(const ReplayRequest& request);

}  // namespace tbsim::app
