#include "sim/net/network.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace tbsim::sim::net {

Network::Network(Simulation& sim, const TopologySpec& spec, Time bin_width)
    : sim_(sim), topology_(spec), bin_width_(bin_width) {
    const std::size_t n = topology_.direction_count();
    dirs_.resize(n);
    stats_.resize(n);
    monitored_.assign(n, false);
    for (DirectionId d = 0; d < n; ++d) {
        if (topology_.params(d).loss.value > 0.0) {
            const auto& link = topology_.link(d / 2);
            dirs_[d].loss_rng.emplace(sim.rng(fmt::format("net.loss/{}/{}", link.name, d % 2 == 0 ? "forward" : "reverse")));
        }
    }
}

TagId Network::tag(std::string_view name) {
    for (TagId t = 0; t < tag_names_.size(); ++t)
        if (tag_names_[t] == name) return t;
    TBSIM_CHECK(tag_names_.size() < UINT16_MAX, "too many protocol tags");
    tag_names_.emplace_back(name);
    const std::size_t count = tag_names_.size();
    for (DirectionId d = 0; d < stats_.size(); ++d) {
        auto& s = stats_[d];
        s.wire_bytes.resize(count, 0.0);
        s.payload_bytes.resize(count, 0.0);
        s.packets.resize(count, 0);
        if (monitored_[d]) s.series.resize(count, TimeSeries(bin_width_));
    }
    return static_cast<TagId>(count - 1);
}

void Network::monitor(std::size_t link) {
    for (const DirectionId d : {static_cast<DirectionId>(2 * link), static_cast<DirectionId>(2 * link + 1)}) {
        monitored_[d] = true;
        stats_[d].series.resize(tag_names_.size(), TimeSeries(bin_width_));
    }
}

double Network::packet_count(const LinkParams& p, double payload) {
    return std::max(1.0, std::ceil(payload / p.segment_bytes()));
}

void Network::account(DirectionId d, TagId tag, Time start, Time end, double wire, double payload, double packets) {
    DirectionStats& s = stats_[d];
    s.wire_bytes[tag] += wire;
    s.payload_bytes[tag] += payload;
    s.packets[tag] += static_cast<std::uint64_t>(packets);
    s.busy_time += end - start;
    if (monitored_[d]) s.series[tag].add_spread(start, end, wire);
}

Time Network::transmit(DirectionId d, double payload, double packets, TagId tag) {
    const LinkParams& p = topology_.params(d);
    DirectionState& state = dirs_[d];
    const Time now = sim_.now();
    const double wire = payload + packets * p.per_packet_overhead();
    const Time start = std::max(now, state.busy_until);
    const Time end = start + p.bandwidth.transmission_time(wire);
    state.busy_until = end;
    account(d, tag, start, end, wire, payload, packets);
    if (monitored_[d]) stats_[d].queue_delay_s.add((start - now).seconds());

    if (p.ack_every > 0) {  // delayed ACKs flow back over the opposite direction
        const DirectionId back = Topology::opposite(d);
        const LinkParams& q = topology_.params(back);
        const double acks = std::ceil(packets / static_cast<double>(p.ack_every));
        const double ack_wire = acks * q.per_packet_overhead();
        DirectionState& back_state = dirs_[back];
        const Time ack_start = std::max(now, back_state.busy_until);
        const Time ack_end = ack_start + q.bandwidth.transmission_time(ack_wire);
        back_state.busy_until = ack_end;
        account(back, tag, ack_start, ack_end, ack_wire, 0.0, acks);
    }
    return end;
}

std::uint32_t Network::draw_losses(DirectionId d, std::uint32_t packets) {
    auto& rng = dirs_[d].loss_rng;
    if (!rng) return 0;
    const double p = topology_.params(d).loss.value;
    std::uint32_t lost = 0;
    for (std::uint32_t i = 0; i < packets; ++i)
        if (rng->uniform01() < p) ++lost;
    return lost;
}

void Network::send(NodeId from, NodeId to, double payload_bytes, TagId tag, Callback on_delivered) {
    TBSIM_CHECK(payload_bytes >= 0.0, "negative message size");
    TBSIM_CHECK(tag < tag_names_.size(), "unknown protocol tag");
    ++messages_sent_;
    const auto& route = topology_.route(from, to);
    // Fast path: one lossless hop and nobody waiting: pure arithmetic, no event.
    if (route.size() == 1 && !on_delivered && !dirs_[route[0]].loss_rng) {
        const DirectionId d = route[0];
        const Time end = transmit(d, payload_bytes, packet_count(topology_.params(d), payload_bytes), tag);
        const double took = (end + topology_.params(d).latency - sim_.now()).seconds();
        ++messages_delivered_;
        delivery_sum_s_ += took;
        delivery_max_s_ = std::max(delivery_max_s_, took);
        return;
    }
    const std::uint32_t id = allocate(InFlight{&route, std::move(on_delivered), payload_bytes, sim_.now(), 0, 0, tag, UINT32_MAX});
    if (route.empty()) {  // same node: delivered now, through an event so callers never re-enter
        sim_.schedule_in(Time::zero(), [this, id] {
            deliver(in_flight_[id]);
            release(id);
        });
        return;
    }
    advance(id);
}

void Network::advance(std::uint32_t id) {
    InFlight& m = in_flight_[id];
    const DirectionId d = (*m.route)[m.hop];
    const LinkParams& p = topology_.params(d);
    const double all_packets = packet_count(p, m.payload_bytes);
    double packets = all_packets;
    double payload = m.payload_bytes;
    if (m.lost_packets > 0) {  // a retransmission round: only the lost packets go again
        packets = m.lost_packets;
        payload = m.payload_bytes * packets / all_packets;
        stats_[d].retransmitted_packets += m.lost_packets;
    }
    const Time end = transmit(d, payload, packets, m.tag);
    m.lost_packets = draw_losses(d, static_cast<std::uint32_t>(packets));
    if (m.lost_packets > 0) {
        sim_.schedule_at(end + p.retransmit_timeout, [this, id] { advance(id); });
        return;
    }
    const Time arrival = end + p.latency;
    ++m.hop;
    if (m.hop < m.route->size()) {
        sim_.schedule_at(arrival, [this, id] { advance(id); });
        return;
    }
    if (m.on_delivered) {
        sim_.schedule_at(arrival, [this, id] {
            deliver(in_flight_[id]);
            release(id);
        });
        return;
    }
    const double took = (arrival - m.sent).seconds();
    ++messages_delivered_;
    delivery_sum_s_ += took;
    delivery_max_s_ = std::max(delivery_max_s_, took);
    release(id);
}

void Network::deliver(InFlight& m) {
    const double took = (sim_.now() - m.sent).seconds();
    ++messages_delivered_;
    delivery_sum_s_ += took;
    delivery_max_s_ = std::max(delivery_max_s_, took);
    Callback cb = std::move(m.on_delivered);
    if (cb) cb();
}

std::uint32_t Network::allocate(InFlight m) {
    if (free_head_ != UINT32_MAX) {
        const std::uint32_t id = free_head_;
        free_head_ = in_flight_[id].next_free;
        in_flight_[id] = std::move(m);
        return id;
    }
    in_flight_.push_back(std::move(m));
    return static_cast<std::uint32_t>(in_flight_.size() - 1);
}

void Network::release(std::uint32_t id) {
    in_flight_[id].on_delivered.reset();
    in_flight_[id].next_free = free_head_;
    free_head_ = id;
}

void Network::close_series(Time end) {
    for (auto& s : stats_)
        for (auto& series : s.series) series.cover(end);
}

}  // namespace tbsim::sim::net
