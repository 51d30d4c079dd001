// The folder a command will write its results to, checked before any work: a file in the way, or a
// path that cannot become a folder, is the user's input, refused at once with the option that
// named it (exit 2), not a failure after minutes of runs, or in a worker thread. Nothing is created
// here: input refused later still leaves nothing behind.
#pragma once

#include <string>
#include <string_view>

namespace tbsim::sim {

/// Whether `dir` is a folder or could be made one (its nearest existing ancestor is a folder that
/// can be written). ConfigError "OPTION DIR: cannot be the output folder: REASON" when not.
/// `option` names where `dir` came from ("--out", "--report").
void check_output_folder(const std::string& dir, std::string_view option);

/// The same for a file a command will write (a fitted profile, a plot): its folder as above, and
/// ConfigError "OPTION PATH: a folder; give a file name" when `path` is a folder.
void check_output_file(const std::string& path, std::string_view option);

}  // namespace tbsim::sim
