#include "sim/net/link_report.hpp"

#include <algorithm>

#include "sim/stats/tally.hpp"

namespace tbsim::sim::net {
namespace {

std::size_t bin_count(Time bin_width, Time duration) {
    return static_cast<std::size_t>((duration.ns() + bin_width.ns() - 1) / bin_width.ns());
}

double to_kbps(double bytes, Time width) { return bytes * 8.0 / width.seconds() / 1000.0; }

}  // namespace

std::vector<double> sum_series(const std::vector<const TimeSeries*>& series, Time duration) {
    if (series.empty()) return {};
    const std::size_t n = bin_count(series.front()->bin_width(), duration);
    std::vector<double> total(n, 0.0);
    for (const TimeSeries* s : series)
        for (std::size_t i = 0; i < n; ++i) total[i] += s->at(i);
    return total;
}

RateFigures rate_figures(const std::vector<double>& bytes_per_bin, Time bin_width, Time duration) {
    Tally bins;
    double bytes = 0.0;
    for (const double b : bytes_per_bin) {
        bins.add(to_kbps(b, bin_width));
        bytes += b;
    }
    RateFigures f;
    f.bytes = bytes;
    f.mean_kbps = bytes * 8.0 / duration.seconds() / 1000.0;
    f.p50_kbps = bins.percentile(0.50);
    f.p95_kbps = bins.percentile(0.95);
    f.p99_kbps = bins.percentile(0.99);
    f.max_kbps = bins.max();
    return f;
}

std::vector<const TimeSeries*> all_series(const DirectionStats& stats) {
    std::vector<const TimeSeries*> out;
    for (const auto& series : stats.series) out.push_back(&series);
    return out;
}

DirectionFigures direction_figures(const Network& net, DirectionId d, Time duration) {
    const auto& topo = net.topology();
    const DirectionStats& s = net.stats(d);
    const Time width = s.series.empty() ? Time::from_s(1) : s.series.front().bin_width();
    DirectionFigures f;
    f.from = topo.node_name(topo.direction_from(d));
    f.to = topo.node_name(topo.direction_to(d));
    f.total = rate_figures(sum_series(all_series(s), duration), width, duration);
    std::uint64_t packets = 0;
    for (TagId t = 0; t < net.tag_count(); ++t) {
        packets += s.by_tag[t].packets;
        if (s.by_tag[t].wire_bytes == 0.0) continue;
        TagFigures tag;
        tag.rate = rate_figures(sum_series({&s.series[t]}, duration), width, duration);
        tag.payload_bytes = s.by_tag[t].payload_bytes;
        tag.packets = static_cast<double>(s.by_tag[t].packets);
        f.by_tag.emplace_back(net.tag_name(t), tag);
    }
    f.packets = static_cast<double>(packets);
    f.retransmitted_packets = static_cast<double>(s.retransmitted_packets);
    f.utilisation = s.busy_time.seconds() / duration.seconds();
    f.queue_delay_ms = {s.queue_delay_s.mean() * 1e3, s.queue_delay_s.percentile(0.99) * 1e3, s.queue_delay_s.max() * 1e3};
    return f;
}

CsvTable series_table() { return CsvTable("series.csv", {"replication", "link", "direction", "tag", "bin_start_s", "bytes", "kbps"}); }

void append_series(CsvTable& table, const Network& net, std::uint64_t replication, Time duration) {
    const auto& topo = net.topology();
    for (DirectionId d = 0; d < topo.direction_count(); ++d) {
        if (!net.monitored(d)) continue;
        const DirectionStats& s = net.stats(d);
        for (TagId t = 0; t < net.tag_count(); ++t) {
            const TimeSeries& series = s.series[t];
            const std::size_t n = bin_count(series.bin_width(), duration);
            for (std::size_t i = 0; i < n; ++i) {
                table.row()
                    .cell(static_cast<unsigned long long>(replication))
                    .cell(topo.link(d / 2).name)
                    .cell(d % 2 == 0 ? "forward" : "reverse")
                    .cell(net.tag_name(t))
                    .cell((series.bin_width() * static_cast<std::int64_t>(i)).seconds(), 3)
                    .cell(series.at(i), 3)
                    .cell(to_kbps(series.at(i), series.bin_width()), 6);
            }
        }
    }
}

}  // namespace tbsim::sim::net
