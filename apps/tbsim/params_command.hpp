// `tbsim params [TOPIC] [--figures] [--markdown]`: the reference, printed from the declarations the
// readers use. TOPIC is a model name, or `scenario` for the keys every scenario has (and its sweep).
// --figures gives the figures a model reports; --markdown the tables of docs/scenarios.md and
// docs/outputs.md (scripts/update-docs writes them there; a test checks they are current).
#pragma once

#include <string>

namespace tbsim::app {

/// The reference of `topic` (empty: every topic). ConfigError for an unknown topic.
std::string params_reference(const std::string& topic, bool figures, bool markdown);

}  // namespace tbsim::app
