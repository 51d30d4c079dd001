// Starting and stopping the processes of a testbed run: each child is the leader of its own process
// group (so that Ctrl-C on the terminal reaches only the launcher, which then stops them in order),
// may join cgroups before it executes, and is waited for with a deadline, never forever.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tbsim::testbed {

using Clock = std::chrono::steady_clock;

struct SpawnOptions {
    std::vector<std::string> cgroup_procs_files;  // the child writes its PID into each before exec
    std::string output_path;                      // stdout and stderr go here (appended); empty: /dev/null
};

/// Forks and executes `argv` (searched in PATH). Throws RunError if the fork fails; a failed exec
/// shows as exit code 127.
pid_t spawn_process(const std::vector<std::string>& argv, const SpawnOptions& options = {});

/// Waits for a child until `deadline`; returns its exit status (128 + signal if killed), or nothing
/// if it is still running at the deadline. Returns early, with nothing, when an interrupt arrives
/// and `interruptible` is set.
std::optional<int> wait_for_exit(pid_t pid, Clock::time_point deadline, bool interruptible = true);

/// SIGTERM to the child's process group, then SIGKILL after `grace`; reaps the child.
void stop_process_group(pid_t pid, std::chrono::milliseconds grace);

struct CommandResult {
    int status = 0;
    std::string output;  // stdout and stderr, interleaved
};

/// Runs a command to completion within `timeout` and returns its status and output; kills it and
/// throws RunError at the timeout.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// Runs a command that must succeed; throws RunError naming the command and its output otherwise.
std::string run_checked(const std::vector<std::string>& argv,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

/// True if `name` is an executable in PATH (or is an executable path).
bool executable_in_path(const std::string& name);

/// The start time of a process (field 22 of /proc/PID/stat), which tells a PID's reuse apart.
std::optional<unsigned long long> process_start_time(pid_t pid);

}  // namespace tbsim::testbed
