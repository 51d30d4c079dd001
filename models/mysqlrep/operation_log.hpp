// The benchmark's operations one by one, as the real testbed's application records them
// (validation/testbed, docs/traces.md: trace.csv): which instance, phase and operation, with which
// peer, and when it started and ended. The simulated benchmark keeps the same log when asked, so
// that `tbsim replay` compares like with like.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"

namespace tbsim::models::mysqlrep {

enum class BenchmarkPhase : std::uint8_t { sync, main, desync, verify };
enum class BenchmarkOp : std::uint8_t { connect, sync_insert, sync_poll, local_insert, batch_send, desync_leave, desync_poll, count_rows };

inline constexpr std::array<BenchmarkPhase, 4> kBenchmarkPhases{BenchmarkPhase::sync, BenchmarkPhase::main, BenchmarkPhase::desync,
                                                                BenchmarkPhase::verify};
inline constexpr std::array<BenchmarkOp, 8> kBenchmarkOps{BenchmarkOp::connect,      BenchmarkOp::sync_insert, BenchmarkOp::sync_poll,
                                                          BenchmarkOp::local_insert, BenchmarkOp::batch_send,  BenchmarkOp::desync_leave,
                                                          BenchmarkOp::desync_poll,  BenchmarkOp::count_rows};

/// The names the testbed's trace.csv uses.
std::string_view phase_name(BenchmarkPhase p);
std::string_view op_name(BenchmarkOp op);
std::optional<BenchmarkPhase> phase_named(std::string_view name);
std::optional<BenchmarkOp> op_named(std::string_view name);
/// The phase an operation belongs to.
BenchmarkPhase phase_of(BenchmarkOp op);

struct OperationRecord {
    std::uint32_t instance = 0;
    std::uint32_t peer = 0;     // the database it went to (the instance's own for local operations)
    BenchmarkOp op = BenchmarkOp::connect;
    sim::Time start, end;
    std::uint32_t rows = 0;     // rows written (1 for an insert, AG for a batch); 0 for the others
    double milliseconds() const { return (end - start).milliseconds(); }
};

/// Puts `ops` in the order the testbed writes them: by instance, each instance's in start order
/// (ties keep their order).
void sort_by_instance_and_start(std::vector<OperationRecord>& ops);

}  // namespace tbsim::models::mysqlrep
