// Scenarios compiled into the binary.
#pragma once

namespace tbsim::app {

/// scenarios/default.yaml, what `tbsim run` runs without a file.
const char* default_scenario_yaml();

}  // namespace tbsim::app
