// The trace of the real benchmark: one record per database operation an application made, in the
// columns of trace.csv (docs/traces.md). Shared by the application that writes a trace and the
// launcher that merges the instances' traces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tbsim::testbed {

inline constexpr std::string_view kTraceHeader = "instance,phase,op,peer,rows,t_start_ns,t_end_ns,ok";

struct OperationRecord {
    int instance = 0;       // the application's instance number, 0..N-1 (0 is the master)
    std::string_view phase; // sync | main | desync | verify
    std::string_view op;    // connect, sync_insert, sync_poll, local_insert, batch_send, ...
    int peer = 0;           // instance number of the database addressed (its own for local work)
    long long rows = 0;     // rows written, listed or counted by the operation
    std::int64_t t_start_ns = 0;  // CLOCK_MONOTONIC, ns since the launcher's epoch
    std::int64_t t_end_ns = 0;
    bool ok = true;
};

/// The clock of every trace: CLOCK_MONOTONIC in ns, one clock for all the instances of a run.
std::int64_t trace_clock_ns();

/// One CSV line (with its newline) in the column order of kTraceHeader.
std::string format_trace_line(const OperationRecord& record);

}  // namespace tbsim::testbed
