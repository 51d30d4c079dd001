#include "sim/core/hash.hpp"

#include <fmt/format.h>

namespace tbsim::sim {

std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ull;
    }
    return h;
}

std::string fingerprint(std::string_view content) { return fmt::format("{:016x}", fnv1a64(content)); }

}  // namespace tbsim::sim
