// The profile a calibration writes: the base profile's text with each fitted value written in
// place (comments and layout kept), and a `calibration:` section at the end that records what was
// fitted, on which traces, with what standard errors, bounds, loss and identifiability, and by
// which tbsim. Nothing in it depends on the clock or the machine: the same inputs give the same
// bytes. It is a normal profile: `tbsim run`, `replay` and `plan` read it (models ignore the section).
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/study.hpp"
#include "validation/calibration/parameter_fit.hpp"

namespace tbsim::validation {

struct FittedProfileInfo {
    std::string version;              // tbsim's
    std::string base;                 // the base profile's name
    std::vector<std::string> traces;  // the training traces' names
    std::string metrics;              // what the loss compared (one line)
};

/// The fitted profile's text. ConfigError if a fitted key is not written in the base's text.
std::string fitted_profile_text(const sim::ScenarioText& base, const FitResult& fit, const FittedProfileInfo& info);

}  // namespace tbsim::validation
