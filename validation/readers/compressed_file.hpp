// Reading a trace's files whole: plain, gzip-compressed when the name ends in .gz (zlib), or
// xz-compressed when it ends in .xz (liblzma; the committed traces, about half gzip's size). A
// truncated or damaged stream is an error naming the file, not a silently shorter trace.
#pragma once

#include <optional>
#include <string>

namespace tbsim::validation {

/// The content of `path`, decompressed if it ends in .gz or .xz. ConfigError: missing, unreadable,
/// damaged or truncated (naming the line where the readable text stops).
std::string read_possibly_compressed(const std::string& path);

/// Whether `folder` has a meta.json whose first 200 bytes name `format` (a trace or capture format).
bool folder_has_format(const std::string& folder, const std::string& format);

/// The first of `folder/name.xz`, `folder/name.gz` and `folder/name` that exists; else nothing.
std::optional<std::string> find_possibly_compressed(const std::string& folder, const std::string& name);
/// The same for a file the folder must have. ConfigError naming all three when none exists.
std::string require_possibly_compressed(const std::string& folder, const std::string& name);

}  // namespace tbsim::validation
