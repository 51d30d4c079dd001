// libFuzzer target: the testbed trace reader on a folder of meta.json, trace.csv and bytes.csv
// made from the input (fuzz_files.hpp). It must read the trace or refuse with a ConfigError.
#include "sim/config/config_error.hpp"
#include "tests/fuzz/fuzz_files.hpp"
#include "validation/readers/testbed_trace.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto dir = tbsim::fuzz::write_folder(data, size, {"meta.json", "trace.csv", "bytes.csv"});
    try {
        tbsim::validation::read_testbed_trace(dir);
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
