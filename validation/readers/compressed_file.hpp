// Reading a trace's files whole: plain, gzip-compressed when the name ends in .gz (zlib), or
// xz-compressed when it ends in .xz (liblzma; the committed traces, about half gzip's size). A
// truncated or damaged stream is an error naming the file, not a silently shorter trace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace tbsim::validation {

/// The most text a trace's or capture's file may hold once decompressed: 2 GiB, 300 times the
/// largest committed trace.csv (6.9 MB), so that a damaged or hostile file (a gzip stream of zeros
/// grows a thousandfold) is refused before it takes the machine's memory.
inline constexpr std::uint64_t kMaxFileText = std::uint64_t{2} << 30;

/// The content of `path`, decompressed if it ends in .gz or .xz. ConfigError: missing, unreadable,
/// damaged or truncated (naming the line where the readable text stops), or longer than
/// `max_text` bytes.
std::string read_possibly_compressed(const std::string& path, std::uint64_t max_text = kMaxFileText);

/// Whether `folder` has a meta.json whose first 200 bytes name `format` (a trace or capture format).
bool folder_has_format(const std::string& folder, const std::string& format);

/// The first of `folder/name.xz`, `folder/name.gz` and `folder/name` that exists; else nothing.
std::optional<std::string> find_possibly_compressed(const std::string& folder, const std::string& name);
/// The same for a file the folder must have. ConfigError naming all three when none exists.
std::string require_possibly_compressed(const std::string& folder, const std::string& name);

}  // namespace tbsim::validation
