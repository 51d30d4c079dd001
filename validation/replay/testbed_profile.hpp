// The profile a replay runs the traces on: a `mysqlrep` scenario carrying the testbed's mechanisms
// and numbers (scenarios/mysqlrep/testbed.yaml, compiled in as `testbed`, or a file such as one
// `tbsim calibrate` wrote), with `--set` overrides. Read strictly, as `tbsim run` reads scenarios.
#pragma once

#include <string>
#include <vector>

#include "models/mysqlrep/replication_benchmark.hpp"
#include "sim/scenario/scenario_header.hpp"
#include "sim/scenario/study.hpp"

namespace tbsim::validation {

struct TestbedProfile {
    std::string source;  // the file, or "<embedded testbed profile>"
    sim::ScenarioHeader header;
    models::mysqlrep::BenchmarkSpec spec;
};

/// The compiled-in testbed profile's YAML text.
const char* embedded_testbed_profile();

/// The text of `name_or_path`: a file, or "testbed" (the compiled-in profile) when no such file exists.
sim::ScenarioText testbed_profile_text(const std::string& name_or_path);

/// `name_or_path`: a file, or "testbed" (the compiled-in profile) when no such file exists.
/// Throws ConfigError (FILE:LINE:COL) on a bad file, an unknown key or a model other than mysqlrep.
TestbedProfile load_testbed_profile(const std::string& name_or_path, const std::vector<sim::Override>& overrides = {});

/// The same from a text already read.
TestbedProfile read_testbed_profile(const sim::ScenarioText& text, const std::vector<sim::Override>& overrides = {});

}  // namespace tbsim::validation
