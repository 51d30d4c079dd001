#include "validation/testbed/launcher/teardown_ledger.hpp"

#include "validation/testbed/launcher/child_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tbsim::testbed {
namespace fs = std::filesystem;
namespace {

bool same_process_alive(pid_t pid, unsigned long long start_time) {
    const auto now = process_start_time(pid);
    return now && *now == start_time;
}

// A process of an abandoned run: not our child, so it cannot be reaped; wait for /proc to drop it.
void kill_foreign_process(pid_t pid, unsigned long long start_time) {
    if (!same_process_alive(pid, start_time)) return;
    kill(-pid, SIGTERM);
    kill(pid, SIGTERM);
    for (int k = 0; k < 100 && same_process_alive(pid, start_time); ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    for (int k = 0; k < 100 && same_process_alive(pid, start_time); ++k)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// Only the launcher's own processes ever join its cgroups; any still there are killed first.
std::string remove_cgroup(const std::string& path) {
    if (!fs::exists(path)) return {};
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (rmdir(path.c_str()) == 0 || errno == ENOENT) return {};
        std::ifstream procs(path + "/cgroup.procs");
        pid_t pid = 0;
        while (procs >> pid) kill(pid, SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return fmt::format("cgroup {} could not be removed: {}", path, std::strerror(errno));
}

std::string quiet_command(const std::vector<std::string>& argv, std::string_view absent_marker) {
    try {
        const auto r = run_command(argv, std::chrono::seconds(20));
        if (r.status == 0 || r.output.find(absent_marker) != std::string::npos) return {};
        return fmt::format("`{} {} {}` failed: {}", argv[0], argv[1], argv.back(), r.output);
    } catch (const std::exception& e) {
        return e.what();
    }
}

bool link_exists(const std::string& name) { return fs::exists("/sys/class/net/" + name); }

bool namespace_exists(const std::string& name) { return fs::exists("/run/netns/" + name); }

}  // namespace

std::string TeardownLedger::ledger_folder() { return "/run/tbsim-testbed"; }

TeardownLedger::TeardownLedger() : run_id_(fmt::format("tb{:x}", getpid())) {
    fs::create_directories(ledger_folder());
    path_ = fmt::format("{}/{}.ledger", ledger_folder(), run_id_);
    append("launcher", fmt::format("{} {}", getpid(), process_start_time(getpid()).value_or(0)));
}

TeardownLedger::~TeardownLedger() {
    for (const auto& problem : undo_all()) fmt::print(stderr, "tbsim-testbed: teardown: {}\n", problem);
}

void TeardownLedger::made_process(pid_t pid) {
    append("process", fmt::format("{} {}", pid, process_start_time(pid).value_or(0)));
}
void TeardownLedger::made_namespace(const std::string& name) { append("netns", name); }
void TeardownLedger::made_link(const std::string& name) { append("link", name); }
void TeardownLedger::made_cgroup(const std::string& path) { append("cgroup", path); }
void TeardownLedger::made_directory(const std::string& path) { append("directory", path); }

void TeardownLedger::process_ended(pid_t pid) {
    std::erase_if(entries_, [&](const Entry& e) {
        return e.kind == "process" && e.value.starts_with(fmt::format("{} ", pid));
    });
    save();
}

void TeardownLedger::append(const std::string& kind, const std::string& value) {
    entries_.push_back({kind, value});
    save();
}

void TeardownLedger::save() const {
    const std::string tmp = path_ + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto& e : entries_) out << e.kind << ' ' << e.value << '\n';
    }
    fs::rename(tmp, path_);
}

std::vector<std::string> TeardownLedger::undo_all() {
    if (entries_.empty()) return {};
    // Our own children: stopped politely (SIGTERM, then SIGKILL) and reaped.
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        if (it->kind != "process") continue;
        std::istringstream in(it->value);
        pid_t pid = 0;
        unsigned long long start = 0;
        in >> pid >> start;
        if (same_process_alive(pid, start)) stop_process_group(pid, std::chrono::seconds(10));
        else wait_for_exit(pid, Clock::now(), false);
    }
    auto problems = undo(std::move(entries_));
    entries_.clear();
    std::error_code ignored;
    fs::remove(path_, ignored);
    return problems;
}

std::vector<std::string> TeardownLedger::undo(std::vector<Entry> entries) {
    std::vector<std::string> problems;
    auto note = [&](std::string problem) {
        if (!problem.empty()) problems.push_back(std::move(problem));
    };
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
        const auto& [kind, value] = *it;
        if (kind == "process") {
            std::istringstream in(value);
            pid_t pid = 0;
            unsigned long long start = 0;
            in >> pid >> start;
            kill_foreign_process(pid, start);
        } else if (kind == "cgroup") {
            note(remove_cgroup(value));
        } else if (kind == "netns") {
            if (namespace_exists(value)) note(quiet_command({"ip", "netns", "delete", value}, "No such file"));
        } else if (kind == "link") {
            if (link_exists(value)) note(quiet_command({"ip", "link", "delete", value}, "Cannot find device"));
        } else if (kind == "directory") {
            std::error_code ec;
            fs::remove_all(value, ec);
            if (ec) note(fmt::format("{} could not be removed: {}", value, ec.message()));
        }
    }
    return problems;
}

std::vector<std::string> TeardownLedger::clean_up_abandoned_runs() {
    std::vector<std::string> cleaned;
    if (!fs::exists(ledger_folder())) return cleaned;
    for (const auto& file : fs::directory_iterator(ledger_folder())) {
        if (file.path().extension() != ".ledger") continue;
        std::ifstream in(file.path());
        std::vector<Entry> entries;
        std::string kind, value;
        while (in >> kind && std::getline(in >> std::ws, value)) entries.push_back({kind, value});
        if (entries.empty() || entries.front().kind != "launcher") continue;
        std::istringstream launcher(entries.front().value);
        pid_t pid = 0;
        unsigned long long start = 0;
        launcher >> pid >> start;
        if (pid == getpid() || same_process_alive(pid, start)) continue;  // a live run: not ours to touch
        for (const auto& problem : undo(entries)) fmt::print(stderr, "tbsim-testbed: cleanup: {}\n", problem);
        cleaned.push_back(file.path().stem().string());
        fs::remove(file.path());
    }
    return cleaned;
}

}  // namespace tbsim::testbed
