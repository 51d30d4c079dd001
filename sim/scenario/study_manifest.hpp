// The layout of a study as data (its name, model, header, sweep and points with their identities),
// written beside a sweep's result store, so that `tbsim sweep --merge` can assemble the final
// files from stores alone, without the scenario files or a simulation. A study read back from a
// manifest has no prepared scenarios: its runs come from the store.
#pragma once

#include <string>

#include "sim/output/figure_json.hpp"
#include "sim/scenario/study.hpp"

namespace tbsim::sim {

Json study_manifest(const Study& study);

/// The study a manifest describes; a ConfigError naming `source` when it is not one.
Study study_from_manifest(const Json& manifest, const std::string& source);

}  // namespace tbsim::sim
