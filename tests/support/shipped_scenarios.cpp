#include "tests/support/shipped_scenarios.hpp"
#include <doctest/doctest.h>

#include "models/registry.hpp"
#include "sim/scenario/study_output.hpp"

using namespace tbsim;

namespace {

const sim::StudyContext& context() {
    static const sim::StudyContext c{&models::registry(), {}, "test"};
    return c;
}

}  // namespace

sim::Study load_shipped(const std::string& relative_path, const std::vector<std::string>& overrides) {
    std::vector<sim::Override> o;
    for (const auto& s : overrides) o.push_back({s, std::nullopt});
    return sim::load_study(sim::read_scenario_text(std::string(TBSIM_SOURCE_DIR) + "/" + relative_path, context()), o, context());
}

sim::Json pooled_summary(const std::string& relative_path, const std::vector<std::string>& overrides) {
    const auto study = load_shipped(relative_path, overrides);
    const auto runs = sim::run_study(study, 2);
    return sim::study_files(study, runs, sim::summarize_study(study, runs)).summary;
}

sim::RunResult run_shipped(const std::string& relative_path, const std::vector<std::string>& overrides, std::uint64_t replication) {
    const auto study = load_shipped(relative_path, overrides);
    REQUIRE_MESSAGE(!study.is_sweep(), relative_path << " is a sweep: give sweep=null");
    return study.points.front().scenario->run(replication);
}

sim::Json figures_json(const sim::RunResult& run) { return sim::figures_to_json(run.figures); }
