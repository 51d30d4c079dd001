// The keys every scenario has, whatever it models:
//   name: study-b-fig5        # names the output folder out/<name>/
//   description: "..."        # optional, one line for people
//   model: openstack          # which model reads the rest of the file (default: traffic)
//   seed: 1                   # master seed of every random stream
//   duration: 60s             # simulated time
//   replications: 1           # independent runs with derived streams, for confidence intervals
#pragma once

#include <cstdint>
#include <string>

#include "sim/config/param_table.hpp"
#include "sim/core/time.hpp"

namespace tbsim::sim {

struct ScenarioHeader {
    std::string name;
    std::string description;
    std::string model = "traffic";
    std::uint64_t seed = 1;
    Time duration = Time::from_s(60);
    std::uint64_t replications = 1;
};

/// The declarations of the common keys.
const ParamTable<ScenarioHeader>& scenario_header_table();

/// Reads the common keys; `name`, `seed` and `duration` are required.
ScenarioHeader read_scenario_header(const ConfigNode& root);

}  // namespace tbsim::sim
