// tbsim-testbed: runs the real MySQL replication benchmark (Study A) on this machine, each instance a
// MariaDB server and its application in a container made of namespaces and cgroups, and records the
// traces that tbsim replays and calibrates against (docs/traces.md). A separate executable, so that
// the simulator never links the database client.
//
// Exit codes: 0 done; 2 bad arguments or a missing prerequisite (nothing was made); 1 the run failed
// (everything it made was removed); 128 + signal when interrupted (everything was removed).
#include "validation/testbed/launcher/interrupt_flag.hpp"
#include "validation/testbed/launcher/teardown_ledger.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"
#include "validation/testbed/launcher/testbed_run.hpp"

#include "sim/core/units.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace {

using namespace tbsim::testbed;

std::string default_out_dir(const RunRequest& r) {
    std::string dir = fmt::format("testbed-out/n{}-d{}-ag{}-k{}", r.instances, r.rate_per_minute, r.aggregation, r.inserts);
    if (!r.remote_inserts) dir += "-baseline";
    if (r.cpu_quota) dir += fmt::format("-q{}", *r.cpu_quota);
    if (!r.bandwidth_text.empty()) dir += "-bw" + r.bandwidth_text;
    if (!r.delay_text.empty()) dir += "-delay" + r.delay_text;
    return dir;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"tbsim-testbed: the real MySQL replication benchmark in containers on this machine, "
                 "recorded as traces for tbsim (docs/traces.md)."};
    app.require_subcommand(1);

    RunRequest r;
    std::string bandwidth, delay, timeout = "600s";
    auto* run = app.add_subcommand("run", "build the testbed, run the benchmark, write the traces, tear down");
    run->add_option("--instances,-n", r.instances, "N: instances, each a MariaDB server and its application")
        ->required();
    run->add_option("--rate,-d", r.rate_per_minute, "D: local inserts per minute of each application")
        ->required()->check(CLI::PositiveNumber);
    run->add_option("--ag", r.aggregation, "AG: local inserts per batch sent to every peer")
        ->required()->check(CLI::PositiveNumber);
    run->add_option("--inserts,-k", r.inserts, "K: local inserts of each application's main loop")
        ->required()->check(CLI::PositiveNumber);
    bool baseline = false;
    run->add_flag("--baseline", baseline, "Study A's baseline: no batches to the peers");
    double cpu_quota = 0;
    run->add_option("--cpu-quota", cpu_quota, "CPU cap of each container, in cores (CFS quota), e.g. 0.5")
        ->check(CLI::PositiveNumber);
    run->add_option("--bandwidth", bandwidth, "rate of each node's link, both directions (tc tbf), e.g. 10mbit");
    run->add_option("--delay", delay, "one-way delay added to what each node receives (NFQUEUE), e.g. 5ms");
    run->add_option("--timeout", timeout, "give up on the benchmark after this long (set-up excluded)")->capture_default_str();
    run->add_option("--poll", r.poll_ms, "period of listing the sync table, in ms")->capture_default_str()->check(CLI::PositiveNumber);
    run->add_option("--seed", r.seed, "seed of the applications' random tuples")->capture_default_str();
    run->add_flag("--capture-flows", r.capture_flows, "also capture the bridge with tshark and write flows.csv");
    run->add_option("--out,-o", r.out_dir, "output folder (default testbed-out/n<N>-d<D>-ag<AG>-k<K>...)");
    run->add_flag("--overwrite", r.overwrite, "replace the output folder if it exists");
    run->add_flag("--quiet,-q", r.quiet, "no progress messages");

    app.add_subcommand("cleanup", "remove what killed runs left behind (processes, namespaces, links, cgroups)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    try {
        if (app.got_subcommand("cleanup")) {
            if (geteuid() != 0) throw RequestError("tbsim-testbed cleanup needs root");
            const auto cleaned = TeardownLedger::clean_up_abandoned_runs();
            fmt::print("tbsim-testbed: {} abandoned run(s) cleaned up\n", cleaned.size());
            return 0;
        }
        if (cpu_quota > 0) r.cpu_quota = cpu_quota;
        r.remote_inserts = !baseline;
        if (!bandwidth.empty()) {
            const auto rate = tbsim::sim::parse_data_rate(bandwidth);
            if (!rate || rate->bits_per_second <= 0)
                throw RequestError(fmt::format("--bandwidth {}: expected a rate such as 10mbit or 100Mbps", bandwidth));
            r.bandwidth_bps = rate->bits_per_second;
            r.bandwidth_text = bandwidth;
        }
        if (!delay.empty()) {
            const auto d = tbsim::sim::parse_duration(delay);
            if (!d || d->seconds() < 0 || d->seconds() > 10)
                throw RequestError(fmt::format("--delay {}: expected a duration such as 5ms (at most 10s)", delay));
            r.delay_s = d->seconds();
            r.delay_text = delay;
        }
        const auto t = tbsim::sim::parse_duration(timeout);
        if (!t || t->seconds() <= 0)
            throw RequestError(fmt::format("--timeout {}: expected a duration such as 600s or 10min", timeout));
        r.timeout_s = t->seconds();
        if (r.out_dir.empty()) r.out_dir = default_out_dir(r);
        catch_interrupts();
        run_testbed(r);
        return 0;
    } catch (const RequestError& e) {
        fmt::print(stderr, "tbsim-testbed: {}\n", e.what());
        return 2;
    } catch (const Interrupted& e) {
        fmt::print(stderr, "tbsim-testbed: interrupted (signal {}); everything the run made was removed\n",
                   e.signal_number);
        return 128 + e.signal_number;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tbsim-testbed: the run failed: {}\n(everything the run made was removed)\n", e.what());
        return 1;
    }
}
