#include "sim/core/check.hpp"

#include <fmt/format.h>

namespace tbsim::sim {

void fail_invariant(const char* expr, const char* file, int line, const std::string& why) {
    throw InvariantError(fmt::format("{}:{}: invariant '{}' broken: {}", file, line, expr, why));
}

}  // namespace tbsim::sim
