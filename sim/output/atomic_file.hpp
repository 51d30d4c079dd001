// Result files written whole or not at all: the content goes to a temporary file beside the target,
// which is flushed and then renamed over it, so a crash or Ctrl-C never leaves half a result.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tbsim::sim {

/// Writes `content` to `path` atomically, creating parent directories. Throws std::runtime_error.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace tbsim::sim
