// A model's parameters, declared once (ns-3 AddAttribute, SimGrid Flag): each entry has a name, a
// unit, a default taken from the struct's default value, a one-line description and a check. The
// same table reads the YAML mapping into the struct (rejecting unknown keys through the document)
// and prints the reference that `tbsim params` shows.
//
//   const ParamTable<LinkParams>& table() {
//       static const ParamTable<LinkParams> t{"link", {
//           param("latency", &LinkParams::latency, "one-way propagation delay"),
//           param("bandwidth", &LinkParams::bandwidth, "serialisation rate", positive),
//       }};
//       return t;
//   }
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "sim/config/config_node.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {

/// How a value is constrained beyond its type.
enum class Check { any, non_negative, positive };

template <class T>
struct Param {
    std::string name;
    std::string unit;  // "duration", "data rate", "count", ...
    std::string doc;
    std::function<void(const ConfigNode&, T&)> read;
    std::function<std::string(const T&)> show;
};

namespace detail {

template <class V>
double magnitude(const V& v) {
    if constexpr (std::is_same_v<V, Time>) return static_cast<double>(v.ns());
    else if constexpr (std::is_same_v<V, DataSize>) return v.bytes;
    else if constexpr (std::is_same_v<V, DataRate>) return v.bits_per_second;
    else if constexpr (std::is_same_v<V, Frequency>) return v.per_second;
    else if constexpr (std::is_same_v<V, Fraction>) return v.value;
    else return static_cast<double>(v);
}

template <class V>
V read_value(const ConfigNode& n) {
    if constexpr (std::is_same_v<V, Time>) return n.duration();
    else if constexpr (std::is_same_v<V, DataSize>) return n.data_size();
    else if constexpr (std::is_same_v<V, DataRate>) return n.data_rate();
    else if constexpr (std::is_same_v<V, Frequency>) return n.frequency();
    else if constexpr (std::is_same_v<V, Fraction>) return n.fraction();
    else if constexpr (std::is_same_v<V, bool>) return n.boolean();
    else if constexpr (std::is_same_v<V, std::string>) return n.text();
    else if constexpr (std::is_integral_v<V>) return static_cast<V>(n.integer());
    else if constexpr (std::is_floating_point_v<V>) return n.number();
    else static_assert(sizeof(V) == 0, "no YAML reader for this parameter type");
}

template <class V>
std::string show_value(const V& v) {
    if constexpr (std::is_same_v<V, Time>) return format_duration(v);
    else if constexpr (std::is_same_v<V, DataSize>) return format_data_size(v);
    else if constexpr (std::is_same_v<V, DataRate>) return format_data_rate(v);
    else if constexpr (std::is_same_v<V, Frequency>) return format_frequency(v);
    else if constexpr (std::is_same_v<V, Fraction>) return format_fraction(v);
    else if constexpr (std::is_same_v<V, bool>) return v ? "true" : "false";
    else if constexpr (std::is_same_v<V, std::string>) return v.empty() ? "\"\"" : v;
    else return fmt::format("{}", v);
}

template <class V>
std::string unit_of() {
    if constexpr (std::is_same_v<V, Time>) return "duration";
    else if constexpr (std::is_same_v<V, DataSize>) return "data size";
    else if constexpr (std::is_same_v<V, DataRate>) return "data rate";
    else if constexpr (std::is_same_v<V, Frequency>) return "frequency";
    else if constexpr (std::is_same_v<V, Fraction>) return "fraction";
    else if constexpr (std::is_same_v<V, bool>) return "boolean";
    else if constexpr (std::is_same_v<V, std::string>) return "string";
    else if constexpr (std::is_integral_v<V>) return "count";
    else return "number";
}

}  // namespace detail

/// A parameter stored in member `member` of T, read and shown according to its type.
template <class T, class V>
Param<T> param(std::string name, V T::*member, std::string doc, Check check = Check::any) {
    Param<T> p;
    p.unit = detail::unit_of<V>();
    p.doc = std::move(doc);
    p.read = [member, check, name](const ConfigNode& n, T& target) {
        V value = detail::read_value<V>(n);
        if constexpr (!std::is_same_v<V, bool> && !std::is_same_v<V, std::string>) {
            const double m = detail::magnitude(value);
            if (check == Check::positive && !(m > 0)) n.fail(fmt::format("must be greater than zero, got \"{}\"", n.text()));
            if (check == Check::non_negative && m < 0) n.fail(fmt::format("must not be negative, got \"{}\"", n.text()));
        }
        target.*member = std::move(value);
    };
    p.show = [member](const T& t) { return detail::show_value(t.*member); };
    p.name = std::move(name);
    return p;
}

/// A parameter with its own reader (a nested mapping, a distribution, a reference by name).
template <class T>
Param<T> custom_param(std::string name, std::string unit, std::string doc, std::function<void(const ConfigNode&, T&)> read,
                      std::function<std::string(const T&)> show) {
    return Param<T>{std::move(name), std::move(unit), std::move(doc), std::move(read), std::move(show)};
}

template <class T>
class ParamTable {
public:
    ParamTable(std::string title, std::vector<Param<T>> params) : title_(std::move(title)), params_(std::move(params)) {}

    /// Reads every parameter present in `map` into `target` (absent ones keep their value).
    void read(const ConfigNode& map, T& target) const {
        if (!map.is_map() && !map.is_null()) map.fail(fmt::format("expected a mapping of {} parameters", title_));
        for (const auto& p : params_)
            if (auto value = map.child(p.name)) p.read(*value, target);
    }

    const std::string& title() const { return title_; }
    const std::vector<Param<T>>& params() const { return params_; }

    /// The reference table: name, unit, default, description (defaults from `defaults`).
    std::string describe(const T& defaults = T{}) const {
        std::string out = fmt::format("{}\n", title_);
        for (const auto& p : params_)
            out += fmt::format("  {:<24} {:<11} {:<12} {}\n", p.name, p.unit, p.show(defaults), p.doc);
        return out;
    }

private:
    std::string title_;
    std::vector<Param<T>> params_;
};

}  // namespace tbsim::sim
