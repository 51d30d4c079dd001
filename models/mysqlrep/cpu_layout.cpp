#include "models/mysqlrep/cpu_layout.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "models/mysqlrep/replication_benchmark.hpp"

namespace tbsim::models::mysqlrep {

CpuLayout cpu_layout(const BenchmarkSpec& spec) {
    const auto n = static_cast<std::size_t>(spec.workload.instances);
    const auto& p = spec.placement;
    const std::size_t hosts = p.shared_node ? 1 : std::min(static_cast<std::size_t>(spec.hosts.count), n);
    const double idle = spec.profile.idle_load;
    const double capacity = spec.hosts.capacity();
    CpuLayout layout;
    layout.hosts = hosts;
    std::vector<double> requested(hosts, 0.0);  // cores the nodes of each host ask for
    std::vector<std::size_t> nodes_on(hosts, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t h = p.shared_node ? 0 : i % hosts;
        layout.host_of.push_back(h);
        requested[h] += p.instance_cores;
        ++nodes_on[h];
    }
    if (p.shared_node) {
        layout.cores.push_back(std::min(capacity, p.node_cores) - idle);
        layout.of_instance.assign(n, 0);
    } else if (p.shares_host_cpu()) {
        for (std::size_t h = 0; h < hosts; ++h) layout.cores.push_back(capacity - idle * static_cast<double>(nodes_on[h]));
        layout.of_instance = layout.host_of;
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            const std::size_t h = layout.host_of[i];
            layout.cores.push_back(p.instance_cores * std::min(1.0, capacity / requested[h]) - idle);
            layout.of_instance.push_back(i);
        }
    }
    return layout;
}

std::optional<CpuShortage> cpu_shortage(const BenchmarkSpec& spec) {
    const CpuLayout layout = cpu_layout(spec);
    const auto least = std::min_element(layout.cores.begin(), layout.cores.end());
    if (least == layout.cores.end() || *least > 0.0) return std::nullopt;
    const auto& p = spec.placement;
    const double idle = spec.profile.idle_load;
    const double capacity = spec.hosts.capacity();
    if (p.shared_node)
        return CpuShortage{"placement.node_cores", fmt::format("the shared node's {:g} cores leave nothing once its OS's idle load ({:g} cores, "
                                                               "profile {}) is paid",
                                                               std::min(capacity, p.node_cores), idle, p.profile)};
    // The busiest host's nodes, as the layout placed them.
    std::vector<std::size_t> nodes_on(layout.hosts, 0);
    for (const std::size_t h : layout.host_of) ++nodes_on[h];
    const std::size_t per_host = *std::max_element(nodes_on.begin(), nodes_on.end());
    if (static_cast<double>(per_host) * idle >= capacity)
        return CpuShortage{"workload.instances", fmt::format("{} nodes per host each idle at {:g} cores (profile {}) need more than the "
                                                             "host's {:g} cores",
                                                             per_host, idle, p.profile, capacity)};
    return CpuShortage{"placement.instance_cores", fmt::format("each node's {:g} cores leave nothing once its OS's idle load ({:g} cores, "
                                                               "profile {}) is paid",
                                                               p.instance_cores, idle, p.profile)};
}

}  // namespace tbsim::models::mysqlrep
