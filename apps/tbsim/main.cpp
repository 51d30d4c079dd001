// tbsim: discrete-event simulator of virtualization emulation testbeds.
// Exit codes: 0 success, 2 bad input (configuration or command line), 1 internal error.
#include <cstdio>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "apps/tbsim/model_registry.hpp"
#include "apps/tbsim/plan_command.hpp"
#include "apps/tbsim/run_command.hpp"
#include "apps/tbsim/scenario_loader.hpp"
#include "bench/hold_model.hpp"
#include "sim/config/config_error.hpp"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;

void add_load_options(CLI::App& cmd, tbsim::app::LoadRequest& load, std::string& file) {
    cmd.add_option("scenario", file, "scenario YAML file (default: the embedded default scenario)");
    cmd.add_option("--set", load.overrides, "override a scenario key: key.path=value (repeatable)")->type_name("KEY=VALUE");
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"tbsim: discrete-event simulator of virtualization emulation testbeds\n"
                 "(hosts, VMs, containers, network links, OpenStack control traffic, MySQL replication)"};
    app.set_version_flag("--version", std::string("tbsim ") + TBSIM_VERSION);
    app.require_subcommand(1);

    // tbsim run
    tbsim::app::LoadRequest run_load;
    std::string run_file;
    std::string out_dir;
    bool json = false;
    std::uint64_t seed = 0;
    std::uint64_t replications = 0;
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    auto* run = app.add_subcommand("run", "run a scenario and write summary.json and CSV results");
    add_load_options(*run, run_load, run_file);
    auto* seed_opt = run->add_option("--seed", seed, "master seed (replaces the scenario's seed)");
    auto* reps_opt = run->add_option("--replications", replications, "number of independent replications")->check(CLI::PositiveNumber);
    run->add_option("--out", out_dir, "output folder (default: out/<scenario name>)");
    run->add_option("--jobs", jobs, "threads running replications in parallel")->check(CLI::PositiveNumber);
    run->add_flag("--json", json, "print the summary as JSON on stdout instead of the readable account");

    // tbsim check
    tbsim::app::LoadRequest check_load;
    std::string check_file;
    auto* check = app.add_subcommand("check", "validate a scenario without running it");
    add_load_options(*check, check_load, check_file);

    // tbsim params
    std::string params_model;
    auto* params = app.add_subcommand("params", "print the parameters a model reads, with units and defaults");
    params->add_option("model", params_model, "model name (default: all models)");

    // tbsim plan
    tbsim::app::PlanRequest plan_request;
    bool plan_json = false;
    auto* plan = app.add_subcommand("plan", "controller WAN bandwidth for S servers with V VMs each (OpenStack control traffic)");
    plan->add_option("--servers", plan_request.servers, "compute servers");
    plan->add_option("--vms-per-server", plan_request.vms_per_server, "idle VMs on each server")->capture_default_str();
    plan->add_option("--sites", plan_request.sites, "sites, each joined to the controller by its own WAN link")->capture_default_str();
    plan->add_option("--wan-latency", plan_request.wan_latency, "one-way latency of each site's WAN link")->capture_default_str();
    plan->add_option("--wan-loss", plan_request.wan_loss, "packet loss of each site's WAN link, e.g. 0.1%")->capture_default_str();
    plan->add_option("--wan-capacity", plan_request.wan_capacity, "bandwidth of the controller's WAN interface, e.g. 10Mbps");
    plan->add_option("--packet-header", plan_request.packet_header, "IP and TCP header bytes per packet (66B counts Ethernet too)")
        ->capture_default_str();
    plan->add_option("--tunnel-overhead", plan_request.tunnel_overhead, "outer tunnel bytes per packet (Study B's VPN; 0B: no tunnel)")
        ->capture_default_str();
    plan->add_option("--wan-mtu", plan_request.wan_mtu, "largest packet on the WAN, headers included")->capture_default_str();
    plan->add_option("--rally-times", plan_request.rally_times, "VMs created and deleted by a Rally boot-and-delete run");
    plan->add_option("--rally-concurrency", plan_request.rally_concurrency, "Rally users in parallel")->capture_default_str();
    plan->add_option("--duration", plan_request.duration, "simulated time")->capture_default_str();
    plan->add_option("--profile", plan_request.profile, "release profile: juno or zed (embedded) or a YAML file")->capture_default_str();
    plan->add_option("--seed", plan_request.seed, "master seed")->capture_default_str();
    plan->add_option("--max-servers-for", plan_request.max_servers_for,
                     "find the most servers whose p99 of 1 s bins stays under this rate, e.g. 10Mbps");
    plan->add_flag("--json", plan_json, "print the figures as JSON (stable keys, see docs/outputs.md)");

    // tbsim bench engine
    auto* bench = app.add_subcommand("bench", "measure tbsim itself");
    bench->require_subcommand(1);
    std::uint64_t pending = 1000;
    std::uint64_t events = 10'000'000;
    bool bench_json = false;
    auto* engine = bench->add_subcommand("engine", "hold model through the engine and through a bare 4-ary heap");
    engine->add_option("--pending", pending, "events pending at once")->check(CLI::PositiveNumber);
    engine->add_option("--events", events, "events to process")->check(CLI::PositiveNumber);
    engine->add_flag("--json", bench_json, "print the figures as one JSON object");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : kExitBadInput;
    }

    try {
        if (*run) {
            if (!run_file.empty()) run_load.file = run_file;
            if (*seed_opt) run_load.seed = seed;
            if (*reps_opt) run_load.replications = replications;
            const auto loaded = tbsim::app::load_scenario(run_load);
            const auto& scenario = loaded.scenario;
            const std::string dir = out_dir.empty() ? "out/" + scenario->header().name : out_dir;
            const auto outcome = tbsim::app::run_and_write(*scenario, loaded.identity, dir, jobs);
            if (json) {
                auto j = outcome.summary;
                j["wall_s"] = outcome.wall_s;
                fmt::print("{}\n", j.dump(2));
            } else {
                fmt::print("{}", tbsim::app::describe_outcome(*scenario, outcome));
            }
        } else if (*plan) {
            const auto outcome = tbsim::app::run_plan(plan_request);
            if (plan_json) fmt::print("{}\n", outcome.figures.dump(2));
            else fmt::print("{}", outcome.text);
        } else if (*check) {
            if (!check_file.empty()) check_load.file = check_file;
            const auto scenario = tbsim::app::load_scenario(check_load).scenario;
            fmt::print("{}: ok (scenario '{}', model {})\n", check_file.empty() ? "<embedded default scenario>" : check_file,
                       scenario->header().name, scenario->header().model);
        } else if (*params) {
            bool found = false;
            for (const auto& m : tbsim::app::models()) {
                if (!params_model.empty() && m.name != params_model) continue;
                found = true;
                fmt::print("== model {}: {}\n{}\n", m.name, m.description, m.params());
            }
            if (!found) {
                fmt::print(stderr, "tbsim params: no model is called '{}'\n", params_model);
                return kExitBadInput;
            }
        } else if (*engine) {
            const auto f = tbsim::bench::run_hold_model(pending, events);
            if (bench_json) {
                fmt::print("{{\"pending\":{},\"events\":{},\"events_per_sec\":{:.0f},\"reference_events_per_sec\":{:.0f},\"ratio\":{:.4f}}}\n",
                           f.pending, f.events, f.events_per_sec, f.reference_events_per_sec, f.ratio);
            } else {
                fmt::print("hold model, {} pending, {} events\n  engine:    {:>12.0f} events/s\n  bare heap: {:>12.0f} events/s\n"
                           "  ratio:     {:>12.3f}\n",
                           f.pending, f.events, f.events_per_sec, f.reference_events_per_sec, f.ratio);
            }
            if (f.checksum != f.reference_checksum) {
                fmt::print(stderr, "tbsim bench engine: the engine and the reference fired different events\n");
                return kExitInternal;
            }
        }
    } catch (const tbsim::sim::ConfigError& e) {
        fmt::print(stderr, "{}\n", e.what());
        return kExitBadInput;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tbsim: internal error: {}\n", e.what());
        return kExitInternal;
    }
    return 0;
}
