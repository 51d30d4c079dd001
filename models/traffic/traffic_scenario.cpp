#include "models/traffic/traffic_scenario.hpp"

#include <set>

#include <fmt/format.h>

#include "models/traffic/message_stream.hpp"
#include "models/traffic/traffic_figures.hpp"
#include "sim/net/network.hpp"
#include "sim/net/topology.hpp"
#include "sim/stats/time_series.hpp"

namespace tbsim::models::traffic {
namespace {

struct OutputSpec {
    sim::Time bin = sim::Time::from_s(1);
    std::optional<std::vector<std::string>> monitor;  // link names; none: every link
};

const sim::ParamTable<OutputSpec>& output_table() {
    static const sim::ParamTable<OutputSpec> t{
        "outputs",
        {
            sim::param("bin", &OutputSpec::bin, "width of the per-link time series bins (at most 1e8 bins over the duration)", sim::Check::positive),
            sim::custom_param<OutputSpec>(
                "monitor", "link names", "`all`, or the links whose series and rate figures are reported",
                [](const sim::ConfigNode& n, OutputSpec& o) {
                    if (n.is_scalar() && n.text() == "all") {
                        o.monitor.reset();
                        return;
                    }
                    o.monitor.emplace();
                    for (const auto& item : n.items(true)) o.monitor->push_back(item.text());
                },
                [](const OutputSpec&) { return std::string("all"); }),
        }};
    return t;
}

class TrafficScenario final : public sim::ModelScenario<TrafficFigures> {
public:
    TrafficScenario(sim::ScenarioHeader header, sim::net::TopologySpec topology, std::vector<MessageStreamSpec> streams,
                    std::vector<std::string> monitor, sim::Time bin)
        : header_(std::move(header)), topology_(std::move(topology)), streams_(std::move(streams)), monitor_(std::move(monitor)), bin_(bin) {}

    const sim::ScenarioHeader& header() const override { return header_; }

protected:
    Run simulate(std::uint64_t replication, sim::RunOutputs outputs, unsigned, sim::RunTicker&) const override {
        sim::Simulation sim(header_.seed, replication);
        sim::net::Network net(sim, topology_, bin_, header_.duration);
        for (const auto& s : streams_) net.tag(s.tag);  // stable tag order: declaration order
        for (const auto& name : monitor_) net.monitor(net.topology().link_index(name));
        std::vector<std::unique_ptr<MessageStream>> running;
        for (const auto& s : streams_) running.push_back(std::make_unique<MessageStream>(sim, net, s));
        for (auto& r : running) r->start();
        sim.run_before(header_.duration);

        Run run;
        run.events = sim.events_processed();
        auto& f = run.figures;
        f.messages_sent = static_cast<double>(net.messages_sent());
        f.messages_delivered = static_cast<double>(net.messages_delivered());
        f.mean_delivery_ms = net.mean_delivery_s() * 1e3;
        f.max_delivery_ms = net.max_delivery_s() * 1e3;
        for (const auto& name : monitor_) {
            const auto i = static_cast<sim::net::DirectionId>(net.topology().link_index(name));
            f.links.emplace_back(name, LinkFigures{sim::net::direction_figures(net, 2 * i, header_.duration),
                                                   sim::net::direction_figures(net, 2 * i + 1, header_.duration)});
        }
        if (outputs == sim::RunOutputs::figures_and_tables) {
            auto table = sim::net::series_table();
            sim::net::append_series(table, net, replication, header_.duration);
            run.tables.push_back(std::move(table));
        }
        return run;
    }

    std::string account_of(const TrafficFigures& f) const override {
        std::string out = fmt::format("  messages: {} sent, {} delivered, delivery time mean {:.3f} ms, max {:.3f} ms\n", f.messages_sent,
                                      f.messages_delivered, f.mean_delivery_ms, f.max_delivery_ms);
        out += fmt::format("  {:<20} {:<28} {:>10} {:>10} {:>10} {:>10} {:>7}\n", "link", "direction", "mean kb/s", "p95 kb/s", "max kb/s",
                           "MB", "util");
        for (const auto& [name, link] : f.links) {
            for (const auto* d : {&link.forward, &link.reverse}) {
                out += fmt::format("  {:<20} {:<28} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.3f} {:>6.2f}%\n", name,
                                   fmt::format("{} -> {}", d->from, d->to), d->total.mean_kbps, d->total.p95_kbps, d->total.max_kbps,
                                   d->total.bytes / 1e6, 100.0 * d->utilisation);
            }
        }
        return out;
    }

    std::string headline_of(const TrafficFigures& f) const override {
        std::string out = fmt::format("{} messages delivered, mean {:.3f} ms", f.messages_delivered, f.mean_delivery_ms);
        for (const auto& [name, link] : f.links)
            out += fmt::format("; {} {:.2f}/{:.2f} kb/s", name, link.forward.total.mean_kbps, link.reverse.total.mean_kbps);
        return out;
    }

private:
    sim::ScenarioHeader header_;
    sim::net::TopologySpec topology_;
    std::vector<MessageStreamSpec> streams_;
    std::vector<std::string> monitor_;
    sim::Time bin_;
};

}  // namespace

std::unique_ptr<sim::PreparedScenario> read_traffic_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    auto topology = sim::net::read_topology(root.required("topology"));
    std::vector<MessageStreamSpec> streams;
    if (auto w = root.child("workloads")) {
        std::set<std::string> names;
        sim::net::Topology routes(topology);
        for (const auto& item : w->items()) {
            streams.push_back(read_message_stream(item, topology.nodes));
            const auto& stream = streams.back();
            if (!names.insert(stream.name).second) item.fail(fmt::format("workload '{}' is declared twice", stream.name));
            // Every message needs a way there before anything runs (links carry both directions:
            // its reply's way back is the same chain).
            for (const auto& from : stream.from)
                if (!routes.reachable(routes.node(from), routes.node(stream.to)))
                    item.required("to").fail(fmt::format("no route between '{}' and '{}': no chain of links joins them", from, stream.to));
        }
    }
    OutputSpec outputs;
    std::vector<std::string> monitor;
    if (auto o = root.child("outputs")) {
        output_table().read(*o, outputs);
        if (outputs.monitor) {
            const auto items = o->required("monitor").items(true);
            for (std::size_t i = 0; i < items.size(); ++i) {
                bool found = false;
                for (const auto& l : topology.links) found = found || l.name == (*outputs.monitor)[i];
                if (!found) items[i].fail(fmt::format("no link is called '{}'", (*outputs.monitor)[i]));
            }
            monitor = *outputs.monitor;
        }
    }
    if (!outputs.monitor)
        for (const auto& l : topology.links) monitor.push_back(l.name);
    if (const auto why = sim::series_bins_problem(header.duration, outputs.bin)) {
        const auto o = root.child("outputs");
        (o && o->has("bin") ? o->required("bin") : root).fail(*why);
    }
    return std::make_unique<TrafficScenario>(header, std::move(topology), std::move(streams), std::move(monitor), outputs.bin);
}

std::vector<sim::ParamSection> traffic_params() {
    return {sim::net::topology_params(), message_stream_table().section("workloads[]"), output_table().section("outputs")};
}

std::vector<sim::FigureDoc> traffic_figures() { return sim::declared_figures<TrafficFigures>(); }

}  // namespace tbsim::models::traffic
