// Turns a scenario file (or the embedded default) plus command-line overrides into a prepared,
// fully validated scenario. Every configuration error surfaces here, before time zero.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::app {

struct LoadRequest {
    std::optional<std::string> file;       // empty: the embedded default scenario
    std::vector<std::string> overrides;    // key.path=value
    std::optional<std::uint64_t> seed;     // replaces `seed:`
    std::optional<std::uint64_t> replications;  // replaces `replications:`
};

/// Throws sim::ConfigError on any bad input.
std::unique_ptr<sim::PreparedScenario> load_scenario(const LoadRequest& request);

}  // namespace tbsim::app
