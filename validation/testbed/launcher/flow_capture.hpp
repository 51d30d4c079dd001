// Exact bytes per flow: tshark captures every frame that crosses the testbed's bridge during the
// benchmark, then the capture is reduced to bytes and frames per (source node, destination node).
// Frame lengths include Ethernet, IP and TCP headers; with GSO a frame can exceed the MTU.
#pragma once

#include "validation/testbed/launcher/teardown_ledger.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace tbsim::testbed {

class FlowCapture {
public:
    /// Starts tshark on `bridge`, writing to `pcap_path`; returns once it is capturing.
    FlowCapture(const std::string& bridge, std::string pcap_path, TeardownLedger& ledger);

    /// Stops the capture (tshark finishes its file).
    void stop();

    /// flows.csv: src_instance,dst_instance,frames,bytes, for the nodes whose addresses are given
    /// in instance order; frames from or to other addresses are left out.
    std::string reduce_to_flows(const std::vector<std::string>& addresses) const;

private:
    std::string pcap_path_, log_path_;
    pid_t tshark_ = -1;
    TeardownLedger& ledger_;
};

}  // namespace tbsim::testbed
