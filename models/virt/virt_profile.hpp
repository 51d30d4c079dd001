// A virtualization overhead profile: what running on a given technology adds to an operation.
//
// Real system: a process in a VM pays the hypervisor on system calls, network packets (virtual NIC
// and virtual switch) and disk writes, runs slightly slower, shares its host with a guest OS that
// consumes CPU even when idle, and takes about 20 s to boot. A container pays namespace and cgroup
// costs (veth and bridge, or host networking), boots in about 0.5 s, and has next to no idle load.
// A container inside a VM pays both. Models declare what an operation does (CPU work, system
// calls, packets, bytes written); the profile of the node that runs it turns that into time, so a
// model never tests which technology it runs on.
//
// Profiles are YAML (scenarios/profiles/virt/<name>.yaml). `base: <profile>` composes a layer on
// top of another: per-operation costs and added latencies add up, CPU factors multiply, and the
// outer layer's idle load, boot time, memory and name resolution are kept unless the file sets them.
#pragma once

#include <string>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"
#include "sim/core/time.hpp"
#include "sim/core/units.hpp"
#include "sim/random/value_distribution.hpp"

namespace tbsim::models::virt {

struct VirtProfile {
    std::string name = "bare-metal";
    double cpu_factor = 1.0;                  // guest CPU work takes this many times the native time
    sim::Time syscall_cost;                   // CPU time added per system call
    sim::Time packet_cost;                    // CPU time added per network packet sent or received
    sim::Time packet_latency;                 // one-way latency added per packet path (vNIC, switch, bridge)
    // The innermost layer's own packet costs: what traffic pays between two nodes of this profile
    // that share one outer node (containers in the same VM talk through the VM's bridge and never
    // reach the hypervisor's switch). Equal to the totals for a single-layer profile.
    sim::Time local_packet_cost;
    sim::Time local_packet_latency;
    sim::Time disk_write_cost;                // time added per synchronous disk write (not CPU)
    double idle_load = 0.0;                   // cores the node's OS consumes when idle
    sim::DataSize memory{0};                  // footprint beyond the application
    sim::ValueDistribution boot_time = sim::ValueDistribution::constant(0.0);  // seconds
    sim::Time name_resolution;                // delay per new connection (a reverse DNS lookup timing out)
    // Each node is a control group with the CPU controller: where nodes share a host's cores, the
    // kernel shares them fairly among the nodes with runnable threads first, then among each
    // node's threads (CFS group scheduling), instead of among all threads alike.
    bool cpu_group = false;

    /// Time of an operation on this profile: its native CPU work scaled, plus per-operation costs.
    sim::Time cpu_time(sim::Time native_work, int syscalls, int packets) const;
};

/// Reads a profile mapping; `base_of` loads the profile named by `base:`.
VirtProfile read_virt_profile(const sim::ConfigNode& node, const std::string& directory);

/// Loads `name` from `directory` (scenarios/profiles/virt), resolving `base:` layers.
VirtProfile load_virt_profile(const std::string& name, const std::string& directory, const sim::ConfigNode& where);

/// The declarations of a profile file's keys.
sim::ParamSection virt_profile_params();

}  // namespace tbsim::models::virt
