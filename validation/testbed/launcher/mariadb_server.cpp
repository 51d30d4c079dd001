#include "validation/testbed/launcher/mariadb_server.hpp"

#include "validation/testbed/launcher/interrupt_flag.hpp"
#include "validation/testbed/launcher/log_files.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"

#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

namespace tbsim::testbed {
namespace fs = std::filesystem;
namespace {

// The benchmark's schema and account, run by the server at every start (one statement per line).
constexpr const char* kInitSql =
    "CREATE DATABASE IF NOT EXISTS bench;\n"
    "CREATE USER IF NOT EXISTS 'bench'@'%' IDENTIFIED BY 'bench';\n"
    "CREATE USER IF NOT EXISTS 'bench'@'localhost' IDENTIFIED BY 'bench';\n"
    "GRANT ALL ON bench.* TO 'bench'@'%';\n"
    "GRANT ALL ON bench.* TO 'bench'@'localhost';\n"
    "CREATE TABLE IF NOT EXISTS bench.data (id BIGINT AUTO_INCREMENT PRIMARY KEY, origin INT NOT NULL, "
    "seq BIGINT NOT NULL, value INT NOT NULL, text VARCHAR(32) NOT NULL) ENGINE=InnoDB;\n"
    "CREATE TABLE IF NOT EXISTS bench.sync (instance INT PRIMARY KEY, done TINYINT NOT NULL DEFAULT 0) "
    "ENGINE=InnoDB;\n";

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw RunError("cannot write " + path);
}

void give_to_mysql_user(const std::string& path) {
    const passwd* user = getpwnam("mysql");
    if (!user) throw RequestError("the system user `mysql` does not exist: is mariadb-server installed?");
    for (const auto& entry : fs::recursive_directory_iterator(path))
        if (chown(entry.path().c_str(), user->pw_uid, user->pw_gid) != 0)
            throw RunError(fmt::format("cannot chown {}: {}", entry.path().string(), std::strerror(errno)));
    if (chown(path.c_str(), user->pw_uid, user->pw_gid) != 0)
        throw RunError(fmt::format("cannot chown {}: {}", path, std::strerror(errno)));
}

bool accepts_connections(const std::string& socket_path) {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket_path.c_str(), sizeof(address.sun_path) - 1);
    const bool ok = connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

pid_t only_child_of(pid_t parent) {
    std::ifstream in(fmt::format("/proc/{}/task/{}/children", parent, parent));
    pid_t child = -1;
    in >> child;
    return child;
}

}  // namespace

MariadbServer::MariadbServer(ServerLayout layout) : layout_(std::move(layout)) {}

pid_t MariadbServer::begin_initialize() {
    fs::create_directories(layout_.folder + "/data");
    // Its own temporary folder: servers sharing /tmp collide on temporary table names at install.
    fs::create_directories(layout_.folder + "/tmp");
    write_text(config_path(), fmt::format("[mariadbd]\n"
                                          "user=mysql\n"
                                          "datadir={0}/data\n"
                                          "socket={0}/mysqld.sock\n"
                                          "pid-file={0}/mysqld.pid\n"
                                          "log-error={0}/error.log\n"
                                          "tmpdir={0}/tmp\n"
                                          "bind-address={1}\n"
                                          "port=3306\n"
                                          "skip-name-resolve\n"
                                          "performance_schema=OFF\n"
                                          "innodb_buffer_pool_size=16M\n"
                                          "max_connections=200\n",
                                          layout_.folder, layout_.bind_address));
    write_text(layout_.folder + "/init.sql", kInitSql);
    give_to_mysql_user(layout_.folder);
    return spawn_process({"mariadb-install-db", "--defaults-file=" + config_path(),
                          "--auth-root-authentication-method=socket", "--skip-test-db"},
                         {{}, layout_.folder + "/install.log"});
}

void MariadbServer::finish_initialize(int status) const {
    if (status != 0)
        throw RunError(fmt::format("mariadb-install-db for {} failed (exit {}):\n{}\n{}", layout_.hostname, status,
                                   tail_of_file(layout_.folder + "/install.log", 600), tail_of_file(error_log())));
}

void MariadbServer::start(const std::vector<std::string>& cgroup_procs_files, TeardownLedger& ledger) {
    // `sh` sets the container's host name, then becomes mariadbd: the server is PID 1 inside.
    launcher_pid_ = spawn_process(
        {"ip", "netns", "exec", layout_.namespace_name, "unshare", "--pid", "--fork", "--kill-child", "--mount-proc",
         "--uts", "--ipc", "sh", "-c",
         fmt::format("hostname {} && exec mariadbd --defaults-file={} --init-file={}/init.sql", layout_.hostname,
                     config_path(), layout_.folder)},
        {cgroup_procs_files, layout_.folder + "/server.log"});
    ledger.made_process(launcher_pid_);
}

void MariadbServer::wait_ready(Clock::time_point deadline) {
    while (true) {
        if (server_pid_ <= 0) server_pid_ = only_child_of(launcher_pid_);
        if (server_pid_ > 0 && accepts_connections(socket_path())) return;
        if (const auto status = wait_for_exit(launcher_pid_, Clock::now(), false))
            throw RunError(fmt::format("the MariaDB server of {} exited (status {}) before it was ready:\n{}{}",
                                       layout_.hostname, *status, tail_of_file(layout_.folder + "/server.log"),
                                       tail_of_file(error_log())));
        throw_if_interrupted();
        if (Clock::now() >= deadline)
            throw RunError(fmt::format("the MariaDB server of {} was not ready in time:\n{}", layout_.hostname,
                                       tail_of_file(error_log())));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void MariadbServer::stop(std::chrono::milliseconds grace, TeardownLedger& ledger) {
    if (launcher_pid_ <= 0) return;
    if (server_pid_ > 0) kill(server_pid_, SIGTERM);
    if (!wait_for_exit(launcher_pid_, Clock::now() + grace, false)) stop_process_group(launcher_pid_, grace);
    ledger.process_ended(launcher_pid_);
    launcher_pid_ = server_pid_ = -1;
}

std::string MariadbServer::installed_version() {
    auto r = run_command({"mariadbd", "--version"}, std::chrono::seconds(10));
    while (!r.output.empty() && (r.output.back() == '\n' || r.output.back() == ' ')) r.output.pop_back();
    return r.output;
}

}  // namespace tbsim::testbed
