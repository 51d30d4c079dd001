#include "sim/scenario/scenario_header.hpp"

#include <algorithm>

namespace tbsim::sim {

ScenarioHeader read_scenario_header(const ConfigNode& root) {
    if (!root.is_map()) root.fail("a scenario is a mapping of keys such as name, seed and duration");
    ScenarioHeader h;
    const auto name = root.required("name");
    h.name = name.text();
    if (h.name.empty() || h.name.find_first_of("/\\ ") != std::string::npos || h.name == "." || h.name == "..")
        name.fail("expected a non-empty name without spaces or slashes (it names the output folder)");
    if (auto d = root.child("description")) h.description = d->text();
    if (auto m = root.child("model")) h.model = m->text();
    const auto seed = root.required("seed");
    const auto seed_value = seed.integer();
    if (seed_value < 0) seed.fail("must not be negative");
    h.seed = static_cast<std::uint64_t>(seed_value);
    const auto duration = root.required("duration");
    h.duration = duration.duration();
    if (h.duration <= Time::zero()) duration.fail("must be greater than zero");
    if (auto r = root.child("replications")) {
        const auto n = r->integer();
        if (n < 1 || n > 100000) r->fail("expected a count between 1 and 100000");
        h.replications = static_cast<std::uint64_t>(n);
    }
    return h;
}

}  // namespace tbsim::sim
