#include "models/traffic/traffic_scenario.hpp"

#include <set>

#include <fmt/format.h>

#include "models/traffic/message_stream.hpp"
#include "sim/net/link_report.hpp"
#include "sim/net/network.hpp"

namespace tbsim::models::traffic {
namespace {

struct OutputSpec {
    sim::Time bin = sim::Time::from_s(1);
    std::vector<std::string> monitor;  // link names
};

class TrafficScenario final : public sim::PreparedScenario {
public:
    TrafficScenario(sim::ScenarioHeader header, sim::net::TopologySpec topology, std::vector<MessageStreamSpec> streams,
                    OutputSpec outputs)
        : header_(std::move(header)), topology_(std::move(topology)), streams_(std::move(streams)), outputs_(std::move(outputs)) {}

    const sim::ScenarioHeader& header() const override { return header_; }

    sim::RunResult run(std::uint64_t replication) const override {
        sim::Simulation sim(header_.seed, replication);
        sim::net::Network net(sim, topology_, outputs_.bin);
        for (const auto& s : streams_) net.tag(s.tag);  // stable tag order: declaration order
        for (const auto& name : outputs_.monitor) net.monitor(net.topology().link_index(name));
        std::vector<std::unique_ptr<MessageStream>> running;
        for (const auto& s : streams_) running.push_back(std::make_unique<MessageStream>(sim, net, s));
        for (auto& r : running) r->start();
        sim.run_before(header_.duration);

        sim::RunResult result;
        result.events = sim.events_processed();
        auto& s = result.summary;
        s["messages_sent"] = net.messages_sent();
        s["messages_delivered"] = net.messages_delivered();
        s["mean_delivery_ms"] = net.mean_delivery_s() * 1e3;
        s["max_delivery_ms"] = net.max_delivery_s() * 1e3;
        sim::Json links = sim::Json::object();
        for (const auto& name : outputs_.monitor) {
            const auto i = net.topology().link_index(name);
            links[name] = {{"forward", sim::net::direction_report(net, static_cast<sim::net::DirectionId>(2 * i), header_.duration)},
                           {"reverse", sim::net::direction_report(net, static_cast<sim::net::DirectionId>(2 * i + 1), header_.duration)}};
        }
        s["links"] = links;
        auto table = sim::net::series_table();
        sim::net::append_series(table, net, replication, header_.duration);
        result.tables.push_back(std::move(table));
        return result;
    }

    std::string describe(const sim::Json& summary) const override {
        std::string out;
        out += fmt::format("  messages: {} sent, {} delivered, delivery time mean {:.3f} ms, max {:.3f} ms\n",
                           summary["messages_sent"].get<double>(), summary["messages_delivered"].get<double>(),
                           summary["mean_delivery_ms"].get<double>(), summary["max_delivery_ms"].get<double>());
        out += fmt::format("  {:<20} {:<28} {:>10} {:>10} {:>10} {:>10} {:>7}\n", "link", "direction", "mean kb/s", "p95 kb/s",
                           "max kb/s", "MB", "util");
        for (const auto& [name, link] : summary["links"].items()) {
            for (const char* dir : {"forward", "reverse"}) {
                const auto& d = link[dir];
                const auto& t = d["total"];
                out += fmt::format("  {:<20} {:<28} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.3f} {:>6.2f}%\n", name,
                                   fmt::format("{} -> {}", d["from"].get<std::string>(), d["to"].get<std::string>()),
                                   t["mean_kbps"].get<double>(), t["p95_kbps"].get<double>(), t["max_kbps"].get<double>(),
                                   t["bytes"].get<double>() / 1e6, 100.0 * d["utilisation"].get<double>());
            }
        }
        return out;
    }

private:
    sim::ScenarioHeader header_;
    sim::net::TopologySpec topology_;
    std::vector<MessageStreamSpec> streams_;
    OutputSpec outputs_;
};

OutputSpec read_outputs(const sim::ConfigNode* node, const sim::net::TopologySpec& topology) {
    OutputSpec o;
    bool all = true;
    if (node != nullptr) {
        if (auto bin = node->child("bin")) {
            o.bin = bin->duration();
            if (o.bin <= sim::Time::zero()) bin->fail("must be greater than zero");
        }
        if (auto m = node->child("monitor")) {
            if (m->is_scalar() && m->text() == "all") {
                all = true;
            } else {
                all = false;
                for (const auto& item : m->items(true)) {
                    const auto name = item.text();
                    bool found = false;
                    for (const auto& l : topology.links) found = found || l.name == name;
                    if (!found) item.fail(fmt::format("no link is called '{}'", name));
                    o.monitor.push_back(name);
                }
            }
        }
    }
    if (all)
        for (const auto& l : topology.links) o.monitor.push_back(l.name);
    return o;
}

}  // namespace

std::unique_ptr<sim::PreparedScenario> read_traffic_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    auto topology = sim::net::read_topology(root.required("topology"));
    std::vector<MessageStreamSpec> streams;
    if (auto w = root.child("workloads")) {
        std::set<std::string> names;
        for (const auto& item : w->items()) {
            streams.push_back(read_message_stream(item, topology.nodes));
            if (!names.insert(streams.back().name).second) item.fail(fmt::format("workload '{}' is declared twice", streams.back().name));
        }
    }
    const auto outputs_node = root.child("outputs");
    auto outputs = read_outputs(outputs_node ? &*outputs_node : nullptr, topology);
    return std::make_unique<TrafficScenario>(header, std::move(topology), std::move(streams), std::move(outputs));
}

std::string traffic_params() {
    return sim::net::link_param_table().describe() + "\n" + describe_message_stream_keys() +
           "\noutputs\n"
           "  bin                      duration    1s           width of the per-link time series bins\n"
           "  monitor                  link names  all          links whose series and rate figures are reported\n";
}

}  // namespace tbsim::models::traffic
