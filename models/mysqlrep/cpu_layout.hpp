// Where the benchmark's nodes get their CPU: the processors a placement makes on the hosts, in
// cores left once each node's operating system has paid its idle load (the virtualization
// profile's idle_load), and the check that none is left without (the model cannot invent CPU).
// The model builds its processors from this layout; the scenario reader and `tbsim replay` refuse
// a placement the check fails, naming the key to change.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace tbsim::models::mysqlrep {

struct BenchmarkSpec;

/// The processors the nodes run on, in cores once each node's OS has paid its idle load: one for a
/// shared node (containers in one VM), one per host when containers share the host's cores, else
/// one per node (its own cores, or its fair share of an overcommitted host's). Only the hosts that
/// hold a node are laid out: round-robin fills the first min(hosts.count, nodes), and the hosts past
/// them would stay idle (a sweep over N with a fixed count of hosts, or a count far too large).
struct CpuLayout {
    std::size_t hosts = 0;                   // hosts that hold a node
    std::vector<double> cores;               // per processor; zero or less: the idle load takes it all
    std::vector<std::size_t> of_instance;    // each instance's processor
    std::vector<std::size_t> host_of;        // each instance's host
};
CpuLayout cpu_layout(const BenchmarkSpec& spec);

/// A processor of `spec` left without CPU once the idle load is paid (the model would have to invent
/// some): the key to change and why. nullopt when every processor keeps some.
struct CpuShortage {
    std::string key;  // placement.node_cores, workload.instances or placement.instance_cores
    std::string reason;
};
std::optional<CpuShortage> cpu_shortage(const BenchmarkSpec& spec);

}  // namespace tbsim::models::mysqlrep
