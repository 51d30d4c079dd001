#include "validation/readers/compressed_file.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <lzma.h>
#include <zlib.h>

#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"

namespace tbsim::validation {
namespace {

[[noreturn]] void fail_too_long(const std::string& path, std::uint64_t max_text) {
    const std::string limit = max_text >= (1u << 20) ? fmt::format("{} MiB", max_text >> 20) : fmt::format("{} bytes", max_text);
    throw sim::ConfigError(fmt::format("{}: holds more than {} of text, the most tbsim reads from one file (damaged, or not a trace)", path, limit));
}

std::string read_bytes(const std::string& path, std::uint64_t max_text) {
    std::error_code error;
    if (const auto size = std::filesystem::file_size(path, error); !error && size > max_text) fail_too_long(path, max_text);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw sim::ConfigError(fmt::format("{}: cannot read", path));
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// The error for a stream that stops early: the line where the readable text stops is the first
// that could not be read whole.
[[noreturn]] void fail_damaged(const std::string& path, const std::string& text, const char* format, const std::string& why) {
    const auto line = 1 + std::count(text.begin(), text.end(), '\n');
    throw sim::ConfigError(fmt::format("{}:{}: damaged or truncated {} data ({}): the text stops here", path, line, format, why));
}

std::string read_gzip(const std::string& path, std::uint64_t max_text) {
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) throw sim::ConfigError(fmt::format("{}: cannot open", path));
    std::string out;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(file, buffer, sizeof buffer);
        if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
        if (out.size() > max_text) {
            gzclose(file);
            fail_too_long(path, max_text);
        }
        if (n < static_cast<int>(sizeof buffer)) break;
    }
    // gzread returns what it could at a cut like at a normal end: the error state tells them apart.
    int code = Z_OK;
    const char* message = gzerror(file, &code);
    const bool damaged = code != Z_OK && code != Z_STREAM_END;
    const std::string why = damaged && message != nullptr ? message : "";
    gzclose(file);
    if (damaged) fail_damaged(path, out, "gzip", why);
    return out;
}

const char* lzma_reason(lzma_ret code) {
    switch (code) {
        case LZMA_FORMAT_ERROR: return "not in the xz format";
        case LZMA_OPTIONS_ERROR: return "unsupported options";
        case LZMA_DATA_ERROR: return "corrupt data";
        case LZMA_BUF_ERROR: return "unexpected end of the stream";
        case LZMA_MEMLIMIT_ERROR: return "needs more memory than allowed";
        case LZMA_MEM_ERROR: return "out of memory";
        default: return "decoder error";
    }
}

std::string read_xz(const std::string& path, std::uint64_t max_text) {
    const std::string in = read_bytes(path, max_text);
    // The committed traces need 9 MiB to read (xz -6), a file of xz -9 65 MiB; a header that asks
    // for more than this limit is refused as not a trace.
    constexpr std::uint64_t memory_limit = std::uint64_t{256} << 20;
    lzma_stream stream = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&stream, memory_limit, LZMA_CONCATENATED) != LZMA_OK)
        throw sim::ConfigError(fmt::format("{}: cannot start the xz decoder", path));
    stream.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    stream.avail_in = in.size();
    std::string out;
    std::uint8_t buffer[1 << 16];
    lzma_ret code = LZMA_OK;
    while (code == LZMA_OK) {
        stream.next_out = buffer;
        stream.avail_out = sizeof buffer;
        code = lzma_code(&stream, LZMA_FINISH);
        out.append(reinterpret_cast<const char*>(buffer), sizeof buffer - stream.avail_out);
        if (out.size() > max_text) {
            lzma_end(&stream);
            fail_too_long(path, max_text);
        }
    }
    lzma_end(&stream);
    if (code != LZMA_STREAM_END) fail_damaged(path, out, "xz", lzma_reason(code));
    return out;
}

}  // namespace

std::string read_possibly_compressed(const std::string& path, std::uint64_t max_text) {
    if (!sim::input_path_exists(path)) throw sim::ConfigError(fmt::format("{}: no such file", path));
    if (path.ends_with(".gz")) return read_gzip(path, max_text);
    if (path.ends_with(".xz")) return read_xz(path, max_text);
    return read_bytes(path, max_text);
}

bool folder_has_format(const std::string& folder, const std::string& format) {
    const auto meta = std::filesystem::path(folder) / "meta.json";
    if (!sim::input_path_exists(meta)) return false;
    std::ifstream in(meta);
    std::string head(200, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return head.find(format) != std::string::npos;
}

std::optional<std::string> find_possibly_compressed(const std::string& folder, const std::string& name) {
    const auto plain = (std::filesystem::path(folder) / name).string();
    for (const char* suffix : {".xz", ".gz", ""})
        if (sim::input_path_exists(plain + suffix)) return plain + suffix;
    return std::nullopt;
}

std::string require_possibly_compressed(const std::string& folder, const std::string& name) {
    if (auto path = find_possibly_compressed(folder, name)) return *path;
    throw sim::ConfigError(fmt::format("{}: no such file (nor {}.xz, {}.gz)", (std::filesystem::path(folder) / name).string(), name, name));
}

}  // namespace tbsim::validation
