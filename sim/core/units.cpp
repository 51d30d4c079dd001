#include "sim/core/units.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace tbsim::sim {
namespace {

struct Split {
    double number;
    std::string_view unit;
};

// "12.5ms" -> {12.5, "ms"}; spaces between number and unit are allowed.
std::optional<Split> split_number(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    double value = 0.0;
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || !std::isfinite(value)) return std::nullopt;
    std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
    while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    return Split{value, unit};
}

template <std::size_t N>
std::optional<double> scale_of(std::string_view unit, const std::array<std::pair<std::string_view, double>, N>& table) {
    for (const auto& [name, factor] : table)
        if (unit == name) return factor;
    return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, double>, 6> kDurationUnits{
    {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}, {"min", 60.0}, {"h", 3600.0}}};
constexpr std::array<std::pair<std::string_view, double>, 9> kSizeUnits{{{"B", 1.0},
                                                                         {"kB", 1e3},
                                                                         {"KB", 1e3},
                                                                         {"MB", 1e6},
                                                                         {"GB", 1e9},
                                                                         {"KiB", 1024.0},
                                                                         {"MiB", 1048576.0},
                                                                         {"GiB", 1073741824.0},
                                                                         {"TB", 1e12}}};
// Also tc's spelling ("10mbit"), so that a testbed limit reads the same in both tools.
constexpr std::array<std::pair<std::string_view, double>, 15> kRateUnits{{{"bps", 1.0},
                                                                          {"kbps", 1e3},
                                                                          {"Mbps", 1e6},
                                                                          {"Gbps", 1e9},
                                                                          {"b/s", 1.0},
                                                                          {"kb/s", 1e3},
                                                                          {"Mb/s", 1e6},
                                                                          {"Gb/s", 1e9},
                                                                          {"Bps", 8.0},
                                                                          {"kBps", 8e3},
                                                                          {"MBps", 8e6},
                                                                          {"bit", 1.0},
                                                                          {"kbit", 1e3},
                                                                          {"mbit", 1e6},
                                                                          {"gbit", 1e9}}};
constexpr std::array<std::pair<std::string_view, double>, 4> kPerUnits{
    {{"/s", 1.0}, {"/min", 1.0 / 60.0}, {"/h", 1.0 / 3600.0}, {"/ms", 1e3}}};

}  // namespace

std::optional<double> parse_duration_seconds(std::string_view text) {
    const auto s = split_number(text);
    if (!s) return std::nullopt;
    const auto factor = scale_of(s->unit, kDurationUnits);
    if (!factor) return std::nullopt;
    return s->number * *factor;
}

std::optional<Time> parse_duration(std::string_view text) {
    const auto seconds = parse_duration_seconds(text);
    if (!seconds || !Time::holds_seconds(*seconds)) return std::nullopt;
    return Time::from_seconds(*seconds);
}

std::optional<DataSize> parse_data_size(std::string_view text) {
    const auto s = split_number(text);
    if (!s) return std::nullopt;
    const auto factor = scale_of(s->unit, kSizeUnits);
    if (!factor) return std::nullopt;
    return DataSize{s->number * *factor};
}

std::optional<DataRate> parse_data_rate(std::string_view text) {
    const auto s = split_number(text);
    if (!s) return std::nullopt;
    const auto factor = scale_of(s->unit, kRateUnits);
    if (!factor) return std::nullopt;
    return DataRate{s->number * *factor};
}

std::optional<Frequency> parse_frequency(std::string_view text) {
    const auto s = split_number(text);
    if (!s) return std::nullopt;
    const auto factor = scale_of(s->unit, kPerUnits);
    if (!factor) return std::nullopt;
    return Frequency{s->number * *factor};
}

std::optional<Fraction> parse_fraction(std::string_view text) {
    const auto s = split_number(text);
    if (!s) return std::nullopt;
    if (s->unit == "%") return Fraction{s->number / 100.0};
    if (s->unit.empty()) return Fraction{s->number};
    return std::nullopt;
}

std::optional<Quantity> parse_quantity(std::string_view text) {
    const auto s = split_number(text);
    if (!s) return std::nullopt;
    return Quantity{s->number, std::string(s->unit)};
}

std::optional<std::pair<double, std::string>> to_base_unit(const Quantity& q) {
    if (q.unit.empty()) return std::pair{q.number, std::string()};
    if (const auto f = scale_of(q.unit, kDurationUnits)) return std::pair{q.number * *f, std::string("s")};
    if (const auto f = scale_of(q.unit, kSizeUnits)) return std::pair{q.number * *f, std::string("B")};
    if (const auto f = scale_of(q.unit, kRateUnits)) return std::pair{q.number * *f, std::string("bps")};
    if (const auto f = scale_of(q.unit, kPerUnits)) return std::pair{q.number * *f, std::string("per_s")};
    if (q.unit == "%") return std::pair{q.number / 100.0, std::string()};
    return std::nullopt;
}

std::string unit_suffix(std::string_view unit) {
    if (unit == "%") return "percent";
    std::string out;
    for (std::size_t i = 0; i < unit.size(); ++i) {
        const char c = unit[i];
        if (c == '/') out += (i == 0 ? "per_" : "p");  // "/min" -> per_min; "Mb/s" -> Mbps
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') out += c;
    }
    return out;
}

std::string format_duration(Time t) {
    const std::int64_t ns = t.ns();
    if (ns == 0) return "0s";
    constexpr std::int64_t kSecond = 1'000'000'000;
    if (ns % (3600 * kSecond) == 0) return fmt::format("{}h", ns / (3600 * kSecond));
    if (ns % (60 * kSecond) == 0) return fmt::format("{}min", ns / (60 * kSecond));
    // Divided from the integer count, so that a whole number of the unit prints whole (1000 ns is
    // 1us; 1e-6 s x 1e6 would print 1.0000000000000002us).
    const auto in = [ns](double unit) { return static_cast<double>(ns) / unit; };
    const double magnitude = std::abs(static_cast<double>(ns));
    if (magnitude >= 1e9) return fmt::format("{}s", in(1e9));
    if (magnitude >= 1e6) return fmt::format("{}ms", in(1e6));
    if (magnitude >= 1e3) return fmt::format("{}us", in(1e3));
    return fmt::format("{}ns", ns);
}

std::string format_data_size(DataSize s) {
    // Whole binary multiples read best as such (128GiB); anything else in bytes.
    for (const auto& [unit, factor] : {std::pair{"GiB", 1024.0 * 1024 * 1024}, std::pair{"MiB", 1024.0 * 1024}, std::pair{"KiB", 1024.0}})
        if (s.bytes >= factor && std::fmod(s.bytes, factor) == 0.0) return fmt::format("{}{}", s.bytes / factor, unit);
    return fmt::format("{}B", s.bytes);
}

std::string format_data_rate(DataRate r) {
    const double b = r.bits_per_second;
    if (b >= 1e9) return fmt::format("{}Gbps", b / 1e9);
    if (b >= 1e6) return fmt::format("{}Mbps", b / 1e6);
    if (b >= 1e3) return fmt::format("{}kbps", b / 1e3);
    return fmt::format("{}bps", b);
}

std::string format_frequency(Frequency f) {
    if (f.per_second < 1.0) return fmt::format("{}/min", f.per_second * 60.0);
    return fmt::format("{}/s", f.per_second);
}

std::string format_fraction(Fraction f) { return fmt::format("{}%", f.value * 100.0); }

}  // namespace tbsim::sim
