// Typed physical quantities read from scenarios. A YAML value carries its unit ("10Mbps", "4GiB",
// "600/min", "0.1%") and is parsed once, at the boundary, into one of these types; a bare number
// is a count or a dimensionless factor.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sim/core/time.hpp"

namespace tbsim::sim {

/// An amount of data in bytes (fractional values allowed for per-VM averages).
struct DataSize {
    double bytes = 0.0;
    auto operator<=>(const DataSize&) const = default;
};

/// A data rate in bits per second (link bandwidth, traffic volume).
struct DataRate {
    double bits_per_second = 0.0;
    auto operator<=>(const DataRate&) const = default;
    /// Time to serialise `bytes` at this rate.
    Time transmission_time(double bytes) const { return Time::from_seconds(bytes * 8.0 / bits_per_second); }
};

/// Occurrences per unit of time ("600/min" = 10 per second).
struct Frequency {
    double per_second = 0.0;
    auto operator<=>(const Frequency&) const = default;
};

/// A dimensionless share in [0, 1], written "0.1%" or "0.001".
struct Fraction {
    double value = 0.0;
    auto operator<=>(const Fraction&) const = default;
};

// Parsers return nothing when the text is not a quantity of that kind. Accepted units:
//   duration   ns us ms s min h          e.g. "2ms", "1.5s", "1h"
//   data size  B kB KB MB GB KiB MiB GiB e.g. "1500B", "4GiB" (kB = 1000 B, KiB = 1024 B)
//   data rate  bps kbps Mbps Gbps, b/s kb/s Mb/s Gb/s, Bps kBps MBps (bytes per second)
//   frequency  N/s N/min N/h             e.g. "600/min"
//   fraction   a number in [0, 1] or a percentage "0.1%"
std::optional<Time> parse_duration(std::string_view text);
/// The same text in seconds, with no limit (parse_duration refuses what a Time cannot hold:
/// beyond about 292 years either way).
std::optional<double> parse_duration_seconds(std::string_view text);
std::optional<DataSize> parse_data_size(std::string_view text);
std::optional<DataRate> parse_data_rate(std::string_view text);
std::optional<Frequency> parse_frequency(std::string_view text);
std::optional<Fraction> parse_fraction(std::string_view text);

/// A number and the unit text after it, whatever the unit ("600/min" -> {600, "/min"}, "3" -> {3, ""}).
struct Quantity {
    double number = 0.0;
    std::string unit;
};
std::optional<Quantity> parse_quantity(std::string_view text);

/// The quantity in its kind's base unit, named as a column suffix: seconds ("s"), bytes ("B"),
/// bits per second ("bps"), per second ("per_s"), a fraction (""); nothing for an unknown unit.
std::optional<std::pair<double, std::string>> to_base_unit(const Quantity& q);

/// A unit as a name suffix: "/min" -> "per_min", "%" -> "percent", "Mb/s" -> "Mbps".
std::string unit_suffix(std::string_view unit);

/// Human forms used by `tbsim params` and summaries ("10s", "1.5KiB", "10Mbps").
std::string format_duration(Time t);
std::string format_data_size(DataSize s);
std::string format_data_rate(DataRate r);
std::string format_frequency(Frequency f);
std::string format_fraction(Fraction f);

}  // namespace tbsim::sim
