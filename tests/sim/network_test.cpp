#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/net/network.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim::sim;
using namespace tbsim::sim::net;
using namespace tbsim::sim::time_literals;

namespace {

LinkParams link(Time latency, double bps) {
    LinkParams p;
    p.latency = latency;
    p.bandwidth = DataRate{bps};
    return p;
}

// A link that loses `loss` of its data packets and sends no ACKs.
LinkParams lossy(Time latency, double bps, double loss) {
    LinkParams p = link(latency, bps);
    p.loss = Fraction{loss};
    p.ack_every = 0;
    return p;
}

TopologySpec pair(const LinkParams& p) {
    TopologySpec t;
    t.add_node("a");
    t.add_node("b");
    t.add_link("ab", "a", "b", p);
    return t;
}

}  // namespace

TEST_CASE("a message pays serialisation and propagation delay") {
    Simulation sim;
    Network net(sim, pair(link(10_ms, 8e6)));
    const TagId tag = net.tag("app");
    Time delivered;
    net.send(net.node("a"), net.node("b"), 1000.0, tag, [&] { delivered = sim.now(); });
    sim.run();
    // 1000 B + 52 B of IP/TCP headers = 1052 B at 8 Mb/s = 1.052 ms, plus 10 ms.
    CHECK(delivered == Time::from_us(11052));
    CHECK(net.stats(0).by_tag[tag].wire_bytes == doctest::Approx(1052.0));
    CHECK(net.stats(0).by_tag[tag].payload_bytes == doctest::Approx(1000.0));
}

TEST_CASE("a large message is cut into MTU-sized packets, each with its headers, and ACKed") {
    Simulation sim;
    Network net(sim, pair(link(10_ms, 8e6)));
    const TagId tag = net.tag("app");
    Time delivered;
    net.send(net.node("a"), net.node("b"), 10000.0, tag, [&] { delivered = sim.now(); });
    sim.run();
    // MSS = 1500 - 52 = 1448 B: 7 packets; wire = 10000 + 7 * 52 = 10364 B -> 10.364 ms.
    CHECK(net.stats(0).by_tag[tag].packets == 7);
    CHECK(net.stats(0).by_tag[tag].wire_bytes == doctest::Approx(10364.0));
    CHECK(delivered == Time::from_us(20364));
    // Delayed ACKs, one per two segments: 4 header-only packets back.
    CHECK(net.stats(1).by_tag[tag].packets == 4);
    CHECK(net.stats(1).by_tag[tag].wire_bytes == doctest::Approx(4 * 52.0));
}

TEST_CASE("a busy link direction queues messages first in, first out") {
    Simulation sim;
    Network net(sim, pair(link(10_ms, 8e6)));
    const TagId tag = net.tag("app");
    net.monitor(0);
    std::vector<Time> delivered;
    for (int i = 0; i < 3; ++i) net.send(net.node("a"), net.node("b"), 1000.0, tag, [&] { delivered.push_back(sim.now()); });
    sim.run();
    REQUIRE(delivered.size() == 3);
    CHECK(delivered[0] == Time::from_us(11052));
    CHECK(delivered[1] == Time::from_us(12104));
    CHECK(delivered[2] == Time::from_us(13156));
    // Queueing delays 0, 1.052 and 2.104 ms.
    CHECK(net.stats(0).queue_delay_s.mean() * 1e3 == doctest::Approx(1.052));
    CHECK(net.stats(0).queue_delay_s.max() * 1e3 == doctest::Approx(2.104));
}

TEST_CASE("tunnel overhead is added to every packet") {
    Simulation sim;
    LinkParams p = link(1_ms, 1e9);
    p.tunnel_overhead = DataSize{57};
    p.ack_every = 0;
    Network net(sim, pair(p));
    const TagId tag = net.tag("amqp");
    net.send(net.node("a"), net.node("b"), 3000.0, tag);  // 3 packets
    sim.run();
    CHECK(net.stats(0).by_tag[tag].wire_bytes == doctest::Approx(3000.0 + 3 * (52.0 + 57.0)));
    CHECK(net.stats(1).by_tag[tag].wire_bytes == 0.0);
}

TEST_CASE("lost packets are sent again after the timeout and their bytes count twice") {
    Simulation sim(3);
    Network net(sim, pair(lossy(10_ms, 8e6, 0.2)));
    const TagId tag = net.tag("app");
    Time slowest;
    for (int i = 0; i < 200; ++i)
        sim.schedule_at(Time::from_s(i), [&] {
            const Time sent = sim.now();
            net.send(net.node("a"), net.node("b"), 1000.0, tag, [&, sent] { slowest = std::max(slowest, sim.now() - sent); });
        });
    sim.run();
    const auto& s = net.stats(0);
    const auto resent = s.retransmitted_packets;
    // Each message needs a geometric number of tries: 200 * 0.2 / 0.8 = 50 resends expected.
    CHECK(resent >= 25);
    CHECK(resent <= 80);
    CHECK(s.by_tag[tag].packets == 200 + resent);
    CHECK(s.by_tag[tag].wire_bytes == doctest::Approx((200.0 + static_cast<double>(resent)) * 1052.0));
    // A message that lost its packet once took at least 1.052 + 200 + 1.052 + 10 ms.
    CHECK(slowest >= Time::from_us(212104));
    CHECK(net.messages_delivered() == 200);
}

TEST_CASE("the losses of a message of millions of packets are drawn at once, as many as expected") {
    Simulation sim(5);
    Network net(sim, pair(lossy(10_ms, 100e9, 0.01)));
    const TagId tag = net.tag("bulk");
    // 1e12 B in 1448-byte segments: 690,607,735 packets. One by one that was as many draws; now one
    // normal draw of the binomial count: 1% of them lost (sd 2,600), then 1% of those, and so on.
    net.send(net.node("a"), net.node("b"), 1e12, tag);
    sim.run();
    const double packets = std::ceil(1e12 / 1448.0);
    const auto resent = static_cast<double>(net.stats(0).retransmitted_packets);
    CHECK(resent == within(packets * 0.01 / 0.99, 0.001));
    CHECK(net.messages_delivered() == 1);
}

TEST_CASE("bytes are conserved: no bin of a saturated link exceeds its capacity") {
    Simulation sim;
    Network net(sim, pair(link(5_ms, 1e6)), 1_s);  // 1 Mb/s = 125000 B per 1 s bin
    const TagId tag = net.tag("bulk");
    net.monitor(0);
    for (int i = 0; i < 100; ++i) net.send(net.node("a"), net.node("b"), 20000.0, tag);  // 2 MB at once
    sim.run();
    const auto& series = net.stats(0).series[tag];
    double total = 0.0;
    for (std::size_t i = 0; i < series.bins(); ++i) {
        CHECK(series.at(i) <= 125000.0 * (1 + 1e-9));
        total += series.at(i);
    }
    CHECK(total == doctest::Approx(net.stats(0).by_tag[tag].wire_bytes));
    // Full bins while the backlog lasts: 100 x (20000 + 14 x 52) = 2,072,800 wire bytes take 16.58 s.
    CHECK(series.at(0) == doctest::Approx(125000.0));
    CHECK(series.at(15) == doctest::Approx(125000.0));
    CHECK(series.bins() == 17);
}

TEST_CASE("what a run books past its end counts in bytes but not in busy time, series or deliveries") {
    // A message of a day on a slow link used to fill its series to the end of the transmission (16
    // GB of bins for 1e13 B messages over 10 min at 10 Mb/s), count as delivered and put the
    // link's utilisation at 298394%.
    Simulation sim;
    Network net(sim, pair(link(5_ms, 1e6)), 1_s, 10_s);  // 1 Mb/s, a run of 10 s
    const TagId tag = net.tag("bulk");
    net.monitor(0);
    net.send(net.node("a"), net.node("b"), 1e6, tag);  // 8.29 s on the wire
    net.send(net.node("a"), net.node("b"), 1e6, tag);  // queued behind: 8.29 s to 16.58 s
    sim.run_before(10_s);
    const auto& s = net.stats(0);
    CHECK(s.by_tag[tag].wire_bytes == doctest::Approx(2 * (1e6 + 691 * 52)));  // 691 packets of 1448 B payload
    CHECK(s.busy_time == 10_s);
    CHECK(s.series[tag].bins() == 10);
    CHECK(s.series[tag].total() == doctest::Approx(10 * 125000.0));
    CHECK(net.messages_sent() == 2);
    CHECK(net.messages_delivered() == 1);
}

TEST_CASE("routes follow the lowest total latency and are cached") {
    TopologySpec t;
    for (const char* n : {"a", "b", "c"}) t.add_node(n);
    t.add_link("ab", "a", "b", link(2_ms, 1e9));
    t.add_link("bc", "b", "c", link(3_ms, 1e9));
    t.add_link("ac", "a", "c", link(20_ms, 1e9));
    Topology topo(t);
    const auto& r = topo.route(topo.node("a"), topo.node("c"));
    REQUIRE(r.size() == 2);
    CHECK(r[0] == 0);  // ab forward
    CHECK(r[1] == 2);  // bc forward
    const auto& back = topo.route(topo.node("c"), topo.node("a"));
    REQUIRE(back.size() == 2);
    CHECK(back[0] == 3);  // bc reverse
    CHECK(back[1] == 1);  // ab reverse
    CHECK(&topo.route(topo.node("a"), topo.node("c")) == &r);

    Simulation sim;
    Network net(sim, t);
    Time delivered;
    net.send(net.node("a"), net.node("c"), 948.0, net.tag("x"), [&] { delivered = sim.now(); });
    sim.run();
    // 1000 wire bytes at 1 Gb/s = 8 us per hop, store-and-forward: 2 * 8 us + 5 ms.
    CHECK(delivered == Time::from_us(5016));
}

TEST_CASE("an unreachable node is reported") {
    TopologySpec t;
    for (const char* n : {"a", "b", "island"}) t.add_node(n);
    t.add_link("ab", "a", "b", link(1_ms, 1e9));
    Topology topo(t);
    CHECK_THROWS_AS(topo.route(topo.node("a"), topo.node("island")), std::runtime_error);
    CHECK_FALSE(topo.reachable(topo.node("a"), topo.node("island")));
    CHECK(topo.reachable(topo.node("b"), topo.node("a")));
}

TEST_CASE("routes over links of very long latency still take the shorter way") {
    // The route weights were latency x 1024 in 64 bits: a link of 100000 h (3.6e17 ns) made a
    // negative weight and Boost's Dijkstra refused the graph ("internal error", found by trying).
    TopologySpec t;
    for (const char* n : {"a", "b", "c"}) t.add_node(n);
    t.add_link("ab", "a", "b", link(Time::from_s(3600) * 100000, 1e9));
    t.add_link("bc", "b", "c", link(Time::from_s(3600) * 100000, 1e9));
    t.add_link("ac", "a", "c", link(Time::from_s(3600) * 150000, 1e9));
    Topology topo(t);
    const auto& r = topo.route(topo.node("a"), topo.node("c"));
    REQUIRE(r.size() == 1);
    CHECK(r[0] == 4);  // ac forward: 150000 h against 200000 h through b
}

TEST_CASE("a calendar fills idle gaps: a booking made ahead never delays earlier traffic") {
    ReservationCalendar c;
    // Booked ahead: busy over [100, 110) ms.
    CHECK(c.reserve(100_ms, 10_ms, 0_ms) == 100_ms);
    // Ready earlier and short enough to fit before: starts at once.
    CHECK(c.reserve(5_ms, 20_ms, 0_ms) == 5_ms);
    // Ready at 95 ms but 10 ms long: does not fit before 100 ms, so it waits until 110 ms.
    CHECK(c.reserve(95_ms, 10_ms, 0_ms) == 110_ms);
    // Touching bookings merge: [100, 120) is one interval now.
    CHECK(c.intervals() == 2);
    // Forgetting the past: at 200 ms nothing is remembered.
    CHECK(c.reserve(300_ms, 1_ms, 200_ms) == 300_ms);
    CHECK(c.intervals() == 1);
}

TEST_CASE("a message computed ahead does not queue a message that reaches a shared link first") {
    // Two senders share the link hub -> sink; the far one's message is computed first but arrives later.
    TopologySpec t;
    for (const char* n : {"near", "far", "hub", "sink"}) t.add_node(n);
    t.add_link("near-hub", "near", "hub", link(1_ms, 1e9));
    t.add_link("far-hub", "far", "hub", link(50_ms, 1e9));
    t.add_link("hub-sink", "hub", "sink", link(1_ms, 8e6));
    Simulation sim;
    Network net(sim, t);
    net.monitor(2);
    const TagId tag = net.tag("x");
    const Time far = net.transfer(net.node("far"), net.node("sink"), 948.0, tag, 0_ms);
    const Time near = net.transfer(net.node("near"), net.node("sink"), 948.0, tag, 0_ms);
    // near: 8 us + 1 ms to the hub, then 1 ms of serialisation at 8 Mb/s and 1 ms: no queueing.
    CHECK(near == Time::from_us(3008));
    CHECK(far == Time::from_us(52008));
    CHECK(net.stats(4).queue_delay_s.max() == 0.0);
}

TEST_CASE("a calendar with thousands of bookings agrees with a brute-force reference") {
    // Random bookings ahead of a moving clock, checked against a plain list of intervals.
    ReservationCalendar c;
    std::vector<std::pair<std::int64_t, std::int64_t>> reference;
    RandomStream rs(17, "calendar");
    std::int64_t now = 0;
    for (int i = 0; i < 20000; ++i) {
        now += static_cast<std::int64_t>(rs.below(20));
        const std::int64_t ready = now + static_cast<std::int64_t>(rs.below(5000));
        const std::int64_t length = 1 + static_cast<std::int64_t>(rs.below(30));
        // Reference: earliest start >= ready that overlaps no booked interval.
        std::int64_t start = ready;
        for (bool moved = true; moved;) {
            moved = false;
            for (const auto& [s, e] : reference)
                if (start < e && start + length > s) {
                    start = e;
                    moved = true;
                }
        }
        reference.emplace_back(start, start + length);
        std::erase_if(reference, [now](const auto& iv) { return iv.second <= now; });
        REQUIRE(c.reserve(Time::from_ns(ready), Time::from_ns(length), Time::from_ns(now)).ns() == start);
    }
}

TEST_CASE("a link without queueing counts bytes and latency but never delays") {
    LinkParams p = link(10_ms, 8e6);
    p.queueing = false;
    Simulation sim;
    Network net(sim, pair(p));
    const TagId tag = net.tag("app");
    std::vector<Time> delivered;
    for (int i = 0; i < 3; ++i) net.send(net.node("a"), net.node("b"), 1000.0, tag, [&] { delivered.push_back(sim.now()); });
    sim.run();
    // Each message alone: 1.052 ms of serialisation and 10 ms; no waiting behind the others.
    for (const Time t : delivered) CHECK(t == Time::from_us(11052));
    CHECK(net.stats(0).by_tag[tag].wire_bytes == doctest::Approx(3 * 1052.0));
}
