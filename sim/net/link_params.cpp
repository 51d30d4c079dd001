#include "sim/net/link_params.hpp"

#include <fmt/format.h>

namespace tbsim::sim::net {

const ParamTable<LinkParams>& link_param_table() {
    static const ParamTable<LinkParams> table{
        "link (both directions; a topology link's `forward:` and `reverse:` override one)",
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
        },
        check_link_params};
    return table;
}

void check_link_params(const ConfigNode& map, const LinkParams& p) {
    if (p.loss.value >= 1.0) map.required("loss").fail("must be below 100% (every packet would be lost, forever)");
    if (p.segment_bytes() <= 0) {
        if (map.has("mtu")) map.required("mtu").fail(fmt::format("must be larger than the packet header ({} B)", p.header.bytes));
        if (map.has("header")) map.required("header").fail(fmt::format("must be smaller than the mtu ({} B)", p.mtu.bytes));
        map.fail(fmt::format("the mtu ({} B) must be larger than the packet header ({} B)", p.mtu.bytes, p.header.bytes));
    }
}

}  // namespace tbsim::sim::net
