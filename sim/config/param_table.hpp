// A model's parameters, declared once (ns-3 AddAttribute, SimGrid Flag): each entry has a name, a
// kind, a default taken from the struct's default value, a one-line meaning and a check. The same
// table reads the YAML mapping into the struct (unknown keys are rejected through the document),
// prints the reference that `tbsim params` shows, and makes the tables of docs/scenarios.md.
//
//   const ParamTable<LinkParams>& table() {
//       static const ParamTable<LinkParams> t{"link", {
//           param("latency", &LinkParams::latency, "one-way propagation delay"),
//           param("bandwidth", &LinkParams::bandwidth, "serialisation rate", Check::positive).required(),
//           section("forward", &LinkSpec::forward, link_table(), "one direction's own values"),
//       }};
//       return t;
//   }
//
// A table may end with a check over the whole mapping (a key that needs another, a cross-field
// bound), which receives the mapping's node to name the offending key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {

/// How a value is constrained beyond its type.
// What a value must be: anything, >= 0, > 0, or a probability or share (0 to 1, both included).
enum class Check { any, non_negative, positive, probability };

template <class T>
struct Param {
    std::string name;
    std::string kind;  // "duration", "data rate", "count", "mapping", ...
    std::string doc;
    bool mandatory = false;
    std::function<void(const ConfigNode&, T&)> read;
    std::function<std::string(const T&)> show;  // the default as a scenario writes it
    // Nested keys (a section or a list of mappings): their rows, given the parent's defaults.
    std::function<std::vector<ParamDoc>(const T&)> children;

    /// The key must be present.
    Param required() && {
        mandatory = true;
        return std::move(*this);
    }
};

namespace detail {

template <class V>
struct is_optional : std::false_type {};
template <class V>
struct is_optional<std::optional<V>> : std::true_type {};

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
    else if constexpr (std::is_integral_v<V> && std::is_unsigned_v<V>) {
        const auto v = n.integer();
        if (v < 0) n.fail(fmt::format("must not be negative, got \"{}\"", n.text()));
        return static_cast<V>(v);
    } else if constexpr (std::is_integral_v<V>) return static_cast<V>(n.integer());
    else if constexpr (std::is_floating_point_v<V>) return n.number();
    else static_assert(sizeof(V) == 0, "no YAML reader for this parameter type");
}

template <class V>
std::string show_value(const V& v) {
    if constexpr (is_optional<V>::value) return v ? show_value(*v) : "none";
    else if constexpr (std::is_same_v<V, Time>) return format_duration(v);
    else if constexpr (std::is_same_v<V, DataSize>) return format_data_size(v);
    else if constexpr (std::is_same_v<V, DataRate>) return format_data_rate(v);
    else if constexpr (std::is_same_v<V, Frequency>) return format_frequency(v);
    else if constexpr (std::is_same_v<V, Fraction>) return format_fraction(v);
    else if constexpr (std::is_same_v<V, bool>) return v ? "true" : "false";
    else if constexpr (std::is_same_v<V, std::string>) return v.empty() ? "\"\"" : v;
    else return fmt::format("{}", v);
}

template <class V>
std::string kind_of() {
    if constexpr (is_optional<V>::value) return kind_of<typename V::value_type>();
    else if constexpr (std::is_same_v<V, Time>) return "duration";
    else if constexpr (std::is_same_v<V, DataSize>) return "data size";
    else if constexpr (std::is_same_v<V, DataRate>) return "data rate";
    else if constexpr (std::is_same_v<V, Frequency>) return "frequency";
    else if constexpr (std::is_same_v<V, Fraction>) return "fraction";
    else if constexpr (std::is_same_v<V, bool>) return "boolean";
    else if constexpr (std::is_same_v<V, std::string>) return "string";
    else if constexpr (std::is_integral_v<V>) return "count";
    else return "number";
}

template <class V>
void check_value(const ConfigNode& n, const V& value, Check check) {
    if constexpr (!std::is_same_v<V, bool> && !std::is_same_v<V, std::string>) {
        const double m = magnitude(value);
        if (check == Check::positive && !(m > 0))
            n.fail(fmt::format("must be {}, got \"{}\"", std::is_integral_v<V> ? "at least 1" : "greater than zero", n.text()));
        if (check == Check::non_negative && m < 0) n.fail(fmt::format("must not be negative, got \"{}\"", n.text()));
        if (check == Check::probability && !(m >= 0 && m <= 1))
            n.fail(fmt::format("must be between 0 and 1 (a probability or a share), got \"{}\"", n.text()));
    }
}

}  // namespace detail

/// A parameter stored in member `member` of T (optionally a std::optional), read and shown
/// according to its type.
template <class T, class V>
Param<T> param(std::string name, V T::*member, std::string doc, Check check = Check::any) {
    Param<T> p;
    p.kind = detail::kind_of<V>();
    p.doc = std::move(doc);
    p.read = [member, check](const ConfigNode& n, T& target) {
        if constexpr (detail::is_optional<V>::value) {
            using Inner = typename V::value_type;
            Inner value = detail::read_value<Inner>(n);
            detail::check_value(n, value, check);
            target.*member = std::move(value);
        } else {
            V value = detail::read_value<V>(n);
            detail::check_value(n, value, check);
            target.*member = std::move(value);
        }
    };
    p.show = [member](const T& t) { return detail::show_value(t.*member); };
    p.name = std::move(name);
    return p;
}

/// A parameter with its own reader (a distribution, a reference by name, an enumeration).
template <class T>
Param<T> custom_param(std::string name, std::string kind, std::string doc, std::function<void(const ConfigNode&, T&)> read,
                      std::function<std::string(const T&)> show) {
    Param<T> p;
    p.name = std::move(name);
    p.kind = std::move(kind);
    p.doc = std::move(doc);
    p.read = std::move(read);
    p.show = std::move(show);
    return p;
}

template <class T>
class ParamTable {
public:
    using Finish = std::function<void(const ConfigNode& map, T& target)>;

    ParamTable(std::string title, std::vector<Param<T>> params, Finish finish = {})
        : title_(std::move(title)), params_(std::move(params)), finish_(std::move(finish)) {}

    /// Reads every parameter present in `map` into `target` (absent ones keep their value), in
    /// declaration order; a missing required key and a failed check are ConfigErrors.
    void read(const ConfigNode& map, T& target) const {
        if (!map.is_map() && !map.is_null()) map.fail(fmt::format("expected a mapping of {} keys", title_));
        for (const auto& p : params_) {
            if (auto value = map.child(p.name)) p.read(*value, target);
            else if (p.mandatory) map.fail(fmt::format("missing required key '{}'", p.name));
        }
        if (finish_) finish_(map, target);
    }

    const std::string& title() const { return title_; }
    const std::vector<Param<T>>& params() const { return params_; }

    /// One row per key, nested keys with their path ("server.cores", "calls[].name").
    std::vector<ParamDoc> docs(const T& defaults = T{}) const {
        std::vector<ParamDoc> rows;
        for (const auto& p : params_) {
            if (p.children) {
                rows.push_back({p.name, p.kind, p.mandatory ? "(required)" : "", p.doc});
                for (auto row : p.children(defaults)) {
                    row.key = p.name + row.key;
                    rows.push_back(std::move(row));
                }
                continue;
            }
            rows.push_back({p.name, p.kind, p.mandatory ? "(required)" : (p.show ? p.show(defaults) : ""), p.doc});
        }
        return rows;
    }

    /// The table as a section of the reference; `path` is where its mapping sits in a scenario.
    ParamSection section(std::string path, const T& defaults = T{}) const { return {title_, std::move(path), docs(defaults)}; }

    /// The reference as text: name, kind, default, meaning.
    std::string describe(const T& defaults = T{}) const { return params_as_text({section("", defaults)}); }

private:
    std::string title_;
    std::vector<Param<T>> params_;
    Finish finish_;
};

/// A nested mapping read with its own table into member `member`.
template <class T, class S>
Param<T> section(std::string name, S T::*member, const ParamTable<S>& table, std::string doc) {
    Param<T> p;
    p.name = std::move(name);
    p.kind = "mapping";
    p.doc = std::move(doc);
    p.read = [member, &table](const ConfigNode& n, T& target) { table.read(n, target.*member); };
    p.children = [member, &table](const T& defaults) {
        auto rows = table.docs(defaults.*member);
        for (auto& r : rows) r.key = "." + r.key;
        return rows;
    };
    return p;
}

/// A nested mapping that is absent unless the scenario gives it (std::optional member).
template <class T, class S>
Param<T> section(std::string name, std::optional<S> T::*member, const ParamTable<S>& table, std::string doc) {
    Param<T> p;
    p.name = std::move(name);
    p.kind = "mapping";
    p.doc = std::move(doc);
    p.read = [member, &table](const ConfigNode& n, T& target) {
        S value;
        table.read(n, value);
        target.*member = std::move(value);
    };
    p.children = [&table](const T&) {
        auto rows = table.docs(S{});
        for (auto& r : rows) r.key = "." + r.key;
        return rows;
    };
    return p;
}

/// A list of mappings, each read with `table` starting from `S{}`.
template <class T, class S>
Param<T> list(std::string name, std::vector<S> T::*member, const ParamTable<S>& table, std::string doc) {
    Param<T> p;
    p.name = std::move(name);
    p.kind = "list";
    p.doc = std::move(doc);
    p.read = [member, &table](const ConfigNode& n, T& target) {
        auto& out = target.*member;
        out.clear();
        for (const auto& item : n.items()) {
            S value;
            table.read(item, value);
            out.push_back(std::move(value));
        }
    };
    p.children = [&table](const T&) {
        auto rows = table.docs(S{});
        for (auto& r : rows) r.key = "[]." + r.key;
        return rows;
    };
    return p;
}

}  // namespace tbsim::sim
