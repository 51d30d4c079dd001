// What the commands load scenarios with: the model registry, the embedded scenarios, the version.
#pragma once

#include "sim/scenario/study.hpp"

namespace tbsim::app {

const sim::StudyContext& app_context();

/// The scenario file at `path`, the embedded default scenario when `path` is empty, or an
/// embedded scenario by name ("plan").
sim::ScenarioText scenario_text(const std::string& path);

}  // namespace tbsim::app
