// One client connection to a MariaDB server, through MariaDB Connector/C: a local one over the
// server's Unix socket (what an application uses for its own database) or a TCP one to a peer.
#pragma once

#include <mysql.h>

#include <chrono>
#include <optional>
#include <string>

namespace tbsim::testbed {

struct ServerAddress {
    std::string host;    // IPv4 address for TCP; empty for the Unix socket
    std::string socket;  // Unix socket path; empty for TCP
    unsigned port = 3306;
};

struct Credentials {
    std::string user;
    std::string password;
    std::string database;
};

class DatabaseConnection {
public:
    DatabaseConnection() = default;
    DatabaseConnection(const DatabaseConnection&) = delete;
    DatabaseConnection& operator=(const DatabaseConnection&) = delete;
    DatabaseConnection(DatabaseConnection&& other) noexcept;
    DatabaseConnection& operator=(DatabaseConnection&& other) noexcept;
    ~DatabaseConnection();

    /// Opens the connection; on failure returns false and keeps the server's message in error().
    /// `io_timeout` bounds every later read and write, so that a dead peer cannot hang the run.
    bool open(const ServerAddress& address, const Credentials& credentials, std::chrono::seconds io_timeout);

    /// Runs a statement that returns no rows. Returns false on failure (see error()).
    bool execute(const std::string& statement);

    /// Runs a query and returns its number of rows, or nothing on failure (see error()).
    std::optional<long long> count_rows(const std::string& query);

    /// Runs a two-column query (key, count) such as "SELECT origin, COUNT(*) ... GROUP BY origin".
    template <typename Visit>
    bool for_each_pair(const std::string& query, Visit&& visit);

    [[nodiscard]] bool is_open() const { return handle_ != nullptr; }
    [[nodiscard]] const std::string& error() const { return error_; }

private:
    void remember_error();

    MYSQL* handle_ = nullptr;
    std::string error_;
};

template <typename Visit>
bool DatabaseConnection::for_each_pair(const std::string& query, Visit&& visit) {
    if (!handle_ || mysql_real_query(handle_, query.data(), query.size()) != 0) {
        remember_error();
        return false;
    }
    MYSQL_RES* result = mysql_store_result(handle_);
    if (!result) {
        remember_error();
        return false;
    }
    while (MYSQL_ROW row = mysql_fetch_row(result))
        if (row[0] && row[1]) visit(std::stoll(row[0]), std::stoll(row[1]));
    mysql_free_result(result);
    return true;
}

}  // namespace tbsim::testbed
