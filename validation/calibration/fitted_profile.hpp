// The profile a calibration writes: the base profile's text with each fitted value written in
// place (comments and layout kept), the `--set` overrides it was fitted under written in place too
// (so that the file reproduces the fit), and a `calibration:` section at the end that records what was
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
    std::vector<std::string> settings;  // the base's `--set key=value` overrides the fit ran under
};

/// The fitted profile's text: the fitted values and the `--set` settings (a setting of a fitted key
/// gives way to the fitted value) written in place. ConfigError if one of those keys is not
/// written in the base's text as a single value.
std::string fitted_profile_text(const sim::ScenarioText& base, const FitResult& fit, const FittedProfileInfo& info);

}  // namespace tbsim::validation
