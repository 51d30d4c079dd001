#include "sim/net/topology.hpp"

#include <limits>
#include <set>
#include <stdexcept>

#include "sim/config/param_table.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/reverse_graph.hpp>
#include <fmt/format.h>

namespace tbsim::sim::net {
namespace {

constexpr DirectionId kNoDirection = std::numeric_limits<DirectionId>::max();

struct EdgeProps {
    DirectionId direction;
    // Latency in ns x 1024, plus one per hop so that ties prefer fewer hops. A double: exact (and
    // ordered as the integers would be) while a path's sum stays under 2^53, about 2.4 hours of
    // latency; an int64 overflowed to a negative weight at a link of about 104 days.
    double weight;
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, boost::no_property, EdgeProps>;

Graph build_graph(const Topology& t) {
    Graph g(t.node_count());
    for (DirectionId d = 0; d < t.direction_count(); ++d)
        boost::add_edge(t.direction_from(d), t.direction_to(d), EdgeProps{d, static_cast<double>(t.params(d).latency.ns()) * 1024.0 + 1.0}, g);
    return g;
}

// Runs Dijkstra from `root` over `graph` (the graph or its reverse) and returns, per node, the
// direction of the tree edge that reaches it.
template <class G>
std::vector<DirectionId> shortest_path_tree(const G& graph, NodeId root, std::size_t nodes) {
    std::vector<DirectionId> via(nodes, kNoDirection);
    std::vector<double> distance(nodes);
    auto vertex_index = boost::get(boost::vertex_index, graph);
    struct Recorder : boost::default_dijkstra_visitor {
        std::vector<DirectionId>* via;
        void edge_relaxed(typename boost::graph_traits<G>::edge_descriptor e, const G& g) {
            (*via)[boost::target(e, g)] = g[e].direction;
        }
    } recorder;
    recorder.via = &via;
    boost::dijkstra_shortest_paths(
        graph, root,
        boost::weight_map(boost::get(&EdgeProps::weight, graph))
            .distance_map(boost::make_iterator_property_map(distance.begin(), vertex_index))
            .visitor(recorder));
    return via;
}

}  // namespace

namespace {

// The link keys at a link's own level apply to both directions.
std::vector<Param<LinkSpec>> both_directions() {
    std::vector<Param<LinkSpec>> out;
    for (const auto& p : link_param_table().params()) {
        Param<LinkSpec> q;
        q.name = p.name;
        q.kind = p.kind;
        q.doc = p.doc;
        q.read = [read = p.read](const ConfigNode& n, LinkSpec& link) {
            read(n, link.forward);
            read(n, link.reverse);
        };
        q.show = [show = p.show](const LinkSpec& link) { return show(link.forward); };
        out.push_back(std::move(q));
    }
    return out;
}

Param<LinkSpec> one_direction(std::string name, LinkParams LinkSpec::*member, std::string doc) {
    return custom_param<LinkSpec>(
        std::move(name), "mapping", std::move(doc),
        [member](const ConfigNode& n, LinkSpec& link) { link_param_table().read(n, link.*member); },
        [](const LinkSpec&) { return std::string(); });
}

const ParamTable<LinkSpec>& link_spec_table() {
    static const ParamTable<LinkSpec> t = [] {
        std::vector<Param<LinkSpec>> params{
            param("name", &LinkSpec::name, "unique link name").required(),
            custom_param<LinkSpec>(
                "between", "two node names", "the ends; forward is the first to the second",
                [](const ConfigNode& n, LinkSpec& link) {
                    const auto ends = n.items();
                    if (ends.size() != 2) n.fail("expected a list of the two node names the link joins");
                    link.a = ends[0].text();
                    link.b = ends[1].text();
                    if (link.a == link.b) n.fail("a link must join two different nodes");
                },
                [](const LinkSpec&) { return std::string(); })
                .required(),
        };
        for (auto& p : both_directions()) params.push_back(std::move(p));
        params.push_back(one_direction("forward", &LinkSpec::forward, "the link keys, for the forward direction only"));
        params.push_back(one_direction("reverse", &LinkSpec::reverse, "the link keys, for the reverse direction only"));
        return ParamTable<LinkSpec>{"topology link", std::move(params), [](const ConfigNode& map, LinkSpec& link) {
                                        check_link_params(map, link.forward);
                                        check_link_params(map, link.reverse);
                                    }};
    }();
    return t;
}

const ParamTable<TopologySpec>& topology_table() {
    static const ParamTable<TopologySpec> t{
        "topology (nodes and the links between them)",
        {
            custom_param<TopologySpec>(
                "nodes", "list of names", "every node, unique names",
                [](const ConfigNode& n, TopologySpec& spec) {
                    std::set<std::string> names;
                    for (const auto& item : n.items()) {
                        std::string name = item.text();
                        if (!names.insert(name).second) item.fail(fmt::format("node '{}' is declared twice", name));
                        spec.nodes.push_back(std::move(name));
                    }
                },
                [](const TopologySpec&) { return std::string(); }),
            list("links", &TopologySpec::links, link_spec_table(), "the links"),
        },
        [](const ConfigNode& map, TopologySpec& spec) {
            if (spec.links.empty()) return;
            const std::set<std::string> nodes(spec.nodes.begin(), spec.nodes.end());
            std::set<std::string> link_names;
            const auto items = map.required("links").items();
            for (std::size_t i = 0; i < spec.links.size(); ++i) {
                const auto& link = spec.links[i];
                if (!link_names.insert(link.name).second) items[i].required("name").fail(fmt::format("link '{}' is declared twice", link.name));
                const auto ends = items[i].required("between").items();
                for (const auto& end : ends)
                    if (nodes.count(end.text()) == 0) end.fail(fmt::format("no node is called '{}'", end.text()));
            }
        }};
    return t;
}

}  // namespace

TopologySpec read_topology(const ConfigNode& node) {
    TopologySpec spec;
    topology_table().read(node, spec);
    return spec;
}

ParamSection topology_params() { return topology_table().section("topology"); }

Topology::Topology(const TopologySpec& spec) : node_names_(spec.nodes), links_(spec.links) {
    for (NodeId i = 0; i < node_names_.size(); ++i)
        if (!node_ids_.emplace(node_names_[i], i).second)
            throw std::invalid_argument(fmt::format("node '{}' is declared twice", node_names_[i]));
    for (const auto& link : links_) {
        const NodeId a = node(link.a);
        const NodeId b = node(link.b);
        dir_from_.push_back(a);
        dir_to_.push_back(b);
        dir_from_.push_back(b);
        dir_to_.push_back(a);
    }
    route_misses_.assign(node_names_.size(), 0);
}

NodeId Topology::node(std::string_view name) const {
    const auto it = node_ids_.find(std::string(name));
    if (it == node_ids_.end()) throw std::out_of_range(fmt::format("no node is called '{}'", name));
    return it->second;
}

std::size_t Topology::link_index(std::string_view name) const {
    for (std::size_t i = 0; i < links_.size(); ++i)
        if (links_[i].name == name) return i;
    throw std::out_of_range(fmt::format("no link is called '{}'", name));
}

void Topology::build_source_tree(NodeId from) {
    const Graph g = build_graph(*this);
    source_trees_.emplace(from, shortest_path_tree(g, from, node_count()));
}

void Topology::build_destination_tree(NodeId to) {
    const Graph g = build_graph(*this);
    destination_trees_.emplace(to, shortest_path_tree(boost::make_reverse_graph(g), to, node_count()));
}

std::vector<DirectionId> Topology::compute_from_tree(NodeId from, NodeId to) {
    const auto& via = source_trees_.at(from);
    std::vector<DirectionId> path;
    for (NodeId n = to; n != from;) {
        const DirectionId d = via[n];
        if (d == kNoDirection) return {};
        path.push_back(d);
        n = dir_from_[d];
    }
    return {path.rbegin(), path.rend()};
}

std::vector<DirectionId> Topology::compute_to_tree(NodeId from, NodeId to) {
    const auto& next = destination_trees_.at(to);
    std::vector<DirectionId> path;
    for (NodeId n = from; n != to;) {
        const DirectionId d = next[n];
        if (d == kNoDirection) return {};
        path.push_back(d);
        n = dir_to_[d];
    }
    return path;
}

bool Topology::reachable(NodeId from, NodeId to) { return find_route(from, to) != nullptr; }

const std::vector<DirectionId>& Topology::route(NodeId from, NodeId to) {
    const auto* path = find_route(from, to);
    if (path == nullptr) throw std::runtime_error(fmt::format("no route from '{}' to '{}'", node_names_[from], node_names_[to]));
    return *path;
}

const std::vector<DirectionId>* Topology::find_route(NodeId from, NodeId to) {
    const std::uint64_t key = (std::uint64_t{from} << 32) | to;
    auto& recent = recent_routes_.slots[(from * 31u + to) % recent_routes_.slots.size()];
    if (recent.key == key) return recent.route;
    if (const auto it = routes_.find(key); it != routes_.end()) {
        recent = {key, &it->second};
        return &it->second;
    }
    std::vector<DirectionId> path;
    if (from != to) {
        if (source_trees_.count(from) == 0 && destination_trees_.count(to) == 0) {
            // Build the tree of the busier end: in a star, the hub's tree serves every spoke.
            ++route_misses_[from];
            ++route_misses_[to];
            if (route_misses_[from] > route_misses_[to]) build_source_tree(from);
            else build_destination_tree(to);
        }
        path = source_trees_.count(from) != 0 ? compute_from_tree(from, to) : compute_to_tree(from, to);
        if (path.empty()) return nullptr;  // unreachable (only from == to has an empty route)
    }
    return &routes_.emplace(key, std::move(path)).first->second;
}

}  // namespace tbsim::sim::net
