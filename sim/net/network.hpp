// Messages crossing the network, with per-packet byte accounting done arithmetically.
//
// A message is moved whole from node to node along its route. On each link direction it is cut
// into packets (link_params.hpp) and takes the first idle gap of the direction's reservation
// calendar at or after it is ready there: it occupies the wire for wire_bytes * 8 / bandwidth and
// reaches the next node one latency after its last bit (store-and-forward per message). A busy
// direction therefore delays what follows, with no event per packet. Lost packets are drawn per
// packet and sent again after the retransmission timeout, occupying the wire again. Delayed ACKs
// occupy the opposite direction when the data arrives. Every byte is counted per direction and
// protocol tag: totals always, and fixed-width time series for monitored links, spread over the
// interval the bytes occupy the wire, so no bin exceeds the link's capacity.
//
// transfer() computes a whole path at once and schedules nothing: a model that knows when a
// message leaves (an RPC exchange worked out when it starts) pays no event for it. send() is
// transfer() now plus one event at delivery.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/callback.hpp"
#include "sim/core/simulation.hpp"
#include "sim/net/reservation_calendar.hpp"
#include "sim/net/topology.hpp"
#include "sim/core/random_stream.hpp"
#include "sim/stats/log_histogram.hpp"
#include "sim/stats/tally.hpp"
#include "sim/stats/time_series.hpp"

namespace tbsim::sim::net {

using TagId = std::uint16_t;

/// How the receiver acknowledges a message: with its own delayed ACKs, or inside data it sends
/// back on the same connection within the delayed-ACK timeout (a reply: the ACK rides on it).
enum class Acks { separate, piggybacked };

/// What one link direction carried for one protocol tag.
struct TagTotals {
    double wire_bytes = 0.0;     // payload + headers + tunnel overhead (+ ACKs)
    double payload_bytes = 0.0;  // application bytes only
    std::uint64_t packets = 0;   // ACKs and retransmissions included
};

/// What one link direction carried.
struct DirectionStats {
    std::vector<TagTotals> by_tag;      // indexed by TagId
    std::uint64_t retransmitted_packets = 0;
    Time busy_time;                     // time the direction spent transmitting before the horizon
    std::vector<TimeSeries> series;     // per tag, monitored directions only
    LogHistogram queue_delay_s;         // per message, monitored directions only
};

class Network {
public:
    /// `bin_width` is the width of the time series of monitored links. `horizon`: the end of the
    /// run; transmissions booked past it count in byte totals but not in busy time or series.
    Network(Simulation& sim, const TopologySpec& spec, Time bin_width = Time::from_s(1), Time horizon = Time::max());

    Topology& topology() { return topology_; }
    const Topology& topology() const { return topology_; }
    NodeId node(std::string_view name) const { return topology_.node(name); }

    /// The id of protocol tag `name` ("amqp", "mysql", ...), created on first use.
    TagId tag(std::string_view name);
    std::size_t tag_count() const { return tag_names_.size(); }
    const std::string& tag_name(TagId t) const { return tag_names_[t]; }

    /// Records per-bin time series (and queueing delays) for both directions of link `link`.
    void monitor(std::size_t link);
    bool monitored(DirectionId d) const { return dirs_[d].monitored; }

    /// Moves `payload_bytes` leaving `from` at `depart` (not before now) to `to`; returns when the
    /// last byte arrives. Accounts every byte; schedules nothing.
    Time transfer(NodeId from, NodeId to, double payload_bytes, TagId tag, Time depart, Acks acks = Acks::separate) {
        return transfer_along(topology_.route(from, to), payload_bytes, tag, depart, acks);
    }
    /// transfer() along a route from topology().route(), which a caller sending often may keep.
    Time transfer_along(const std::vector<DirectionId>& route, double payload_bytes, TagId tag, Time depart,
                        Acks acks = Acks::separate);
    /// Moves `packets` header-only TCP control segments (handshake, FIN) leaving at `depart`; they
    /// carry no payload and are not ACKed. Returns when the last one arrives.
    Time transfer_control(NodeId from, NodeId to, double packets, TagId tag, Time depart);
    /// transfer() leaving now; calls `on_delivered` when the last byte arrives.
    void send(NodeId from, NodeId to, double payload_bytes, TagId tag, Callback on_delivered = {});

    /// Adds what `other` carried (a network of the same topology and tags, run as another part of
    /// the same simulation: a partition of independent senders) to this network's accounts.
    void absorb(const Network& other);

    const DirectionStats& stats(DirectionId d) const { return stats_[d]; }
    std::uint64_t messages_sent() const { return messages_sent_; }
    /// Messages whose last byte arrives before the horizon (the run's end).
    std::uint64_t messages_delivered() const { return messages_delivered_; }
    /// Mean and maximum time from send to delivery over the messages delivered before the horizon, in seconds.
    double mean_delivery_s() const { return messages_delivered_ ? delivery_sum_s_ / static_cast<double>(messages_delivered_) : 0.0; }
    double max_delivery_s() const { return delivery_max_s_; }

private:
    // What crossing a direction needs, precomputed and kept together (one cache line or two).
    struct DirectionState {
        double ns_per_byte;       // 8e9 / bandwidth
        double overhead;          // header + tunnel bytes per packet
        double segment;           // payload bytes per packet
        double ack_every;         // data packets per ACK, or 0
        double ack_overhead;      // bytes of one ACK on the opposite direction
        Time latency;
        Time retransmit_timeout;
        bool monitored = false;
        bool queueing = true;
        ReservationCalendar calendar;
        std::optional<RandomStream> loss_rng;  // only for lossy directions
    };

    /// One direction: returns when the message's last byte reaches the far end.
    Time cross(DirectionId d, Time ready, double payload, double packets, TagId tag, bool acked);
    /// Reserves the wire for `wire` bytes from `ready`; accounts them; returns the end of transmission.
    [[gnu::always_inline]] Time occupy(DirectionId d, Time ready, double wire, double payload, double packets, TagId tag);
    /// How many of `packets` (a whole number) the direction loses.
    double draw_losses(DirectionId d, double packets);
    static constexpr double kPacketsDrawnOneByOne = 1e6;
    void record_delivery(Time sent, Time arrived);
    static double packet_count(const DirectionState& d, double payload);

    Simulation& sim_;
    Topology topology_;
    Time bin_width_;
    Time horizon_;
    std::vector<DirectionState> dirs_;
    std::vector<DirectionStats> stats_;
    std::vector<std::string> tag_names_;
    std::uint64_t messages_sent_ = 0;
    std::uint64_t messages_delivered_ = 0;
    double delivery_sum_s_ = 0.0;
    double delivery_max_s_ = 0.0;
    // The largest message (payload bytes, or packets of a control exchange) whose transmission on
    // the slowest direction, headers and ACKs included, stays well inside the clock: checked once
    // per message so that the per-crossing arithmetic needs no check of its own.
    double largest_payload_ = 0.0;
    double largest_packets_ = 0.0;
    [[noreturn]] void refuse_message(double payload_bytes, double packets) const;
};

}  // namespace tbsim::sim::net
