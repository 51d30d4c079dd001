// Figures as JSON, at the output edge: a record's key paths become nested objects
// ("by_protocol.rabbitmq.mean_kbps") and arrays ("host_cpu_utilisation[0]"). Whole numbers are
// written without a decimal point; a figure that does not apply, or is not finite, is null.
// The reverse direction serves the result stores that keep finished runs on disk.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/output/figures.hpp"

namespace tbsim::sim {

using Json = nlohmann::ordered_json;

/// The record as one nested JSON object, keys in declaration order.
Json figures_to_json(const FigureRecord& record);

/// Adds the record's figures into `target` (an object), as figures_to_json() would write them.
void add_figures_to_json(const FigureRecord& record, Json& target);

/// A record from what figures_to_json() wrote (a kept run read back from its store).
FigureRecord figures_from_json(const Json& json);

/// A number as JSON: whole numbers without a decimal point, not-finite values as null.
Json number_to_json(double value);

}  // namespace tbsim::sim
