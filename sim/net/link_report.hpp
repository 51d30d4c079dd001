// What a monitored link carried, as typed figures: per direction and protocol tag, the mean rate
// over the run and the distribution of per-bin rates (p50, p95, p99, max), in kb/s (1 kb = 1000
// bits), and the long-format series table (one row per link, direction, tag and bin).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/net/network.hpp"
#include "sim/output/csv_table.hpp"
#include "sim/output/figures.hpp"

namespace tbsim::sim::net {

/// The traffic of a per-bin byte series over [0, duration).
struct RateFigures {
    double bytes = 0.0;
    double mean_kbps = 0.0;
    double p50_kbps = 0.0;
    double p95_kbps = 0.0;
    double p99_kbps = 0.0;
    double max_kbps = 0.0;
};

template <FiguresOf<RateFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.number("bytes", f.bytes, "B", "wire bytes in [0, duration): payload, headers, tunnel overhead, ACKs, retransmissions");
    v.number("mean_kbps", f.mean_kbps, "kb/s", "bytes x 8 / duration / 1000");
    v.number("p50_kbps", f.p50_kbps, "kb/s", "median of the per-bin rates");
    v.number("p95_kbps", f.p95_kbps, "kb/s", "95th percentile of the per-bin rates");
    v.number("p99_kbps", f.p99_kbps, "kb/s", "99th percentile of the per-bin rates");
    v.number("max_kbps", f.max_kbps, "kb/s", "the busiest bin");
}

/// A protocol tag's traffic on a direction.
struct TagFigures {
    RateFigures rate;
    double payload_bytes = 0.0;
    double packets = 0.0;
};

template <FiguresOf<TagFigures> F, class V>
void visit_figures(F& f, V& v) {
    visit_figures(f.rate, v);
    v.number("payload_bytes", f.payload_bytes, "B", "application bytes only");
    v.number("packets", f.packets, "count", "packets, ACKs and retransmissions included");
}

/// Waiting before a message starts transmitting on a direction, per message.
struct QueueDelayFigures {
    double mean = 0.0;
    double p99 = 0.0;
    double max = 0.0;
};

template <FiguresOf<QueueDelayFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.number("mean", f.mean, "ms", "mean wait before transmission");
    v.number("p99", f.p99, "ms", "99th percentile of the wait (within 0.5%)");
    v.number("max", f.max, "ms", "longest wait");
}

/// One monitored direction of a link.
struct DirectionFigures {
    std::string from;
    std::string to;
    RateFigures total;
    std::vector<std::pair<std::string, TagFigures>> by_tag;  // tags that carried bytes
    double packets = 0.0;
    double retransmitted_packets = 0.0;
    double utilisation = 0.0;
    QueueDelayFigures queue_delay_ms;
};

template <FiguresOf<DirectionFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.text("from", f.from, "the node the direction leaves");
    v.text("to", f.to, "the node it reaches");
    v.group("total", f.total, "every protocol tag together");
    v.each("by_tag", f.by_tag, "tag", "each protocol tag that carried bytes");
    v.number("packets", f.packets, "count", "packets on the direction, ACKs included");
    v.number("retransmitted_packets", f.retransmitted_packets, "count", "packets sent again after a loss");
    v.number("utilisation", f.utilisation, "fraction", "time the direction spent transmitting within the duration, over the duration");
    v.group("queue_delay_ms", f.queue_delay_ms);
}

/// Rate figures of a per-bin byte series over [0, duration).
RateFigures rate_figures(const std::vector<double>& bytes_per_bin, Time bin_width, Time duration);

/// Adds the bins of several series (all tags of a direction, several directions, ...).
std::vector<double> sum_series(const std::vector<const TimeSeries*>& series, Time duration);

/// Every series of a direction (one per tag).
std::vector<const TimeSeries*> all_series(const DirectionStats& stats);

/// Figures of one monitored direction: total and per-tag rates, bytes, packets, retransmissions,
/// utilisation and queueing delay.
DirectionFigures direction_figures(const Network& net, DirectionId d, Time duration);

/// Columns: replication, link, direction, tag, bin_start_s, bytes, kbps.
CsvTable series_table();
void append_series(CsvTable& table, const Network& net, std::uint64_t replication, Time duration);

}  // namespace tbsim::sim::net
