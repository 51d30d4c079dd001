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

struct LoadedScenario {
    std::unique_ptr<sim::PreparedScenario> scenario;
    std::string identity;  // hash of the resolved scenario, its profiles and tbsim's version
};

/// Throws sim::ConfigError on any bad input.
LoadedScenario load_scenario(const LoadRequest& request);

}  // namespace tbsim::app
