#include "models/mysqlrep/operation_log.hpp"

#include <algorithm>
#include <utility>

namespace tbsim::models::mysqlrep {

std::string_view phase_name(BenchmarkPhase p) {
    switch (p) {
        case BenchmarkPhase::sync: return "sync";
        case BenchmarkPhase::main: return "main";
        case BenchmarkPhase::desync: return "desync";
        case BenchmarkPhase::verify: return "verify";
    }
    return "?";
}

std::string_view op_name(BenchmarkOp op) {
    switch (op) {
        case BenchmarkOp::connect: return "connect";
        case BenchmarkOp::sync_insert: return "sync_insert";
        case BenchmarkOp::sync_poll: return "sync_poll";
        case BenchmarkOp::local_insert: return "local_insert";
        case BenchmarkOp::batch_send: return "batch_send";
        case BenchmarkOp::desync_leave: return "desync_leave";
        case BenchmarkOp::desync_poll: return "desync_poll";
        case BenchmarkOp::count_rows: return "count_rows";
    }
    return "?";
}

std::optional<BenchmarkPhase> phase_named(std::string_view name) {
    for (const auto p : kBenchmarkPhases)
        if (phase_name(p) == name) return p;
    return std::nullopt;
}

std::optional<BenchmarkOp> op_named(std::string_view name) {
    for (const auto op : kBenchmarkOps)
        if (op_name(op) == name) return op;
    return std::nullopt;
}

BenchmarkPhase phase_of(BenchmarkOp op) {
    switch (op) {
        case BenchmarkOp::connect:
        case BenchmarkOp::sync_insert:
        case BenchmarkOp::sync_poll: return BenchmarkPhase::sync;
        case BenchmarkOp::local_insert:
        case BenchmarkOp::batch_send: return BenchmarkPhase::main;
        case BenchmarkOp::desync_leave:
        case BenchmarkOp::desync_poll: return BenchmarkPhase::desync;
        case BenchmarkOp::count_rows: return BenchmarkPhase::verify;
    }
    return BenchmarkPhase::sync;
}

void sort_by_instance_and_start(std::vector<OperationRecord>& ops) {
    std::stable_sort(ops.begin(), ops.end(),
                     [](const OperationRecord& a, const OperationRecord& b) { return std::pair(a.instance, a.start) < std::pair(b.instance, b.start); });
}

}  // namespace tbsim::models::mysqlrep
