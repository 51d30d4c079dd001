// Runs the built `tbsim` binary in tests and captures what it prints.
#pragma once

#include <string>
#include <vector>

struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

/// Runs `tbsim ARGS` from the build directory; `args` is passed through the shell.
CommandResult run_tbsim(const std::string& args);

/// A fresh empty directory under the build tree for one test.
std::string scratch_dir(const std::string& name);

/// Whole content of a file ("" if missing).
std::string read_file(const std::string& path);
void write_text(const std::string& path, const std::string& text);

/// Starts `tbsim ARGS...` without waiting (stdout and stderr to /dev/null); returns its pid.
int spawn_tbsim(const std::vector<std::string>& args);
