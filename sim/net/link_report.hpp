// What a monitored link carried, as result data: per direction and protocol tag, the mean rate over
// the run and the distribution of per-bin rates (p50, p95, p99, max), in kb/s (1 kb = 1000 bits),
// and the long-format series table (one row per link, direction, tag and bin).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/net/network.hpp"
#include "sim/output/csv_table.hpp"
#include "sim/scenario/scenario_model.hpp"

namespace tbsim::sim::net {

/// Rate figures of a per-bin byte series over [0, duration): mean, p50, p95, p99, max in kb/s.
Json rate_figures(const std::vector<double>& bytes_per_bin, Time bin_width, Time duration);

/// Adds the bins of several series (all tags of a direction, several directions, ...).
std::vector<double> sum_series(const std::vector<const TimeSeries*>& series, Time duration);

/// Summary of one monitored direction: total and per-tag rate figures, bytes, packets,
/// retransmissions, utilisation and queueing delay.
Json direction_report(const Network& net, DirectionId d, Time duration);

/// Columns: replication, link, direction, tag, bin_start_s, bytes, kbps.
CsvTable series_table();
void append_series(CsvTable& table, const Network& net, std::uint64_t replication, Time duration);

}  // namespace tbsim::sim::net
