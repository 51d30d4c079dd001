// One instance's MariaDB server, in its own container: its own data directory, socket and config,
// started inside the instance's network namespace, as PID 1 of new PID, mount, UTS and IPC namespaces
// (unshare), inside the instance's cgroup. Every instance listens on port 3306 of its own address.
#pragma once

#include "validation/testbed/launcher/child_process.hpp"
#include "validation/testbed/launcher/teardown_ledger.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace tbsim::testbed {

struct ServerLayout {
    std::string folder;          // the instance's work folder (data, socket, logs)
    std::string namespace_name;  // its network namespace
    std::string hostname;        // its host name inside the container
    std::string bind_address;
};

class MariadbServer {
public:
    explicit MariadbServer(ServerLayout layout);

    /// Writes the config and creates the data directory with the benchmark's database, user and
    /// tables (mariadb-install-db, about 1.5 s). Returns the running installer; see finish_initialize.
    pid_t begin_initialize();
    /// Checks the installer's exit status; throws RunError with its log otherwise.
    void finish_initialize(int status) const;

    /// Starts the server in its namespaces and cgroup.
    void start(const std::vector<std::string>& cgroup_procs_files, TeardownLedger& ledger);

    /// Waits until the server accepts connections on its socket; throws RunError at the deadline
    /// or if the server exits.
    void wait_ready(Clock::time_point deadline);

    /// SIGTERM to the server, then waits for it to exit (SIGKILL after `grace`).
    void stop(std::chrono::milliseconds grace, TeardownLedger& ledger);

    /// The server's PID as the host sees it (the target for entering its namespaces).
    [[nodiscard]] pid_t server_pid() const { return server_pid_; }
    [[nodiscard]] std::string socket_path() const { return layout_.folder + "/mysqld.sock"; }
    [[nodiscard]] std::string error_log() const { return layout_.folder + "/error.log"; }

    /// "mariadbd  Ver 10.11.x-MariaDB ..." of the installed server.
    static std::string installed_version();

private:
    std::string config_path() const { return layout_.folder + "/my.cnf"; }

    ServerLayout layout_;
    pid_t launcher_pid_ = -1;  // `ip netns exec ... unshare` (our child)
    pid_t server_pid_ = -1;    // mariadbd, its child
};

}  // namespace tbsim::testbed
