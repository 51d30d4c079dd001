#include "apps/tbsim/plan_command.hpp"

#include <chrono>

#include <fmt/format.h>

#include "models/openstack/openstack_scenario.hpp"
#include "sim/config/config_document.hpp"
#include "sim/core/units.hpp"

namespace tbsim::app {
namespace {

using models::openstack::OpenStackSpec;

[[noreturn]] void bad(const std::string& option, const std::string& message) {
    throw sim::ConfigError(fmt::format("tbsim plan: {}: {}", option, message));
}

template <class T>
T parse_or_fail(const std::string& option, const std::string& text, std::optional<T> (*parse)(std::string_view), const char* example) {
    const auto v = parse(text);
    if (!v) bad(option, fmt::format("expected a value with its unit such as \"{}\", got \"{}\"", example, text));
    return *v;
}

void check_counts(const PlanRequest& r) {
    if (r.servers < 0) bad("--servers", "must not be negative");
    if (r.vms_per_server < 0) bad("--vms-per-server", "must not be negative");
    if (r.sites < 1) bad("--sites", "must be at least 1");
    if (r.rally_times < 0) bad("--rally-times", "must not be negative");
    if (r.rally_concurrency < 1) bad("--rally-concurrency", "must be at least 1");
}

OpenStackSpec build_spec(const PlanRequest& r) {
    check_counts(r);
    OpenStackSpec spec;
    spec.header.name = "plan";
    spec.header.model = "openstack";
    spec.header.seed = r.seed;
    spec.header.duration = parse_or_fail<sim::Time>("--duration", r.duration, sim::parse_duration, "1h");
    if (spec.header.duration <= sim::Time::zero()) bad("--duration", "must be greater than zero");
    // The profile is read and validated like a scenario's `profile:` key.
    auto doc = sim::ConfigDocument::from_text(fmt::format("profile: \"{}\"\n", r.profile), "--profile");
    const auto node = doc->root().required("profile");
    spec.profile = models::openstack::load_release_profile(r.profile, "", node);
    spec.deployment.servers = r.servers;
    spec.deployment.vms_per_server = r.vms_per_server;
    spec.deployment.sites = r.sites;
    // The planner asks about the controller's interface: the sites' own links never limit here,
    // so they carry bytes and latency without queueing (the uplink queues when given a capacity).
    spec.deployment.wan.bandwidth = sim::DataRate{10e9};
    spec.deployment.wan.queueing = false;
    spec.deployment.wan.latency = parse_or_fail<sim::Time>("--wan-latency", r.wan_latency, sim::parse_duration, "30ms");
    if (spec.deployment.wan.latency < sim::Time::zero()) bad("--wan-latency", "must not be negative");
    const auto loss = parse_or_fail<sim::Fraction>("--wan-loss", r.wan_loss, sim::parse_fraction, "0.1%");
    if (loss.value < 0 || loss.value >= 1) bad("--wan-loss", "must be at least 0% and below 100%");
    spec.deployment.wan.loss = loss;
    if (r.wan_capacity) {
        const auto c = parse_or_fail<sim::DataRate>("--wan-capacity", *r.wan_capacity, sim::parse_data_rate, "10Mbps");
        if (c.bits_per_second <= 0) bad("--wan-capacity", "must be greater than zero");
        spec.deployment.uplink.bandwidth = c;
    } else {
        // No bound given: the question is the demand, so nothing queues (figures are bytes per bin;
        // queueing delay and utilisation are reported only against a capacity).
        spec.deployment.uplink.bandwidth = sim::DataRate{10e9};
        spec.deployment.uplink.queueing = false;
    }
    const auto header = parse_or_fail<sim::DataSize>("--packet-header", r.packet_header, sim::parse_data_size, "52B");
    const auto tunnel = parse_or_fail<sim::DataSize>("--tunnel-overhead", r.tunnel_overhead, sim::parse_data_size, "0B");
    const auto mtu = parse_or_fail<sim::DataSize>("--wan-mtu", r.wan_mtu, sim::parse_data_size, "1500B");
    if (header.bytes < 0) bad("--packet-header", "must not be negative");
    if (tunnel.bytes < 0) bad("--tunnel-overhead", "must not be negative");
    if (mtu.bytes <= header.bytes) bad("--wan-mtu", fmt::format("must be larger than the packet header ({} B)", header.bytes));
    for (sim::net::LinkParams* link : {&spec.deployment.wan, &spec.deployment.uplink}) {
        link->header = header;
        link->tunnel_overhead = tunnel;
        link->mtu = mtu;
    }
    if (r.rally_times > 0 && spec.profile.lifecycle.create.empty())
        bad("--rally-times", fmt::format("release profile '{}' has no lifecycle section: it does not model VM creation and deletion", r.profile));
    spec.rally.times = r.rally_times;
    spec.rally.concurrency = r.rally_concurrency;
    spec.rally.start = sim::Time::from_s(10);
    spec.internal_database = false;  // the planner reports the WAN interface only
    return spec;
}

sim::Json stable_figures(const sim::Json& f, bool capacity) {
    sim::Json j;
    for (const char* k : {"mean_kbps", "p50_kbps", "p95_kbps", "p99_kbps", "max_kbps"}) j[k] = f[k];
    for (const char* p : {"rabbitmq", "mysql", "http"})
        j["by_protocol"][p] = {{"mean_kbps", f["by_protocol"][p]["mean_kbps"]}, {"p99_kbps", f["by_protocol"][p]["p99_kbps"]},
                               {"max_kbps", f["by_protocol"][p]["max_kbps"]}};
    for (const char* d : {"to_controller", "from_controller"})
        j["by_direction"][d] = {{"mean_kbps", f["by_direction"][d]["mean_kbps"]}, {"p99_kbps", f["by_direction"][d]["p99_kbps"]},
                                {"max_kbps", f["by_direction"][d]["max_kbps"]}};
    if (f.contains("rally")) j["rally"] = f["rally"];
    // Utilisation and queueing exist only against a capacity (without one the uplink has no bound).
    j["utilisation"] = capacity ? f["utilisation"] : sim::Json(nullptr);
    j["queue_delay_mean_ms"] = capacity ? f["queue_delay_ms"]["mean"] : sim::Json(nullptr);
    j["queue_delay_p99_ms"] = capacity ? f["queue_delay_p99_ms"] : sim::Json(nullptr);
    return j;
}

std::string table(const PlanRequest& r, const OpenStackSpec& spec, const sim::Json& j, const sim::Json& f) {
    std::string out = fmt::format("tbsim plan: {} servers x {} VMs at {} site{}, release {}, {} simulated, seed {}\n", r.servers,
                                  r.vms_per_server, r.sites, r.sites == 1 ? "" : "s", spec.profile.release,
                                  sim::format_duration(spec.header.duration), r.seed);
    out += fmt::format("WAN: latency {}, loss {}, packets of at most {} B with {} B of headers and {} B of tunnel{}\n\n",
                       sim::format_duration(spec.deployment.wan.latency), sim::format_fraction(spec.deployment.wan.loss),
                       spec.deployment.wan.mtu.bytes, spec.deployment.wan.header.bytes, spec.deployment.wan.tunnel_overhead.bytes,
                       r.wan_capacity ? fmt::format(", controller uplink {}", sim::format_data_rate(spec.deployment.uplink.bandwidth)) : "");
    out += fmt::format("controller WAN interface (1 s bins, kb/s)   {:>10} {:>10} {:>10} {:>10} {:>10}\n", "mean", "p50", "p95", "p99", "max");
    auto row = [&](const std::string& label, const sim::Json& x) {
        out += fmt::format("  {:<40} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f} {:>10.2f}\n", label, x["mean_kbps"].get<double>(),
                           x["p50_kbps"].get<double>(), x["p95_kbps"].get<double>(), x["p99_kbps"].get<double>(),
                           x["max_kbps"].get<double>());
    };
    row("total, both directions", f);
    for (const char* p : {"rabbitmq", "mysql", "http"}) row(fmt::format("{}", p), f["by_protocol"][p]);
    row("to the controller", f["by_direction"]["to_controller"]);
    row("from the controller", f["by_direction"]["from_controller"]);
    if (r.wan_capacity)
        out += fmt::format("\nuplink utilisation {:.2f}% (busier direction); queueing delay of control messages: mean {:.3f} ms, p99 {:.3f} ms\n",
                           100.0 * j["utilisation"].get<double>(), j["queue_delay_mean_ms"].get<double>(),
                           j["queue_delay_p99_ms"].get<double>());
    if (f.contains("rally"))
        out += fmt::format("rally boot-and-delete: {} VMs at concurrency {}, {}: {:.1f} s, mean {:.1f} kb/s during the run\n",
                           f["rally"]["created"].get<double>(), f["rally"]["concurrency"].get<double>(),
                           f["rally"]["finished"].get<bool>() ? "finished" : "NOT finished within the duration",
                           f["rally"]["duration_s"].get<double>(), f["rally"]["mean_kbps"].get<double>());
    return out;
}

}  // namespace

PlanOutcome run_plan(const PlanRequest& request) {
    PlanRequest r = request;
    check_counts(r);
    std::optional<sim::DataRate> bound;
    if (r.max_servers_for) bound = parse_or_fail<sim::DataRate>("--max-servers-for", *r.max_servers_for, sim::parse_data_rate, "10Mbps");
    if (!bound && r.servers < 1) bad("--servers", "must be at least 1 (or ask --max-servers-for a bound)");
    build_spec(r);  // every other option is checked before the first simulation
    const auto t0 = std::chrono::steady_clock::now();
    std::uint64_t events = 0;
    auto evaluate = [&](std::int64_t servers) {
        PlanRequest q = r;
        q.servers = servers;
        auto spec = build_spec(q);
        auto point = models::openstack::simulate_point(spec, 0);
        events += point.events;
        return std::pair{spec, point.figures};
    };
    std::optional<std::int64_t> max_servers;
    if (bound) {
        // Largest S whose p99 of 1 s bins stays at or under the bound: grow by doubling, then bisect.
        const double limit = bound->bits_per_second / 1000.0;
        auto fits = [&](std::int64_t s) { return evaluate(s).second["p99_kbps"].get<double>() <= limit; };
        std::int64_t good = 0, high = 1;
        while (fits(high)) {
            good = high;
            high *= 2;
            if (high > 10'000'000) bad("--max-servers-for", "the bound is not reached below 10 million servers");
        }
        while (high - good > 1) {
            const std::int64_t mid = good + (high - good) / 2;
            (fits(mid) ? good : high) = mid;
        }
        max_servers = good;
        r.servers = std::max<std::int64_t>(good, 1);
    }
    auto [spec, f] = evaluate(r.servers);
    PlanOutcome out;
    out.figures = stable_figures(f, r.wan_capacity.has_value());
    out.figures["servers"] = r.servers;
    out.figures["vms_per_server"] = r.vms_per_server;
    out.figures["max_servers"] = max_servers ? sim::Json(*max_servers) : sim::Json(nullptr);
    out.figures["events"] = events;
    out.figures["wall_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.text = table(r, spec, out.figures, f);
    if (max_servers)
        out.text += fmt::format("\nlargest number of servers whose p99 stays under {}: {} (figures above are for it)\n",
                                sim::format_data_rate(*bound), *max_servers);
    out.text += fmt::format("{} events simulated in {:.2f} s\n", events, out.figures["wall_s"].get<double>());
    return out;
}

}  // namespace tbsim::app
