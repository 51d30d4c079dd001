// The models a scenario can name with `model:`, in one table: the one place that knows them all.
// The command line and the tests find models here; adding a model is a folder in models/ and one
// line below (docs/architecture.md shows the steps).
#pragma once

#include <vector>

#include "sim/scenario/scenario_model.hpp"

namespace tbsim::models {

const std::vector<sim::ModelEntry>& registry();

}  // namespace tbsim::models
