// Invariant checks that are never compiled out (SimGrid's xbt_assert): a broken invariant is a
// bug in tbsim, reported with its location and ended with exit code 1 by the caller.
#pragma once

#include <stdexcept>
#include <string>

namespace tbsim::sim {

/// A broken internal invariant: a bug in tbsim, never a user error.
class InvariantError : public std::logic_error {
public:
    using std::logic_error::logic_error;
};

[[noreturn]] void fail_invariant(const char* expr, const char* file, int line, const std::string& why);

}  // namespace tbsim::sim

#define TBSIM_CHECK(cond, why)                                                     \
    do {                                                                           \
        if (!(cond)) [[unlikely]]                                                  \
            ::tbsim::sim::fail_invariant(#cond, __FILE__, __LINE__, (why));        \
    } while (false)
