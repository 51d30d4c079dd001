#include "validation/testbed/operation_trace.hpp"

#include <fmt/format.h>

namespace tbsim::testbed {

std::string format_trace_line(const OperationRecord& r) {
    return fmt::format("{},{},{},{},{},{},{},{}\n", r.instance, r.phase, r.op, r.peer, r.rows, r.t_start_ns,
                       r.t_end_ns, r.ok ? 1 : 0);
}

}  // namespace tbsim::testbed
