// A sweep over any key of a scenario: axes are key paths with values, the points are the product of
// the axes (first axis slowest; a `zip` group varies together), and each point is the scenario with
// its axis values applied through the same override path as `--set` (same validation, errors at the
// value's FILE:LINE:COL). Constraints drop points, fits are least-squares lines of a figure over a
// numeric axis, and a precision target keeps adding replications to a point (as Akaroa does).
//
// Inline, as a scenario's own section, or in a sweep file over a base scenario (scenarios/sweeps/):
//   name: study-a-rate-sweep
//   base: ../mysqlrep/study-a-rate.yaml
//   sweep:
//     axes:
//       - zip:                                              # vary together
//           - {key: placement.profile, values: [esxi-vm, docker-in-vm]}
//           - {key: placement.shared_node, values: [false, true]}
//       - {key: workload.rate, range: {from: 600/min, to: 48000/min, steps: 12, scale: log}}
//       - {key: workload.instances, values: [4, 8, 16, 24]}
//     when: [workload.aggregation <= workload.inserts]      # points that break one are dropped
//     collect: [main_loop_s, slowdown]                      # figures in the tables (default: all)
//     fit: [{x: workload.rate, y: main_loop_s}]
//     replications: 10                                      # or precision: 2% (with min/max)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"

namespace tbsim::sim {

/// The most points one sweep runs (each is prepared and validated before anything runs).
inline constexpr double kMostSweepPoints = 1e6;

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
    std::size_t group = 0; // axes of one `zip` group share it and vary together
    bool numeric() const { return !values.empty() && values.front().number.has_value(); }
};

struct FitSpec {
    std::string x;  // an axis key
    std::string y;  // a figure key
    std::string position;
};

/// `left OP right`, each side a key path of the scenario or a value with its unit.
struct Constraint {
    std::string text;
    std::string left, op, right;
    std::string position;
};

/// Replications until every collected figure's 95% half-width is within `relative` of its mean.
struct PrecisionRule {
    double relative = 0.0;  // 0: off
    std::uint64_t min = 3;
    std::uint64_t max = 100;
    bool active() const { return relative > 0.0; }
};

struct SweepSpec {
    enum class Seeds { common, independent };

    std::vector<SweepAxis> axes;
    std::vector<FitSpec> fits;
    std::vector<Constraint> when;
    std::vector<std::string> collect;            // empty: every numeric figure
    std::string collect_position;
    std::optional<std::uint64_t> replications;   // per point; none: the scenario's
    std::string replications_position;
    PrecisionRule precision;
    Seeds seeds = Seeds::common;

    bool empty() const { return axes.empty(); }
    /// Every point of the product, as one value index per axis, first group slowest.
    std::vector<std::vector<std::size_t>> points() const;
    /// The axis called `key`, or nullptr.
    const SweepAxis* axis(const std::string& key) const;
};

/// Reads a `sweep:` mapping; errors name its FILE:LINE:COL.
SweepSpec read_sweep(const ConfigNode& node);

/// The keys of a `sweep:` section, for `tbsim params` and docs/scenarios.md.
ParamSection sweep_params();

}  // namespace tbsim::sim
