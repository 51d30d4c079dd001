// The OpenStack model's mechanisms on tiny set-ups built in code, with numbers worked out by hand.
#include <atomic>
#include <cmath>

#include <doctest/doctest.h>

#include "models/openstack/openstack_scenario.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/engine_limit.hpp"
#include "tests/support/shipped_scenarios.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim;
using namespace tbsim::models::openstack;

namespace {

// The text with the first `from` replaced by `to` (concatenation rather than std::string::replace,
// which trips GCC 12's -Wrestrict false positive when inlined).
std::string with(const std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.substr(0, at) + to + text.substr(at + from.size());
}

ReleaseProfile profile_from(const std::string& yaml) {
    auto doc = sim::ConfigDocument::from_text(yaml, "profile.yaml");
    auto p = read_release_profile(doc->root());
    doc->check_unknown_keys();
    return p;
}

// One server on the default network (Study B's VPN: 52 B of IP and TCP headers and 41 B of tunnel
// per packet), 60 s.
OpenStackSpec spec_with(const std::string& profile_yaml, std::int64_t servers = 1) {
    OpenStackSpec spec;
    spec.header.name = "t";
    spec.header.seed = 1;
    spec.header.duration = sim::Time::from_s(60);
    spec.profile = profile_from(profile_yaml);
    auto doc = sim::ConfigDocument::from_text("deployment: {}\n", "deployment.yaml");
    const auto root = doc->root();
    read_deployment(root.required("deployment"), root, "", spec.deployment);
    spec.deployment.servers = servers;
    return spec;
}

const std::string kOneCall = R"(release: test
protocols:
  rabbitmq: {request_framing: 100B, reply_framing: 200B}
services:
  - name: svc
    tasks:
      - name: report
        period: 10s
        phase: 0s
        calls:
          - {name: call, protocol: rabbitmq, request: 1000B, reply: 500B, database: 4000B}
)";

}  // namespace

TEST_CASE("a call's wire bytes are payload, framing, IP/TCP headers, tunnel overhead and ACKs") {
    const auto f = simulate_point(spec_with(kOneCall), 0).figures;
    // Six calls in 60 s (t = 0, 10, ..., 50 s). Each packet carries 52 B of headers and 41 B of VPN
    // encapsulation (the default network, study-b-vpn). Request 1000 + 100 B in one packet + one ACK back;
    // reply 500 + 200 B in one packet + one ACK.
    const double to_controller = 6 * ((1000 + 100 + 93) + 93);
    const double from_controller = 6 * ((500 + 200 + 93) + 93);
    CHECK(f.by_direction.to_controller.bytes == doctest::Approx(to_controller));
    CHECK(f.by_direction.from_controller.bytes == doctest::Approx(from_controller));
    CHECK(f.total.mean_kbps == doctest::Approx((to_controller + from_controller) * 8 / 60 / 1000));
    // The controller's own database reads stay inside it: 6 x (200 B query + 4000 B reply), with
    // headers (52 B per packet, 3 packets for 4000 B) and ACKs, never on the WAN interface.
    CHECK(f.internal_database.bytes == doctest::Approx(6 * ((200 + 52 + 52) + (4000 + 3 * 52 + 2 * 52))));
    CHECK(f.by_protocol.mysql.bytes == 0.0);
}

TEST_CASE("HTTP with a connection per call adds the TCP handshake and close") {
    const std::string yaml = with(with(kOneCall, "rabbitmq: {request_framing: 100B, reply_framing: 200B}",
                                       "http: {request_framing: 100B, reply_framing: 200B, connection_per_call: true}"),
                                  "protocol: rabbitmq", "protocol: http");
    const auto f = simulate_point(spec_with(yaml), 0).figures;
    // Per call, beyond the rabbitmq case, 6 header-only packets of 93 B, as captured from a real
    // Zed compute (validation/openstack): SYN, ACK, and FIN+ACK in one segment go to the controller
    // (3); SYN-ACK, the controller's FIN and the last ACK come from it (3).
    const double to_controller = 6 * ((1000 + 100 + 93) + 93 + 3 * 93);
    const double from_controller = 6 * ((500 + 200 + 93) + 93 + 3 * 93);
    CHECK(f.by_protocol.http.bytes == doctest::Approx(to_controller + from_controller));
    CHECK(f.by_protocol.rabbitmq.bytes == 0.0);
}

TEST_CASE("sizes and counts grow with the VMs on the server") {
    const std::string yaml = with(kOneCall, "request: 1000B, reply: 500B",
                                  "request: 1000B, reply: {base: 500B, per_vm: 100B}, count: {base: 1, per_vm: 0.5}");
    auto spec = spec_with(yaml);
    spec.deployment.vms_per_server = 4;
    const auto f = simulate_point(spec, 0).figures;
    // 3 calls per run (1 + 0.5 x 4); replies 500 + 400 = 900 B payload, in one packet.
    CHECK(f.by_direction.from_controller.bytes == doctest::Approx(6 * 3 * ((900 + 200 + 93) + 93)));
}

TEST_CASE("a count law beyond 2^32 calls a run is refused, not wrapped") {
    // 10^6 calls per VM at 10^5 VMs: 10^11 calls in one run. The conversion to the run's 32-bit
    // count wrapped silently (a handful of calls, or none).
    auto spec = spec_with(with(kOneCall, "request: 1000B, reply: 500B", "request: 1000B, reply: 500B, count: {base: 1, per_vm: 1000000}"));
    spec.deployment.vms_per_server = 100'000;
    CHECK_THROWS_WITH_AS(simulate_point(spec, 0), doctest::Contains("makes 1e+11 'call' calls at 100000 VMs, more than the 2^32"),
                         sim::EngineLimit);
}

TEST_CASE("servers add up: ten servers send ten times one server's bytes") {
    const auto one = simulate_point(spec_with(kOneCall, 1), 0).figures;
    const auto ten = simulate_point(spec_with(kOneCall, 10), 0).figures;
    CHECK(ten.total.bytes == doctest::Approx(10 * one.total.bytes));
}

TEST_CASE("sites past the servers' count are not built, and change nothing") {
    // Server i is at site i mod sites: with 3 servers, sites 3 onwards hold none. A billion of them
    // used to be built (gigabytes before the first event).
    auto spec = spec_with(kOneCall, 3);
    spec.deployment.sites = 3;
    const auto three_sites = simulate_point(spec, 0).figures;
    spec.deployment.sites = 1'000'000'000;
    const auto topology = build_topology(spec.deployment);
    CHECK(topology.nodes.size() == 3 + 3);  // controller, its database, the hub, three sites
    CHECK(topology.links.size() == 2 + 3);  // the uplink, the internal link, three WAN links
    CHECK(simulate_point(spec, 0).figures.total.bytes == three_sites.total.bytes);
}

TEST_CASE("servers started together run their tasks in phase, within the start spread, in every partition") {
    // One call every 10 s, its first run drawn in [0, 10 s) (no phase given): 1 s bins.
    const std::string random_phase = with(kOneCall, "        phase: 0s\n", "");
    auto spec = [&](std::int64_t servers, std::optional<sim::Time> spread) {
        auto s = spec_with(random_phase, servers);
        s.deployment.start_spread = spread;
        return s;
    };
    const double one = simulate_point(spec(1, sim::Time::zero()), 0).figures.total.max_kbps;
    REQUIRE(one > 0.0);
    // Started at the same instant: the eight servers' calls share every bin, eight times one's peak.
    CHECK(simulate_point(spec(8, sim::Time::zero()), 0).figures.total.max_kbps == doctest::Approx(8 * one));
    // Started apart (the default): eight phases over 10 s, the peak far below.
    CHECK(simulate_point(spec(8, std::nullopt), 0).figures.total.max_kbps < 4 * one);
    // Within 1 s of each other: the eight calls fall in two bins at most, one holds half of them.
    CHECK(simulate_point(spec(8, sim::Time::from_s(1)), 0).figures.total.max_kbps >= 3.9 * one);
    // Partitions draw the same plane phases: independent servers in partitions of 3 peak as one.
    auto parted = spec(8, sim::Time::zero());
    for (auto* link : {&parted.deployment.uplink, &parted.deployment.wan}) {
        link->queueing = false;
        link->loss.value = 0.0;
    }
    parted.internal_database = false;
    parted.partition_servers = 3;
    REQUIRE(partition_count(parted) == 3);
    CHECK(simulate_point(parted, 0).figures.total.max_kbps == doctest::Approx(8 * one));
}

TEST_CASE("a task that runs immediately runs at each server's first pass, the others keep the plane's phase") {
    // nova's periodic_fuzzy_delay: each server's periodic loop first runs first_pass_delay after it
    // started, and only run_immediately tasks run then (oslo.service). Eight servers started together.
    const std::string delayed = with(with(with(kOneCall, "        phase: 0s\n", ""), "  - name: svc\n",
                                          "  - name: svc\n    first_pass_delay: {uniform: [0s, 10s]}\n"),
                                     "        period: 10s\n", "        period: 10s\n        run_immediately: true\n");
    auto spec = [&](const std::string& yaml, std::int64_t servers) {
        auto s = spec_with(yaml, servers);
        s.deployment.start_spread = sim::Time::zero();
        return s;
    };
    const auto one = simulate_point(spec(delayed, 1), 0).figures;
    REQUIRE(one.total.max_kbps > 0.0);
    const auto eight = simulate_point(spec(delayed, 8), 0).figures;
    // Eight first passes drawn over the 10 s period: the calls no longer share one bin.
    CHECK(eight.total.max_kbps < 8 * one.total.max_kbps);
    // A pass pushed past the period stands for the run before it: every server runs six times in 60 s.
    CHECK(eight.total.bytes == doctest::Approx(8 * one.total.bytes));
    // Without run_immediately the delay does not matter: the servers' calls share every bin.
    const std::string on_grid = with(delayed, "        run_immediately: true\n", "");
    const double grid_one = simulate_point(spec(on_grid, 1), 0).figures.total.max_kbps;
    CHECK(simulate_point(spec(on_grid, 8), 0).figures.total.max_kbps == doctest::Approx(8 * grid_one));
}

TEST_CASE("a jitter delay lengthens every period: a 10 s task with 5 s added runs 4 times in 60 s, not 6") {
    // oslo.service adds whole seconds to each run of a periodic task (jitter_delay); here a constant.
    const auto every_10 = simulate_point(spec_with(kOneCall), 0).figures.total;
    const auto every_15 = simulate_point(spec_with(with(kOneCall, "        phase: 0s\n", "        phase: 0s\n        jitter_delay: 5s\n")), 0)
                              .figures.total;
    CHECK(every_15.bytes == doctest::Approx(every_10.bytes * 4.0 / 6.0));
    // Drawn whole seconds (0 or 10 s, even odds): between 3 runs (0, 20, 40 s) and 6.
    const auto drawn = simulate_point(spec_with(with(kOneCall, "        phase: 0s\n",
                                                     "        phase: 0s\n        jitter_delay: {empirical: [[0s, 0], [0s, 0.5], [10s, 0.5], [10s, 1]]}\n")),
                                      0)
                           .figures.total;
    const double runs = drawn.bytes / (every_10.bytes / 6.0);
    CHECK(runs == doctest::Approx(std::round(runs)));
    CHECK(runs >= 3.0);
    CHECK(runs <= 6.0);
}

TEST_CASE("a task within another waits, once due, for that task's next run and runs right after it") {
    // The host (kOneCall's report) every 10 s from 3.2 s; the inner task due every 25 s from 0 s (nova's provider-tree
    // refresh inside update_available_resource). Within its host it runs after the runs of 3.2 s and
    // 33.2 s (due at 0 s, then 25 s after it ran): twice in 60 s, each in its host's 1 s bin. On a
    // timer of its own it runs at 0, 25 and 50 s, in bins of its own.
    const std::string host_only = with(kOneCall, "        phase: 0s\n", "        phase: 3.2s\n");
    const std::string base = host_only +
                             "      - name: refresh\n"
                             "        period: 25s\n"
                             "        phase: 0s\n"
                             "        within: report\n"
                             "        calls:\n"
                             "          - {name: inner call, protocol: rabbitmq, request: 7000B, reply: 3000B}\n";
    const std::string own_timer = with(base, "        within: report\n", "");
    const auto nested = simulate_point(spec_with(base), 0).figures.total;
    const auto apart = simulate_point(spec_with(own_timer), 0).figures.total;
    const auto host = simulate_point(spec_with(host_only), 0).figures.total;
    const double inner_run = (apart.bytes - host.bytes) / 3.0;  // one run of the inner task, on the wire
    REQUIRE(inner_run > 10000.0);
    CHECK(nested.bytes - host.bytes == doctest::Approx(2.0 * inner_run));
    // Sharing its host's bin, the inner run adds to the host's peak; on its own it does not.
    CHECK(nested.max_kbps == within(host.max_kbps + inner_run * 8.0 / 1000.0, 1e-6));
    CHECK(apart.max_kbps == within(inner_run * 8.0 / 1000.0, 1e-6));

    auto error_of = [](const std::string& yaml) {
        try {
            profile_from(yaml);
        } catch (const sim::ConfigError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    CHECK(error_of(with(base, "within: report", "within: repor")) ==
          "profile.yaml:15:17: services[0].tasks[1].within: no task 'repor' in service svc");
    CHECK(error_of(with(base, "within: report", "within: refresh")).find("a task cannot run within itself") != std::string::npos);
    CHECK(error_of(with(base, "        phase: 3.2s\n", "        phase: 3.2s\n        within: refresh\n"))
              .find("'refresh' itself runs within 'report'") != std::string::npos);
}

TEST_CASE("a saturated uplink queues control messages and its bins never exceed its capacity") {
    auto spec = spec_with(kOneCall, 400);  // 400 calls at t = 0 (phase 0 s) onto a 1 Mb/s uplink
    spec.deployment.uplink.bandwidth = sim::DataRate{1e6};
    const auto f = simulate_point(spec, 0).figures;
    CHECK(f.by_direction.to_controller.max_kbps <= 1000.0 + 1e-6);
    CHECK(*f.queue_delay_p99_ms > 100.0);
    CHECK(*f.utilisation > 0.2);
}

TEST_CASE("a server builds no more VMs at once than nova allows, and spawns share its cores") {
    const std::string yaml = kOneCall + R"(lifecycle:
  message_size: 1000B
  max_concurrent_builds: 1
  create:
    - {name: build, kind: cast_to_server, messages: 1}
    - {name: spawn, kind: spawn}
  delete:
    - {name: destroy, kind: destroy}
)";
    auto spec = spec_with(yaml);
    spec.deployment.hardware.spawn_time = sim::Time::zero();
    spec.deployment.hardware.spawn_work = sim::Time::from_s(2);
    spec.operations = {{sim::Time::from_s(1), std::nullopt}, {sim::Time::from_s(1), std::nullopt}};
    const auto serial = simulate_point(spec, 0).figures;
    // One build at a time: the second waits for the first: 2 s and 4 s (plus a few ms of network).
    CHECK(serial.lifecycle->create_s.mean == within(3.0, 0.01));
    // Two builds at once on one core: each gets half the core and both take 4 s.
    spec.profile.lifecycle.max_concurrent_builds = 2;
    spec.deployment.hardware.cores = 1;
    const auto shared = simulate_point(spec, 0).figures;
    CHECK(shared.lifecycle->create_s.mean == within(4.0, 0.01));
}

TEST_CASE("AMQP broker acknowledgements: a publisher confirm and a consumer ack around each call") {
    const std::string yaml = with(kOneCall, "rabbitmq: {request_framing: 100B, reply_framing: 200B}",
                                  "rabbitmq: {request_framing: 100B, reply_framing: 200B, publisher_confirm: 21B, consumer_ack: 21B}");
    const auto f = simulate_point(spec_with(yaml), 0).figures;
    // Six calls, 93 B of headers per packet. Up: the request, the ACK of the confirm, the consumer
    // ack (21 B), which carries the reply's ACK. Down: the request's ACK, the confirm (21 B), the
    // reply, the ACK of the consumer ack. As captured on a real Zed compute.
    const double to_controller = 6 * ((1000 + 100 + 93) + 93 + (21 + 93));
    const double from_controller = 6 * (93 + (21 + 93) + (500 + 200 + 93) + 93);
    CHECK(f.by_direction.to_controller.bytes == doctest::Approx(to_controller));
    CHECK(f.by_direction.from_controller.bytes == doctest::Approx(from_controller));
}

TEST_CASE("a bare frame (framed: false) carries no framing and no acknowledgement but its TCP ACK") {
    const std::string yaml = with(with(kOneCall, "rabbitmq: {request_framing: 100B, reply_framing: 200B}",
                                       "rabbitmq: {request_framing: 100B, reply_framing: 200B, publisher_confirm: 21B, consumer_ack: 21B}"),
                                  "request: 1000B, reply: 500B, database: 4000B", "request: 8B, reply: none, framed: false, count: 3");
    const auto f = simulate_point(spec_with(yaml), 0).figures;
    // Six runs of three 8 B heartbeats: each one packet up and its ACK down.
    CHECK(f.by_direction.to_controller.bytes == doctest::Approx(6 * 3 * (8 + 93)));
    CHECK(f.by_direction.from_controller.bytes == doctest::Approx(6 * 3 * 93));
}

TEST_CASE("a lifecycle step can use its own protocol and sizes") {
    const std::string yaml = with(kOneCall, "rabbitmq: {request_framing: 100B, reply_framing: 200B}",
                                  "rabbitmq: {request_framing: 100B, reply_framing: 200B}\n"
                                  "  http: {connection_per_call: true}") +
                             R"(lifecycle:
  message_size: 1000B
  create:
    - {name: build, kind: cast_to_server}
    - {name: claim, kind: rpc_from_server, protocol: http, request: 300B, reply: 200B}
  delete:
    - {name: destroy, kind: destroy}
)";
    auto spec = spec_with(yaml);
    spec.operations = {{sim::Time::from_s(1), std::nullopt}};
    const auto f = simulate_point(spec, 0).figures;
    // The claim over HTTP, a connection of its own: up SYN, ACK, request, ACK of the reply, FIN+ACK;
    // down SYN-ACK, ACK of the request, reply, FIN, last ACK.
    CHECK(f.by_protocol.http.bytes == doctest::Approx((300 + 5 * 93) + (200 + 5 * 93)));
    // The build cast keeps the lifecycle's protocol and size: 1000 B and 100 B of request framing
    // down, its ACK up, beside the six periodic calls.
    const double periodic = 6 * ((1000 + 100 + 93) + 93 + (500 + 200 + 93) + 93);
    CHECK(f.by_protocol.rabbitmq.bytes == doctest::Approx(periodic + (1000 + 100 + 93) + 93));
}

TEST_CASE("a lifecycle step's messages can grow with the server's active VMs") {
    const std::string yaml = kOneCall + R"(lifecycle:
  message_size: 1000B
  create:
    - {name: per_instance, kind: cast_to_server, messages: {base: 1, per_vm: 1}}
  delete:
    - {name: destroy, kind: destroy}
)";
    auto spec = spec_with(yaml);
    spec.deployment.vms_per_server = 2;
    spec.operations = {{sim::Time::from_s(1), std::nullopt}};
    const auto f = simulate_point(spec, 0).figures;
    // Two VMs active when the create runs: 1 + 2 = 3 casts of 1000 + 100 B, each with its ACK.
    const double periodic = 6 * ((1000 + 100 + 93) + 93 + (500 + 200 + 93) + 93);
    CHECK(f.by_protocol.rabbitmq.bytes == doctest::Approx(periodic + 3 * ((1000 + 100 + 93) + 93)));
}

TEST_CASE("only_with_vms and only_without_vms calls follow the server's VMs") {
    const std::string yaml = with(kOneCall, "request: 1000B, reply: 500B", "request: 1000B, reply: 500B, only_without_vms: true");
    auto spec = spec_with(yaml);
    const double one_call = (1000 + 100 + 93) + 93 + (500 + 200 + 93) + 93;
    CHECK(simulate_point(spec, 0).figures.total.bytes == doctest::Approx(6 * one_call));
    spec.deployment.vms_per_server = 2;
    CHECK(simulate_point(spec, 0).figures.total.bytes == 0.0);
    auto with_vms = spec_with(with(kOneCall, "request: 1000B, reply: 500B", "request: 1000B, reply: 500B, only_with_vms: true"));
    CHECK(simulate_point(with_vms, 0).figures.total.bytes == 0.0);
    with_vms.deployment.vms_per_server = 2;
    CHECK(simulate_point(with_vms, 0).figures.total.bytes == doctest::Approx(6 * one_call));
}

TEST_CASE("independent servers run in partitions: the same bytes on any number of threads, the whole plane's to rounding") {
    // The planner's scenario (Study B's Juno profile: jittered periods, spread sizes), 61 servers in
    // partitions of at most 7 (9 partitions, uneven), against one partition of all.
    const std::vector<std::string> keys{"deployment.servers=61", "deployment.vms_per_server=5", "duration=3min"};
    auto with_partition = [&](const std::string& size) {
        auto k = keys;
        k.push_back("partition_servers=" + size);
        return load_shipped("scenarios/openstack/plan.yaml", k);
    };
    const auto parted = with_partition("7");
    const auto whole = with_partition("0").points.front().scenario->run(0, sim::RunOutputs::figures_and_tables, 1);
    const auto one = parted.points.front().scenario->run(0, sim::RunOutputs::figures_and_tables, 1);
    for (const unsigned threads : {2u, 3u}) {
        const auto many = parted.points.front().scenario->run(0, sim::RunOutputs::figures_and_tables, threads);
        CHECK(figures_json(many).dump() == figures_json(one).dump());
        REQUIRE(many.tables.size() == one.tables.size());
        CHECK(many.tables.front().text() == one.tables.front().text());
    }
    // The same events and task runs as the whole plane; bytes equal up to the order of additions.
    CHECK(one.events == whole.events);
    const auto a = figures_json(one), b = figures_json(whole);
    CHECK(a["task_runs"].get<double>() == b["task_runs"].get<double>());
    for (const char* figure : {"bytes", "mean_kbps", "p50_kbps", "p95_kbps", "p99_kbps", "max_kbps"})
        CHECK(a[figure].get<double>() == within(b[figure].get<double>(), 1e-12));
    CHECK(a["by_protocol"]["mysql"]["bytes"].get<double>() == within(b["by_protocol"]["mysql"]["bytes"].get<double>(), 1e-12));
}

TEST_CASE("servers that share a queueing uplink are never partitioned: the figures are those of one partition") {
    const std::vector<std::string> keys{"deployment.servers=30", "deployment.vms_per_server=5", "duration=2min",
                                        "deployment.uplink.bandwidth=2Mbps", "deployment.uplink.queueing=true"};
    auto run = [&](const std::string& size, unsigned threads) {
        auto k = keys;
        k.push_back("partition_servers=" + size);
        return figures_json(load_shipped("scenarios/openstack/plan.yaml", k).points.front().scenario->run(0, sim::RunOutputs::figures_only, threads));
    };
    const auto parted = run("4", 2);
    CHECK(parted.dump() == run("0", 1).dump());
    CHECK(parted["queue_delay_p99_ms"].get<double>() > 0.0);  // the uplink did queue: partitions would have been wrong
}

TEST_CASE("only servers that never interact are partitioned: a queueing or lossy shared link, VM operations or many sites keep one") {
    auto spec = spec_with(kOneCall, 61);
    spec.partition_servers = 7;
    spec.deployment.wan.queueing = false;
    spec.deployment.uplink.queueing = false;
    spec.internal_database = false;
    CHECK(partition_count(spec) == 9);  // ceil(61 / 7)
    auto changed = [&](auto change) {
        auto s = spec;
        change(s);
        return partition_count(s);
    };
    CHECK(changed([](OpenStackSpec& s) { s.deployment.uplink.queueing = true; }) == 1);
    CHECK(changed([](OpenStackSpec& s) { s.deployment.wan.queueing = true; }) == 1);
    CHECK(changed([](OpenStackSpec& s) { s.deployment.wan.loss = sim::Fraction{0.001}; }) == 1);
    CHECK(changed([](OpenStackSpec& s) { s.internal_database = true; }) == 1);  // the internal link queues by default
    CHECK(changed([](OpenStackSpec& s) { s.operations.push_back({sim::Time::from_s(1), std::nullopt}); }) == 1);
    CHECK(changed([](OpenStackSpec& s) { s.deployment.sites = 8; }) == 1);
    CHECK(changed([](OpenStackSpec& s) { s.partition_servers = 0; }) == 1);
    CHECK(changed([](OpenStackSpec& s) { s.partition_servers = 61; }) == 1);
}

TEST_CASE("a run tells its ticker how far it has got, in steps, and its figures do not change") {
    // One simulation (a queueing uplink keeps the plane whole) and one in partitions: each reports
    // its share as it goes and ends at a whole run; the figures are those of a run told nothing.
    const std::vector<std::string> keys{"deployment.servers=30", "deployment.vms_per_server=5", "duration=2min"};
    for (const char* variant : {"deployment.uplink.queueing=true", "partition_servers=4"}) {
        auto k = keys;
        k.push_back(variant);
        const auto study = load_shipped("scenarios/openstack/plan.yaml", k);
        const auto& scenario = *study.points.front().scenario;
        std::atomic<std::uint64_t> total{0};
        sim::RunTicker ticker(total);
        const auto told = scenario.run(0, sim::RunOutputs::figures_and_tables, 2, &ticker);
        INFO(variant);
        CHECK(total.load() == sim::RunTicker::kWhole);  // every step reported, nothing twice
        ticker.finish();
        CHECK(total.load() == sim::RunTicker::kWhole);  // nothing left to top up
        const auto silent = scenario.run(0, sim::RunOutputs::figures_and_tables, 2);
        CHECK(figures_json(told).dump() == figures_json(silent).dump());
        CHECK(told.tables.front().text() == silent.tables.front().text());
    }
}

TEST_CASE("a ticker never counts past a whole run, and a run that says nothing counts whole when it ends") {
    std::atomic<std::uint64_t> total{0};
    {
        sim::RunTicker quiet_run(total);
        quiet_run.finish();
    }
    CHECK(total.load() == 1000);
    sim::RunTicker chatty(total);
    chatty.add(600);
    chatty.add(600);  // past the end: only 400 count
    CHECK(total.load() == 2000);
    chatty.finish();
    CHECK(total.load() == 2000);
    sim::RunTicker nowhere;  // counts nowhere, and does not fail
    nowhere.add(5);
    nowhere.finish();
}
