// The network's shape: named nodes joined by links, each link a pair of directions with their own
// parameters. Routes are shortest paths by latency (Boost.Graph Dijkstra), computed per source or
// per destination tree on first use and cached: a star of thousands of servers around one
// controller costs two Dijkstra runs, not one per server.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"
#include "sim/net/link_params.hpp"

namespace tbsim::sim::net {

using NodeId = std::uint32_t;
using DirectionId = std::uint32_t;

struct LinkSpec {
    std::string name;
    std::string a;  // forward is a -> b
    std::string b;
    LinkParams forward;
    LinkParams reverse;
};

struct TopologySpec {
    std::vector<std::string> nodes;
    std::vector<LinkSpec> links;
    void add_node(std::string name) { nodes.push_back(std::move(name)); }
    void add_link(std::string name, std::string a, std::string b, const LinkParams& both) {
        links.push_back(LinkSpec{std::move(name), std::move(a), std::move(b), both, both});
    }
};

/// Reads `topology: {nodes: [...], links: [...]}`; checks names are unique and references resolve.
TopologySpec read_topology(const ConfigNode& node);

/// The declarations of `topology:` (its link keys are link_param_table()'s).
ParamSection topology_params();

/// Node names, link directions and routes of a TopologySpec, ready for lookups.
class Topology {
public:
    explicit Topology(const TopologySpec& spec);

    std::size_t node_count() const { return node_names_.size(); }
    const std::string& node_name(NodeId n) const { return node_names_[n]; }
    /// The node called `name`; throws std::out_of_range if there is none.
    NodeId node(std::string_view name) const;

    std::size_t link_count() const { return links_.size(); }
    const LinkSpec& link(std::size_t i) const { return links_[i]; }
    /// Direction 2*i is link i forward (a -> b), 2*i + 1 is reverse.
    std::size_t direction_count() const { return 2 * links_.size(); }
    NodeId direction_from(DirectionId d) const { return dir_from_[d]; }
    NodeId direction_to(DirectionId d) const { return dir_to_[d]; }
    static DirectionId opposite(DirectionId d) { return d ^ 1u; }
    const LinkParams& params(DirectionId d) const { return d % 2 == 0 ? links_[d / 2].forward : links_[d / 2].reverse; }
    std::size_t link_index(std::string_view name) const;

    /// Directions crossed from `from` to `to`, in order (empty when from == to). Throws
    /// std::runtime_error if `to` cannot be reached.
    const std::vector<DirectionId>& route(NodeId from, NodeId to);
    /// Whether `to` can be reached from `from` (a reader's check before anything runs).
    bool reachable(NodeId from, NodeId to);

private:
    /// The route, cached; null when `to` cannot be reached.
    const std::vector<DirectionId>* find_route(NodeId from, NodeId to);
    std::vector<DirectionId> compute_from_tree(NodeId from, NodeId to);
    std::vector<DirectionId> compute_to_tree(NodeId from, NodeId to);
    void build_source_tree(NodeId from);
    void build_destination_tree(NodeId to);

    std::vector<std::string> node_names_;
    std::unordered_map<std::string, NodeId> node_ids_;
    std::vector<LinkSpec> links_;
    std::vector<NodeId> dir_from_;
    std::vector<NodeId> dir_to_;
    std::unordered_map<std::uint64_t, std::vector<DirectionId>> routes_;
    // The routes looked up last, by (from, to) hashed into a few slots, in front of routes_: a
    // model sends between the same few pairs millions of times. They point into routes_, whose
    // elements stay put; a copied or moved topology starts with none.
    struct RecentRoutes {
        struct Slot {
            std::uint64_t key = ~std::uint64_t{0};
            const std::vector<DirectionId>* route = nullptr;
        };
        std::array<Slot, 256> slots{};
        RecentRoutes() = default;
        RecentRoutes(const RecentRoutes&) {}
        RecentRoutes& operator=(const RecentRoutes&) {
            slots = {};
            return *this;
        }
    };
    RecentRoutes recent_routes_;
    // Shortest-path trees: for a source, the direction that reaches each node; for a destination,
    // the direction each node takes towards it. kNoDirection where unreachable.
    std::unordered_map<NodeId, std::vector<DirectionId>> source_trees_;
    std::unordered_map<NodeId, std::vector<DirectionId>> destination_trees_;
    std::vector<std::uint32_t> route_misses_;
};

}  // namespace tbsim::sim::net
