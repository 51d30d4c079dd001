// Two short probes of the host, run by the launcher once the servers are up and just before the
// applications start, so that each trace carries how fast the host of that hour wakes a blocked
// thread and flushes a small write to disk: the waits the model's wake-up and log flush stand
// for, measured directly (meta.json `host_probe_us`, docs/traces.md). Recorded, not read by the
// model: on two batches of runs it did not predict their latencies (docs/mysqlrep.md, "A probe
// of the host's hour").
#pragma once

#include <string>

namespace tbsim::testbed {

struct ProbeQuantiles {
    double p50_us = 0.0, p90_us = 0.0;
};

struct HostProbe {
    int samples = 0;
    /// A byte through a pipe to a thread blocked in read() and back: two wake-ups of a blocked
    /// thread, as a query to an idle server's connection thread and its answer.
    ProbeQuantiles wake_round_trip;
    /// 512 bytes written over a block of a file of fixed size and fdatasync(): a commit's redo log
    /// flush, on the filesystem that holds the servers' data directories.
    ProbeQuantiles fdatasync;
};

/// Runs `samples` of each probe, 1 ms apart (the host may idle between them, as it does between a
/// paced loop's inserts), with a scratch file in `directory` that is removed. RunError if a pipe,
/// the thread or the file cannot be made.
HostProbe probe_host(const std::string& directory, int samples = 200);

}  // namespace tbsim::testbed
