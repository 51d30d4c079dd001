// The figures of a `traffic` scenario: application messages, and per monitored link and direction
// the traffic it carried (sim/net/link_report.hpp).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/net/link_report.hpp"

namespace tbsim::models::traffic {

struct LinkFigures {
    sim::net::DirectionFigures forward;  // from the first node of `between` to the second
    sim::net::DirectionFigures reverse;
};

template <sim::FiguresOf<LinkFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.group("forward", f.forward, "from the first node of `between` to the second");
    v.group("reverse", f.reverse, "the other way");
}

struct TrafficFigures {
    double messages_sent = 0.0;
    double messages_delivered = 0.0;
    double mean_delivery_ms = 0.0;
    double max_delivery_ms = 0.0;
    std::vector<std::pair<std::string, LinkFigures>> links;  // monitored links, by name
};

template <sim::FiguresOf<TrafficFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.number("messages_sent", f.messages_sent, "count", "application messages sent (requests and replies)");
    v.number("messages_delivered", f.messages_delivered, "count", "application messages delivered within the duration");
    v.number("mean_delivery_ms", f.mean_delivery_ms, "ms", "send to delivery of the last byte, queueing and retransmissions included");
    v.number("max_delivery_ms", f.max_delivery_ms, "ms", "the longest delivery");
    v.each("links", f.links, "link", "each monitored link (outputs.monitor)");
}

}  // namespace tbsim::models::traffic
