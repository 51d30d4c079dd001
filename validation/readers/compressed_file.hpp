// Reading a trace's files whole: plain, or gzip-compressed when the name ends in .gz (zlib). A
// truncated or damaged gzip stream is an error naming the file, not a silently shorter trace.
#pragma once

#include <optional>
#include <string>

namespace tbsim::validation {

/// The content of `path` (gunzipped if it ends in .gz). ConfigError: missing, unreadable, damaged.
std::string read_possibly_gzipped(const std::string& path);

/// Whether `folder` has a meta.json whose first 200 bytes name `format` (a trace or capture format).
bool folder_has_format(const std::string& folder, const std::string& format);

/// `folder/name.gz` if it exists, else `folder/name` if it exists, else nothing.
std::optional<std::string> find_possibly_gzipped(const std::string& folder, const std::string& name);

}  // namespace tbsim::validation
