#include "models/openstack/openstack_scenario.hpp"

#include <filesystem>
#include <limits>
#include <mutex>
#include <set>

#include <fmt/format.h>

#include "models/openstack/control_plane.hpp"
#include "models/openstack/vm_lifecycle.hpp"
#include "sim/config/param_table.hpp"
#include "sim/core/parallel_for.hpp"
#include "sim/net/link_report.hpp"
#include "sim/stats/time_series.hpp"

namespace tbsim::models::openstack {
namespace {

using sim::Check;
using sim::param;
using sim::net::DirectionId;
using sim::net::TagId;

constexpr DirectionId kToController = 2 * kUplinkLink;       // hub -> controller
constexpr DirectionId kFromController = 2 * kUplinkLink + 1;  // controller -> hub

// Mean rate over [from, to) from whole bins, in kb/s.
double window_kbps(const std::vector<double>& bins, sim::Time width, sim::Time from, sim::Time to) {
    const auto first = static_cast<std::size_t>(from / width);
    const auto last = static_cast<std::size_t>((to.ns() + width.ns() - 1) / width.ns());
    double bytes = 0.0;
    for (std::size_t i = first; i < last && i < bins.size(); ++i) bytes += bins[i];
    const double seconds = static_cast<double>(last - first) * width.seconds();
    return seconds > 0 ? bytes * 8.0 / seconds / 1000.0 : 0.0;
}

DurationFigures duration_figures(const sim::Tally& t) {
    return {static_cast<double>(t.count()), t.mean(), t.percentile(0.5), t.percentile(0.95), t.max()};
}

// --- the scenario's keys -------------------------------------------------------------------

const sim::ParamTable<VmOperation>& operation_table() {
    static const sim::ParamTable<VmOperation> t{
        "operations[] (single VMs created, then deleted)",
        {
            param("create_at", &VmOperation::create_at, "when the VM is requested", Check::non_negative).required(),
            param("delete_after", &VmOperation::delete_after, "deleted this long after it is active (none: kept)", Check::non_negative),
        }};
    return t;
}

const sim::ParamTable<RallySpec>& rally_table() {
    static const sim::ParamTable<RallySpec> t{
        "rally (Rally's boot-and-delete)",
        {
            param("times", &RallySpec::times, "VMs created in all", Check::positive).required(),
            param("concurrency", &RallySpec::concurrency, "users in parallel (at most `times` have work: the others do not start)",
                  Check::positive),
            param("start", &RallySpec::start, "when the users start", Check::non_negative),
            param("prepoll_delay", &RallySpec::prepoll_delay, "Rally's first poll after a create request", Check::positive),
            param("poll_interval", &RallySpec::poll_interval, "Rally's polls until the VM is active", Check::positive),
            param("delete_poll_interval", &RallySpec::delete_poll_interval, "Rally's polls until the VM is gone", Check::positive),
            sim::distribution_param("client_start_work", &RallySpec::client_start_work, sim::ValueKind::duration,
                                    "CPU of a client's start before each request, on the controller's processors (an openstack CLI "
                                    "beside the services); 0: Rally, one long-running process"),
        }};
    return t;
}

const sim::ParamTable<OpenStackSpec>& output_table() {
    static const sim::ParamTable<OpenStackSpec> t{
        "outputs",
        {
            param("bin", &OpenStackSpec::bin, "width of the series bins the rate figures come from (at most 1e8 bins over the duration)", Check::positive),
            param("internal_database", &OpenStackSpec::internal_database, "simulate the controller's own database traffic"),
        }};
    return t;
}

std::string base_dir(const sim::ConfigNode& n) { return std::filesystem::path(n.source()).parent_path().string(); }

// A create or a Rally run needs the profile's lifecycle.
void check_lifecycle(const sim::ConfigNode& root, const OpenStackSpec& spec) {
    if (!spec.profile.lifecycle.create.empty()) return;
    const auto refuse = [&](const sim::ConfigNode& n) {
        n.fail(fmt::format("release profile '{}' has no lifecycle section: it does not model VM creation and deletion",
                           root.required("profile").text()));
    };
    if (!spec.operations.empty()) refuse(root.required("operations"));
    if (spec.rally.times > 0) refuse(root.required("rally").required("times"));
}

const sim::ParamTable<OpenStackSpec>& scenario_table() {
    static const sim::ParamTable<OpenStackSpec> t{
        "openstack scenario keys",
        {
            sim::custom_param<OpenStackSpec>(
                "profile", "name or path", "release profile: juno or zed (embedded) or a YAML file, relative to the scenario",
                [](const sim::ConfigNode& n, OpenStackSpec& s) { s.profile = load_release_profile(n.text(), base_dir(n), n); },
                [](const OpenStackSpec&) { return std::string(); })
                .required(),
            sim::custom_param<OpenStackSpec>(
                "deployment", "mapping", "the cloud's shape: the `deployment` section below",
                [](const sim::ConfigNode& n, OpenStackSpec& s) { read_deployment(n, n, base_dir(n), s.deployment); },
                [](const OpenStackSpec&) { return std::string(); }),
            sim::custom_param<OpenStackSpec>(
                "phases", "mapping", "service.task: duration pins that task's first run on every server (default: random)",
                [](const sim::ConfigNode& n, OpenStackSpec& s) {
                    std::set<std::string> known;
                    for (const auto& service : s.profile.services)
                        for (const auto& task : service.tasks) known.insert(service.name + "." + task.name);
                    for (const auto& key : n.keys()) {
                        const auto value = *n.child(key);
                        if (known.count(key) == 0) value.fail(fmt::format("the profile has no task '{}' (service.task)", key));
                        s.phases[key] = value.duration();
                    }
                },
                [](const OpenStackSpec&) { return std::string(); }),
            sim::list("operations", &OpenStackSpec::operations, operation_table(), "single VMs created, then deleted"),
            param("partition_servers", &OpenStackSpec::partition_servers,
                  "servers that never interact (no queueing or lossy link shared, no VM operations) are simulated in "
                  "partitions of at most this many, one after another or on --jobs threads: the figures do not depend on the "
                  "threads, the size changes only the last digits of byte sums (0: one partition)",
                  Check::non_negative),
            sim::section("rally", &OpenStackSpec::rally, rally_table(), "a Rally boot-and-delete run"),
            sim::custom_param<OpenStackSpec>(
                "outputs", "mapping", "the `outputs` section below",
                [](const sim::ConfigNode& n, OpenStackSpec& s) { output_table().read(n, s); },
                [](const OpenStackSpec&) { return std::string(); }),
        },
        [](const sim::ConfigNode& root, OpenStackSpec& s) {
            if (!root.has("deployment")) read_deployment(std::nullopt, root, base_dir(root), s.deployment);
            check_lifecycle(root, s);
        }};
    return t;
}

// --- the readable account ------------------------------------------------------------------

std::string rate_row(const std::string& label, const sim::net::RateFigures& r) {
    return fmt::format("  {:<40} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f}\n", label, r.mean_kbps, r.p50_kbps, r.p95_kbps,
                       r.p99_kbps, r.max_kbps);
}

class OpenStackScenario final : public sim::ModelScenario<OpenStackFigures> {
public:
    explicit OpenStackScenario(OpenStackSpec spec) : spec_(std::move(spec)) {}
    const sim::ScenarioHeader& header() const override { return spec_.header; }

protected:
    Run simulate(std::uint64_t replication, sim::RunOutputs outputs, unsigned threads, sim::RunTicker& ticker) const override {
        auto point = simulate_point(spec_, replication, outputs == sim::RunOutputs::figures_and_tables, threads, &ticker);
        Run run{std::move(point.figures), {}, point.events};
        if (point.series) run.tables.push_back(std::move(*point.series));
        return run;
    }

    std::string account_of(const OpenStackFigures& f) const override {
        const auto& d = spec_.deployment;
        std::string out = fmt::format("{} servers x {} VMs at {} site{}, release {}, {} simulated, seed {}\n", d.servers, d.vms_per_server,
                                      d.sites, d.sites == 1 ? "" : "s", spec_.profile.release, sim::format_duration(spec_.header.duration),
                                      spec_.header.seed);
        out += fmt::format("WAN: latency {}, loss {}, packets of at most {} B with {} B of headers and {} B of tunnel{}\n\n",
                           sim::format_duration(d.wan.latency), sim::format_fraction(d.wan.loss), d.wan.mtu.bytes, d.wan.header.bytes,
                           d.wan.tunnel_overhead.bytes,
                           d.uplink.queueing ? fmt::format(", controller uplink {}", sim::format_data_rate(d.uplink.bandwidth)) : "");
        out += fmt::format("controller WAN interface ({} s bins, kb/s)   {:>10} {:>10} {:>10} {:>10} {:>10}\n", spec_.bin.seconds(), "mean",
                           "p50", "p95", "p99", "max");
        out += rate_row("total, both directions", f.total);
        out += rate_row("rabbitmq", f.by_protocol.rabbitmq);
        out += rate_row("mysql", f.by_protocol.mysql);
        out += rate_row("http", f.by_protocol.http);
        out += rate_row("to the controller", f.by_direction.to_controller);
        out += rate_row("from the controller", f.by_direction.from_controller);
        if (spec_.internal_database) out += rate_row("controller database (not on the WAN)", f.internal_database);
        if (f.utilisation)
            out += fmt::format("\nuplink utilisation {:.2f}% (busier direction); queueing delay of control messages: mean {:.3f} ms, p99 {:.3f} ms\n",
                               100.0 * *f.utilisation, f.queue_delay_mean_ms.value_or(0.0), f.queue_delay_p99_ms.value_or(0.0));
        if (f.rally)
            out += fmt::format("rally boot-and-delete: {} VMs at concurrency {}, {}: {:.1f} s, mean {:.1f} kb/s during the run\n", f.rally->created,
                               f.rally->concurrency, f.rally->finished ? "finished" : "NOT finished within the duration", f.rally->duration_s,
                               f.rally->mean_kbps);
        if (f.lifecycle && f.lifecycle->create_s.count > 0)
            out += fmt::format("VM create {:.2f} s mean, delete {:.2f} s mean\n", f.lifecycle->create_s.mean, f.lifecycle->delete_s.mean);
        else if (f.lifecycle)
            out += "no VM create completed within the duration\n";
        return out;
    }

    std::string headline_of(const OpenStackFigures& f) const override {
        return fmt::format("mean {:.3f} kb/s (rabbitmq {:.3f}, mysql {:.3f}, http {:.3f}), p99 {:.3f}, max {:.3f}{}", f.total.mean_kbps,
                           f.by_protocol.rabbitmq.mean_kbps, f.by_protocol.mysql.mean_kbps, f.by_protocol.http.mean_kbps, f.total.p99_kbps,
                           f.total.max_kbps,
                           f.rally ? fmt::format(", rally {:.1f} kb/s over {:.1f} s{}", f.rally->mean_kbps, f.rally->duration_s,
                                                 f.rally->finished ? "" : " (NOT finished within the duration)")
                                   : "");
    }

private:
    OpenStackSpec spec_;
};

// One simulation of the cloud's network: the whole plane, or a partition of its servers.
struct PlaneRun {
    sim::Simulation sim;
    sim::net::Network net;
    std::uint64_t task_runs = 0;
    std::uint64_t events = 0;

    PlaneRun(const OpenStackSpec& spec, std::uint64_t replication)
        : sim(spec.header.seed, replication), net(sim, build_topology(spec.deployment), spec.bin, spec.header.duration) {
        net.monitor(kUplinkLink);
        net.monitor(kInternalLink);
    }
    CallExecutor calls(const OpenStackSpec& spec) {
        const auto& d = spec.deployment;
        CloudNodes nodes{net.node("controller"), net.node("controller-db"), {}};
        for (std::int64_t k = 0; k < std::min(d.sites, d.servers); ++k) nodes.sites.push_back(net.node(server_site(d, k)));
        return CallExecutor(net, spec.profile, nodes, spec.internal_database);
    }
};

// Runs `sim` over [0, duration) in a hundred steps, telling `ticker` (if any) a hundredth at a time.
// The same events in the same order as one call: nothing happens between the steps.
void run_in_steps(sim::Simulation& sim, sim::Time duration, sim::RunTicker* ticker) {
    constexpr std::int64_t kSteps = 100;
    for (std::int64_t k = 1; k <= kSteps; ++k) {
        sim.run_before(sim::Time::from_ns(duration.ns() / kSteps * k + (k == kSteps ? duration.ns() % kSteps : 0)));
        if (ticker != nullptr) ticker->add(sim::RunTicker::kWhole / kSteps);
    }
}

// Runs the servers in `parts` partitions on up to `threads` threads, adding each partition's
// accounts to `whole` in partition order; `ticker` hears each partition's share as it ends.
void run_partitions(const OpenStackSpec& spec, std::uint64_t replication, std::int64_t parts, unsigned threads, PlaneRun& whole,
                    sim::RunTicker* ticker) {
    // Partition i holds servers [first(i), first(i + 1)), first(i) = floor(servers x i / parts),
    // computed without the product (it passes 2^63 on a plan of 10^11 servers).
    const std::int64_t servers = spec.deployment.servers;
    const auto first = [servers, parts](std::int64_t i) { return servers / parts * i + servers % parts * i / parts; };
    // Partitions that ended before an earlier one: held until it is added (a few, not one per partition).
    std::map<std::int64_t, std::unique_ptr<PlaneRun>> waiting;
    std::int64_t added = 0;
    std::mutex mutex;
    sim::parallel_for_count(static_cast<std::size_t>(parts), threads, [&](std::size_t k) {
        const auto i = static_cast<std::int64_t>(k);
        auto part = std::make_unique<PlaneRun>(spec, replication);
        {
            CallExecutor calls = part->calls(spec);
            ControlPlane plane(part->sim, calls, spec.profile, spec.deployment, spec.phases, ServerRange{first(i), first(i + 1)});
            plane.start();
            part->sim.run_before(spec.header.duration);
            part->task_runs = plane.task_runs();
            part->events = part->sim.events_processed();
        }
        if (ticker != nullptr) {
            const auto whole_run = static_cast<std::int64_t>(sim::RunTicker::kWhole);
            ticker->add(static_cast<std::uint64_t>(whole_run * (i + 1) / parts - whole_run * i / parts));
        }
        const std::lock_guard lock(mutex);
        waiting.emplace(i, std::move(part));
        for (auto next = waiting.begin(); next != waiting.end() && next->first == added; next = waiting.erase(next), ++added) {
            whole.net.absorb(next->second->net);
            whole.task_runs += next->second->task_runs;
            whole.events += next->second->events;
        }
    });
}

}  // namespace

std::int64_t partition_count(const OpenStackSpec& spec) {
    const auto& d = spec.deployment;
    if (spec.partition_servers <= 0 || d.servers <= spec.partition_servers) return 1;
    if (!spec.operations.empty() || spec.rally.times > 0) return 1;
    if (d.sites > spec.partition_servers) return 1;  // every partition builds every site's link
    const auto shared = [](const sim::net::LinkParams& l) { return l.queueing || l.loss.value > 0.0; };
    if (shared(d.wan) || shared(d.uplink) || (spec.internal_database && shared(d.internal))) return 1;
    return (d.servers + spec.partition_servers - 1) / spec.partition_servers;
}

PointRun simulate_point(const OpenStackSpec& spec, std::uint64_t replication, bool with_series, unsigned threads, sim::RunTicker* ticker) {
    const auto& h = spec.header;
    PlaneRun whole(spec, replication);
    auto& net = whole.net;
    CallExecutor calls = whole.calls(spec);
    std::optional<LifecycleFigures> lifecycle_figures;
    std::optional<RallyFigures> rally_figures;
    sim::Time rally_start, rally_end;
    if (const std::int64_t parts = partition_count(spec); parts > 1) {
        run_partitions(spec, replication, parts, threads, whole, ticker);
    } else {
        auto& sim = whole.sim;
        ControlPlane plane(sim, calls, spec.profile, spec.deployment, spec.phases);
        plane.start();

        const bool has_servers = spec.deployment.servers > 0;
        VmLifecycle lifecycle(sim, calls, plane, spec.profile.lifecycle, spec.deployment);
        std::deque<Vm> operated;
        auto operate = [&](const VmOperation& op, Vm& vm) -> sim::Process {
            co_await sim.timeout(op.create_at);
            co_await lifecycle.create(vm);
            if (!op.delete_after) co_return;
            co_await sim.timeout(*op.delete_after);
            co_await lifecycle.remove(vm);
        };
        if (has_servers)
            for (const auto& op : spec.operations) sim.start(operate(op, operated.emplace_back()));
        RallyRun rally(sim, lifecycle, spec.rally);
        if (has_servers) rally.start();

        run_in_steps(sim, h.duration, ticker);
        whole.task_runs = plane.task_runs();
        whole.events = sim.events_processed();
        if (!spec.operations.empty() || spec.rally.times > 0)
            lifecycle_figures = LifecycleFigures{duration_figures(lifecycle.create_seconds()), duration_figures(lifecycle.delete_seconds())};
        if (spec.rally.times > 0) {
            rally_start = rally.started();
            rally_end = rally.ended(h.duration);
            rally_figures = RallyFigures{static_cast<double>(spec.rally.times), static_cast<double>(spec.rally.concurrency), rally.finished(),
                                         static_cast<double>(rally.created()), (rally_end - rally_start).seconds(), 0.0,
                                         rally.seen_create_seconds().mean(), rally.seen_delete_seconds().mean()};
        }
    }

    // Figures at the controller's WAN interface: both directions, every protocol.
    const auto& up = net.stats(kToController);
    const auto& down = net.stats(kFromController);
    std::vector<const sim::TimeSeries*> all = sim::net::all_series(up);
    for (const auto* s : sim::net::all_series(down)) all.push_back(s);
    const auto total_bins = sim::net::sum_series(all, h.duration);
    PointRun out;
    OpenStackFigures& f = out.figures;
    f.profile = spec.profile.release;
    f.total = sim::net::rate_figures(total_bins, spec.bin, h.duration);
    for (const Protocol p : kProtocols) {
        const TagId t = calls.tag(p);
        const auto rate = sim::net::rate_figures(sim::net::sum_series({&up.series[t], &down.series[t]}, h.duration), spec.bin, h.duration);
        (p == Protocol::rabbitmq ? f.by_protocol.rabbitmq : p == Protocol::mysql ? f.by_protocol.mysql : f.by_protocol.http) = rate;
    }
    f.by_direction.to_controller = sim::net::rate_figures(sim::net::sum_series(sim::net::all_series(up), h.duration), spec.bin, h.duration);
    f.by_direction.from_controller =
        sim::net::rate_figures(sim::net::sum_series(sim::net::all_series(down), h.duration), spec.bin, h.duration);
    {
        std::vector<const sim::TimeSeries*> internal = sim::net::all_series(net.stats(2 * kInternalLink));
        for (const auto* s : sim::net::all_series(net.stats(2 * kInternalLink + 1))) internal.push_back(s);
        f.internal_database = sim::net::rate_figures(sim::net::sum_series(internal, h.duration), spec.bin, h.duration);
    }
    // Utilisation and queueing exist only against a capacity: an uplink that does not queue has no bound.
    if (spec.deployment.uplink.queueing) {
        f.utilisation = std::max(up.busy_time.seconds(), down.busy_time.seconds()) / h.duration.seconds();
        sim::LogHistogram delays = up.queue_delay_s;
        delays.merge(down.queue_delay_s);
        f.queue_delay_mean_ms = delays.mean() * 1e3;
        f.queue_delay_p99_ms = delays.percentile(0.99) * 1e3;
        f.queue_delay_max_ms = delays.max() * 1e3;
    }
    f.servers = static_cast<double>(spec.deployment.servers);
    f.vms_per_server = static_cast<double>(spec.deployment.vms_per_server);
    f.task_runs = static_cast<double>(whole.task_runs);
    f.lifecycle = lifecycle_figures;
    if (rally_figures) {
        rally_figures->mean_kbps = window_kbps(total_bins, spec.bin, rally_start, rally_end);
        f.rally = rally_figures;
    }
    out.events = whole.events;
    if (with_series) {
        for (const Protocol p : kProtocols) {
            const TagId t = calls.tag(p);
            const std::string name = p == Protocol::rabbitmq ? "rabbitmq" : p == Protocol::mysql ? "mysql" : "http";
            out.wan_bins[name + "/to_controller"] = sim::net::sum_series({&up.series[t]}, h.duration);
            out.wan_bins[name + "/from_controller"] = sim::net::sum_series({&down.series[t]}, h.duration);
        }
        out.series = sim::net::series_table();
        sim::net::append_series(*out.series, net, replication, h.duration);
    }
    return out;
}

namespace {

// The node of deployment key `key`, or the root when the scenario leaves it at its default.
sim::ConfigNode deployment_key(const sim::ConfigNode& root, std::string_view key) {
    const auto d = root.child("deployment");
    return d && d->has(key) ? d->required(key) : root;
}

// What one simulation can hold, checked before it starts. Each periodic task on each server is one
// entity of the engine, indexed in 24 bits (sim/core/event_queue.hpp): a simulation holds at most
// 2^24 of them. Servers that meet (a queueing or lossy link, VM operations) are all in one
// simulation; independent ones in partitions of partition_servers. A server's VM count is 32 bits.
// Each Rally user has an event pending from the start, and the engine holds 2^24 pending at once.
void check_fits_the_engine(const sim::ConfigNode& root, const OpenStackSpec& spec) {
    const auto& d = spec.deployment;
    if (d.vms_per_server > std::numeric_limits<std::int32_t>::max())
        deployment_key(root, "vms_per_server")
            .fail(fmt::format("at most {} VMs per server, got {}", std::numeric_limits<std::int32_t>::max(), d.vms_per_server));
    constexpr std::int64_t kEntities = std::int64_t{1} << sim::EventQueue::kIndexBits;
    if (spec.rally.users() > kEntities)
        root.required("rally").required("concurrency")
            .fail(fmt::format("{} Rally users at once, each with an event pending from the start, more than the {} (2^24) events one "
                              "simulation holds pending",
                              spec.rally.users(), kEntities));
    std::int64_t tasks = 0;
    for (const auto& service : spec.profile.services) tasks += static_cast<std::int64_t>(service.tasks.size());
    if (tasks == 0 || d.servers == 0) return;
    const std::int64_t parts = partition_count(spec);
    const std::int64_t per_run = d.servers / parts + (d.servers % parts != 0 ? 1 : 0);
    if (per_run <= kEntities / tasks) return;
    deployment_key(root, "servers")
        .fail(fmt::format("{} servers in one simulation, with {} periodic tasks each, make {} task runners, more than the {} (2^24) "
                          "one simulation holds: at most {} servers here. Servers that share a link with a capacity or a loss, "
                          "or VM operations, run in one simulation; independent servers in partitions of partition_servers ({})",
                          per_run, tasks, per_run * tasks, kEntities, kEntities / tasks, spec.partition_servers));
}

}  // namespace

OpenStackSpec read_openstack_spec(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    OpenStackSpec spec;
    spec.header = header;
    scenario_table().read(root, spec);
    check_fits_the_engine(root, spec);
    if (const auto why = sim::series_bins_problem(header.duration, spec.bin)) {
        const auto outputs = root.child("outputs");
        (outputs && outputs->has("bin") ? outputs->required("bin") : root).fail(*why);
    }
    return spec;
}

std::unique_ptr<sim::PreparedScenario> read_openstack_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    return std::make_unique<OpenStackScenario>(read_openstack_spec(root, header));
}

std::vector<sim::ParamSection> openstack_params() {
    std::vector<sim::ParamSection> sections{scenario_table().section("")};
    for (auto& s : deployment_params()) sections.push_back(std::move(s));
    sections.push_back(output_table().section("outputs"));
    for (auto& s : release_profile_params()) sections.push_back(std::move(s));
    return sections;
}

std::vector<sim::FigureDoc> openstack_figures() { return sim::declared_figures<OpenStackFigures>(); }

}  // namespace tbsim::models::openstack
