// `tbsim plan`: the capacity planner's one command. It builds an OpenStack scenario from a few
// figures (servers, VMs per server, sites, WAN, churn), simulates it and reports the traffic at the
// controller's WAN interface, or searches the most servers whose p99 fits a bound.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::app {

struct PlanRequest {
    std::int64_t servers = 0;
    std::int64_t vms_per_server = 0;
    std::int64_t sites = 1;
    std::string wan_latency = "2ms";
    std::string wan_loss = "0%";
    std::optional<std::string> wan_capacity;     // the controller uplink's bandwidth
    // What every packet on the WAN and the controller's interface carries (defaults: Study B's
    // VPN): IP and TCP headers, outer tunnel headers, and the largest packet.
    std::string packet_header = "52B";
    std::string tunnel_overhead = "41B";
    std::string wan_mtu = "1500B";
    std::int64_t rally_times = 0;
    std::int64_t rally_concurrency = 1;
    std::string duration = "10min";
    std::string profile = "juno";                // embedded name or file
    std::uint64_t seed = 1;
    std::optional<std::string> max_servers_for;  // a data rate bound on the p99 of 1 s bins
};

struct PlanOutcome {
    sim::Json figures;  // the stable keys listed in docs/outputs.md
    std::string text;   // the readable table
};

/// Validates the request (ConfigError naming the option on bad input) and runs it.
PlanOutcome run_plan(const PlanRequest& request);

}  // namespace tbsim::app
