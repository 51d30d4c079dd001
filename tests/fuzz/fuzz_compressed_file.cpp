// libFuzzer target: the decompression under every trace and capture reader (compressed_file.hpp).
// The input's first byte picks the file's name (even: x.csv.gz, odd: x.csv.xz), the rest is its
// bytes. It must return the text or refuse with a ConfigError, in bounded time and memory.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/config/config_error.hpp"
#include "validation/readers/compressed_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto dir = std::filesystem::temp_directory_path() / ("tbsim-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / (data[0] % 2 == 0 ? "x.csv.gz" : "x.csv.xz")).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    try {
        tbsim::validation::read_possibly_compressed(path);
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
