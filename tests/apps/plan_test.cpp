#include <doctest/doctest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/cli_support.hpp"
#include "tests/support/openstack_captures.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

TEST_CASE("tbsim plan reproduces Study B's extrapolation: 100 servers x 15 VMs need about 2.7 Mb/s") {
    const auto r = run_tbsim("plan --servers 100 --vms-per-server 15 --json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    // Study B: about 1.5 Mb/s (servers) + 1.155 Mb/s (VMs) = 2.7 Mb/s at the controller; tolerance 5%.
    CHECK(j["mean_kbps"].get<double>() == within(2700.0, 0.05));
    // The stable keys scripts read.
    for (const char* k : {"mean_kbps", "p50_kbps", "p95_kbps", "p99_kbps", "max_kbps", "utilisation", "queue_delay_p99_ms", "max_servers",
                          "events", "wall_s"})
        CHECK(j.contains(k));
    const double sum = j["by_protocol"]["rabbitmq"]["mean_kbps"].get<double>() + j["by_protocol"]["mysql"]["mean_kbps"].get<double>() +
                       j["by_protocol"]["http"]["mean_kbps"].get<double>();
    CHECK(sum == doctest::Approx(j["mean_kbps"].get<double>()));
    CHECK(j["by_direction"]["to_controller"]["mean_kbps"].get<double>() + j["by_direction"]["from_controller"]["mean_kbps"].get<double>() ==
          doctest::Approx(j["mean_kbps"].get<double>()));
    CHECK(j["p50_kbps"].get<double>() <= j["p99_kbps"].get<double>());
    CHECK(j["p99_kbps"].get<double>() <= j["max_kbps"].get<double>());
}

TEST_CASE("tbsim plan prints a readable table with units") {
    const auto r = run_tbsim("plan --servers 10 --vms-per-server 5 --wan-capacity 1Mbps --wan-latency 30ms --wan-loss 0.1%");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("controller WAN interface (1 s bins, kb/s)") != std::string::npos);
    CHECK(r.out.find("rabbitmq") != std::string::npos);
    CHECK(r.out.find("uplink utilisation") != std::string::npos);
}

TEST_CASE("with a capacity, tbsim plan reports utilisation and queueing that grow with load") {
    const auto light = nlohmann::json::parse(run_tbsim("plan --servers 5 --wan-capacity 1Mbps --json").out);
    const auto heavy = nlohmann::json::parse(run_tbsim("plan --servers 60 --vms-per-server 10 --wan-capacity 1Mbps --json").out);
    CHECK(light["utilisation"].get<double>() < heavy["utilisation"].get<double>());
    CHECK(light["queue_delay_p99_ms"].get<double>() < heavy["queue_delay_p99_ms"].get<double>());
    // Traffic from the controller is the busier direction: its share of 1 Mb/s.
    CHECK(heavy["utilisation"].get<double>() ==
          within(heavy["by_direction"]["from_controller"]["mean_kbps"].get<double>() / 1000.0, 0.02));
}

TEST_CASE("tbsim plan with Rally reports the run's traffic and duration") {
    const auto j = nlohmann::json::parse(run_tbsim("plan --servers 2 --rally-times 10 --rally-concurrency 2 --json").out);
    CHECK(j["rally"]["finished"].get<bool>());
    CHECK(j["rally"]["duration_s"].get<double>() > 10.0);
    CHECK(j["rally"]["mean_kbps"].get<double>() > 300.0);  // Study B: 0.4 to 2 Mb/s during a run
    // Users beyond the VMs to create find nothing to do: a concurrency of 10^8 for 10 VMs runs as
    // concurrency 10, at once and in a few megabytes (it used to start 10^8 users).
    const auto all_at_once = nlohmann::json::parse(run_tbsim("plan --servers 2 --rally-times 10 --rally-concurrency 10 --json").out);
    const auto beyond = nlohmann::json::parse(run_tbsim("plan --servers 2 --rally-times 10 --rally-concurrency 100000000 --json").out);
    CHECK(beyond["rally"]["duration_s"].get<double>() == all_at_once["rally"]["duration_s"].get<double>());
    CHECK(beyond["mean_kbps"].get<double>() == all_at_once["mean_kbps"].get<double>());
    CHECK(beyond["rally"]["concurrency"].get<double>() == 100000000.0);  // as asked
}

TEST_CASE("--max-servers-for finds the largest server count whose p99 fits the bound") {
    const auto found = nlohmann::json::parse(run_tbsim("plan --vms-per-server 20 --max-servers-for 2Mbps --duration 5min --json").out);
    const auto s = found["max_servers"].get<int>();
    CHECK(s > 5);
    CHECK(found["p99_kbps"].get<double>() <= 2000.0);
    const auto over = nlohmann::json::parse(
        run_tbsim("plan --vms-per-server 20 --duration 5min --json --servers " + std::to_string(s + 1)).out);
    CHECK(over["p99_kbps"].get<double>() > 2000.0);
    // A bound below one server's p99: none fits, and the account says so rather than "0 (figures above
    // are for it)" above figures of one server.
    const auto none = run_tbsim("plan --max-servers-for 1bps --duration 5min");
    CHECK(none.exit_code == 0);
    CHECK(none.out.find("none, one server's p99 is already above it") != std::string::npos);
    CHECK(none.out.find("stays under 1bps (0.001 kb/s)") != std::string::npos);  // the bound in the figure's unit
    // On a terminal the search says each step as it goes (`script` gives the command one): a search
    // of millions of servers takes minutes. Not in a pipe: the output above has no such line.
    const auto terminal = run_command_line("script -qec '" + std::string(TBSIM_BINARY_DIR) +
                                           "/apps/tbsim plan --vms-per-server 20 --max-servers-for 2Mbps --duration 5min' /dev/null");
    CHECK(none.err.find("search:") == std::string::npos);
    if (terminal.out.find("largest number of servers") == std::string::npos) {
        MESSAGE("no pseudo-terminal here (script: exit " << terminal.exit_code << ", " << terminal.err
                                                          << "): the terminal's lines are not checked");
        return;
    }
    CHECK(terminal.exit_code == 0);
    CHECK(terminal.out.find("search: deployment.servers = 1: p99_kbps ") != std::string::npos);
    CHECK(terminal.out.find("search: deployment.servers = " + std::to_string(s) + ": p99_kbps ") != std::string::npos);
    CHECK(terminal.out.find("search: deployment.servers = " + std::to_string(s + 1) + ": p99_kbps ") != std::string::npos);
}

TEST_CASE("--max-servers-for refuses at once a bound that the p99 would keep at the search's limit") {
    // One server's p99 is about 35 kb/s (Juno, no VM): in proportion, 10 million servers give
    // 352 Gb/s, under 1000 Gb/s. The search stops after its first candidate instead of running
    // candidates up to 8 million servers (43 s here) and failing then.
    const auto r = run_tbsim("plan --max-servers-for 1000Gbps --duration 10s");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("would still hold at the limit, deployment.servers = 10000000: p99_kbps is ") != std::string::npos);
    CHECK(r.err.find(" at 1 and grows at most in proportion") != std::string::npos);
    // A bound the limit would break is searched as before (100 kb/s, where 10 million servers
    // would give up to 352 Gb/s): the search goes on past the first candidate.
    const auto tight = nlohmann::json::parse(run_tbsim("plan --max-servers-for 100kbps --duration 10s --json").out);
    CHECK(tight["max_servers"].get<int>() >= 2);
}

TEST_CASE("--max-servers-for with a capacity refuses a bound the interface can never carry") {
    // 10 Mb/s each way: the p99 of both directions together is at most 20 Mb/s however many
    // servers share it (2000 servers x 20 VMs saturate it: p99 18.4 Mb/s), so a bound of 21 Mb/s
    // holds for any number; the search used to run single simulations up to the largest one.
    const auto r = run_tbsim("plan --wan-capacity 10Mbps --max-servers-for 21Mbps --duration 10s");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("holds for any number of servers: with --wan-capacity 10Mbps the controller's interface carries at most 20000 kb/s") !=
          std::string::npos);
    // Below twice the capacity the search runs.
    const auto below = nlohmann::json::parse(run_tbsim("plan --wan-capacity 10Mbps --max-servers-for 100kbps --duration 10s --json").out);
    CHECK(below["max_servers"].get<int>() >= 2);
}

TEST_CASE("--max-servers-for with a capacity stops where the interface saturates, and says which limit applied") {
    // 10 Mb/s each way: past about 1300 servers the interface transmits 95% of the time or more,
    // its queue grows through the run, and the p99 it carries levels off at 19.0 to 19.7 Mb/s
    // (2048 to 65536 servers): a bound of 19.9 Mb/s used to hold up to the search's limit.
    const auto saturated = nlohmann::json::parse(run_tbsim("plan --wan-capacity 10Mbps --max-servers-for 19.9Mbps --duration 10s --json").out);
    CHECK(saturated["max_servers_limited_by"] == "saturation");
    CHECK(saturated["utilisation"].get<double>() < 0.95);
    CHECK(saturated["p99_kbps"].get<double>() <= 19900.0);
    const int most = saturated["max_servers"].get<int>();
    CHECK(most > 1000);
    // A bound that breaks before the interface saturates is the limit, as before.
    const auto bounded = nlohmann::json::parse(run_tbsim("plan --wan-capacity 10Mbps --max-servers-for 15Mbps --duration 10s --json").out);
    CHECK(bounded["max_servers_limited_by"] == "bound");
    CHECK(bounded["max_servers"].get<int>() < most);
    CHECK(bounded["p99_kbps"].get<double>() <= 15000.0);
    // The text says so too.
    const auto text = run_tbsim("plan --wan-capacity 10Mbps --max-servers-for 19.9Mbps --duration 10s");
    CHECK(text.out.find("the capacity limits them, not the bound") != std::string::npos);
    // Without a search there is no limit to name.
    CHECK(nlohmann::json::parse(run_tbsim("plan --servers 3 --duration 10s --json").out)["max_servers_limited_by"].is_null());
}

TEST_CASE("tbsim plan refuses bad input with exit code 2") {
    struct Case {
        std::string args, message;
    } cases[] = {
        {"--servers=-3", "--servers: must not be negative"},
        {"--servers 0", "--servers: must be at least 1"},
        {"--servers 5 --wan-capacity 10", "--wan-capacity: expected a data rate with a unit"},
        {"--servers 5 --duration 1hour", "--duration: expected a duration with a unit"},
        {"--servers 5 --wan-loss 150%", "--wan-loss: expected a fraction between 0 and 100%"},
        {"--servers 5 --rally-times 3 --rally-concurrency 0", "--rally-concurrency: must be at least 1"},
        {"--servers 5 --profile /nonexistent.yaml", "no profile called '/nonexistent.yaml'"},
        {"--servers 5 --packet-header 52", "--packet-header: expected a data size with a unit"},
        {"--servers 5 --tunnel-overhead=-4B", "--tunnel-overhead: must not be negative"},
        {"--servers 5 --wan-mtu 40B", "--wan-mtu: must be larger than the packet header (52 B)"},
        // With a capacity every server is in one simulation, which holds 2^24 task runners: Juno's
        // 8 periodic tasks per server allow 2,097,152 servers. This used to fail after 32 s and
        // 3 GB with an internal error (exit 1).
        {"--servers 3000000 --wan-capacity 10Gbps",
         "--servers: 3000000 servers in one simulation, with 8 periodic tasks each, make 24000000 task runners, more than the "
         "16777216 (2^24) one simulation holds: at most 2097152 servers here"},
        // A server's VM count is 32 bits: more used to wrap silently.
        {"--servers 2 --vms-per-server 3000000000", "--vms-per-server: at most 2147483647 VMs per server, got 3000000000"},
        // Each Rally user has an event pending from the start; the engine holds 2^24. This used to
        // stop only once they overflowed it, after 5 s and 1.4 GB.
        {"--servers 2 --rally-times 100000000 --rally-concurrency 100000000",
         "--rally-concurrency: 100000000 Rally users at once, each with an event pending from the start, more than the 16777216"},
    };
    for (const auto& c : cases) {
        const auto r = run_tbsim("plan " + c.args);
        CHECK(refusal_problem(r, c.message) == "");
        CHECK(r.out.empty());
    }
    // A name longer than the system takes for a file (found by fuzz_scenario): the profile is missing
    // (exit 2, its key named), not an internal error from the file system's exception (exit 1).
    const std::string long_name(5000, 'p');
    const auto r = run_tbsim("plan --servers 5 --profile " + long_name);
    CHECK(refusal_problem(r, "no profile called 'ppp") == "");
}

TEST_CASE("without a capacity the uplink has no bound: the demand, the same bytes as at a capacity far above it") {
    const auto unbounded = nlohmann::json::parse(run_tbsim("plan --servers 50 --vms-per-server 10 --duration 5min --json").out);
    const auto generous =
        nlohmann::json::parse(run_tbsim("plan --servers 50 --vms-per-server 10 --duration 5min --wan-capacity 10Gbps --json").out);
    // Queueing only moves bytes in time: totals are identical, 1 s percentiles within 0.1%.
    CHECK(unbounded["mean_kbps"].get<double>() == within(generous["mean_kbps"].get<double>(), 1e-9));
    CHECK(unbounded["p99_kbps"].get<double>() == within(generous["p99_kbps"].get<double>(), 1e-3));
    CHECK(unbounded["max_kbps"].get<double>() == within(generous["max_kbps"].get<double>(), 1e-3));
    // No capacity, no utilisation or queueing figures.
    CHECK(unbounded["utilisation"].is_null());
    CHECK(unbounded["queue_delay_p99_ms"].is_null());
    CHECK(generous["utilisation"].get<double>() > 0.0);
}

TEST_CASE("a release profile without a lifecycle refuses VM churn instead of simulating nothing") {
    const std::string dir = scratch_dir("profile_without_lifecycle");
    std::ofstream(dir + "/idle-only.yaml") << "release: idle-only\n"
                                              "services:\n"
                                              "  - name: agent\n"
                                              "    tasks:\n"
                                              "      - {name: report, period: 10s, calls: [{name: r, protocol: rabbitmq, request: 100B, reply: 100B}]}\n";
    std::ofstream(dir + "/churn.yaml") << "name: churn\nmodel: openstack\nseed: 1\nduration: 60s\nprofile: idle-only.yaml\n"
                                          "deployment: {servers: 1}\n"
                                          "rally: {times: 2}\n";
    const auto idle = run_tbsim("plan --servers 2 --profile " + dir + "/idle-only.yaml --json");
    CHECK(idle.exit_code == 0);
    const auto plan = run_tbsim("plan --servers 2 --rally-times 3 --profile " + dir + "/idle-only.yaml");
    CHECK(refusal_problem(plan, "--rally-times: release profile") == "");
    CHECK(plan.err.find("has no lifecycle section") != std::string::npos);
    const auto check = run_tbsim("check " + dir + "/churn.yaml");
    CHECK(refusal_problem(check, "churn.yaml:7:") == "");  // file and line of the `rally` key
    CHECK(check.err.find("has no lifecycle section") != std::string::npos);
    // The embedded Zed profile has one.
    const auto zed = nlohmann::json::parse(run_tbsim("plan --servers 1 --rally-times 2 --profile zed --json").out);
    CHECK(zed["rally"]["finished"].get<bool>());
}

TEST_CASE("tbsim plan --profile zed, with the capture point's packets, predicts the real Zed plane's idle traffic within 10%") {
    // validation/traces/openstack-zed: one compute with 0, 10, 25 and 50 idle instances (600 s
    // each), captured on a veth: 66 B of Ethernet, IP and TCP headers, no tunnel, offloaded frames
    // of up to 64 KiB. Tolerance 10%, as the OpenStack-plane issue sets.
    for (const std::string name : {"idle-c1-i0", "idle-c1-i10", "idle-c1-i25", "idle-c1-i50"}) {
        const auto c = committed_capture(name);
        const auto r = run_tbsim("plan --profile zed --servers 1 --vms-per-server " + std::to_string(c.instances) +
                                 " --packet-header 66B --tunnel-overhead 0B --wan-mtu 65535B --json");
        REQUIRE(r.exit_code == 0);
        const double simulated = nlohmann::json::parse(r.out)["mean_kbps"].get<double>();
        INFO(name << ": captured " << c.wan_kbps << " kb/s, planned " << simulated);
        CHECK(simulated == within(c.wan_kbps, 0.10));
    }
    // On Study B's VPN (the defaults) the same compute costs more: 41 B of tunnel per packet.
    const auto vpn = nlohmann::json::parse(run_tbsim("plan --profile zed --servers 1 --vms-per-server 10 --json").out);
    const auto bare = nlohmann::json::parse(
        run_tbsim("plan --profile zed --servers 1 --vms-per-server 10 --packet-header 52B --tunnel-overhead 0B --json").out);
    CHECK(vpn["mean_kbps"].get<double>() > bare["mean_kbps"].get<double>());
}
