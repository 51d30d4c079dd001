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
    std::unique_ptr<PreparedScenario> scenario;  // null in a study read back from a manifest
    std::string identity;         // hash of the resolved point (seed included), its profiles and tbsim's version
    std::uint64_t replications = 1;  // replications to run (with a precision target: the first round)
};

struct Study {
    std::string name;         // names the output folder
    std::string description;
    std::string model;        // the model's name
    ScenarioHeader header;    // of the first point (name, seed, duration, replications)
    SweepSpec sweep;          // empty: one point
    std::vector<StudyPoint> points;
    std::vector<FigureDoc> figures;  // the figures the model declares

    bool is_sweep() const { return !sweep.empty(); }
    /// "deployment.servers=2 workload.rate=600/min" for a point.
    std::string label(const StudyPoint& point) const;
    /// The figures of the tables and of a precision target: the sweep's `collect`, or every
    /// numeric figure of `record` (a run's).
    std::vector<std::string> collected(const FigureRecord& record) const;
};

/// Reads the file at `path`, or the embedded scenario called `path` when no such file exists.
/// A ConfigError when neither does.
ScenarioText read_scenario_text(const std::string& path, const StudyContext& context);

/// Loads a scenario or a sweep file and prepares every point. Throws ConfigError on bad input.
Study load_study(const ScenarioText& file, const std::vector<Override>& overrides, const StudyContext& context);

/// The model named by a scenario's `model:` key; a ConfigError naming the known models otherwise.
const ModelEntry& find_model(const std::vector<ModelEntry>& models, const ConfigNode& root, const std::string& name);

}  // namespace tbsim::sim
