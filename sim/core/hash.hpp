// Stable hashes of bytes: the same input gives the same value with every compiler, library and
// platform. They name random streams (random_stream.hpp), identify resolved scenarios (resume,
// result stores) and fingerprint results for golden tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tbsim::sim {

/// FNV-1a, 64 bits.
std::uint64_t fnv1a64(std::string_view text);

/// FNV-1a 64 of `content` as 16 hex digits: the fingerprint of a result, the identity of an input.
std::string fingerprint(std::string_view content);

}  // namespace tbsim::sim
