#include "validation/testbed/app/database_connection.hpp"

#include <utility>

namespace tbsim::testbed {

DatabaseConnection::DatabaseConnection(DatabaseConnection&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), error_(std::move(other.error_)) {}

DatabaseConnection& DatabaseConnection::operator=(DatabaseConnection&& other) noexcept {
    if (this != &other) {
        if (handle_) mysql_close(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
        error_ = std::move(other.error_);
    }
    return *this;
}

DatabaseConnection::~DatabaseConnection() {
    if (handle_) mysql_close(handle_);
}

bool DatabaseConnection::open(const ServerAddress& address, const Credentials& credentials,
                              std::chrono::seconds io_timeout) {
    if (handle_) mysql_close(handle_);
    handle_ = mysql_init(nullptr);
    if (!handle_) {
        error_ = "mysql_init: out of memory";
        return false;
    }
    const unsigned timeout = static_cast<unsigned>(io_timeout.count());
    mysql_optionsv(handle_, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_optionsv(handle_, MYSQL_OPT_READ_TIMEOUT, &timeout);
    mysql_optionsv(handle_, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
    const bool local = !address.socket.empty();
    const unsigned protocol = local ? MYSQL_PROTOCOL_SOCKET : MYSQL_PROTOCOL_TCP;
    mysql_optionsv(handle_, MYSQL_OPT_PROTOCOL, &protocol);
    if (!mysql_real_connect(handle_, local ? nullptr : address.host.c_str(), credentials.user.c_str(),
                            credentials.password.c_str(), credentials.database.c_str(), address.port,
                            local ? address.socket.c_str() : nullptr, 0)) {
        remember_error();
        mysql_close(handle_);
        handle_ = nullptr;
        return false;
    }
    return true;
}

bool DatabaseConnection::execute(const std::string& statement) {
    if (!handle_ || mysql_real_query(handle_, statement.data(), statement.size()) != 0) {
        remember_error();
        return false;
    }
    return true;
}

std::optional<long long> DatabaseConnection::count_rows(const std::string& query) {
    if (!handle_ || mysql_real_query(handle_, query.data(), query.size()) != 0) {
        remember_error();
        return std::nullopt;
    }
    MYSQL_RES* result = mysql_store_result(handle_);
    if (!result) {
        remember_error();
        return std::nullopt;
    }
    const auto rows = static_cast<long long>(mysql_num_rows(result));
    mysql_free_result(result);
    return rows;
}

void DatabaseConnection::remember_error() {
    error_ = handle_ ? mysql_error(handle_) : "not connected";
}

}  // namespace tbsim::testbed
