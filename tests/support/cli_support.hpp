// Runs the built programs (`tbsim`, `tbsim-testbed`) in tests and captures what they print.
#pragma once

#include <string>
#include <vector>

struct CommandResult {
    int exit_code = -1;
    std::string out;  // stdout
    std::string err;  // stderr
};

/// Runs a shell command line and captures its exit code, stdout and stderr.
CommandResult run_command_line(const std::string& command_line);

/// Runs `PROGRAM ARGS` (PROGRAM relative to the build directory); `args` go through the shell.
CommandResult run_program(const std::string& program, const std::string& args);

/// Runs `tbsim ARGS` from the build directory; `args` is passed through the shell.
CommandResult run_tbsim(const std::string& args);

/// What keeps `r` from being a refusal of bad input naming `message`: "" when it exited 2 with
/// `message` in its stderr, else its exit code and stderr. CHECK(refusal_problem(r, M) == "") then
/// prints what the command did instead.
std::string refusal_problem(const CommandResult& r, const std::string& message);

/// A fresh empty directory under the build tree for one test.
std::string scratch_dir(const std::string& name);

/// Whole content of a file ("" if missing).
std::string read_file(const std::string& path);
void write_text(const std::string& path, const std::string& text);

/// Starts `PROGRAM ARGS...` (relative to the build directory) without waiting; stdout goes to
/// /dev/null, stderr to `stderr_path` (or /dev/null). Returns its pid.
int spawn_program(const std::string& program, const std::vector<std::string>& args, const std::string& stderr_path = {});

/// Starts `tbsim ARGS...` without waiting (stdout and stderr to /dev/null); returns its pid.
int spawn_tbsim(const std::vector<std::string>& args);
