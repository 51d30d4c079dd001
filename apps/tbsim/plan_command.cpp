#include "apps/tbsim/plan_command.hpp"

#include <chrono>

#include <fmt/format.h>

#include "apps/tbsim/app_context.hpp"
#include "apps/tbsim/progress_display.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/key_search.hpp"
#include "sim/scenario/study_output.hpp"

namespace tbsim::app {
namespace {

// The busier direction's share of time transmitting from which a number of servers does not fit
// the controller's interface, whatever the p99 bound: the queue there grows through the run
// (10 Mb/s, 10 s: utilisation 0.92 with 1200 servers, mean queueing delay 21 ms; 0.956 with
// 1300, 60 ms; 0.98 with 1792, 437 ms), and the p99 of what it carries levels off below twice
// the capacity (19.0 to 19.7 Mb/s from 2048 to 65536 servers), so a bound just under that held
// up to the search's limit.
constexpr double kSaturatedUtilisation = 0.95;

// An override named by its option: errors read "--servers: must not be negative".
sim::Override option(const char* name, const std::string& assignment) { return {assignment, sim::OverrideOrigin{name, name, false}}; }

// A string value as YAML (a file path may hold any character).
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::vector<sim::Override> overrides_of(const PlanRequest& r) {
    std::vector<sim::Override> o;
    if (r.servers) o.push_back(option("--servers", fmt::format("deployment.servers={}", *r.servers)));
    if (r.vms_per_server) o.push_back(option("--vms-per-server", fmt::format("deployment.vms_per_server={}", *r.vms_per_server)));
    if (r.sites) o.push_back(option("--sites", fmt::format("deployment.sites={}", *r.sites)));
    if (r.wan_latency) o.push_back(option("--wan-latency", "deployment.wan.latency=" + *r.wan_latency));
    if (r.wan_loss) o.push_back(option("--wan-loss", "deployment.wan.loss=" + *r.wan_loss));
    if (r.wan_capacity) {
        o.push_back(option("--wan-capacity", "deployment.uplink.bandwidth=" + *r.wan_capacity));
        o.push_back(option("--wan-capacity", "deployment.uplink.queueing=true"));
    }
    for (const char* link : {"wan", "uplink"}) {
        if (r.packet_header) o.push_back(option("--packet-header", fmt::format("deployment.{}.header={}", link, *r.packet_header)));
        if (r.tunnel_overhead) o.push_back(option("--tunnel-overhead", fmt::format("deployment.{}.tunnel_overhead={}", link, *r.tunnel_overhead)));
        if (r.wan_mtu) o.push_back(option("--wan-mtu", fmt::format("deployment.{}.mtu={}", link, *r.wan_mtu)));
    }
    if (r.rally_times) {
        o.push_back(option("--rally-times", fmt::format("rally.times={}", *r.rally_times)));
        if (r.rally_concurrency) o.push_back(option("--rally-concurrency", fmt::format("rally.concurrency={}", *r.rally_concurrency)));
    }
    if (r.duration) o.push_back(option("--duration", "duration=" + *r.duration));
    if (r.profile) o.push_back(option("--profile", "profile=" + quoted(*r.profile)));
    if (r.seed) o.push_back(option("--seed", fmt::format("seed={}", *r.seed)));
    return o;
}

}  // namespace

PlanOutcome run_plan(const PlanRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto text = scenario_text("plan");
    auto overrides = overrides_of(request);
    if (!request.max_servers_for && request.servers.value_or(0) < 1) {
        if (request.servers.value_or(0) < 0) sim::load_study(text, overrides, app_context());  // the scenario's own message
        throw sim::ConfigError("tbsim plan: --servers: must be at least 1 (or ask --max-servers-for a bound)");
    }
    // Everything is checked before the first simulation.
    const auto probe = sim::load_study(text, overrides, app_context());
    std::optional<std::int64_t> max_servers;
    bool saturated_next = false;  // one server more saturates the interface while keeping the bound
    std::string bound;  // as given, and in kb/s when it had no unit ("10": 10 kb/s, not 10 Mb/s)
    std::uint64_t search_events = 0;
    if (request.max_servers_for) {
        sim::SearchRequest search;
        search.key = "deployment.servers";
        search.until = sim::parse_search_bound("p99_kbps<=" + *request.max_servers_for, probe.figures, "--max-servers-for");
        search.option = "--max-servers-for";
        bound = fmt::format("{} ({:g} kb/s)", *request.max_servers_for, search.until.bound);
        search.jobs = request.jobs;
        search.grows_at_most_in_proportion = true;  // traffic of independent servers (docs/openstack.md)
        // With a capacity each direction of the interface carries at most that much a second, so
        // the p99 of both directions together never passes twice it: such a bound holds for any
        // number of servers, and the search would run to the largest simulation before saying so.
        if (request.wan_capacity)
            if (const auto capacity = sim::parse_data_rate(*request.wan_capacity)) {
                const double most_kbps = 2.0 * capacity->bits_per_second / 1e3;
                // (a bin may hold a little more: transmission times are rounded to the nanosecond)
                if (search.until.holds(most_kbps * 1.001))
                    throw sim::ConfigError(fmt::format("--max-servers-for: {} holds for any number of servers: with --wan-capacity {} the "
                                                       "controller's interface carries at most {:g} kb/s, both directions together; ask "
                                                       "a bound below that",
                                                       search.until.text(), *request.wan_capacity, most_kbps));
                search.saturation = sim::SearchRequest::Saturation{"utilisation", kSaturatedUtilisation};
            }
        if (request.progress) sim::show_search_steps(search);
        const auto found = sim::search_largest(text, overrides, search, app_context());
        max_servers = found.largest;
        saturated_next = found.saturated_next;
        search_events = found.events;
        overrides.push_back(option("--max-servers-for", fmt::format("deployment.servers={}", std::max<std::int64_t>(found.largest, 1))));
    }
    const auto study = sim::load_study(text, overrides, app_context());
    sim::RunOptions options;
    options.jobs = request.jobs;
    const auto runs = run_with_progress(study, options, "plan", request.progress);
    const auto results = sim::summarize_study(study, runs);
    const auto events = search_events + results.events;
    const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    PlanOutcome out;
    out.figures = sim::figures_to_json(results.points.front().mean);
    out.figures["max_servers"] = max_servers ? sim::Json(*max_servers) : sim::Json(nullptr);
    out.figures["max_servers_limited_by"] = !max_servers ? sim::Json(nullptr) : sim::Json(saturated_next ? "saturation" : "bound");
    out.figures["events"] = events;
    out.figures["wall_s"] = wall_s;
    out.text = "tbsim plan: " + sim::study_account(study, results);
    if (max_servers && *max_servers > 0 && saturated_next)
        out.text += fmt::format("\nlargest number of servers whose p99 stays under {}: {} (figures above are for it); the capacity limits "
                                "them, not the bound: with {} servers the p99 still keeps it, but the interface transmits {:g}% of the time "
                                "or more and its queue grows through the run\n",
                                bound, *max_servers, *max_servers + 1, 100.0 * kSaturatedUtilisation);
    else if (max_servers && *max_servers > 0)
        out.text +=
            fmt::format("\nlargest number of servers whose p99 stays under {}: {} (figures above are for it)\n", bound, *max_servers);
    else if (max_servers && saturated_next)
        out.text += fmt::format("\nlargest number of servers whose p99 stays under {}: none, one server already keeps the interface "
                                "transmitting {:g}% of the time or more (figures above are for one server)\n",
                                bound, 100.0 * kSaturatedUtilisation);
    else if (max_servers)
        out.text += fmt::format("\nlargest number of servers whose p99 stays under {}: none, one server's p99 is already above it "
                                "(figures above are for one server)\n",
                                bound);
    out.text += fmt::format("{} events simulated in {:.2f} s\n", events, wall_s);
    return out;
}

}  // namespace tbsim::app
