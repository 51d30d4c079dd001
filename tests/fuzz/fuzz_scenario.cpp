// libFuzzer target: any bytes as a scenario file. The reader must either load a study or refuse
// with a ConfigError; anything else (a crash, a sanitizer report, another exception) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/registry.hpp"
#include "sim/config/config_error.hpp"
#include "sim/scenario/study.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const tbsim::sim::StudyContext context{&tbsim::models::registry(), {}, "fuzz"};
    const tbsim::sim::ScenarioText text{std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml"};
    try {
        tbsim::sim::load_study(text, {}, context);
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
