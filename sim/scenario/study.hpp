// One path from a scenario file to runnable points. The file (or an embedded scenario) is read,
// the command line's overrides applied, its sweep read (a scenario's own `sweep:` section, or a
// sweep file over a base scenario), and every point prepared by its model and validated, unknown
// keys included, before anything runs: a misspelt key stops with FILE:LINE:COL whichever point
// would have met it first.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config/config_document.hpp"
#include "sim/scenario/scenario_model.hpp"
#include "sim/scenario/sweep_spec.hpp"

namespace tbsim::sim {

/// A scenario's text and the name errors give it (its path, or "<embedded plan scenario>").
struct ScenarioText {
    std::string text;
    std::string source;
};

/// An override applied to every point: `key.path=value` and where it comes from (default: `--set`).
struct Override {
    std::string assignment;
    std::optional<OverrideOrigin> origin;
};

/// What loading needs beyond the file: the registry of models, the scenarios embedded in the
/// program (a sweep file's `base:` may name one), and tbsim's version (part of every identity).
struct StudyContext {
    const std::vector<ModelEntry>* models = nullptr;
    std::function<std::optional<ScenarioText>(std::string_view name)> embedded;
    std::string version;
};

struct StudyPoint {
    std::vector<std::size_t> at;  // one value index per sweep axis (empty without a sweep)
    std::unique_ptr<PreparedScenario> scenario;
    std::string identity;         // hash of the resolved point, the profiles it names and tbsim's version
};

struct Study {
    std::string name;         // names the output folder
    std::string description;
    const ModelEntry* model = nullptr;
    SweepSpec sweep;          // empty: one point
    std::vector<StudyPoint> points;

    bool is_sweep() const { return !sweep.empty(); }
    /// The header of the first point (name, seed, duration, replications).
    const ScenarioHeader& header() const { return points.front().scenario->header(); }
    /// "deployment.servers=2 workload.rate=600/min" for a point.
    std::string label(const StudyPoint& point) const;
};

/// Reads the file at `path`, or the embedded scenario called `path` when no such file exists.
/// A ConfigError when neither does.
ScenarioText read_scenario_text(const std::string& path, const StudyContext& context);

/// Loads a scenario or a sweep file and prepares every point. Throws ConfigError on bad input.
Study load_study(const ScenarioText& file, const std::vector<Override>& overrides, const StudyContext& context);

/// Prepares one scenario: `overrides` applied in order, its model's reader, the unknown-key check.
/// `identity` receives the point's identity. A `sweep:` section, if any, is left to the caller.
std::unique_ptr<PreparedScenario> prepare_scenario(const ScenarioText& file, const std::vector<Override>& overrides,
                                                   const StudyContext& context, std::string* identity = nullptr);

/// The model named by a scenario's `model:` key; a ConfigError naming the known models otherwise.
const ModelEntry& find_model(const std::vector<ModelEntry>& models, const ConfigNode& root, const std::string& name);

}  // namespace tbsim::sim
