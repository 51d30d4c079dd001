#include "validation/testbed/operation_trace.hpp"

#include <fmt/format.h>

#include <ctime>

namespace tbsim::testbed {

std::int64_t trace_clock_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string format_trace_line(const OperationRecord& r) {
    return fmt::format("{},{},{},{},{},{},{},{}\n", r.instance, r.phase, r.op, r.peer, r.rows, r.t_start_ns,
                       r.t_end_ns, r.ok ? 1 : 0);
}

}  // namespace tbsim::testbed
