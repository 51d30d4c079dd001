// The two ways a testbed run fails: the request cannot be met (exit code 2, nothing was started) or
// something broke while the testbed was up (exit code 1, after everything was torn down).
#pragma once

#include <stdexcept>
#include <string>

namespace tbsim::testbed {

/// Bad arguments or a missing prerequisite (not root, MariaDB not installed): exit code 2.
struct RequestError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A command, a server or an application failed during the run: exit code 1.
struct RunError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Ctrl-C or SIGTERM arrived: the run stops, tears down and exits 128 + signal.
struct Interrupted : std::runtime_error {
    explicit Interrupted(int signal) : std::runtime_error("interrupted"), signal_number(signal) {}
    int signal_number;
};

}  // namespace tbsim::testbed
