#include "validation/testbed/launcher/log_files.hpp"

#include <fstream>
#include <iterator>

namespace tbsim::testbed {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string tail_of_file(const std::string& path, std::size_t max_bytes) {
    const std::string text = read_text_file(path);
    return text.size() > max_bytes ? "..." + text.substr(text.size() - max_bytes) : text;
}

bool file_contains(const std::string& path, const std::string& text) {
    return read_text_file(path).find(text) != std::string::npos;
}

}  // namespace tbsim::testbed
