// A sweep over any key of a scenario: axes are key paths with lists of values, the points are the
// product of the axes (first axis slowest), and each point is the scenario with its axis values
// applied through the same override path as `--set` (same validation, errors at the value's
// FILE:LINE:COL). Fits are least-squares lines of a figure over a numeric axis.
//
// Inline, as a scenario's own section:
//   sweep:
//     axes:
//       - {key: deployment.servers, values: [0, 1, 2, 3, 4]}
//     fit:
//       - {x: deployment.servers, y: mean_kbps}
// or in a sweep file over a base scenario (scenarios/sweeps/):
//   name: study-a-rate-sweep
//   base: ../mysqlrep/study-a-rate.yaml
//   sweep: {axes: [{key: workload.rate, values: [600/min, 1200/min]}]}
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"

namespace tbsim::sim {

struct AxisValue {
    std::string text;               // the value as an override writes it (YAML)
    std::string position;           // FILE:LINE:COL where it is written
    std::optional<double> number;   // in the axis column's unit, when every value of the axis is numeric
};

struct SweepAxis {
    std::string key;       // key path, list items by index: "topology.links.0.bandwidth"
    std::string position;  // FILE:LINE:COL of the key
    std::vector<AxisValue> values;
    std::string column;    // its column in CSV files: the key with the values' unit, "workload.rate_per_min"
    bool numeric() const { return !values.empty() && values.front().number.has_value(); }
};

struct FitSpec {
    std::string x;  // an axis key
    std::string y;  // a figure key
    std::string position;
};

struct SweepSpec {
    std::vector<SweepAxis> axes;
    std::vector<FitSpec> fits;
    bool empty() const { return axes.empty(); }
    /// Every point of the product, as one value index per axis, first axis slowest.
    std::vector<std::vector<std::size_t>> points() const;
    /// The axis called `key`, or nullptr.
    const SweepAxis* axis(const std::string& key) const;
};

/// Reads a `sweep:` mapping; errors name its FILE:LINE:COL.
SweepSpec read_sweep(const ConfigNode& node);

/// The keys of a `sweep:` section, for `tbsim params` and docs/scenarios.md.
ParamSection sweep_params();

}  // namespace tbsim::sim
