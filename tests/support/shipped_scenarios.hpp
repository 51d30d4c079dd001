// Runs the shipped scenarios the way `tbsim run` does: the registry of models, the overrides, the
// sweep, the pooling and the summary written at the output edge.
#pragma once

#include <string>
#include <vector>

#include "sim/output/figure_json.hpp"
#include "sim/scenario/study.hpp"

/// The study of a scenario file of the source tree, with `key.path=value` overrides.
tbsim::sim::Study load_shipped(const std::string& relative_path, const std::vector<std::string>& overrides = {});

/// Its summary.json: every point's replications pooled (with fits and 95% half-widths).
tbsim::sim::Json pooled_summary(const std::string& relative_path, const std::vector<std::string>& overrides = {});

/// One replication of a single-point scenario, with its tables.
tbsim::sim::RunResult run_shipped(const std::string& relative_path, const std::vector<std::string>& overrides = {},
                                  std::uint64_t replication = 0);

/// A run's figures as JSON, as summary.json writes them.
tbsim::sim::Json figures_json(const tbsim::sim::RunResult& run);
