#include "validation/testbed/launcher/flow_capture.hpp"

#include "validation/testbed/launcher/child_process.hpp"
#include "validation/testbed/launcher/interrupt_flag.hpp"
#include "validation/testbed/launcher/log_files.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"

#include <signal.h>

#include <fmt/format.h>

#include <map>
#include <sstream>
#include <thread>

namespace tbsim::testbed {
namespace {

}  // namespace

FlowCapture::FlowCapture(const std::string& bridge, std::string pcap_path, TeardownLedger& ledger)
    : pcap_path_(std::move(pcap_path)), log_path_(pcap_path_ + ".log"), ledger_(ledger) {
    tshark_ = spawn_process({"tshark", "-i", bridge, "-q", "-w", pcap_path_}, {{}, log_path_});
    ledger_.made_process(tshark_);
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (!file_contains(log_path_, "Capturing on")) {
        if (wait_for_exit(tshark_, Clock::now(), false)) throw RunError("tshark exited before capturing; see " + log_path_);
        throw_if_interrupted();
        if (Clock::now() > deadline) throw RunError("tshark did not start capturing within 20 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

void FlowCapture::stop() {
    if (tshark_ <= 0) return;
    kill(tshark_, SIGINT);  // tshark writes out what it has and exits
    if (!wait_for_exit(tshark_, Clock::now() + std::chrono::seconds(20), false))
        stop_process_group(tshark_, std::chrono::seconds(2));
    ledger_.process_ended(tshark_);
    tshark_ = -1;
}

std::string FlowCapture::reduce_to_flows(const std::vector<std::string>& addresses) const {
    const auto fields = run_checked({"tshark", "-r", pcap_path_, "-T", "fields", "-E", "separator=,", "-e", "ip.src",
                                     "-e", "ip.dst", "-e", "frame.len"},
                                    std::chrono::minutes(10));
    std::map<std::string, int> instance_of;
    for (std::size_t k = 0; k < addresses.size(); ++k) instance_of[addresses[k]] = static_cast<int>(k);
    std::map<std::pair<int, int>, std::pair<std::uint64_t, std::uint64_t>> flows;  // (src,dst) -> frames, bytes
    std::istringstream lines(fields);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream cells(line);
        std::string src, dst, len;
        if (!std::getline(cells, src, ',') || !std::getline(cells, dst, ',') || !std::getline(cells, len, ',')) continue;
        const auto s = instance_of.find(src);
        const auto d = instance_of.find(dst);
        if (s == instance_of.end() || d == instance_of.end()) continue;
        auto& [frames, bytes] = flows[{s->second, d->second}];
        ++frames;
        bytes += std::stoull(len);
    }
    std::string csv = "src_instance,dst_instance,frames,bytes\n";
    for (const auto& [pair, totals] : flows)
        csv += fmt::format("{},{},{},{}\n", pair.first, pair.second, totals.first, totals.second);
    return csv;
}

}  // namespace tbsim::testbed
