#include <doctest/doctest.h>

#include <string>

#include "sim/config/config_document.hpp"
#include "sim/config/input_path.hpp"
#include "sim/config/param_table.hpp"
#include "sim/net/topology.hpp"
#include "sim/scenario/scenario_header.hpp"

using namespace tbsim::sim;

namespace {

// Reads a header and a topology from `yaml`, then checks for unknown keys; returns the error text.
std::string error_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
    try {
        auto doc = ConfigDocument::from_text(yaml, "fig.yaml");
        for (const auto& o : overrides) doc->apply_override(o);
        auto root = doc->root();
        read_scenario_header(root);
        if (auto t = root.child("topology")) net::read_topology(*t);
        doc->check_unknown_keys();
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

const std::string kGood = R"(name: t
seed: 1
duration: 60s
topology:
  nodes: [a, b]
  links:
    - name: ab
      between: [a, b]
      latency: 10ms
      bandwidth: 10Mbps
)";

}  // namespace

TEST_CASE("a valid scenario reads without error") { CHECK(error_of(kGood) == ""); }

TEST_CASE("a misspelt key names file, line, column, key path and the likely key") {
    std::string yaml = kGood;
    yaml.replace(yaml.find("latency"), 7, "latncy");
    CHECK(error_of(yaml) ==
          "fig.yaml:9:7: topology.links[0].latncy: unknown key (did you mean 'latency'?); expected one of: ack_every bandwidth "
          "between forward header latency loss mtu name queueing retransmit_timeout reverse tunnel_overhead");
}

TEST_CASE("a value without its unit is refused with what was expected") {
    std::string yaml = kGood;
    yaml.replace(yaml.find("10Mbps"), 6, "10");
    CHECK(error_of(yaml) ==
          "fig.yaml:10:18: topology.links[0].bandwidth: expected a data rate with a unit (bps, kbps, Mbps, Gbps) such as "
          "\"10Mbps\", got \"10\"");
}

TEST_CASE("a duration beyond what the clock holds is refused, not wrapped (found by fuzz_scenario)") {
    // Nanoseconds in 64 bits: about 292 years. 4.4e97 ms used to overflow the conversion (undefined).
    std::string yaml = kGood;
    yaml.replace(yaml.find("10ms"), 4, "44444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444444ms");
    CHECK(error_of(yaml).rfind("fig.yaml:9:16: topology.links[0].latency: \"4444", 0) == 0);
    CHECK(error_of(yaml).find("is longer than tbsim's clock holds (about 292 years)") != std::string::npos);
}

TEST_CASE("a key given twice in one mapping is refused, not half-ignored (found by fuzz_run)") {
    // yaml-cpp keeps both pairs and a lookup answers with the first: the second `between` of a
    // mutated link was silently dropped and the run failed later for want of a route.
    std::string yaml = kGood;
    yaml.replace(yaml.find("      latency: 10ms"), 0, "      between: [b, a]\n");
    CHECK(error_of(yaml) == "fig.yaml:9:7: between: the key is given twice in this mapping (first at line 8)");
    CHECK(error_of(kGood, {"topology.links[0]={name: x, name: y}"}).find("the key is given twice in this mapping") != std::string::npos);
}

TEST_CASE("a negative bandwidth is refused") {
    std::string yaml = kGood;
    yaml.replace(yaml.find("10Mbps"), 6, "-5Mbps");
    CHECK(error_of(yaml) == "fig.yaml:10:18: topology.links[0].bandwidth: must be greater than zero, got \"-5Mbps\"");
}

TEST_CASE("a dangling node reference is refused") {
    std::string yaml = kGood;
    yaml.replace(yaml.find("[a, b]\n      lat"), 6, "[a, c]");
    CHECK(error_of(yaml) == "fig.yaml:8:20: topology.links[0].between[1]: no node is called 'c'");
}

TEST_CASE("missing required keys and wrong types are refused") {
    CHECK(error_of("seed: 1\nduration: 1s\n") == "fig.yaml:1:1: (top level): missing required key 'name'");
    CHECK(error_of("name: x\nseed: one\nduration: 1s\n") == "fig.yaml:2:7: seed: expected a whole number (a count), got \"one\"");
    CHECK(error_of("name: x\nseed: 1\nduration: [1s]\n").find("duration: expected a duration") != std::string::npos);
    CHECK(error_of("name: x\nseed: 1\nduration: 0s\n") == "fig.yaml:3:11: duration: must be greater than zero");
}

TEST_CASE("a key that is not a plain name (a list, a map, nothing) is refused with its position, not a crash") {
    // Found by fuzz_scenario: YAML's explicit keys ("? ...") made the key check throw yaml-cpp's
    // conversion error, which nothing caught.
    std::string yaml = kGood;
    yaml.replace(yaml.find("      latency: 10ms"), 19, "      ? [x, y]\n      : 10ms");
    CHECK(error_of(yaml) == "fig.yaml:9:9: topology.links[0]: a key must be a plain name, not a list, a map or nothing");
    CHECK(error_of(kGood + "? {a: 1}\n: 2\n") == "fig.yaml:11:3: (top level): a key must be a plain name, not a list, a map or nothing");
    CHECK(error_of(kGood + "? \n: 2\n").find(": a key must be a plain name") != std::string::npos);
}

TEST_CASE("a path the system refuses to look up does not exist for the input, rather than throwing (found by fuzz_scenario)") {
    const std::string too_long(5000, 'a');  // beyond NAME_MAX and PATH_MAX: std::filesystem::exists throws
    CHECK_FALSE(input_path_exists(too_long));
    CHECK_FALSE(input_path_is_folder(too_long));
    CHECK_FALSE(input_path_exists("/proc/self/status/below-a-file"));
    CHECK(input_path_exists("/proc/self/status"));
    CHECK(input_path_is_folder("/proc/self"));
    CHECK_FALSE(input_path_is_folder("/proc/self/status"));
}

TEST_CASE("YAML syntax errors carry a position") {
    CHECK(error_of("name: [unclosed\n").rfind("fig.yaml:", 0) == 0);
}

TEST_CASE("--set overrides a key and is validated the same way") {
    CHECK(error_of(kGood, {"topology.links.0.bandwidth=5Mbps"}) == "");
    CHECK(error_of(kGood, {"topology.links.0.bandwidth=fast"}) ==
          "--set topology.links.0.bandwidth=fast: topology.links[0].bandwidth: expected a data rate with a unit (bps, kbps, "
          "Mbps, Gbps) such as \"10Mbps\", got \"fast\"");
    CHECK(error_of(kGood, {"topology.links.0.colour=red"}).find("topology.links[0].colour: unknown key") != std::string::npos);
    CHECK(error_of(kGood, {"topology.links.5.latency=1ms"}).find("has 1 items, no index 5") != std::string::npos);
    CHECK(error_of(kGood, {"nonsense"}) == "--set nonsense: expected key.path=value");
}

TEST_CASE("an override really replaces the value read") {
    auto doc = ConfigDocument::from_text(kGood, "fig.yaml");
    doc->apply_override("topology.links.0.latency=42ms");
    auto topo = net::read_topology(doc->root().required("topology"));
    CHECK(topo.links[0].forward.latency == Time::from_ms(42));
    CHECK(topo.links[0].reverse.latency == Time::from_ms(42));
}

TEST_CASE("a parameter table documents units and defaults") {
    const std::string text = net::link_param_table().describe();
    CHECK(text.find("bandwidth") != std::string::npos);
    CHECK(text.find("data rate") != std::string::npos);
    CHECK(text.find("1Gbps") != std::string::npos);
    CHECK(text.find("200ms") != std::string::npos);
}
