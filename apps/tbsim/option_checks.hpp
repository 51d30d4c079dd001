// Checks of the command line's numeric options, with messages in the house style
// ("--jobs: must be at least 1, got "0""). CLI11's own PositiveNumber printed a range up to
// 1.8e308, and an unsigned option took "-1" as 18446744073709551615: `tbsim replay --seed -1` ran
// with that seed instead of refusing it.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace tbsim::app {

/// The whole of `text` as a signed 64-bit whole number; none if it is not one.
inline std::optional<std::int64_t> whole_number(const std::string& text) {
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

/// A count of at least 1: threads, replications, events.
inline CLI::Validator at_least_one() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const auto value = whole_number(text);
            if (!value) return fmt::format("expected a whole number, got \"{}\"", text);
            if (*value < 1) return fmt::format("must be at least 1, got \"{}\"", text);
            return {};
        },
        "POSITIVE");
}

/// A seed: a whole number from 0 to 2^63 - 1 (what a scenario's `seed` key takes), never a
/// negative one wrapped around.
inline CLI::Validator seed_value() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            const auto value = whole_number(text);
            if (!value) return fmt::format("expected a whole number from 0 to 9223372036854775807, got \"{}\"", text);
            if (*value < 0) return fmt::format("must not be negative, got \"{}\"", text);
            return {};
        },
        "< 2^63");
}

}  // namespace tbsim::app
