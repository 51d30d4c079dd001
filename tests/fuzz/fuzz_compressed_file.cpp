// libFuzzer target: the decompression under every trace and capture reader (compressed_file.hpp).
// The input's first byte picks the file's name (even: x.csv.gz, odd: x.csv.xz), the rest is its
// bytes. It must return the text or refuse with a ConfigError, in bounded time and memory: the
// text is read up to 64 MiB here (the readers' limit is 2 GiB, above libFuzzer's default memory
// limit), so that an input that decompresses without end exercises the refusal, not the fuzzer's.
#include <string>

#include "sim/config/config_error.hpp"
#include "tests/fuzz/fuzz_files.hpp"
#include "validation/readers/compressed_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string name = data[0] % 2 == 0 ? "x.csv.gz" : "x.csv.xz";
    // One file: fuzz_files.hpp writes the whole rest of the input to it, "@@" lines included.
    const auto dir = tbsim::fuzz::write_folder(data + 1, size - 1, {name});
    try {
        tbsim::validation::read_possibly_compressed(dir + "/" + name, std::uint64_t{64} << 20);
    } catch (const tbsim::sim::ConfigError&) {
    }
    return 0;
}
