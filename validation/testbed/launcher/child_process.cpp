#include "validation/testbed/launcher/child_process.hpp"

#include "validation/testbed/launcher/interrupt_flag.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

namespace tbsim::testbed {
namespace {

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

std::string join_command(const std::vector<std::string>& argv) {
    std::string text;
    for (const auto& a : argv) {
        if (!text.empty()) text += ' ';
        text += a;
    }
    return text;
}

// Everything the child does between fork and exec uses only async-signal-safe calls.
[[noreturn]] void exec_child(char* const* argv, const std::vector<std::string>& cgroup_files, int output_fd) {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s : {SIGINT, SIGTERM, SIGHUP}) signal(s, SIG_DFL);
    char digits[24];
    int len = 0;
    for (pid_t p = getpid(); p > 0; p /= 10) digits[len++] = static_cast<char>('0' + p % 10);
    char pid_text[24];
    for (int k = 0; k < len; ++k) pid_text[k] = digits[len - 1 - k];
    for (const auto& file : cgroup_files) {
        const int fd = open(file.c_str(), O_WRONLY);
        if (fd < 0 || write(fd, pid_text, static_cast<std::size_t>(len)) != len) _exit(126);
        close(fd);
    }
    const int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, STDIN_FILENO);
    if (output_fd >= 0) {
        dup2(output_fd, STDOUT_FILENO);
        dup2(output_fd, STDERR_FILENO);
    }
    execvp(argv[0], argv);
    _exit(127);
}

pid_t fork_exec(const std::vector<std::string>& args, const std::vector<std::string>& cgroup_files, int output_fd) {
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const pid_t pid = fork();
    if (pid < 0) throw RunError(fmt::format("cannot fork for {}: {}", args.front(), std::strerror(errno)));
    if (pid == 0) exec_child(argv.data(), cgroup_files, output_fd);
    setpgid(pid, pid);  // also from the parent, so that the group exists before either runs on
    return pid;
}

}  // namespace

pid_t spawn_process(const std::vector<std::string>& argv, const SpawnOptions& options) {
    int fd = -1;
    if (!options.output_path.empty()) {
        fd = open(options.output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) throw RunError(fmt::format("cannot open {}: {}", options.output_path, std::strerror(errno)));
    } else {
        fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    }
    const pid_t pid = fork_exec(argv, options.cgroup_procs_files, fd);
    if (fd >= 0) close(fd);
    return pid;
}

std::optional<int> wait_for_exit(pid_t pid, Clock::time_point deadline, bool interruptible) {
    while (true) {
        int status = 0;
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return decode_status(status);
        if (r < 0 && errno == ECHILD) return -1;  // already reaped
        if (Clock::now() >= deadline) return std::nullopt;
        if (interruptible && pending_interrupt()) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

void stop_process_group(pid_t pid, std::chrono::milliseconds grace) {
    if (kill(-pid, SIGTERM) != 0 && errno == ESRCH) kill(pid, SIGTERM);
    if (wait_for_exit(pid, Clock::now() + grace, false)) {
        kill(-pid, SIGKILL);  // stragglers of the group
        return;
    }
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    wait_for_exit(pid, Clock::now() + std::chrono::seconds(10), false);
}

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw RunError(fmt::format("pipe: {}", std::strerror(errno)));
    const pid_t pid = fork_exec(argv, {}, pipe_fds[1]);
    close(pipe_fds[1]);
    fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
    CommandResult result;
    const auto deadline = Clock::now() + timeout;
    std::optional<int> status;
    char buffer[4096];
    auto drain = [&] {
        ssize_t got = 0;
        while ((got = read(pipe_fds[0], buffer, sizeof buffer)) > 0) result.output.append(buffer, static_cast<std::size_t>(got));
    };
    while (!status) {
        drain();
        status = wait_for_exit(pid, std::min(deadline, Clock::now() + std::chrono::milliseconds(20)), false);
        if (!status && Clock::now() >= deadline) {
            stop_process_group(pid, std::chrono::seconds(2));
            close(pipe_fds[0]);
            throw RunError(fmt::format("`{}` did not finish within {} s", join_command(argv),
                                       std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
        }
    }
    drain();
    close(pipe_fds[0]);
    result.status = *status;
    return result;
}

std::string run_checked(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    CommandResult r = run_command(argv, timeout);
    if (r.status != 0)
        throw RunError(fmt::format("`{}` failed (exit {}): {}", join_command(argv), r.status, r.output));
    return std::move(r.output);
}

bool executable_in_path(const std::string& name) {
    if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0;
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && access((dir + "/" + name).c_str(), X_OK) == 0) return true;
    return false;
}

std::optional<unsigned long long> process_start_time(pid_t pid) {
    std::ifstream in(fmt::format("/proc/{}/stat", pid));
    std::string stat;
    if (!std::getline(in, stat)) return std::nullopt;
    const auto close_paren = stat.rfind(')');  // the command name may hold spaces
    if (close_paren == std::string::npos) return std::nullopt;
    std::istringstream fields(stat.substr(close_paren + 2));
    std::string field;
    for (int k = 3; k <= 22; ++k) {  // fields after the name start at 3 (state)
        if (!(fields >> field)) return std::nullopt;
        if (k == 22) return std::stoull(field);
    }
    return std::nullopt;
}

}  // namespace tbsim::testbed
