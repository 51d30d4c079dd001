// A numeric key of a profile that a calibration fits: where it is, its unit, its starting value
// (the profile's), its bounds, and how a value is written back in the key's unit.
#pragma once

#include <map>
#include <optional>
#include <vector>
#include <string>

#include "sim/config/config_document.hpp"

namespace tbsim::validation {

enum class ParameterUnit { number, seconds, bytes };

struct FitParameter {
    std::string key;       // "database.insert_work", "hosts.disk_stall.lognormal.median"
    ParameterUnit unit = ParameterUnit::number;
    double initial = 0.0;  // in the unit's base (seconds, bytes)
    double lower = 0.0, upper = 0.0;
    double value = 0.0;    // the fitted value
    double standard_error = 0.0;
};

/// The parameter at `key` of `doc`, which must hold a positive number there (with a unit or not).
/// Default bounds: a tenth to ten times the starting value (at most 1 for a probability or a
/// share, keys ending in `probability` or `share`). `bounds`: "LOW:HIGH" in the key's unit ("20us:2ms").
/// ConfigError naming the key otherwise.
FitParameter fit_parameter(const sim::ConfigDocument& doc, const std::string& key, const std::optional<std::string>& bounds = std::nullopt);

/// The parameters at `keys`, with `bounds` (key -> "LOW:HIGH"); ConfigError if a bound names a key
/// that is not fitted.
std::vector<FitParameter> fit_parameters_of(const sim::ConfigDocument& doc, const std::vector<std::string>& keys,
                                            const std::map<std::string, std::string>& bounds);

/// `value` as the profile writes it: "171.234us", "0.0123", "1500B" (6 significant digits).
std::string format_parameter(const FitParameter& p, double value);

/// The override that sets the parameter: "key=value".
std::string parameter_override(const FitParameter& p, double value);

}  // namespace tbsim::validation
