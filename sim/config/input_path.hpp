// Paths named in the input (a scenario's profile file, a trace folder, a command's argument).
//
// std::filesystem::exists and is_directory throw when the system refuses the name itself (longer
// than it allows, a component that is a file, no permission to look): for a path a person typed,
// that is bad input, not an internal error. These answer false instead, so the caller reports the
// path as missing with its own FILE:LINE (exit 2).
#pragma once

#include <filesystem>

namespace tbsim::sim {

/// Whether `path` names something that exists (false when the system cannot tell).
bool input_path_exists(const std::filesystem::path& path);

/// Whether `path` names a folder (false when the system cannot tell).
bool input_path_is_folder(const std::filesystem::path& path);

}  // namespace tbsim::sim
