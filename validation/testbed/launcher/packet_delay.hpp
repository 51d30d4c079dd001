// A one-way delay on what a node receives: an iptables rule in the node's namespace sends incoming
// packets to an NFQUEUE, and tbsim-testbed-delay holds each one for the delay (no netem on this
// kernel). The rule and the queue vanish with the namespace.
#pragma once

#include "validation/testbed/launcher/teardown_ledger.hpp"

#include <sys/types.h>

#include <string>

namespace tbsim::testbed {

/// Throws RequestError if iptables or the delay program is missing.
void check_packet_delay_prerequisites();

/// Installs the rule in `namespace_name` and starts the delayer there; returns its PID.
pid_t start_packet_delay(const std::string& namespace_name, double delay_s, const std::string& log_path,
                         TeardownLedger& ledger);

}  // namespace tbsim::testbed
