#include "validation/replay/testbed_profile.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "models/mysqlrep/mysqlrep_scenario.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "validation/replay/embedded_testbed_profile.hpp"

namespace tbsim::validation {

const char* embedded_testbed_profile() { return embedded_profile("testbed"); }

TestbedProfile read_testbed_profile(const sim::ScenarioText& text, const std::vector<sim::Override>& overrides) {
    auto doc = sim::ConfigDocument::from_text(text.text, text.source);
    for (const auto& o : overrides) doc->apply_override(o.assignment, o.origin);
    const auto root = doc->root();
    TestbedProfile p;
    p.source = text.source;
    p.header = sim::read_scenario_header(root);
    if (p.header.model != "mysqlrep") root.required("model").fail(fmt::format("a replay profile is a mysqlrep scenario, not {}", p.header.model));
    p.spec = models::mysqlrep::read_benchmark_spec(root);
    doc->check_unknown_keys();
    return p;
}

sim::ScenarioText testbed_profile_text(const std::string& name_or_path) {
    if (!sim::input_path_exists(name_or_path)) {
        if (const char* text = embedded_profile(name_or_path)) return {text, fmt::format("<embedded {} profile>", name_or_path)};
        throw sim::ConfigError(fmt::format("{}: no such file (and no compiled-in profile of that name: {})", name_or_path, embedded_profile_names()));
    }
    std::ifstream in(name_or_path, std::ios::binary);
    if (!in) throw sim::ConfigError(fmt::format("{}: cannot read", name_or_path));
    std::stringstream s;
    s << in.rdbuf();
    return {s.str(), name_or_path};
}

TestbedProfile load_testbed_profile(const std::string& name_or_path, const std::vector<sim::Override>& overrides) {
    return read_testbed_profile(testbed_profile_text(name_or_path), overrides);
}

}  // namespace tbsim::validation
