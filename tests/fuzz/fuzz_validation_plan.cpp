// libFuzzer target: any bytes as a validation file (validation/NAME.yaml). The reader must either
// give a plan or refuse with a ConfigError naming the file, line and key; anything else (a crash, a
// sanitizer report, another exception) is a bug. The text is read as if it lay in validation/, so
// the shipped files (the seeds) find their profiles, scenarios and traces by relative path; of a
// trace or capture the reader reads only its meta.json's format.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/config/config_error.hpp"
#include "validation/validate/validation_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string path = std::string(TBSIM_SOURCE_DIR) + "/validation/fuzz.yaml";
    try {
        tbsim::validation::parse_validation_plan(std::string(reinterpret_cast<const char*>(data), size), path);
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
