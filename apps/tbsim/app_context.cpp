#include "apps/tbsim/app_context.hpp"

#include <fmt/format.h>

#include "apps/tbsim/embedded_scenarios.hpp"
#include "models/registry.hpp"

namespace tbsim::app {

const sim::StudyContext& app_context() {
    static const sim::StudyContext context{
        &models::registry(),
        [](std::string_view name) -> std::optional<sim::ScenarioText> {
            if (const char* text = embedded_scenario(name)) return sim::ScenarioText{text, fmt::format("<embedded {} scenario>", name)};
            return std::nullopt;
        },
        TBSIM_VERSION};
    return context;
}

sim::ScenarioText scenario_text(const std::string& path) {
    if (path.empty()) return *app_context().embedded("default");
    return sim::read_scenario_text(path, app_context());
}

}  // namespace tbsim::app
