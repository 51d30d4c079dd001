#include "validation/testbed/launcher/packet_delay.hpp"

#include "validation/testbed/launcher/child_process.hpp"
#include "validation/testbed/launcher/log_files.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <thread>

namespace tbsim::testbed {
namespace {

std::string delayer_path() {
    return std::filesystem::read_symlink("/proc/self/exe").parent_path().string() + "/tbsim-testbed-delay";
}


}  // namespace

void check_packet_delay_prerequisites() {
    if (!executable_in_path("iptables")) throw RequestError("--delay needs iptables: apt-get install iptables");
    if (!executable_in_path(delayer_path()))
        throw RequestError(fmt::format("--delay needs {} (built with libnetfilter-queue-dev): build the project",
                                       delayer_path()));
}

pid_t start_packet_delay(const std::string& namespace_name, double delay_s, const std::string& log_path,
                         TeardownLedger& ledger) {
    // --queue-bypass: if the delayer is not (yet) listening, packets pass undelayed, never dropped.
    run_checked({"ip", "netns", "exec", namespace_name, "iptables", "-A", "INPUT", "-i", "eth0", "-j", "NFQUEUE",
                 "--queue-num", "0", "--queue-bypass"});
    const pid_t pid = spawn_process({"ip", "netns", "exec", namespace_name, delayer_path(), "0",
                                     fmt::format("{}", delay_s * 1e6)},
                                    {{}, log_path});
    ledger.made_process(pid);
    for (int k = 0; k < 200 && !file_contains(log_path, "holding queue"); ++k) {
        if (wait_for_exit(pid, Clock::now(), false)) throw RunError("the packet delayer exited; see " + log_path);
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!file_contains(log_path, "holding queue")) throw RunError("the packet delayer did not start; see " + log_path);
    return pid;
}

}  // namespace tbsim::testbed
