// The `traffic` model: a topology of nodes and links, message-stream workloads, and per-link
// byte accounting. It is the engine's own scenario kind (the default scenario is one) and the
// simplest place to study a network before a system model is written.
//
//   topology: {nodes: [...], links: [...]}      # sim/net/topology.hpp
//   workloads: [...]                            # message_stream.hpp
//   outputs: {bin: 1s, monitor: all}           # series bin width; links with per-bin series
#pragma once

#include <memory>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::models::traffic {

/// Reads a `model: traffic` scenario (everything below the common header).
std::unique_ptr<sim::PreparedScenario> read_traffic_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header);

/// The parameter reference of this model, for `tbsim params traffic`.
std::string traffic_params();

}  // namespace tbsim::models::traffic
