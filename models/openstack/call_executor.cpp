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
    up_.assign(net_.topology().node_count(), nullptr);
    down_.assign(net_.topology().node_count(), nullptr);
    for (const auto s : nodes_.servers) {
        if (up_[s] != nullptr) continue;
        up_[s] = &net_.topology().route(s, nodes_.controller);
        down_[s] = &net_.topology().route(nodes_.controller, s);
    }
}

sim::Time CallExecutor::database_read(double bytes, sim::Time t) {
    if (bytes <= 0.0 || !model_database_) return t;
    const auto mysql = tag(Protocol::mysql);
    const sim::Time asked = net_.transfer(nodes_.controller, nodes_.database, kDatabaseQueryBytes, mysql, t);
    return net_.transfer(nodes_.database, nodes_.controller, bytes, mysql, asked);
}

sim::Time CallExecutor::call(std::size_t server, Protocol protocol, double request, std::optional<double> reply,
                             sim::Time controller_time, double database_bytes, sim::Time t) {
    const ProtocolProfile& proto = profile_.protocol(protocol);
    const auto tg = tag(protocol);
    const auto from = nodes_.servers[server];
    const auto to = nodes_.controller;
    if (proto.connection_per_call) {  // handshake: SYN, SYN-ACK, ACK (the request follows the ACK)
        t = net_.transfer_control(from, to, 1, tg, t);
        t = net_.transfer_control(to, from, 1, tg, t);
        net_.transfer_control(from, to, 1, tg, t);
    }
    const auto acks = reply && proto.reply_on_same_connection && controller_time < kDelayedAckTimeout ? sim::net::Acks::piggybacked
                                                                                                       : sim::net::Acks::separate;
    const sim::Time arrived = net_.transfer_along(up(server), request + proto.request_framing.bytes, tg, t, acks);
    if (!reply) return arrived;
    const sim::Time ready = std::max(arrived + controller_time, database_read(database_bytes, arrived));
    sim::Time back = net_.transfer_along(down(server), *reply + proto.reply_framing.bytes, tg, ready);
    if (proto.connection_per_call) {  // the server closes: FIN, ACK + FIN back, last ACK
        net_.transfer_control(to, from, 1, tg, ready);
        back = std::max(back, net_.transfer_control(from, to, 2, tg, back));
        net_.transfer_control(to, from, 1, tg, back);
    }
    return back;
}

sim::Time CallExecutor::reply_to_server(std::size_t server, Protocol protocol, double payload, sim::Time t) {
    const ProtocolProfile& proto = profile_.protocol(protocol);
    return net_.transfer_along(down(server), payload + proto.reply_framing.bytes, tag(protocol), t);
}

sim::Time CallExecutor::cast_to_server(std::size_t server, Protocol protocol, double payload, sim::Time t) {
    const ProtocolProfile& proto = profile_.protocol(protocol);
    return net_.transfer_along(down(server), payload + proto.request_framing.bytes, tag(protocol), t);
}

}  // namespace tbsim::models::openstack
