// Messages crossing the network, with per-packet byte accounting done arithmetically.
//
// A message is sent whole from node to node along its route. On each link direction it is cut into
// packets (link_params.hpp) and serialised first-in first-out: it starts when the direction is
// free, occupies it for wire_bytes * 8 / bandwidth, and arrives one latency after its last bit
// (store-and-forward per message). Queueing therefore emerges from busy directions without one
// event per packet. Lost packets are drawn per packet and sent again after the retransmission
// timeout, occupying the direction again. ACKs occupy the opposite direction from the moment the
// data is sent. Every byte is counted once per direction crossed, by protocol tag: totals always,
// and fixed-width time series for monitored links, where bytes are spread over the interval during
// which they occupy the wire, so that no bin ever exceeds the link's capacity.
//
// Events: none for a one-hop message without loss or delivery callback; otherwise one per extra
// hop, per retransmission round and per delivery.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/simulation.hpp"
#include "sim/net/topology.hpp"
#include "sim/random/random_stream.hpp"
#include "sim/stats/tally.hpp"
#include "sim/stats/time_series.hpp"

namespace tbsim::sim::net {

using TagId = std::uint16_t;

/// What one link direction carried, per protocol tag.
struct DirectionStats {
    std::vector<double> wire_bytes;     // per tag: payload + headers + tunnel overhead (+ ACKs)
    std::vector<double> payload_bytes;  // per tag: application bytes only
    std::vector<std::uint64_t> packets; // per tag, ACKs and retransmissions included
    std::uint64_t retransmitted_packets = 0;
    Time busy_time;                     // total time the direction spent transmitting
    std::vector<TimeSeries> series;     // per tag, monitored directions only
    Tally queue_delay_s;                // per message, monitored directions only
};

class Network {
public:
    /// `bin_width` is the width of the time series of monitored links.
    Network(Simulation& sim, const TopologySpec& spec, Time bin_width = Time::from_s(1));

    Topology& topology() { return topology_; }
    const Topology& topology() const { return topology_; }
    NodeId node(std::string_view name) const { return topology_.node(name); }

    /// The id of protocol tag `name` ("amqp", "mysql", ...), created on first use.
    TagId tag(std::string_view name);
    std::size_t tag_count() const { return tag_names_.size(); }
    const std::string& tag_name(TagId t) const { return tag_names_[t]; }

    /// Records per-bin time series (and queueing delays) for both directions of link `link`.
    void monitor(std::size_t link);
    bool monitored(DirectionId d) const { return monitored_[d]; }

    /// Sends `payload_bytes` from `from` to `to`; calls `on_delivered` when the last byte arrives.
    void send(NodeId from, NodeId to, double payload_bytes, TagId tag, Callback on_delivered = {});

    const DirectionStats& stats(DirectionId d) const { return stats_[d]; }
    std::uint64_t messages_sent() const { return messages_sent_; }
    std::uint64_t messages_delivered() const { return messages_delivered_; }
    /// Mean and maximum time from send to delivery over all delivered messages, in seconds.
    double mean_delivery_s() const { return messages_delivered_ ? delivery_sum_s_ / static_cast<double>(messages_delivered_) : 0.0; }
    double max_delivery_s() const { return delivery_max_s_; }
    /// Extends every monitored series to cover [0, end).
    void close_series(Time end);

private:
    struct InFlight {
        const std::vector<DirectionId>* route;
        Callback on_delivered;
        double payload_bytes;
        Time sent;
        std::uint32_t hop;
        std::uint32_t lost_packets;  // > 0 while a retransmission round is pending on this hop
        TagId tag;
        std::uint32_t next_free;
    };
    struct DirectionState {
        Time busy_until;
        std::optional<RandomStream> loss_rng;  // only for lossy directions
    };

    /// Serialises `packets` packets carrying `payload` bytes on `d` from now; returns when the last
    /// bit leaves. Accounts the data and its ACKs.
    Time transmit(DirectionId d, double payload, double packets, TagId tag);
    std::uint32_t draw_losses(DirectionId d, std::uint32_t packets);
    void advance(std::uint32_t id);
    void deliver(InFlight& m);
    void account(DirectionId d, TagId tag, Time start, Time end, double wire, double payload, double packets);
    std::uint32_t allocate(InFlight m);
    void release(std::uint32_t id);
    static double packet_count(const LinkParams& p, double payload);

    Simulation& sim_;
    Topology topology_;
    Time bin_width_;
    std::vector<DirectionState> dirs_;
    std::vector<DirectionStats> stats_;
    std::vector<bool> monitored_;
    std::vector<std::string> tag_names_;
    std::vector<InFlight> in_flight_;
    std::uint32_t free_head_ = UINT32_MAX;
    std::uint64_t messages_sent_ = 0;
    std::uint64_t messages_delivered_ = 0;
    double delivery_sum_s_ = 0.0;
    double delivery_max_s_ = 0.0;
};

}  // namespace tbsim::sim::net
