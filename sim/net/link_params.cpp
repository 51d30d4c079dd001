#include "sim/net/link_params.hpp"

namespace tbsim::sim::net {

const ParamTable<LinkParams>& link_param_table() {
    static const ParamTable<LinkParams> table{
        "link (each direction; `forward:`/`reverse:` override one direction)",
        {
            param("latency", &LinkParams::latency, "one-way propagation delay", Check::non_negative),
            param("bandwidth", &LinkParams::bandwidth, "serialisation rate of the direction", Check::positive),
            param("loss", &LinkParams::loss, "probability that a data packet is lost and sent again"),
            param("mtu", &LinkParams::mtu, "largest IP packet, headers included", Check::positive),
            param("header", &LinkParams::header, "IP + TCP header bytes per packet", Check::non_negative),
            param("tunnel_overhead", &LinkParams::tunnel_overhead, "per-packet bytes of tunnel encapsulation (VPN)",
                  Check::non_negative),
            param("retransmit_timeout", &LinkParams::retransmit_timeout, "wait before a lost packet is sent again",
                  Check::positive),
            param("ack_every", &LinkParams::ack_every, "data packets per ACK in the other direction (0: none)",
                  Check::non_negative),
            param("queueing", &LinkParams::queueing,
                  "false for a link far above its load: no waiting between transmissions (bytes still counted)"),
        }};
    return table;
}

}  // namespace tbsim::sim::net
