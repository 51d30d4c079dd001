// `tbsim plan`: the capacity planner's one command. It is the embedded planner scenario
// (scenarios/openstack/plan.yaml) with its options as overrides of the scenario's keys: the same
// reader, the same checks and messages as any scenario. It reports the traffic at the controller's
// WAN interface, or, with --max-servers-for, searches the most servers whose p99 fits a bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/output/figure_json.hpp"

namespace tbsim::app {

/// The options as given; absent ones keep the planner scenario's value.
struct PlanRequest {
    std::optional<std::int64_t> servers;
    std::optional<std::int64_t> vms_per_server;
    std::optional<std::int64_t> sites;
    std::optional<std::string> wan_latency;
    std::optional<std::string> wan_loss;
    std::optional<std::string> wan_capacity;  // the controller uplink's bandwidth
    std::optional<std::string> packet_header;
    std::optional<std::string> tunnel_overhead;
    std::optional<std::string> wan_mtu;
    std::optional<std::int64_t> rally_times;
    std::optional<std::int64_t> rally_concurrency;
    std::optional<std::string> duration;
    std::optional<std::string> profile;       // embedded name or file
    std::optional<std::uint64_t> seed;
    std::optional<std::string> max_servers_for;  // a data rate bound on the p99 of 1 s bins
    bool progress = false;                       // a progress bar on stderr for plans that last
    unsigned jobs = 1;
};

struct PlanOutcome {
    sim::Json figures;  // the openstack model's figures, max_servers, events, wall_s (docs/outputs.md)
    std::string text;   // the readable table
};

/// Validates the request (ConfigError naming the option on bad input) and runs it.
PlanOutcome run_plan(const PlanRequest& request);

}  // namespace tbsim::app
