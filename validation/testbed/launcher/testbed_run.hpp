// One run of the real benchmark: build the testbed (bridge, namespaces, cgroups, MariaDB servers),
// start the N applications together, wait for them within the timeout, collect their traces and the
// counters, and tear everything down, whatever happens.
#pragma once

#include <optional>
#include <string>

namespace tbsim::testbed {

struct RunRequest {
    int instances = 2;                    // N
    double rate_per_minute = 600;         // D
    int aggregation = 10;                 // AG
    long long inserts = 1000;             // K: local inserts of each application's main loop
    bool remote_inserts = true;           // false: Study A's baseline
    std::optional<double> cpu_quota;      // cores per container
    std::optional<double> bandwidth_bps;  // per node link, both directions
    std::string bandwidth_text;           // as given, for meta.json
    std::optional<double> delay_s;        // one-way, added on each node's incoming packets
    std::string delay_text;
    double timeout_s = 600;               // the whole run, set-up and teardown excluded
    int poll_ms = 1000;                   // period of listing the sync table
    std::uint64_t seed = 1;
    bool capture_flows = false;           // tshark on the bridge, for flows.csv
    std::string out_dir;
    bool overwrite = false;
    bool quiet = false;
};

/// Checks what the run needs before anything is made; throws RequestError with the reason.
void check_prerequisites(const RunRequest& request);

/// Runs the testbed and writes the outputs to request.out_dir. Throws RequestError (nothing was
/// made), RunError or Interrupted (everything made was removed again).
void run_testbed(const RunRequest& request);

}  // namespace tbsim::testbed
