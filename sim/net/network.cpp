#include "sim/net/network.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/random/distributions.hpp"

namespace tbsim::sim::net {
namespace {

// ceil(x) for 0 <= x < 2^53, exactly as std::ceil, without its library call (the x86-64 baseline
// has no rounding instruction): the hot path counts packets and ACKs with it. Messages are
// bounded (largest_payload_) so that x stays in that range.
inline double ceil_non_negative(double x) {
    const auto whole = static_cast<double>(static_cast<std::int64_t>(x));
    return whole < x ? whole + 1.0 : whole;
}

}  // namespace

Network::Network(Simulation& sim, const TopologySpec& spec, Time bin_width, Time horizon)
    : sim_(sim), topology_(spec), bin_width_(bin_width), horizon_(horizon) {
    const std::size_t n = topology_.direction_count();
    dirs_.resize(n);
    stats_.resize(n);
    for (DirectionId d = 0; d < n; ++d) {
        const LinkParams& p = topology_.params(d);
        DirectionState& s = dirs_[d];
        s.ns_per_byte = 8e9 / p.bandwidth.bits_per_second;
        s.overhead = p.per_packet_overhead();
        s.segment = p.segment_bytes();
        s.ack_every = static_cast<double>(p.ack_every);
        s.ack_overhead = topology_.params(Topology::opposite(d)).per_packet_overhead();
        s.latency = p.latency;
        s.retransmit_timeout = p.retransmit_timeout;
        s.queueing = p.queueing;
        if (p.loss.value > 0.0) {
            const auto& link = topology_.link(d / 2);
            dirs_[d].loss_rng.emplace(sim.rng(fmt::format("net.loss/{}/{}", link.name, d % 2 == 0 ? "forward" : "reverse")));
        }
    }
    // A message of P bytes takes at most P + (P / segment + 1) * per-packet bytes on a direction
    // (data headers, or the ACKs coming back): bounded so that its time stays below 2^62 ns, and its
    // packet count below 2^52 (exact in a double, and in the integers ceil goes through).
    constexpr double kLongestNs = 0x1p62, kMostPackets = 0x1p52;
    largest_payload_ = kMostPackets;
    largest_packets_ = kMostPackets;
    for (const DirectionState& s : dirs_) {
        const double per_packet = std::max({s.overhead, s.ack_overhead, 1.0});
        const double wire_bytes = kLongestNs / s.ns_per_byte;
        largest_payload_ = std::min(largest_payload_, (wire_bytes - per_packet) / (1.0 + per_packet / s.segment));
        largest_packets_ = std::min(largest_packets_, wire_bytes / per_packet);
        largest_payload_ = std::min(largest_payload_, kMostPackets * s.segment);
    }
}

void Network::refuse_message(double payload_bytes, double packets) const {
    const std::string what = packets > 0.0 ? fmt::format("{:g} packets", packets) : fmt::format("a message of {:g} B", payload_bytes);
    throw TimeOverflow(fmt::format("{} would take longer than tbsim's clock holds (about 292 years) on the slowest link: "
                                   "a size or bandwidth of the scenario is out of proportion",
                                   what));
}

TagId Network::tag(std::string_view name) {
    for (TagId t = 0; t < tag_names_.size(); ++t)
        if (tag_names_[t] == name) return t;
    TBSIM_CHECK(tag_names_.size() < UINT16_MAX, "too many protocol tags");
    tag_names_.emplace_back(name);
    const std::size_t count = tag_names_.size();
    for (DirectionId d = 0; d < stats_.size(); ++d) {
        auto& s = stats_[d];
        s.by_tag.resize(count);
        if (dirs_[d].monitored) s.series.resize(count, TimeSeries(bin_width_, horizon_));
    }
    return static_cast<TagId>(count - 1);
}

void Network::monitor(std::size_t link) {
    for (const DirectionId d : {static_cast<DirectionId>(2 * link), static_cast<DirectionId>(2 * link + 1)}) {
        dirs_[d].monitored = true;
        stats_[d].series.resize(tag_names_.size(), TimeSeries(bin_width_, horizon_));
    }
}

double Network::packet_count(const DirectionState& d, double payload) {
    return std::max(1.0, ceil_non_negative(payload / d.segment));
}

inline Time Network::occupy(DirectionId d, Time ready, double wire, double payload, double packets, TagId tag) {
    DirectionState& state = dirs_[d];
    // Within the clock by the bound on each message (largest_payload_): no check here.
    const Time length = Time::from_ns(static_cast<std::int64_t>(wire * state.ns_per_byte + 0.5));
    const Time start = state.queueing ? state.calendar.reserve(ready, length, sim_.now()) : ready;
    const Time end = start + length;
    DirectionStats& s = stats_[d];
    TagTotals& totals = s.by_tag[tag];
    totals.wire_bytes += wire;
    totals.payload_bytes += payload;
    totals.packets += static_cast<std::uint64_t>(packets);
    // What lies past the run's end is not part of it (a message of a day on a slow link).
    s.busy_time += end <= horizon_ ? length : (start < horizon_ ? horizon_ - start : Time::zero());
    if (state.monitored) {
        s.series[tag].add_spread(start, end, wire);
        // A direction that never queues waits for nothing: no delays to count (its figures are 0).
        if (state.queueing && payload > 0.0) s.queue_delay_s.add((start - ready).seconds());
    }
    return end;
}

Time Network::cross(DirectionId d, Time ready, double payload, double packets, TagId tag, bool acked) {
    const DirectionState& state = dirs_[d];
    for (;;) {
        const Time end = occupy(d, ready, payload + packets * state.overhead, payload, packets, tag);
        const Time arrival = end + state.latency;
        if (acked && state.ack_every > 0) {  // delayed ACKs go back once the data has arrived
            const double acks = ceil_non_negative(packets / state.ack_every);
            occupy(Topology::opposite(d), arrival, acks * state.ack_overhead, 0.0, acks, tag);
        }
        if (!state.loss_rng) return arrival;
        const double lost = draw_losses(d, packets);
        if (lost == 0) return arrival;
        // Only the lost packets go again, after the timeout, with their share of the payload.
        stats_[d].retransmitted_packets += static_cast<std::uint64_t>(lost);
        payload *= lost / packets;
        packets = lost;
        ready = end + state.retransmit_timeout;
    }
}

double Network::draw_losses(DirectionId d, double packets) {
    auto& rng = dirs_[d].loss_rng;
    if (!rng) return 0;
    const double p = topology_.params(d).loss.value;
    if (packets > kPacketsDrawnOneByOne) {
        // A message of more than a million packets (over a gigabyte): the binomial count of its
        // losses by its normal approximation, one draw instead of one per packet.
        const double drawn = std::round(draw_normal(*rng, packets * p, std::sqrt(packets * p * (1.0 - p))));
        return std::clamp(drawn, 0.0, packets);
    }
    std::uint32_t lost = 0;
    for (auto i = static_cast<std::uint32_t>(packets); i > 0; --i)
        if (rng->uniform01() < p) ++lost;
    return lost;
}

void Network::record_delivery(Time sent, Time arrived) {
    const double took = (arrived - sent).seconds();
    ++messages_delivered_;
    delivery_sum_s_ += took;
    delivery_max_s_ = std::max(delivery_max_s_, took);
}

Time Network::transfer_along(const std::vector<DirectionId>& route, double payload_bytes, TagId tag, Time depart, Acks acks) {
    TBSIM_CHECK(payload_bytes >= 0.0, "negative message size");
    TBSIM_CHECK(tag < tag_names_.size(), "unknown protocol tag");
    TBSIM_CHECK(depart >= sim_.now(), "a message cannot leave in the past");
    if (!(payload_bytes <= largest_payload_)) [[unlikely]] refuse_message(payload_bytes, 0.0);
    ++messages_sent_;
    Time t = depart;
    const bool acked = acks == Acks::separate;
    for (const DirectionId d : route) t = cross(d, t, payload_bytes, packet_count(dirs_[d], payload_bytes), tag, acked);
    if (t < horizon_) record_delivery(depart, t);  // delivered within the run, which covers [0, horizon)
    return t;
}

Time Network::transfer_control(NodeId from, NodeId to, double packets, TagId tag, Time depart) {
    TBSIM_CHECK(depart >= sim_.now(), "a packet cannot leave in the past");
    if (!(packets <= largest_packets_)) [[unlikely]] refuse_message(0.0, packets);
    Time t = depart;
    for (const DirectionId d : topology_.route(from, to)) t = cross(d, t, 0.0, packets, tag, false);
    return t;
}

void Network::absorb(const Network& other) {
    TBSIM_CHECK(other.stats_.size() == stats_.size() && other.tag_names_ == tag_names_, "absorbing a network of another shape");
    for (DirectionId d = 0; d < stats_.size(); ++d) {
        DirectionStats& s = stats_[d];
        const DirectionStats& o = other.stats_[d];
        for (std::size_t t = 0; t < s.by_tag.size(); ++t) {
            s.by_tag[t].wire_bytes += o.by_tag[t].wire_bytes;
            s.by_tag[t].payload_bytes += o.by_tag[t].payload_bytes;
            s.by_tag[t].packets += o.by_tag[t].packets;
        }
        s.retransmitted_packets += o.retransmitted_packets;
        s.busy_time += o.busy_time;
        TBSIM_CHECK(s.series.size() == o.series.size(), "absorbing a network monitored elsewhere");
        for (std::size_t t = 0; t < s.series.size(); ++t) s.series[t].add_series(o.series[t]);
        s.queue_delay_s.merge(o.queue_delay_s);
    }
    messages_sent_ += other.messages_sent_;
    messages_delivered_ += other.messages_delivered_;
    delivery_sum_s_ += other.delivery_sum_s_;
    delivery_max_s_ = std::max(delivery_max_s_, other.delivery_max_s_);
}

void Network::send(NodeId from, NodeId to, double payload_bytes, TagId tag, Callback on_delivered) {
    const Time arrival = transfer(from, to, payload_bytes, tag, sim_.now());
    if (on_delivered) sim_.schedule_at(arrival, std::move(on_delivered));
}

}  // namespace tbsim::sim::net
