// libFuzzer target: any bytes as a scenario file, loaded and then run. A scenario the reader takes
// must run to its end: the reader refuses bad input with a ConfigError before anything runs, and a
// run may only stop on a time beyond the clock (TimeOverflow) or on outgrowing the event queue
// (EngineLimit), which tbsim reports as bad input.
// Anything else (a crash, a sanitizer report, a broken invariant, another exception) is a bug.
//
// A run is cut to its first point, its first replication and at most kLongestRun of simulated time,
// so that most inputs run in well under a second; inputs that still take long (a million servers)
// are not bugs, and scripts/fuzz runs this target in libFuzzer's fork mode, which lets timeouts and
// running out of memory pass.
//
// The file is read as if it lay in scenarios/sweeps/, so that the repository's scenarios (the
// seeds) find the profiles and base scenarios they name by relative path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <exception>
#include <string>

#include "models/registry.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/engine_limit.hpp"
#include "sim/core/time.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/study.hpp"

namespace {

const tbsim::sim::Time kLongestRun = tbsim::sim::Time::from_s(20);

tbsim::sim::Study load(const tbsim::sim::ScenarioText& text, const std::vector<tbsim::sim::Override>& overrides) {
    static const tbsim::sim::StudyContext context{&tbsim::models::registry(), {}, "fuzz"};
    return tbsim::sim::load_study(text, overrides, context);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const tbsim::sim::ScenarioText text{std::string(reinterpret_cast<const char*>(data), size),
                                        std::string(TBSIM_SOURCE_DIR) + "/scenarios/sweeps/fuzz.yaml"};
    tbsim::sim::Study study;
    try {
        study = load(text, {});
        if (study.points.empty()) return 0;
        if (study.header.duration > kLongestRun)
            study = load(text, {tbsim::sim::Override{"duration=" + tbsim::sim::format_duration(kLongestRun), std::nullopt}});
    } catch (const tbsim::sim::ConfigError& e) {
        if (std::getenv("TBSIM_FUZZ_VERBOSE") != nullptr) std::fprintf(stderr, "fuzz_run: refused: %s\n", e.what());
        return 0;
    }
    try {
        const auto& scenario = *study.points.front().scenario;
        const auto result = scenario.run(0);
        (void)scenario.account(result.figures);
        (void)scenario.headline(result.figures);
    } catch (const tbsim::sim::TimeOverflow&) {
    } catch (const tbsim::sim::EngineLimit&) {
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fuzz_run: a scenario that loaded failed while running: %s\n", e.what());
        std::abort();
    }
    return 0;
}
