#include "apps/tbsim/scenario_loader.hpp"

#include <fmt/format.h>

#include "apps/tbsim/embedded_scenarios.hpp"
#include "apps/tbsim/model_registry.hpp"
#include "sim/config/config_document.hpp"

namespace tbsim::app {

LoadedScenario load_scenario(const LoadRequest& request) {
    auto doc = request.file ? sim::ConfigDocument::from_file(*request.file)
                            : sim::ConfigDocument::from_text(default_scenario_yaml(), "<embedded default scenario>");
    for (const auto& o : request.overrides) doc->apply_override(o);
    if (request.seed) doc->apply_override(fmt::format("seed={}", *request.seed));
    if (request.replications) doc->apply_override(fmt::format("replications={}", *request.replications));
    const auto root = doc->root();
    const auto header = sim::read_scenario_header(root);
    const auto* model = find_model(header.model);
    if (model == nullptr) {
        std::string known;
        for (const auto& m : models()) known += " " + m.name;
        root.required("model").fail(fmt::format("unknown model '{}'; known models:{}", header.model, known));
    }
    auto prepared = model->read(root, header);
    doc->check_unknown_keys();
    return {std::move(prepared), doc->identity() + "-" + TBSIM_VERSION};
}

}  // namespace tbsim::app
