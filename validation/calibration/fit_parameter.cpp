#include "validation/calibration/fit_parameter.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"
#include "sim/core/units.hpp"

namespace tbsim::validation {
namespace {

// A scalar in the parameter's unit: a duration, a data size, or a plain number.
std::optional<std::pair<double, ParameterUnit>> parse_scalar(const std::string& text) {
    if (const auto t = sim::parse_duration(text)) return std::pair{t->seconds(), ParameterUnit::seconds};
    if (const auto s = sim::parse_data_size(text)) return std::pair{s->bytes, ParameterUnit::bytes};
    double v = 0.0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec == std::errc() && ptr == end) return std::pair{v, ParameterUnit::number};
    return std::nullopt;
}

double parse_in_unit(const std::string& text, ParameterUnit unit, const std::string& key) {
    const auto v = parse_scalar(text);
    if (!v || v->second != unit)
        throw sim::ConfigError(fmt::format("--bounds {}: \"{}\" is not a value in the key's unit", key, text));
    return v->first;
}

}  // namespace

FitParameter fit_parameter(const sim::ConfigDocument& doc, const std::string& key, const std::optional<std::string>& bounds) {
    if (key.empty()) throw sim::ConfigError(fmt::format("{}: --fit: an empty key (--fit KEY[,KEY...])", doc.source()));
    const auto text = doc.scalar_at(key);
    if (!text)
        throw sim::ConfigError(fmt::format("{}: --fit {}: the profile has no value at this key (give it a starting value in the file)",
                                           doc.source(), key));
    const auto parsed = parse_scalar(*text);
    if (!parsed) throw sim::ConfigError(fmt::format("{}: --fit {}: \"{}\" is not a number", doc.source(), key, *text));
    if (!(parsed->first > 0.0))
        throw sim::ConfigError(fmt::format("{}: --fit {}: the starting value must be positive (fits work on its logarithm), got \"{}\"",
                                           doc.source(), key, *text));
    FitParameter p;
    p.key = key;
    p.unit = parsed->second;
    p.initial = p.value = parsed->first;
    p.lower = p.initial / 10.0;
    p.upper = p.initial * 10.0;
    // A probability or a share is at most 1.
    auto ends_with = [&](std::string_view suffix) { return key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0; };
    if (ends_with("probability") || ends_with("share")) p.upper = std::min(p.upper, 1.0);
    if (bounds) {
        const auto colon = bounds->find(':');
        if (colon == std::string::npos) throw sim::ConfigError(fmt::format("--bounds {}={}: expected LOW:HIGH", key, *bounds));
        p.lower = parse_in_unit(bounds->substr(0, colon), p.unit, key);
        p.upper = parse_in_unit(bounds->substr(colon + 1), p.unit, key);
        if (!(p.lower > 0.0) || !(p.upper > p.lower) || p.initial < p.lower || p.initial > p.upper)
            throw sim::ConfigError(fmt::format("--bounds {}={}: need 0 < LOW < HIGH around the starting value {}", key, *bounds, *text));
    }
    return p;
}

std::vector<FitParameter> fit_parameters_of(const sim::ConfigDocument& doc, const std::vector<std::string>& keys,
                                            const std::map<std::string, std::string>& bounds) {
    std::vector<FitParameter> parameters;
    for (const auto& key : keys) {
        if (std::count(keys.begin(), keys.end(), key) > 1)
            throw sim::ConfigError(fmt::format("--fit {}: named twice: a key is one parameter of the fit", key));
        const auto b = bounds.find(key);
        parameters.push_back(fit_parameter(doc, key, b == bounds.end() ? std::nullopt : std::optional<std::string>(b->second)));
    }
    for (const auto& [key, _] : bounds)
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) throw sim::ConfigError(fmt::format("--bounds {}: not one of the --fit keys", key));
    return parameters;
}

std::string format_parameter(const FitParameter& p, double value) {
    switch (p.unit) {
        case ParameterUnit::seconds:
            if (value < 1e-3) return fmt::format("{:.6g}us", value * 1e6);
            if (value < 1.0) return fmt::format("{:.6g}ms", value * 1e3);
            return fmt::format("{:.6g}s", value);
        case ParameterUnit::bytes: return fmt::format("{:.6g}B", value);
        case ParameterUnit::number: return fmt::format("{:.6g}", value);
    }
    return fmt::format("{:.6g}", value);
}

std::string parameter_override(const FitParameter& p, double value) { return p.key + "=" + format_parameter(p, value); }

}  // namespace tbsim::validation
