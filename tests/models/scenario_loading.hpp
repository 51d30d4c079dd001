// Loads a shipped scenario the way `tbsim run` does (overrides, header, model, unknown keys).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

std::unique_ptr<tbsim::sim::PreparedScenario> load_shipped(const std::string& relative_path,
                                                           const std::vector<std::string>& overrides = {});
