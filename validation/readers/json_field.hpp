// A meta.json (testbed traces, OpenStack captures) read strictly: text that is not JSON stops with
// "FILE:LINE: not valid JSON"; a missing key, a value of the wrong type, or a count that is a
// fraction or beyond its type's range stops with "FILE: key 'K': ..." as sim::ConfigError, never a
// cast (nlohmann casts any number to any type).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/config/config_error.hpp"

namespace tbsim::validation {

/// The JSON document in file `path`.
inline nlohmann::json read_json_file(const std::string& path) {
    const auto fail = [](const std::string& where, const std::string& message) {
        throw sim::ConfigError(fmt::format("{}: {}", where, message));
    };
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "no such file");
    std::stringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    try {
        return nlohmann::json::parse(s);
    } catch (const nlohmann::json::parse_error& e) {
        const auto at = std::min<std::size_t>(e.byte > 0 ? e.byte - 1 : 0, s.size());
        const auto line = 1 + std::count(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(at), '\n');
        fail(fmt::format("{}:{}", path, line), "not valid JSON");
    } catch (const nlohmann::json::exception& e) {
        // A number too large for a double ("1e99999") and the like: not a parse error to nlohmann.
        fail(path, fmt::format("not valid JSON: {}", e.what()));
    }
    return {};  // not reached: fail throws
}

/// Key `key` of object `j` read from file `path`, as a T.
template <class T>
T json_field(const nlohmann::json& j, const std::string& key, const std::string& path) {
    const auto fail = [&](const std::string& message) { throw sim::ConfigError(fmt::format("{}: {}", path, message)); };
    if (!j.is_object() || !j.contains(key)) fail(fmt::format("missing key '{}'", key));
    const nlohmann::json& v = j.at(key);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        // Found by fuzz_testbed_trace: 1.01111e+38 as a count was cast, which is undefined.
        if (v.is_number_float()) {
            const double d = v.get<double>();
            // [min, 2^digits): the range of T, signed or not, with bounds a double holds exactly.
            if (!(d == std::floor(d) && d >= static_cast<double>(std::numeric_limits<T>::min()) &&
                  d < std::ldexp(1.0, std::numeric_limits<T>::digits)))
                fail(fmt::format("key '{}': expected a whole number, got {}", key, v.dump()));
            return static_cast<T>(d);
        }
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))
            fail(fmt::format("key '{}': {} is too large", key, v.dump()));
        if constexpr (std::is_unsigned_v<T>)
            if (v.is_number_integer() && !v.is_number_unsigned()) fail(fmt::format("key '{}': {} is negative", key, v.dump()));
    }
    try {
        return v.get<T>();
    } catch (const nlohmann::json::exception&) {
        fail(fmt::format("key '{}': unexpected type ({})", key, v.type_name()));
    }
    return T{};  // not reached: fail throws
}

/// As json_field, or nothing when the key is absent or null.
template <class T>
std::optional<T> json_field_or_null(const nlohmann::json& j, const std::string& key, const std::string& path) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return json_field<T>(j, key, path);
}

}  // namespace tbsim::validation
