// libFuzzer target: the OpenStack capture reader on a folder of meta.json, series.csv and
// messages.csv made from the input (fuzz_files.hpp). It must read the capture or refuse with a
// ConfigError.
#include "sim/config/config_error.hpp"
#include "tests/fuzz/fuzz_files.hpp"
#include "validation/readers/openstack_capture.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto dir = tbsim::fuzz::write_folder(data, size, {"meta.json", "series.csv", "messages.csv"});
    try {
        tbsim::validation::read_openstack_capture(dir);
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
