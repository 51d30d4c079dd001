#include "models/openstack/call_executor.hpp"

#include <algorithm>

namespace tbsim::models::openstack {
namespace {
// A database query as the controller's services send it: statement text and protocol header.
constexpr double kDatabaseQueryBytes = 200.0;
}  // namespace

CallExecutor::CallExecutor(sim::net::Network& net, const ReleaseProfile& profile, CloudNodes nodes, bool model_database)
    : net_(net), profile_(profile), nodes_(std::move(nodes)), model_database_(model_database) {
    for (const Protocol p : kProtocols) tags_[static_cast<std::size_t>(p)] = net_.tag(protocol_name(p));
    for (const auto site : nodes_.sites) {
        up_.push_back(&net_.topology().route(site, nodes_.controller));
        down_.push_back(&net_.topology().route(nodes_.controller, site));
    }
}

sim::Time CallExecutor::database_read(double bytes, sim::Time t) {
    if (bytes <= 0.0 || !model_database_) return t;
    const auto mysql = tag(Protocol::mysql);
    const sim::Time asked = net_.transfer(nodes_.controller, nodes_.database, kDatabaseQueryBytes, mysql, t);
    return net_.transfer(nodes_.database, nodes_.controller, bytes, mysql, asked);
}

sim::Time CallExecutor::call(std::size_t server, Protocol protocol, double request, std::optional<double> reply,
                             sim::Time controller_time, double database_bytes, sim::Time t, bool framed) {
    static const ProtocolProfile bare{};
    const ProtocolProfile& proto = framed ? profile_.protocol(protocol) : bare;
    const auto tg = tag(protocol);
    const auto from = site_node(server);
    const auto to = nodes_.controller;
    if (proto.connection_per_call) {  // handshake: SYN, SYN-ACK, ACK (the request follows the ACK)
        t = net_.transfer_control(from, to, 1, tg, t);
        t = net_.transfer_control(to, from, 1, tg, t);
        net_.transfer_control(from, to, 1, tg, t);
    }
    // A new connection starts in TCP quick-ACK mode: its request is acknowledged at once, never on the reply.
    const bool ack_rides_on_reply = reply && proto.reply_on_same_connection && !proto.connection_per_call && controller_time < kDelayedAckTimeout;
    const auto acks = ack_rides_on_reply ? sim::net::Acks::piggybacked : sim::net::Acks::separate;
    const sim::Time arrived = net_.transfer_along(up(server), request + proto.request_framing.bytes, tg, t, acks);
    if (proto.publisher_confirm.bytes > 0) net_.transfer_along(down(server), proto.publisher_confirm.bytes, tg, arrived);
    if (!reply) return arrived;
    const sim::Time ready = std::max(arrived + controller_time, database_read(database_bytes, arrived));
    const sim::Time back = deliver(server, *reply + proto.reply_framing.bytes, proto, tg, ready);
    return proto.connection_per_call ? close_connection(server, tg, ready, back) : back;
}

sim::Time CallExecutor::close_connection(std::size_t server, sim::net::TagId tg, sim::Time replied, sim::Time reply_arrived) {
    // The controller closes after its reply (Connection: close): FIN, FIN+ACK back in one segment, last ACK.
    const auto from = site_node(server);
    const auto to = nodes_.controller;
    net_.transfer_control(to, from, 1, tg, replied);
    const sim::Time back = std::max(reply_arrived, net_.transfer_control(from, to, 1, tg, reply_arrived));
    net_.transfer_control(to, from, 1, tg, back);
    return back;
}

sim::Time CallExecutor::deliver(std::size_t server, double bytes, const ProtocolProfile& proto, sim::net::TagId tg, sim::Time t) {
    if (proto.consumer_ack.bytes <= 0) return net_.transfer_along(down(server), bytes, tg, t);
    const sim::Time arrived = net_.transfer_along(down(server), bytes, tg, t, sim::net::Acks::piggybacked);
    net_.transfer_along(up(server), proto.consumer_ack.bytes, tg, arrived);
    return arrived;
}

sim::Time CallExecutor::reply_to_server(std::size_t server, Protocol protocol, double payload, sim::Time t) {
    const ProtocolProfile& proto = profile_.protocol(protocol);
    const sim::Time back = deliver(server, payload + proto.reply_framing.bytes, proto, tag(protocol), t);
    return proto.connection_per_call ? close_connection(server, tag(protocol), t, back) : back;
}

sim::Time CallExecutor::cast_to_server(std::size_t server, Protocol protocol, double payload, sim::Time t) {
    const ProtocolProfile& proto = profile_.protocol(protocol);
    return deliver(server, payload + proto.request_framing.bytes, proto, tag(protocol), t);
}

}  // namespace tbsim::models::openstack
