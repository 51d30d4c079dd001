#include "models/openstack/openstack_scenario.hpp"

#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "models/openstack/control_plane.hpp"
#include "models/openstack/vm_lifecycle.hpp"
#include "sim/net/link_report.hpp"
#include "sim/stats/linear_fit.hpp"

namespace tbsim::models::openstack {
namespace {

using sim::Json;
using sim::net::DirectionId;
using sim::net::TagId;

constexpr DirectionId kToController = 2 * kUplinkLink;       // hub -> controller
constexpr DirectionId kFromController = 2 * kUplinkLink + 1;  // controller -> hub

const char* const kSweepParameters[] = {"servers", "vms_per_server", "rally.times", "rally.concurrency"};

// Mean rate over [from, to) from whole bins, in kb/s.
double window_kbps(const std::vector<double>& bins, sim::Time width, sim::Time from, sim::Time to) {
    const auto first = static_cast<std::size_t>(from / width);
    const auto last = static_cast<std::size_t>((to.ns() + width.ns() - 1) / width.ns());
    double bytes = 0.0;
    for (std::size_t i = first; i < last && i < bins.size(); ++i) bytes += bins[i];
    const double seconds = static_cast<double>(last - first) * width.seconds();
    return seconds > 0 ? bytes * 8.0 / seconds / 1000.0 : 0.0;
}

Json tally_figures(const sim::Tally& t) {
    return {{"count", t.count()}, {"mean", t.mean()}, {"p50", t.percentile(0.5)}, {"p95", t.percentile(0.95)}, {"max", t.max()}};
}

}  // namespace

void apply_parameter(OpenStackSpec& spec, const std::string& parameter, double value) {
    const auto v = static_cast<std::int64_t>(value);
    if (parameter == "servers") spec.deployment.servers = v;
    else if (parameter == "vms_per_server") spec.deployment.vms_per_server = v;
    else if (parameter == "rally.times") spec.rally.times = v;
    else if (parameter == "rally.concurrency") spec.rally.concurrency = v;
    else TBSIM_CHECK(false, "unknown sweep parameter " + parameter);
}

PointFigures simulate_point(const OpenStackSpec& spec, std::uint64_t replication) {
    const auto& h = spec.header;
    sim::Simulation sim(h.seed, replication);
    sim::net::Network net(sim, build_topology(spec.deployment), spec.bin);
    net.monitor(kUplinkLink);
    net.monitor(kInternalLink);
    CloudNodes nodes{net.node("controller"), net.node("controller-db"), {}};
    for (std::int64_t i = 0; i < spec.deployment.servers; ++i) nodes.servers.push_back(net.node(server_site(spec.deployment, i)));
    CallExecutor calls(net, spec.profile, nodes, spec.internal_database);
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

    sim.run_before(h.duration);

    // Figures at the controller's WAN interface: both directions, every protocol.
    const auto& up = net.stats(kToController);
    const auto& down = net.stats(kFromController);
    std::vector<const sim::TimeSeries*> all;
    for (const auto* s : {&up, &down})
        for (const auto& series : s->series) all.push_back(&series);
    const auto total_bins = sim::net::sum_series(all, h.duration);
    Json f = sim::net::rate_figures(total_bins, spec.bin, h.duration);
    Json by_protocol = Json::object();
    for (const Protocol p : kProtocols) {
        const TagId t = calls.tag(p);
        by_protocol[protocol_name(p)] = sim::net::rate_figures(sim::net::sum_series({&up.series[t], &down.series[t]}, h.duration), spec.bin, h.duration);
    }
    f["by_protocol"] = by_protocol;
    Json by_direction = Json::object();
    for (const auto& [name, stats] : {std::pair{"to_controller", &up}, std::pair{"from_controller", &down}}) {
        std::vector<const sim::TimeSeries*> dir;
        for (const auto& series : stats->series) dir.push_back(&series);
        by_direction[name] = sim::net::rate_figures(sim::net::sum_series(dir, h.duration), spec.bin, h.duration);
    }
    f["by_direction"] = by_direction;
    {
        const auto& db = net.stats(2 * kInternalLink);
        const auto& db_back = net.stats(2 * kInternalLink + 1);
        std::vector<const sim::TimeSeries*> internal;
        for (const auto* s : {&db, &db_back})
            for (const auto& series : s->series) internal.push_back(&series);
        f["internal_database"] = sim::net::rate_figures(sim::net::sum_series(internal, h.duration), spec.bin, h.duration);
    }
    f["utilisation"] = std::max(up.busy_time.seconds(), down.busy_time.seconds()) / h.duration.seconds();
    sim::LogHistogram delays = up.queue_delay_s;
    delays.merge(down.queue_delay_s);
    f["queue_delay_ms"] = {{"mean", delays.mean() * 1e3}, {"p99", delays.percentile(0.99) * 1e3}, {"max", delays.max() * 1e3}};
    f["queue_delay_p99_ms"] = delays.percentile(0.99) * 1e3;
    f["servers"] = spec.deployment.servers;
    f["vms_per_server"] = spec.deployment.vms_per_server;
    f["task_runs"] = plane.task_runs();
    if (!spec.operations.empty() || spec.rally.times > 0) {
        f["lifecycle"] = {{"create_s", tally_figures(lifecycle.create_seconds())}, {"delete_s", tally_figures(lifecycle.delete_seconds())}};
    }
    if (spec.rally.times > 0) {
        const sim::Time end = rally.ended(h.duration);
        f["rally"] = {{"times", spec.rally.times},
                      {"concurrency", spec.rally.concurrency},
                      {"finished", rally.finished()},
                      {"created", rally.created()},
                      {"duration_s", (end - rally.started()).seconds()},
                      {"mean_kbps", window_kbps(total_bins, spec.bin, rally.started(), end)}};
    }
    PointFigures out{f, sim::net::series_table(), sim.events_processed()};
    sim::net::append_series(out.series, net, replication, h.duration);
    return out;
}

namespace {

class OpenStackScenario final : public sim::PreparedScenario {
public:
    explicit OpenStackScenario(OpenStackSpec spec) : spec_(std::move(spec)) {}
    const sim::ScenarioHeader& header() const override { return spec_.header; }

    sim::RunResult run(std::uint64_t replication) const override {
        sim::RunResult result;
        if (spec_.sweep.empty()) {
            auto point = simulate_point(spec_, replication);
            result.summary = point.figures;
            result.summary["profile"] = spec_.profile.release;
            result.tables.push_back(std::move(point.series));
            result.events = point.events;
            return result;
        }
        // Cartesian product of the axes, first axis slowest.
        std::vector<std::vector<double>> points{{}};
        for (const auto& axis : spec_.sweep) {
            std::vector<std::vector<double>> next;
            for (const auto& p : points)
                for (const double v : axis.values) {
                    next.push_back(p);
                    next.back().push_back(v);
                }
            points = std::move(next);
        }
        std::vector<std::string> columns{"replication"};
        for (const auto& axis : spec_.sweep) columns.push_back(axis.parameter);
        for (const char* c : {"mean_kbps", "p50_kbps", "p95_kbps", "p99_kbps", "max_kbps", "rabbitmq_kbps", "mysql_kbps", "http_kbps",
                              "to_controller_kbps", "from_controller_kbps", "rally_mean_kbps", "rally_duration_s"})
            columns.emplace_back(c);
        sim::CsvTable table("points.csv", columns);
        Json list = Json::array();
        std::vector<double> xs, ys;
        for (const auto& p : points) {
            OpenStackSpec s = spec_;
            for (std::size_t a = 0; a < p.size(); ++a) apply_parameter(s, spec_.sweep[a].parameter, p[a]);
            auto point = simulate_point(s, replication);
            result.events += point.events;
            Json entry = Json::object();
            for (std::size_t a = 0; a < p.size(); ++a) entry[spec_.sweep[a].parameter] = p[a];
            for (const auto& [k, v] : point.figures.items()) entry[k] = v;
            const auto& fig = point.figures;
            table.row().cell(static_cast<unsigned long long>(replication));
            for (const double v : p) table.cell(v, 0);
            table.cell(fig["mean_kbps"].get<double>())
                .cell(fig["p50_kbps"].get<double>())
                .cell(fig["p95_kbps"].get<double>())
                .cell(fig["p99_kbps"].get<double>())
                .cell(fig["max_kbps"].get<double>());
            for (const Protocol pr : kProtocols) table.cell(fig["by_protocol"][protocol_name(pr)]["mean_kbps"].get<double>());
            table.cell(fig["by_direction"]["to_controller"]["mean_kbps"].get<double>())
                .cell(fig["by_direction"]["from_controller"]["mean_kbps"].get<double>());
            table.cell(fig.contains("rally") ? fig["rally"]["mean_kbps"].get<double>() : 0.0)
                .cell(fig.contains("rally") ? fig["rally"]["duration_s"].get<double>() : 0.0);
            xs.push_back(p.front());
            ys.push_back(fig["mean_kbps"].get<double>());
            list.push_back(entry);
        }
        result.summary["profile"] = spec_.profile.release;
        result.summary["points"] = list;
        if (spec_.sweep.size() == 1 && spec_.sweep.front().values.size() >= 2) {
            const auto fit = sim::fit_line(xs, ys);
            result.summary["fit"] = {{"x", spec_.sweep.front().parameter},
                                     {"y", "mean_kbps"},
                                     {"slope_kbps", fit.slope},
                                     {"intercept_kbps", fit.intercept},
                                     {"r_squared", fit.r_squared}};
        }
        result.tables.push_back(std::move(table));
        return result;
    }

    std::string describe(const sim::Json& s) const override {
        std::string out = fmt::format("  release profile {}; figures at the controller's WAN interface (kb/s, both directions)\n",
                                      s["profile"].get<std::string>());
        auto line = [&](const Json& f, const std::string& label) {
            out += fmt::format("  {:<22} mean {:>9.3f}  p50 {:>9.3f}  p95 {:>9.3f}  p99 {:>9.3f}  max {:>9.3f}\n", label,
                               f["mean_kbps"].get<double>(), f["p50_kbps"].get<double>(), f["p95_kbps"].get<double>(),
                               f["p99_kbps"].get<double>(), f["max_kbps"].get<double>());
        };
        auto point = [&](const Json& f) {
            line(f, "total");
            for (const Protocol p : kProtocols) line(f["by_protocol"][protocol_name(p)], protocol_name(p));
            line(f["by_direction"]["to_controller"], "to controller");
            line(f["by_direction"]["from_controller"], "from controller");
            out += fmt::format("  {:<22} mean {:>9.3f}  (inside the controller, not on the WAN)\n", "controller database",
                               f["internal_database"]["mean_kbps"].get<double>());
            if (f.contains("rally"))
                out += fmt::format("  rally: {} VMs at concurrency {} in {:.1f} s, mean {:.1f} kb/s during the run\n",
                                   f["rally"]["created"].get<double>(), f["rally"]["concurrency"].get<double>(),
                                   f["rally"]["duration_s"].get<double>(), f["rally"]["mean_kbps"].get<double>());
            if (f.contains("lifecycle") && f["lifecycle"]["create_s"]["count"].get<double>() > 0)
                out += fmt::format("  VM create {:.2f} s mean, delete {:.2f} s mean\n", f["lifecycle"]["create_s"]["mean"].get<double>(),
                                   f["lifecycle"]["delete_s"]["mean"].get<double>());
        };
        if (!s.contains("points")) {
            point(s);
            return out;
        }
        for (const auto& p : s["points"]) {
            std::string label;
            for (const auto& axis : spec_.sweep) label += fmt::format(" {}={}", axis.parameter, p[axis.parameter].get<double>());
            out += fmt::format("  point{}: mean {:.3f} kb/s (rabbitmq {:.3f}, mysql {:.3f}, http {:.3f}), p99 {:.3f}, max {:.3f}{}\n", label,
                               p["mean_kbps"].get<double>(), p["by_protocol"]["rabbitmq"]["mean_kbps"].get<double>(),
                               p["by_protocol"]["mysql"]["mean_kbps"].get<double>(), p["by_protocol"]["http"]["mean_kbps"].get<double>(),
                               p["p99_kbps"].get<double>(), p["max_kbps"].get<double>(),
                               p.contains("rally") ? fmt::format(", rally {:.1f} kb/s over {:.1f} s", p["rally"]["mean_kbps"].get<double>(),
                                                                 p["rally"]["duration_s"].get<double>())
                                                   : "");
        }
        if (s.contains("fit"))
            out += fmt::format("  linear fit of mean_kbps on {}: slope {:.4f} kb/s, intercept {:.4f} kb/s, R^2 {:.4f}\n",
                               s["fit"]["x"].get<std::string>(), s["fit"]["slope_kbps"].get<double>(),
                               s["fit"]["intercept_kbps"].get<double>(), s["fit"]["r_squared"].get<double>());
        return out;
    }

private:
    OpenStackSpec spec_;
};

}  // namespace

std::unique_ptr<sim::PreparedScenario> make_openstack_scenario(OpenStackSpec spec) {
    return std::make_unique<OpenStackScenario>(std::move(spec));
}

std::unique_ptr<sim::PreparedScenario> read_openstack_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    OpenStackSpec spec;
    spec.header = header;
    const auto profile_node = root.required("profile");
    const std::string base = std::filesystem::path(root.source()).parent_path().string();
    spec.profile = load_release_profile(profile_node.text(), base, profile_node);
    if (auto d = root.child("deployment")) read_deployment(*d, spec.deployment);
    if (auto p = root.child("phases")) {
        std::set<std::string> known;
        for (const auto& s : spec.profile.services)
            for (const auto& t : s.tasks) known.insert(s.name + "." + t.name);
        for (const auto& key : p->keys()) {
            const auto value = *p->child(key);
            if (known.count(key) == 0) value.fail(fmt::format("the profile has no task '{}' (service.task)", key));
            spec.phases[key] = value.duration();
        }
    }
    auto needs_lifecycle = [&](const sim::ConfigNode& n) {
        if (spec.profile.lifecycle.create.empty())
            n.fail(fmt::format("release profile '{}' has no lifecycle section: it does not model VM creation and deletion",
                               profile_node.text()));
    };
    if (auto ops = root.child("operations")) {
        needs_lifecycle(*ops);
        for (const auto& item : ops->items()) {
            VmOperation op;
            op.create_at = item.required("create_at").duration();
            if (auto d = item.child("delete_after")) op.delete_after = d->duration();
            spec.operations.push_back(op);
        }
    }
    if (auto r = root.child("rally")) {
        needs_lifecycle(*r);
        const auto times = r->required("times");
        spec.rally.times = times.integer();
        if (spec.rally.times < 1) times.fail("must be at least 1");
        if (auto c = r->child("concurrency")) {
            spec.rally.concurrency = c->integer();
            if (spec.rally.concurrency < 1) c->fail("must be at least 1");
        }
        if (auto s = r->child("start")) spec.rally.start = s->duration();
        for (auto [key, field] : {std::pair{"prepoll_delay", &RallySpec::prepoll_delay}, std::pair{"poll_interval", &RallySpec::poll_interval},
                                  std::pair{"delete_poll_interval", &RallySpec::delete_poll_interval}}) {
            if (auto v = r->child(key)) {
                spec.rally.*field = v->duration();
                if (spec.rally.*field <= sim::Time::zero()) v->fail("must be greater than zero");
            }
        }
    }
    if (auto sweep = root.child("sweep")) {
        for (const auto& item : sweep->items()) {
            SweepAxis axis;
            const auto param = item.required("parameter");
            axis.parameter = param.text();
            bool known = false;
            for (const char* k : kSweepParameters) known = known || axis.parameter == k;
            if (!known) param.fail("expected one of: servers, vms_per_server, rally.times, rally.concurrency");
            for (const auto& v : item.required("values").items()) {
                const auto n = v.integer();
                if (n < 0 || (axis.parameter == "rally.concurrency" && n < 1)) v.fail("must be a count (rally.concurrency at least 1)");
                axis.values.push_back(static_cast<double>(n));
            }
            if (axis.values.empty()) item.fail("a sweep axis needs values");
            spec.sweep.push_back(std::move(axis));
        }
    }
    if (auto o = root.child("outputs")) {
        if (auto b = o->child("bin")) {
            spec.bin = b->duration();
            if (spec.bin <= sim::Time::zero()) b->fail("must be greater than zero");
        }
        if (auto db = o->child("internal_database")) spec.internal_database = db->boolean();
    }
    return make_openstack_scenario(std::move(spec));
}

std::string openstack_params() {
    return describe_deployment_keys() + "\n" + sim::net::link_param_table().describe() + "\n" + describe_profile_keys() +
           "\nscenario keys: profile, deployment, phases, operations[{create_at, delete_after}], rally{times, concurrency, start,\n"
           "               prepoll_delay, poll_interval, delete_poll_interval},\n"
           "               sweep[{parameter: servers|vms_per_server|rally.times|rally.concurrency, values}],\n"
           "               outputs{bin, internal_database (boolean: simulate the controller's own database traffic)}\n";
}

}  // namespace tbsim::models::openstack
