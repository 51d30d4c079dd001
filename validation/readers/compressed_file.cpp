#include "validation/readers/compressed_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <zlib.h>

#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"

namespace tbsim::validation {

std::string read_possibly_gzipped(const std::string& path) {
    if (!sim::input_path_exists(path)) throw sim::ConfigError(fmt::format("{}: no such file", path));
    if (path.size() < 3 || path.compare(path.size() - 3, 3, ".gz") != 0) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw sim::ConfigError(fmt::format("{}: cannot read", path));
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr) throw sim::ConfigError(fmt::format("{}: cannot open", path));
    std::string out;
    char buffer[1 << 16];
    for (;;) {
        const int n = gzread(file, buffer, sizeof buffer);
        if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
        if (n < static_cast<int>(sizeof buffer)) break;
    }
    // gzread returns what it could at a cut like at a normal end: the error state tells them apart.
    int code = Z_OK;
    const char* message = gzerror(file, &code);
    const bool damaged = code != Z_OK && code != Z_STREAM_END;
    const std::string why = damaged && message != nullptr ? message : "";
    gzclose(file);
    // The line where the readable text stops: the first line that could not be read whole.
    const auto line = 1 + std::count(out.begin(), out.end(), '\n');
    if (damaged) throw sim::ConfigError(fmt::format("{}:{}: damaged or truncated gzip data ({}): the text stops here", path, line, why));
    return out;
}

bool folder_has_format(const std::string& folder, const std::string& format) {
    const auto meta = std::filesystem::path(folder) / "meta.json";
    if (!sim::input_path_exists(meta)) return false;
    std::ifstream in(meta);
    std::string head(200, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    return head.find(format) != std::string::npos;
}

std::optional<std::string> find_possibly_gzipped(const std::string& folder, const std::string& name) {
    const auto plain = (std::filesystem::path(folder) / name).string();
    if (sim::input_path_exists(plain + ".gz")) return plain + ".gz";
    if (sim::input_path_exists(plain)) return plain;
    return std::nullopt;
}

}  // namespace tbsim::validation
