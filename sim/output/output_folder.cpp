#include "sim/output/output_folder.hpp"

#include <filesystem>
#include <system_error>

#include <unistd.h>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"

namespace tbsim::sim {

void check_output_folder(const std::string& dir, std::string_view option) {
    namespace fs = std::filesystem;
    auto refuse = [&](const std::string& reason) {
        throw ConfigError(fmt::format("{} {}: cannot be the output folder: {}", option, dir, reason));
    };
    // The nearest part of the path that exists: the folder itself, or where it would be made.
    fs::path at = fs::absolute(dir.empty() ? "." : dir);
    std::error_code error;
    while (!fs::exists(at, error)) {
        if (error) refuse(error.message());
        if (!at.has_parent_path() || at.parent_path() == at) refuse("no part of the path exists");
        at = at.parent_path();
    }
    if (!fs::is_directory(at, error))
        refuse(at == fs::absolute(dir) ? "it is not a folder" : fmt::format("{} is not a folder", at.string()));
    if (::access(at.c_str(), W_OK | X_OK) != 0) refuse(fmt::format("{} cannot be written", at.string()));
}

void check_output_file(const std::string& path, std::string_view option) {
    namespace fs = std::filesystem;
    check_output_folder(fs::path(path).parent_path().string(), option);
    std::error_code error;
    if (fs::is_directory(path, error)) throw ConfigError(fmt::format("{} {}: a folder; give a file name", option, path));
}

}  // namespace tbsim::sim
