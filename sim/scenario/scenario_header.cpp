#include "sim/scenario/scenario_header.hpp"

namespace tbsim::sim {

const ParamTable<ScenarioHeader>& scenario_header_table() {
    static const ParamTable<ScenarioHeader> t{
        "common keys (every scenario)",
        {
            custom_param<ScenarioHeader>(
                "name", "string", "names the output folder out/<name>/; no spaces or slashes",
                [](const ConfigNode& n, ScenarioHeader& h) {
                    h.name = n.text();
                    if (h.name.empty() || h.name.find_first_of("/\\ ") != std::string::npos || h.name == "." || h.name == "..")
                        n.fail("expected a non-empty name without spaces or slashes (it names the output folder)");
                },
                [](const ScenarioHeader& h) { return h.name; })
                .required(),
            param("description", &ScenarioHeader::description, "one line for people"),
            param("model", &ScenarioHeader::model, "which model reads the rest of the file (`tbsim params` lists them)"),
            param("seed", &ScenarioHeader::seed, "master seed; every random stream derives from (seed, stream name, replication)")
                .required(),
            custom_param<ScenarioHeader>(
                "duration", "duration", "simulated time; the run covers [0, duration)",
                [](const ConfigNode& n, ScenarioHeader& h) {
                    h.duration = n.duration();
                    if (h.duration <= Time::zero()) n.fail("must be greater than zero");
                },
                [](const ScenarioHeader& h) { return format_duration(h.duration); })
                .required(),
            custom_param<ScenarioHeader>(
                "replications", "count", "independent replications, pooled with 95% confidence intervals",
                [](const ConfigNode& n, ScenarioHeader& h) {
                    const auto v = n.integer();
                    if (v < 1 || v > 100000) n.fail("expected a count between 1 and 100000");
                    h.replications = static_cast<std::uint64_t>(v);
                },
                [](const ScenarioHeader& h) { return std::to_string(h.replications); }),
            custom_param<ScenarioHeader>(
                "calibration", "mapping",
                "written by `tbsim calibrate`: what was fitted, on which traces, with what errors (docs/calibration.md); read by "
                "people, ignored by the models",
                [](const ConfigNode& n, ScenarioHeader&) { n.mark_opaque(); }, [](const ScenarioHeader&) { return std::string(); }),
        }};
    return t;
}

ScenarioHeader read_scenario_header(const ConfigNode& root) {
    if (!root.is_map()) root.fail("a scenario is a mapping of keys such as name, seed and duration");
    ScenarioHeader h;
    scenario_header_table().read(root, h);
    return h;
}

}  // namespace tbsim::sim
