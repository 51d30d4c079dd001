// The `mysqlrep` model: Study A's MySQL replication benchmark on VMs, containers, containers in a
// VM or bare metal (replication_benchmark.hpp).
//
//   hosts: {count: 1, cores: 24}
//   placement: {profile: esxi-vm, shared_node: false, instance_cores: 2}   # profiles by name
//   profiles: ../profiles/virt            # where profiles are found (default: relative to this file)
//   workload: {instances: 8, rate: 600/min, aggregation: 10, inserts: 2000, remote_inserts: true}
//   database: {...native costs...}
//   network: {latency: 20us, bandwidth: 10Gbps}
//   limits: {cpu_quota: 0.5, bandwidth: 1mbit, receive_delay: 5ms}    # the testbed's, when set
#pragma once

#include <memory>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::models::mysqlrep {

struct BenchmarkSpec;

/// The benchmark's parameters from a `mysqlrep` scenario's root mapping (profiles resolved).
BenchmarkSpec read_benchmark_spec(const sim::ConfigNode& root);

std::unique_ptr<sim::PreparedScenario> read_mysqlrep_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header);
std::vector<sim::ParamSection> mysqlrep_params();
std::vector<sim::FigureDoc> mysqlrep_figures();

}  // namespace tbsim::models::mysqlrep
