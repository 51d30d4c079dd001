#include "tests/support/cli_support.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

CommandResult run_command_line(const std::string& command_line) {
    // ctest runs test cases in parallel processes: each capture gets its own folder.
    static int calls = 0;
    const std::string dir = scratch_dir("_capture-" + std::to_string(::getpid()) + "-" + std::to_string(calls++));
    const std::string out = dir + "/stdout", err = dir + "/stderr";
    const std::string command = command_line + " > " + out + " 2> " + err + " < /dev/null";
    const int status = std::system(command.c_str());
    CommandResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(out);
    r.err = read_file(err);
    return r;
}

CommandResult run_program(const std::string& program, const std::string& args) {
    return run_command_line(std::string(TBSIM_BINARY_DIR) + "/" + program + " " + args);
}

CommandResult run_tbsim(const std::string& args) { return run_program("apps/tbsim", args); }

std::string refusal_problem(const CommandResult& r, const std::string& message) {
    const bool named = r.err.find(message) != std::string::npos;
    if (r.exit_code == 2 && named) return "";
    std::string problem = r.exit_code == 2 ? "" : "exit " + std::to_string(r.exit_code) + " (bad input is 2); ";
    if (!named) problem += "stderr does not say \"" + message + "\"; ";
    return problem + "stderr: " + r.err;
}

std::string scratch_dir(const std::string& name) {
    const auto path = std::filesystem::path(TBSIM_BINARY_DIR) / "test-scratch" / name;
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
    return path.string();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

int spawn_program(const std::string& program, const std::vector<std::string>& args, const std::string& stderr_path) {
    const std::string binary = std::string(TBSIM_BINARY_DIR) + "/" + program;
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int null = ::open("/dev/null", O_WRONLY);
        const int err = stderr_path.empty() ? null : ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(null, 1);
        ::dup2(err, 2);
        std::vector<char*> argv{const_cast<char*>(binary.c_str())};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(binary.c_str(), argv.data());
        ::_exit(127);
    }
    return pid;
}

int spawn_tbsim(const std::vector<std::string>& args) { return spawn_program("apps/tbsim", args); }
