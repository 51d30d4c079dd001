#include <doctest/doctest.h>

#include "models/traffic/traffic_scenario.hpp"
#include "sim/config/config_document.hpp"
#include "sim/output/figure_json.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim;

namespace {

std::unique_ptr<sim::PreparedScenario> load(const std::string& yaml) {
    auto doc = sim::ConfigDocument::from_text(yaml, "t.yaml");
    auto root = doc->root();
    auto header = sim::read_scenario_header(root);
    auto s = models::traffic::read_traffic_scenario(root, header);
    doc->check_unknown_keys();
    return s;
}

const std::string kReports = R"(name: reports
seed: 5
duration: 100s
topology:
  nodes: [server, controller]
  links:
    - {name: wan, between: [server, controller], latency: 20ms, bandwidth: 10Mbps, ack_every: 0}
workloads:
  - {name: report, from: server, to: controller, period: 10s, phase: 0s, size: 948B, reply_size: 448B, tag: amqp}
)";

}  // namespace

TEST_CASE("a periodic stream sends one message per period, and its replies come back") {
    const auto s = load(kReports);
    const auto r = s->run(0);
    const auto summary = sim::figures_to_json(r.figures);
    // Messages at 0, 10, ..., 90 s: 10 requests and 10 replies.
    CHECK(summary["messages_sent"].get<int>() == 20);
    const auto& fwd = summary["links"]["wan"]["forward"];
    const auto& rev = summary["links"]["wan"]["reverse"];
    // 10 x (948 + 52) B server -> controller; 10 x (448 + 52) B back.
    CHECK(fwd["total"]["bytes"].get<double>() == doctest::Approx(10000.0));
    CHECK(rev["total"]["bytes"].get<double>() == doctest::Approx(5000.0));
    // Mean over 100 s: 10000 B * 8 / 100 s = 0.8 kb/s.
    CHECK(fwd["total"]["mean_kbps"].get<double>() == doctest::Approx(0.8));
    // One busy bin in ten: p50 is 0, max is 8 kb/s.
    CHECK(fwd["total"]["p50_kbps"].get<double>() == doctest::Approx(0.0));
    CHECK(fwd["total"]["max_kbps"].get<double>() == doctest::Approx(8.0));
    // Each round trip: 0.8 ms + 20 ms there, 0.4 ms + 20 ms back; the mean over all messages is 20.6 ms.
    CHECK(summary["mean_delivery_ms"].get<double>() == doctest::Approx(20.6));
    REQUIRE(r.tables.size() == 1);
    CHECK(r.tables[0].rows() == 2 * 100);  // two directions x one tag x 100 bins
}

TEST_CASE("a poisson stream's message count follows its rate") {
    std::string yaml = kReports;
    yaml.replace(yaml.find("period: 10s, phase: 0s"), 22, "pattern: poisson, rate: 60/min");
    yaml.replace(yaml.find("duration: 100s"), 14, "duration: 1000s");
    const auto r = load(yaml)->run(0);
    const double requests = *r.figures.number("messages_sent") / 2;
    CHECK(requests == within(1000, 0.1));  // Poisson(1000): sd 32, 3 sd = 10%
}

TEST_CASE("a random phase differs between replications but not between runs") {
    std::string yaml = kReports;
    yaml.replace(yaml.find("phase: 0s"), 9, "phase: random");
    const auto s = load(yaml);
    const auto a = s->run(0), b = s->run(0), c = s->run(1);
    CHECK(a.tables[0].text() == b.tables[0].text());
    CHECK(a.tables[0].text() != c.tables[0].text());
}

TEST_CASE("bad workload references are refused before the run") {
    std::string yaml = kReports;
    yaml.replace(yaml.find("to: controller"), 14, "to: controler");
    CHECK_THROWS_WITH_AS(load(yaml), "t.yaml:9:38: workloads[0].to: no node is called 'controler'", sim::ConfigError);
    std::string bad = kReports;
    bad.replace(bad.find("period: 10s"), 11, "period: -10s");
    CHECK_THROWS_AS(load(bad), sim::ConfigError);
}

TEST_CASE("series bins too narrow for the duration are refused before the run, not left to run out of memory") {
    // 1 ns bins over 100 s would be 1e11 bins per series (std::bad_alloc, exit 1, before).
    std::string yaml = kReports + "outputs: {bin: 1ns}\n";
    CHECK_THROWS_WITH_AS(load(yaml),
                         "t.yaml:10:16: outputs.bin: bins of 1ns over 100s of simulated time make 1e+11 bins per series, more than "
                         "the 1e+08 a series holds: choose a wider bin or a shorter duration",
                         sim::ConfigError);
    CHECK_NOTHROW(load(kReports + "outputs: {bin: 1ms}\n"));  // 1e5 bins
}

TEST_CASE("a workload between nodes that no links join is refused before the run (found by fuzz_run)") {
    // It used to load and then stop the run with "no route from 'controller' to 'server'".
    std::string yaml = kReports;
    yaml.replace(yaml.find("between: [server, controller]"), 29, "between: [server, server2]");
    yaml.replace(yaml.find("nodes: [server, controller]"), 27, "nodes: [server, controller, server2]");
    CHECK_THROWS_WITH_AS(load(yaml), "t.yaml:9:38: workloads[0].to: no route between 'server' and 'controller': no chain of links joins them",
                         sim::ConfigError);
}
