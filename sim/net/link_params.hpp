// One direction of a network link: what a message crossing it pays in time and in bytes.
//
// Units: latency and timeouts in simulated time, bandwidth in bits per second, sizes in bytes.
// A message of B payload bytes is cut into n = ceil(B / (mtu - header)) packets; each carries
// `header` bytes of IP and TCP headers and, inside a tunnel (a VPN), `tunnel_overhead` bytes of
// outer encapsulation. Every `ack_every` data packets cause one header-only ACK in the other
// direction. A lost packet is sent again after `retransmit_timeout`, and its bytes count again.
#pragma once

#include <cstdint>

#include "sim/config/param_table.hpp"
#include "sim/core/time.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim::net {

struct LinkParams {
    Time latency = Time::from_us(100);           // one-way propagation delay
    DataRate bandwidth{1e9};                     // serialisation rate
    Fraction loss{0.0};                          // probability that a data packet is lost
    DataSize mtu{1500};                          // largest IP packet
    DataSize header{52};                         // IPv4 20 B + TCP 20 B + timestamps option 12 B
    DataSize tunnel_overhead{0};                 // per-packet outer headers of a tunnel
    Time retransmit_timeout = Time::from_ms(200);  // Linux's minimum TCP RTO
    std::int64_t ack_every = 2;                  // delayed ACK: one per two segments (0: no ACKs)
    bool queueing = true;                        // false: an over-provisioned link whose transmissions never
                                                 // wait for each other (latency and bytes only, faster)

    /// Payload bytes per packet (the TCP maximum segment size).
    double segment_bytes() const { return mtu.bytes - header.bytes; }
    /// Bytes a packet adds on the wire beyond its payload.
    double per_packet_overhead() const { return header.bytes + tunnel_overhead.bytes; }
};

/// The table that reads and documents link parameters.
const ParamTable<LinkParams>& link_param_table();

/// The checks across keys (loss below 100%, mtu above the header), naming the key at fault in `map`.
void check_link_params(const ConfigNode& map, const LinkParams& p);

}  // namespace tbsim::sim::net
