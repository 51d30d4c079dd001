#include "apps/tbsim/params_command.hpp"

#include <fmt/format.h>

#include "apps/tbsim/app_context.hpp"
#include "sim/config/config_error.hpp"

namespace tbsim::app {
namespace {

std::vector<sim::ParamSection> scenario_sections() { return {sim::scenario_header_table().section(""), sim::sweep_params()}; }

std::string render(const std::vector<sim::ParamSection>& sections, bool markdown) {
    return markdown ? sim::params_as_markdown(sections) : sim::params_as_text(sections);
}

}  // namespace

std::string params_reference(const std::string& topic, bool figures, bool markdown) {
    const auto& models = *app_context().models;
    std::string model_names;
    for (const auto& m : models) model_names += (model_names.empty() ? "" : ", ") + m.name;
    bool found = topic.empty() || (topic == "scenario" && !figures);
    std::string out;
    if ((topic.empty() || topic == "scenario") && !figures) {
        if (!markdown) out += "== every scenario\n";
        out += render(scenario_sections(), markdown);
    }
    for (const auto& m : models) {
        if (!topic.empty() && topic != m.name) continue;
        found = true;
        if (!out.empty()) out += "\n";
        if (!markdown) out += fmt::format("== model {}: {}\n", m.name, m.description);
        if (figures) out += markdown ? sim::figures_as_markdown(m.figures()) : sim::figures_as_text(m.figures());
        else out += render(m.params(), markdown);
    }
    if (!found)
        throw sim::ConfigError(fmt::format("tbsim params: no {} is called '{}' (known: {}{})", figures ? "model" : "topic", topic,
                                           figures ? "" : "scenario, ", model_names));
    return out;
}

}  // namespace tbsim::app
