// The models a scenario can name with `model:`.
#pragma once

#include <string_view>
#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::app {

const std::vector<sim::ModelEntry>& models();
/// The model called `name`, or nullptr.
const sim::ModelEntry* find_model(std::string_view name);

}  // namespace tbsim::app
