// What a model offers the command line: a reader that turns a validated configuration into a
// prepared scenario, and a prepared scenario that runs one replication and reports its results.
// A prepared scenario is immutable, so replications run in parallel threads, each with its own
// Simulation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/config/config_node.hpp"
#include "sim/output/csv_table.hpp"
#include "sim/scenario/scenario_header.hpp"

namespace tbsim::sim {

using Json = nlohmann::ordered_json;

/// The results of one replication: summary figures and result tables.
struct RunResult {
    Json summary = Json::object();  // figures; numeric leaves are pooled across replications
    std::vector<CsvTable> tables;   // each written as its file_name() in the output folder
    std::uint64_t events = 0;
};

class PreparedScenario {
public:
    virtual ~PreparedScenario() = default;
    virtual const ScenarioHeader& header() const = 0;
    /// Runs replication `replication` from time zero to the scenario's duration.
    virtual RunResult run(std::uint64_t replication) const = 0;
    /// A short readable account of a (pooled) summary, for the terminal.
    virtual std::string describe(const Json& summary) const = 0;
};

/// Reads everything below the common header; must throw ConfigError on bad input.
using ScenarioReader = std::function<std::unique_ptr<PreparedScenario>(const ConfigNode& root, const ScenarioHeader& header)>;

struct ModelEntry {
    std::string name;
    std::string description;
    ScenarioReader read;
    std::function<std::string()> params;  // the parameter reference, for `tbsim params`
};

}  // namespace tbsim::sim
