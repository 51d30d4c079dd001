// Reading what the testbed's processes wrote: their logs (quoted in error messages, searched for
// the line that says a program is ready) and the applications' traces.
#pragma once

#include <string>

namespace tbsim::testbed {

/// The whole file ("" if it cannot be read).
std::string read_text_file(const std::string& path);

/// The last `max_bytes` of a file, for an error message.
std::string tail_of_file(const std::string& path, std::size_t max_bytes = 1500);

/// Whether a file holds `text` (a program's "ready" line in its log).
bool file_contains(const std::string& path, const std::string& text);

}  // namespace tbsim::testbed
