// Fuzz inputs that stand for a folder of files: the input is split at lines "@@\n" into the files'
// texts, in a fixed order, and written to a scratch folder of this process (reused between runs).
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tbsim::fuzz {

inline std::string write_folder(const std::uint8_t* data, std::size_t size, const std::vector<std::string>& names) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const auto dir = std::filesystem::temp_directory_path() / ("tbsim-fuzz-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::size_t start = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto cut = input.find("@@\n", start);
        const auto end = (cut == std::string::npos || i + 1 == names.size()) ? input.size() : cut;
        if (start <= input.size()) std::ofstream(dir / names[i], std::ios::binary) << input.substr(start, end - start);
        start = end == input.size() ? input.size() + 1 : end + 3;
    }
    return dir.string();
}

}  // namespace tbsim::fuzz
