// Scenarios compiled into the binary, so that `tbsim run` with no file and `tbsim plan` work from
// any directory: `default` (scenarios/default.yaml) and `plan` (scenarios/openstack/plan.yaml).
// Generated from those files by CMake (tbsim_embed_yaml).
#pragma once

#include <string>
#include <string_view>

namespace tbsim::app {

/// The YAML text of the embedded scenario `name`, or nullptr.
const char* embedded_scenario(std::string_view name);
std::string embedded_scenario_names();

}  // namespace tbsim::app
