#include "sim/config/input_path.hpp"

#include <system_error>

namespace tbsim::sim {

bool input_path_exists(const std::filesystem::path& path) {
    std::error_code error;
    return std::filesystem::exists(path, error) && !error;
}

bool input_path_is_folder(const std::filesystem::path& path) {
    std::error_code error;
    return std::filesystem::is_directory(path, error) && !error;
}

}  // namespace tbsim::sim
