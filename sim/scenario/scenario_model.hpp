// What a model offers the engine: a reader that turns a validated configuration into a prepared
// scenario, and a prepared scenario that runs one replication and reports its figures. A prepared
// scenario is immutable, so replications (and sweep points) run in parallel threads, each with its
// own Simulation.
//
// A model's figures are a typed struct declared once (sim/output/figures.hpp); ModelScenario turns
// them into the record the engine pools, and a pooled record back into the struct for the model's
// readable account. The registry of models lives in models/registry.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"
#include "sim/output/csv_table.hpp"
#include "sim/output/figures.hpp"
#include "sim/scenario/run_ticker.hpp"
#include "sim/scenario/scenario_header.hpp"

namespace tbsim::sim {

/// The results of one replication: its figures and result tables.
struct RunResult {
    FigureRecord figures;          // numeric figures are pooled across replications
    std::vector<CsvTable> tables;  // each written as its file_name() in the output folder
    std::uint64_t events = 0;
};

/// What a run must produce: everything, or the figures alone (a sweep point, a search step).
enum class RunOutputs { figures_and_tables, figures_only };

class PreparedScenario {
public:
    virtual ~PreparedScenario() = default;
    virtual const ScenarioHeader& header() const = 0;
    /// Runs replication `replication` from time zero to the scenario's duration. `threads`: how many
    /// threads the run may use inside itself (a model that can split a run into independent parts);
    /// its results never depend on it. `ticker`, if given, hears how far the run has got.
    virtual RunResult run(std::uint64_t replication, RunOutputs outputs = RunOutputs::figures_and_tables, unsigned threads = 1,
                          RunTicker* ticker = nullptr) const = 0;
    /// A readable account of (pooled) figures, several lines, for the terminal.
    virtual std::string account(const FigureRecord& figures) const = 0;
    /// The main figures in one line (a point of a sweep).
    virtual std::string headline(const FigureRecord& figures) const = 0;
};

/// A prepared scenario whose figures are the struct `Figures`.
template <class Figures>
class ModelScenario : public PreparedScenario {
public:
    RunResult run(std::uint64_t replication, RunOutputs outputs, unsigned threads, RunTicker* ticker) const final {
        RunTicker silent;
        auto r = simulate(replication, outputs, threads, ticker != nullptr ? *ticker : silent);
        return RunResult{record_figures(r.figures), std::move(r.tables), r.events};
    }
    std::string account(const FigureRecord& figures) const final { return account_of(restore_figures<Figures>(figures)); }
    std::string headline(const FigureRecord& figures) const final { return headline_of(restore_figures<Figures>(figures)); }

protected:
    struct Run {
        Figures figures;
        std::vector<CsvTable> tables;
        std::uint64_t events = 0;
    };
    /// `ticker` hears how far the run has got (thousandths of it); a model may say nothing.
    virtual Run simulate(std::uint64_t replication, RunOutputs outputs, unsigned threads, RunTicker& ticker) const = 0;
    virtual std::string account_of(const Figures& figures) const = 0;
    virtual std::string headline_of(const Figures& figures) const = 0;
};

/// Reads everything below the common header; must throw ConfigError on bad input.
using ScenarioReader = std::function<std::unique_ptr<PreparedScenario>(const ConfigNode& root, const ScenarioHeader& header)>;

/// One line of the model registry.
struct ModelEntry {
    std::string name;
    std::string description;
    ScenarioReader read;
    std::function<std::vector<ParamSection>()> params;  // every key it reads, for `tbsim params` and docs/scenarios.md
    std::function<std::vector<FigureDoc>()> figures;    // every figure it reports, for docs/outputs.md
};

}  // namespace tbsim::sim
