// What `tbsim replay` writes (docs/outputs.md, "tbsim replay"): replay.json (the keys scripts read),
// quantiles.csv (measured and simulated quantiles per trace and operation kind) and the table it
// prints.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "validation/replay/testbed_replay.hpp"

namespace tbsim::validation {

/// One trace: trace, mode, main_loop_s, slowdown, ops.<kind>, phases, bytes_sent, cpu_s, nodes.
nlohmann::json replay_json(const TraceReplay& r);
/// Several: {"traces": [...], "mean_abs_error": {...}, "limit_rates": [...]}; one trace: replay_json.
nlohmann::json replays_json(const std::vector<TraceReplay>& replays, const std::vector<LimitRate>& limits);

/// The quantiles 0.01, 0.05, 0.10, ..., 0.95, 0.99 of each operation kind of each trace.
std::string quantiles_csv(const std::vector<TraceReplay>& replays);

/// The first replication's simulated operations of `r` (kept with ReplayOptions::
/// keep_simulated_operations) in the columns of the testbed's trace.csv (docs/traces.md), so that
/// what reads a real trace reads the model's: rows written only (0 for listings), ok always 1.
std::string simulated_trace_csv(const TraceReplay& r);

/// One trace in detail, or one row per trace (and the ladders' limits) for several.
std::string replay_table(const std::vector<TraceReplay>& replays, const std::vector<LimitRate>& limits);

}  // namespace tbsim::validation
