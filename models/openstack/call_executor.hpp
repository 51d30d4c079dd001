// How one call between a compute server and the controller crosses the network: the protocol's
// framing around the payload, a TCP handshake and close when the protocol opens a connection per
// call, the controller's processing and its own database reads, and the reply. A call is worked
// out arithmetically when it starts (Network::transfer), so a whole sequence of calls costs no event.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "models/openstack/release_profile.hpp"
#include "sim/net/network.hpp"

namespace tbsim::models::openstack {

struct CloudNodes {
    sim::net::NodeId controller = 0;
    sim::net::NodeId database = 0;
    std::vector<sim::net::NodeId> sites;  // each site's router; server i sends from site i mod sites (deployment.hpp)
};

class CallExecutor {
public:
    /// `model_database`: whether the controller's own database reads are simulated (they never
    /// cross the WAN; the planner, which reports the WAN only, leaves them out).
    CallExecutor(sim::net::Network& net, const ReleaseProfile& profile, CloudNodes nodes, bool model_database = true);

    /// A call from server `server` leaving at `t`: request, processing, optional reply. Returns when
    /// the server has the reply (or, for a cast, when the request reached the controller).
    /// `framed` false: bare payloads on an already open connection (no framing, no set-up).
    sim::Time call(std::size_t server, Protocol protocol, double request, std::optional<double> reply,
                   sim::Time controller_time, double database_bytes, sim::Time t, bool framed = true);
    /// The controller's reply to a call of server `server` made without one, leaving at `t`; returns
    /// its arrival (with a connection per call, once the connection is closed).
    sim::Time reply_to_server(std::size_t server, Protocol protocol, double payload, sim::Time t);
    /// A one-way message from the controller to a server; returns its arrival.
    sim::Time cast_to_server(std::size_t server, Protocol protocol, double payload, sim::Time t);
    /// The controller reads `bytes` from its database (internal traffic); returns when it has them.
    sim::Time database_read(double bytes, sim::Time t);

    const CloudNodes& nodes() const { return nodes_; }
    sim::net::TagId tag(Protocol p) const { return tags_[static_cast<std::size_t>(p)]; }

private:
    /// A message from the controller to the server, with the server's consumer acknowledgement if the
    /// protocol has one; returns its arrival.
    sim::Time deliver(std::size_t server, double bytes, const ProtocolProfile& proto, sim::net::TagId tg, sim::Time t);
    /// The close of a connection-per-call connection after the reply left at `replied` and arrived
    /// at `reply_arrived`; returns when the server has closed.
    sim::Time close_connection(std::size_t server, sim::net::TagId tg, sim::Time replied, sim::Time reply_arrived);

    sim::net::Network& net_;
    const ReleaseProfile& profile_;
    CloudNodes nodes_;
    sim::net::TagId tags_[3];
    bool model_database_;
    // Routes looked up once per site (few, so they stay in cache): site -> controller and back. A
    // server's site is computed, not looked up: a table of a hundred thousand servers would miss
    // the cache on every call.
    std::vector<const std::vector<sim::net::DirectionId>*> up_;
    std::vector<const std::vector<sim::net::DirectionId>*> down_;
    std::size_t site(std::size_t server) const { return nodes_.sites.size() == 1 ? 0 : server % nodes_.sites.size(); }
    sim::net::NodeId site_node(std::size_t server) const { return nodes_.sites[site(server)]; }
    const std::vector<sim::net::DirectionId>& up(std::size_t server) const { return *up_[site(server)]; }
    const std::vector<sim::net::DirectionId>& down(std::size_t server) const { return *down_[site(server)]; }
};

}  // namespace tbsim::models::openstack
