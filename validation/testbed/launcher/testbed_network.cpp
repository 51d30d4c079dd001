#include "validation/testbed/launcher/testbed_network.hpp"

#include "validation/testbed/launcher/child_process.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

namespace tbsim::testbed {
namespace {

std::uint64_t read_statistic(const std::string& link, const char* name) {
    std::ifstream in(fmt::format("/sys/class/net/{}/statistics/{}", link, name));
    std::uint64_t value = 0;
    if (!(in >> value)) throw RunError(fmt::format("cannot read the {} counter of {}", name, link));
    return value;
}

// tc's token bucket: the bucket holds at least one full-size frame and 10 ms at the rate; packets
// wait at most 100 ms in the queue before being dropped (as TCP would see on a slow link).
std::vector<std::string> tbf_arguments(double bits_per_second) {
    const auto rate_bit = static_cast<long long>(std::llround(bits_per_second));
    const auto burst_bytes = std::max<long long>(16 * 1024, static_cast<long long>(bits_per_second / 8 * 0.01));
    return {"tbf", "rate", fmt::format("{}bit", rate_bit), "burst", fmt::format("{}", burst_bytes), "latency",
            "100ms"};
}

}  // namespace

void create_bridge(const std::string& name, TeardownLedger& ledger) {
    run_checked({"ip", "link", "add", name, "type", "bridge"});
    ledger.made_link(name);
    run_checked({"ip", "link", "set", name, "up"});
}

NodeLink create_node_link(const std::string& namespace_name, const std::string& host_side,
                          const std::string& bridge, const std::string& address, TeardownLedger& ledger) {
    run_checked({"ip", "netns", "add", namespace_name});
    ledger.made_namespace(namespace_name);
    const std::string inside = host_side + "c";
    run_checked({"ip", "link", "add", host_side, "type", "veth", "peer", "name", inside});
    ledger.made_link(host_side);
    run_checked({"ip", "link", "set", inside, "netns", namespace_name});
    run_checked({"ip", "-n", namespace_name, "link", "set", inside, "name", "eth0"});
    run_checked({"ip", "-n", namespace_name, "addr", "add", address + "/24", "dev", "eth0"});
    run_checked({"ip", "-n", namespace_name, "link", "set", "eth0", "up"});
    run_checked({"ip", "-n", namespace_name, "link", "set", "lo", "up"});
    run_checked({"ip", "link", "set", host_side, "master", bridge});
    run_checked({"ip", "link", "set", host_side, "up"});
    return {namespace_name, host_side, address};
}

void limit_bandwidth(const NodeLink& link, double bits_per_second) {
    auto args = tbf_arguments(bits_per_second);
    std::vector<std::string> toward{"tc", "qdisc", "replace", "dev", link.host_side, "root"};
    toward.insert(toward.end(), args.begin(), args.end());
    run_checked(toward);
    std::vector<std::string> from{"tc", "-n", link.namespace_name, "qdisc", "replace", "dev", "eth0", "root"};
    from.insert(from.end(), args.begin(), args.end());
    run_checked(from);
}

LinkCounters read_counters(const std::string& host_side) {
    return {read_statistic(host_side, "rx_bytes"), read_statistic(host_side, "tx_bytes"),
            read_statistic(host_side, "rx_packets"), read_statistic(host_side, "tx_packets")};
}

}  // namespace tbsim::testbed
