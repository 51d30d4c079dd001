// The testbed's network: a Linux bridge (the switch), and per instance a network namespace joined to
// the bridge by a veth pair, with a private address inside the namespace only. The host itself has no
// address on the bridge, so no traffic of the run can leave it. Optional limits: a token-bucket
// bandwidth (tc tbf) on both ends of each veth.
#pragma once

#include "validation/testbed/launcher/teardown_ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace tbsim::testbed {

struct LinkCounters {
    std::uint64_t rx_bytes = 0, tx_bytes = 0, rx_packets = 0, tx_packets = 0;
};

struct NodeLink {
    std::string namespace_name;  // ip netns name
    std::string host_side;       // the veth end on the bridge
    std::string address;         // IPv4 inside the namespace, without the prefix length
};

/// Creates the bridge `name`, up, with no address.
void create_bridge(const std::string& name, TeardownLedger& ledger);

/// Creates the namespace and its veth into the bridge; the inside end is `eth0` with `address`/24.
NodeLink create_node_link(const std::string& namespace_name, const std::string& host_side,
                          const std::string& bridge, const std::string& address, TeardownLedger& ledger);

/// Limits both directions of a node's link to `bits_per_second` with tc's token bucket filter.
void limit_bandwidth(const NodeLink& link, double bits_per_second);

/// The host-side counters of a link (rx: what the node sent, tx: what it received).
LinkCounters read_counters(const std::string& host_side);

}  // namespace tbsim::testbed
