// The `traffic` model: a topology of nodes and links, message-stream workloads, and per-link
// byte accounting. It is the engine's own scenario kind (the default scenario is one) and the
// simplest place to study a network before a system model is written.
//
//   topology: {nodes: [...], links: [...]}      # sim/net/topology.hpp
//   workloads: [...]                            # message_stream.hpp
//   outputs: {bin: 1s, monitor: all}           # series bin width; links with per-bin series
#pragma once

#include <memory>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::models::traffic {

/// Reads a `model: traffic` scenario (everything below the common header).
std::unique_ptr<sim::PreparedScenario> read_traffic_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header);

/// The declarations of every key this model reads, for `tbsim params traffic` and docs/scenarios.md.
std::vector<sim::ParamSection> traffic_params();

/// The declarations of its figures, for docs/outputs.md.
std::vector<sim::FigureDoc> traffic_figures();

}  // namespace tbsim::models::traffic
