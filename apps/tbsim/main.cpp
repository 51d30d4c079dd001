// tbsim: discrete-event simulator of virtualization emulation testbeds.
// Exit codes: 0 success, 2 bad input (configuration or command line), 3 a fit that did not converge
// or a validation tolerance not met, 1 internal error.
#include <cstdio>
#include <iostream>
#include <thread>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <fmt/format.h>

#include "apps/tbsim/calibrate_command.hpp"
#include "apps/tbsim/option_checks.hpp"
#include "apps/tbsim/params_command.hpp"
#include "apps/tbsim/plan_command.hpp"
#include "apps/tbsim/plot_command.hpp"
#include "apps/tbsim/replay_command.hpp"
#include "apps/tbsim/run_command.hpp"
#include "apps/tbsim/sweep_command.hpp"
#include "apps/tbsim/validate_command.hpp"
#include "bench/hold_model.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/engine_limit.hpp"
#include "sim/core/time.hpp"

namespace {

using tbsim::app::at_least_one;
using tbsim::app::seed_value;

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 1;
constexpr int kExitNotMet = 3;  // a fit that did not converge, a validation that failed a tolerance

// The options every command that loads a scenario takes.
struct LoadOptions {
    std::string file;
    std::vector<std::string> sets;
    std::vector<tbsim::sim::Override> overrides() const {
        std::vector<tbsim::sim::Override> out;
        for (const auto& s : sets) out.push_back({s, std::nullopt});
        return out;
    }
};

void add_load_options(CLI::App& cmd, LoadOptions& load) {
    cmd.add_option("scenario", load.file, "scenario or sweep YAML file (default: the embedded default scenario)");
    cmd.add_option("--set", load.sets, "override a scenario key: key.path=value, list items by index (repeatable)")->type_name("KEY=VALUE");
}

tbsim::sim::Override named(const char* option, const std::string& assignment) {
    return {assignment, tbsim::sim::OverrideOrigin{option, option, false}};
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"tbsim: discrete-event simulator of virtualization emulation testbeds\n"
                 "(hosts, VMs, containers, network links, OpenStack control traffic, MySQL replication)"};
    app.set_version_flag("--version", std::string("tbsim ") + TBSIM_VERSION);
    app.require_subcommand(1);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

    // tbsim run
    LoadOptions run_load;
    tbsim::app::RunRequest run_request;
    run_request.jobs = cores;
    bool json = false;
    std::uint64_t seed = 0;
    std::uint64_t replications = 0;
    std::string search_key, until;
    auto* run = app.add_subcommand("run", "run a scenario (or a sweep) and write summary.json and CSV results");
    add_load_options(*run, run_load);
    auto* seed_opt = run->add_option("--seed", seed, "master seed (replaces the scenario's seed)")->check(seed_value());
    auto* reps_opt = run->add_option("--replications", replications, "independent replications (of every point)")->check(at_least_one());
    run->add_option("--out", run_request.out_dir, "output folder (default: out/<scenario name>)");
    run->add_option("--jobs", run_request.jobs, "threads running replications and points in parallel")->check(at_least_one());
    run->add_flag("--json", json, "print the summary as JSON on stdout instead of the readable account");
    auto* search_opt = run->add_option("--search", search_key, "a whole-number key to search: its largest value that keeps --until");
    auto* until_opt = run->add_option("--until", until, "the bound a figure must keep, e.g. p99_kbps<=10Mbps (or <, >=, >)")->type_name("FIGURE<=BOUND");

    // tbsim sweep
    LoadOptions sweep_load;
    tbsim::app::SweepRequest sweep_request;
    sweep_request.jobs = cores;
    std::string precision, shard;
    bool sweep_json = false;
    auto* sweep = app.add_subcommand("sweep", "run a sweep at scale: a result store that resumes, threads, MPI ranks or shards, the same files");
    add_load_options(*sweep, sweep_load);
    sweep->add_option("--out", sweep_request.out_dir, "output folder, also the result store's (default: out/<sweep name>)");
    sweep->add_option("--jobs", sweep_request.jobs, "threads running simulations at once (per MPI rank)")->check(at_least_one());
    auto* precision_opt = sweep->add_option("--precision", precision,
                                            "add replications to a point until every collected figure's 95% half-width is under this share of its mean, e.g. 2%");
    auto* shard_opt = sweep->add_option("--shard", shard, "run only the I-th of K fixed slices of the points into the store (job arrays), e.g. 2/3")
                          ->type_name("I/K");
    sweep->add_option("--merge", sweep_request.merge, "write the final files from the stores of these folders (after --shard runs)")
        ->type_name("DIR...");
    sweep->add_flag("--json", sweep_json, "no progress; print sweep.json on stdout");

    // tbsim plot
    tbsim::app::PlotRequest plot_request;
    std::string plot_by;
    auto* plot = app.add_subcommand("plot", "draw a sweep's figure against an axis from points.csv, with 95% error bars (SVG, and PNG with rsvg-convert)");
    plot->add_option("table", plot_request.table, "points.csv of a sweep (or runs.csv)")->required();
    plot->add_option("--x", plot_request.x, "the axis key (its column may carry the values' unit: workload.rate)")->required();
    plot->add_option("--y", plot_request.y, "the figure, e.g. main_loop_s or mean_kbps")->required();
    plot->add_option("--by", plot_by, "one curve per value of these columns, comma-separated");
    plot->add_flag("--log-x", plot_request.log_x, "logarithmic x axis");
    plot->add_flag("--log-y", plot_request.log_y, "logarithmic y axis");
    plot->add_option("--title", plot_request.title, "the title (default: FIGURE against KEY)");
    plot->add_option("--out", plot_request.out, "the SVG file (default: beside the table, <figure>.svg)");

    // tbsim check
    LoadOptions check_load;
    auto* check = app.add_subcommand("check", "validate a scenario (every point of a sweep) without running it");
    add_load_options(*check, check_load);

    // tbsim params
    std::string params_topic;
    bool params_figures = false, params_markdown = false;
    auto* params = app.add_subcommand("params", "print the keys a model reads (units, defaults, meaning), or the figures it reports");
    params->add_option("topic", params_topic, "a model, or `scenario` for the keys every scenario has (default: all)");
    params->add_flag("--figures", params_figures, "the figures the model reports instead of its keys");
    params->add_flag("--markdown", params_markdown, "Markdown tables, as in docs/scenarios.md and docs/outputs.md");

    // tbsim plan
    tbsim::app::PlanRequest plan_request;
    plan_request.jobs = cores;
    bool plan_json = false;
    auto* plan = app.add_subcommand(
        "plan", "controller WAN bandwidth for S servers with V VMs each (OpenStack control traffic); the scenario\n"
                "scenarios/openstack/plan.yaml with these options as overrides; defaults are its values (Study B's VPN)");
    plan->add_option("--servers", plan_request.servers, "compute servers");
    plan->add_option("--vms-per-server", plan_request.vms_per_server, "idle VMs on each server (default 0)");
    plan->add_option("--sites", plan_request.sites, "sites, each joined to the controller by its own WAN link (default 1)");
    plan->add_option("--wan-latency", plan_request.wan_latency, "one-way latency of each site's WAN link (default: Study B's 2ms)");
    plan->add_option("--wan-loss", plan_request.wan_loss, "packet loss of each site's WAN link, e.g. 0.1% (default 0%)");
    plan->add_option("--wan-capacity", plan_request.wan_capacity,
                     "bandwidth of the controller's WAN interface, e.g. 10Mbps (default: no bound, the demand)");
    plan->add_option("--packet-header", plan_request.packet_header, "IP and TCP header bytes per packet; 66B counts Ethernet too (default: 52B)");
    plan->add_option("--tunnel-overhead", plan_request.tunnel_overhead, "outer tunnel bytes per packet; 0B: no tunnel (default: Study B's VPN)");
    plan->add_option("--wan-mtu", plan_request.wan_mtu, "largest packet on the WAN, headers included (default 1500B)");
    plan->add_option("--rally-times", plan_request.rally_times, "VMs created and deleted by a Rally boot-and-delete run");
    plan->add_option("--rally-concurrency", plan_request.rally_concurrency, "Rally users in parallel (default 1)");
    plan->add_option("--duration", plan_request.duration, "simulated time (default 10min)");
    plan->add_option("--profile", plan_request.profile, "release profile: juno or zed (embedded) or a YAML file (default juno)");
    plan->add_option("--seed", plan_request.seed, "master seed (default 1)")->check(seed_value());
    plan->add_option("--max-servers-for", plan_request.max_servers_for,
                     "find the most servers whose p99 of 1 s bins stays under this rate, e.g. 10Mbps");
    plan->add_option("--jobs", plan_request.jobs, "threads")->check(at_least_one());
    plan->add_flag("--json", plan_json, "print the figures as JSON (stable keys, see docs/outputs.md)");

    // tbsim replay
    tbsim::app::ReplayRequest replay_request;
    replay_request.jobs = cores;
    std::vector<std::string> replay_sets;
    std::int64_t replay_replications = 0;
    std::uint64_t replay_seed = 0;
    bool replay_json = false;
    auto* replay = app.add_subcommand("replay", "replay real testbed traces in the model and compare them (latency quantiles, KS distance,\n"
                                                "main loop, slowdown, bytes and CPU per node; the limit rate D* of a ladder)");
    replay->add_option("traces", replay_request.traces, "trace folders (validation/traces/mysqlrep/NAME), or folders of traces")->required();
    replay->add_option("--profile", replay_request.profile,
                       "the model's numbers: a mysqlrep scenario file, or `testbed` (compiled in, scenarios/mysqlrep/testbed.yaml)");
    replay->add_option("--mode", replay_request.mode,
                       "model: the simulated application paces itself (the prediction); driven: main-loop operations start at "
                       "their recorded times")
        ->check(CLI::IsMember({"model", "driven"}));
    auto* replay_reps_opt = replay->add_option("--replications", replay_replications, "simulated runs per trace, pooled (default: the profile's)")
                                ->check(at_least_one());
    auto* replay_seed_opt = replay->add_option("--seed", replay_seed, "master seed (default: the profile's)")->check(seed_value());
    replay->add_option("--set", replay_sets, "override a key of the profile: key.path=value (repeatable)")->type_name("KEY=VALUE");
    replay->add_option("--jobs", replay_request.jobs, "threads (one trace each)")->check(at_least_one());
    replay->add_option("--out", replay_request.out, "output folder (default out/replay, or out/replay/TRACE for one trace)");
    replay->add_flag("--json", replay_json, "print replay.json instead of the table");
    replay->add_flag("--simulated-traces", replay_request.simulated_traces,
                     "also write OUT/simulated/TRACE.csv: the model's operations (first replication) in trace.csv's columns");

    // tbsim calibrate
    tbsim::app::CalibrateRequest calibrate_request;
    calibrate_request.jobs = cores;
    std::vector<std::string> calibrate_sets, calibrate_fit;
    std::int64_t calibrate_replications = 0;
    std::uint64_t calibrate_seed = 0;
    int calibrate_max_evaluations = 0;
    bool calibrate_json = false;
    const CLI::Validator spread_factor(
        [](const std::string& text) -> std::string {
            double f = -1.0;
            try {
                std::size_t used = 0;
                f = std::stod(text, &used);
                if (used != text.size()) f = -1.0;
            } catch (const std::exception&) {
            }
            return tbsim::validation::valid_start_spread(f) ? std::string() : "expected a factor above 1, or 0 for the whole bounds: " + text;
        },
        "FACTOR");
    auto* calibrate = app.add_subcommand("calibrate", "fit numeric keys of a testbed profile to recorded traces (NLopt BOBYQA, common random\n"
                                                      "numbers) and write the fitted profile with standard errors; exit 3 if it does not converge");
    calibrate->add_option("traces", calibrate_request.traces,
                          "testbed trace folders (validation/traces/mysqlrep/NAME) or OpenStack captures (validation/traces/openstack-zed/NAME), "
                          "or folders of them")
        ->required();
    calibrate->add_option("--profile", calibrate_request.profile,
                          "the base profile: a mysqlrep scenario file or `testbed` (compiled in) for traces; a release profile file for captures");
    calibrate->add_option("--scenario", calibrate_request.scenarios,
                          "captures: the scenario of a workload kind, e.g. idle=scenarios/openstack/zed-idle.yaml (also create-delete, "
                          "boot-and-delete)")
        ->type_name("KIND=FILE");
    calibrate->add_option("--fit", calibrate_fit, "the keys to fit, comma-separated or repeated, e.g. database.insert_work,hosts.wake_up")
        ->required()
        ->delimiter(',');
    calibrate->add_option("--bounds", calibrate_request.bounds, "bounds of a fitted key in its unit (default: a tenth to ten times its start)")
        ->type_name("KEY=LOW:HIGH");
    calibrate->add_option("--out", calibrate_request.out, "the fitted profile (default out/calibrate/<base>-fitted.yaml)");
    calibrate->add_option("--jobs", calibrate_request.jobs, "threads replaying traces at once")->check(at_least_one());
    auto* calibrate_evals_opt =
        calibrate->add_option("--max-evaluations", calibrate_max_evaluations, "the optimiser's budget for each local search (default 200)");
    calibrate->add_option("--starts", calibrate_request.starts,
                          "local searches: from the profile's values, then from points spread around them (a Latin hypercube); "
                          "the best end point wins (1 to 100, default 1)")
        ->check(CLI::Range(1, 100));
    calibrate->add_option("--start-spread", calibrate_request.start_spread,
                          "the other starts lie within this factor of the profile's values and inside the bounds (above 1, default 2); "
                          "0: anywhere in the bounds")
        ->check(spread_factor);
    calibrate->add_option("--robust-scale", calibrate_request.robust_scale,
                          "fit a soft L1 loss with this scale in the residuals' units (0.15: about a 15% error; docs/calibration.md) "
                          "instead of least squares (default 0: least squares)")
        ->check(CLI::Range(0.0, 10.0));
    calibrate->add_option("--other-draws", calibrate_request.other_draws,
                          "replay the start and the fit with this many other seeds: the fit's gain on draws it was not fitted on "
                          "(0 to 100, default 4; 0: none)")
        ->check(CLI::Range(0, 100));
    calibrate->add_option("--mode", calibrate_request.mode, "replay mode of every evaluation: model or driven (default model)")
        ->check(CLI::IsMember({"model", "driven"}));
    auto* calibrate_reps_opt = calibrate->add_option("--replications", calibrate_replications,
                                                     "simulated runs per trace and evaluation (default 1 for traces, whatever the profile's; 3 for captures)")
                                   ->check(at_least_one());
    auto* calibrate_seed_opt = calibrate->add_option("--seed", calibrate_seed, "master seed (default: the profile's)")->check(seed_value());
    calibrate->add_option("--set", calibrate_sets, "override a key of the base profile: key.path=value (repeatable)")->type_name("KEY=VALUE");
    calibrate->add_flag("--json", calibrate_json, "no progress line; print the fit as JSON");

    // tbsim validate
    tbsim::app::ValidateRequest validate_request;
    validate_request.jobs = cores;
    bool validate_json = false, validate_no_fit = false;
    auto* validate = app.add_subcommand("validate", "calibrate on a validation file's training traces, replay its held-out traces and judge each\n"
                                                    "metric against its tolerance; exit 0 all pass, 3 a tolerance fails, 2 bad input");
    validate->add_option("file", validate_request.file, "a validation file, e.g. validation/mysqlrep.yaml")->required();
    validate->add_option("--held-out", validate_request.held_out, "judge on these trace folders instead of the file's held-out ones")
        ->type_name("DIR...");
    validate->add_flag("--no-fit", validate_no_fit, "replay with the base profile as it is, without calibrating");
    std::uint64_t validate_seed = 0;
    std::int64_t validate_replications = 0;
    auto* validate_seed_opt =
        validate->add_option("--seed", validate_seed, "master seed of every replay, the fit's and the held-out ones (default: the file's replay.seed)")
            ->check(seed_value());
    auto* validate_reps_opt = validate->add_option("--replications", validate_replications,
                                                   "simulated runs per trace (default: the file's replay.replications); "
                                                   "more, or other seeds, show how much of a verdict is chance")
                                  ->check(at_least_one());
    validate->add_option("--jobs", validate_request.jobs, "threads replaying traces at once")->check(at_least_one());
    validate->add_option("--report", validate_request.report, "write index.html (the report), fitted.yaml and verdict.json in this folder");
    validate->add_flag("--json", validate_json, "no progress; print the verdict as JSON");

    // tbsim bench engine
    auto* bench = app.add_subcommand("bench", "measure tbsim itself");
    bench->require_subcommand(1);
    std::uint64_t pending = 1000;
    std::uint64_t events = 10'000'000;
    bool bench_json = false;
    auto* engine = bench->add_subcommand("engine", "hold model through the engine and through a bare 4-ary heap");
    engine->add_option("--pending", pending, "events pending at once")->check(at_least_one());
    engine->add_option("--events", events, "events to process")->check(at_least_one());
    engine->add_flag("--json", bench_json, "print the figures as one JSON object");

    // A first word that names no command: CLI11 would only say that a subcommand is required.
    if (argc > 1 && argv[1][0] != '-') {
        std::string names;
        bool known = false;
        for (const auto* command : app.get_subcommands([](const CLI::App*) { return true; })) {
            known = known || command->get_name() == argv[1];
            names += (names.empty() ? "" : ", ") + command->get_name();
        }
        if (!known) {
            fmt::print(stderr, "tbsim: '{}' is not a command; the commands are {} (tbsim --help says what each does)\n", argv[1], names);
            return kExitBadInput;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : kExitBadInput;
    }

    try {
        if (*run) {
            run_request.file = run_load.file;
            run_request.overrides = run_load.overrides();
            if (*seed_opt) run_request.overrides.push_back(named("--seed", fmt::format("seed={}", seed)));
            if (*reps_opt) run_request.overrides.push_back(named("--replications", fmt::format("replications={}", replications)));
            if (*search_opt) run_request.search_key = search_key;
            if (*until_opt) run_request.until = until;
            run_request.progress = !json && isatty(2) == 1;
            const auto outcome = tbsim::app::run_scenario(run_request);
            if (json) {
                auto j = outcome.summary;
                j["wall_s"] = outcome.wall_s;
                fmt::print("{}\n", j.dump(2));
            } else {
                fmt::print("{}", outcome.account);
            }
        } else if (*sweep) {
            if (sweep_load.file.empty() && sweep_request.merge.empty())
                throw tbsim::sim::ConfigError("tbsim sweep: give a sweep file (or --merge DIR...)");
            sweep_request.file = sweep_load.file;
            sweep_request.overrides = sweep_load.overrides();
            if (*precision_opt) sweep_request.precision = precision;
            if (*shard_opt) sweep_request.shard = shard;
            sweep_request.quiet = sweep_json;
            const auto outcome = tbsim::app::run_sweep(sweep_request);
            if (sweep_json && outcome.wrote_files) fmt::print("{}\n", outcome.summary.dump(2));
            else if (!sweep_json) fmt::print("{}", outcome.account);
            if (!outcome.failures.empty()) return kExitInternal;
        } else if (*plot) {
            for (std::size_t start = 0; start < plot_by.size();) {
                const auto comma = plot_by.find(',', start);
                const auto end = comma == std::string::npos ? plot_by.size() : comma;
                if (end > start) plot_request.by.push_back(plot_by.substr(start, end - start));
                start = end + 1;
            }
            for (const auto& f : tbsim::app::plot_table(plot_request)) fmt::print("wrote {}\n", f);
        } else if (*replay) {
            for (const auto& s : replay_sets) replay_request.overrides.push_back({s, std::nullopt});
            if (*replay_reps_opt) replay_request.replications = replay_replications;
            if (*replay_seed_opt) replay_request.seed = replay_seed;
            const auto outcome = tbsim::app::run_replay(replay_request);
            if (replay_json) {
                fmt::print("{}\n", outcome.json.dump(2));
            } else {
                fmt::print("{}", outcome.table);
                fmt::print("replayed in {:.2f} s; wrote", outcome.wall_s);
                for (const auto& f : outcome.files) fmt::print(" {}", f);
                fmt::print("\n");
            }
        } else if (*calibrate) {
            for (const auto& s : calibrate_sets) calibrate_request.overrides.push_back({s, std::nullopt});
            calibrate_request.fit = calibrate_fit;
            if (*calibrate_reps_opt) calibrate_request.replications = calibrate_replications;
            if (*calibrate_seed_opt) calibrate_request.seed = calibrate_seed;
            if (*calibrate_evals_opt) calibrate_request.max_evaluations = calibrate_max_evaluations;
            calibrate_request.quiet = calibrate_json;
            const auto outcome = tbsim::app::run_calibrate(calibrate_request);
            if (calibrate_json) {
                fmt::print("{}\n", outcome.json.dump(2));
            } else {
                fmt::print("{}", outcome.account);
                if (!outcome.written.empty()) fmt::print("calibrated in {:.1f} s; wrote {}\n", outcome.wall_s, outcome.written);
                else fmt::print("calibrated in {:.1f} s; no profile written: the best point found is above\n", outcome.wall_s);
            }
            if (outcome.written.empty()) return kExitNotMet;
        } else if (*validate) {
            validate_request.refit = !validate_no_fit;
            if (validate_seed_opt->count() > 0) validate_request.seed = validate_seed;
            if (validate_reps_opt->count() > 0) validate_request.replications = validate_replications;
            validate_request.quiet = validate_json;
            const auto outcome = tbsim::app::run_validate(validate_request);
            if (validate_json) {
                fmt::print("{}\n", outcome.json.dump(2));
            } else {
                fmt::print("{}", outcome.account);
                for (const auto& f : outcome.files) fmt::print("wrote {}\n", f);
            }
            if (!outcome.passed) return kExitNotMet;
        } else if (*plan) {
            plan_request.progress = !plan_json && isatty(2) == 1;
            const auto outcome = tbsim::app::run_plan(plan_request);
            if (plan_json) fmt::print("{}\n", outcome.figures.dump(2));
            else fmt::print("{}", outcome.text);
        } else if (*check) {
            fmt::print("{}", tbsim::app::check_scenario(check_load.file, check_load.overrides()));
        } else if (*params) {
            fmt::print("{}", tbsim::app::params_reference(params_topic, params_figures, params_markdown));
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
    } catch (const tbsim::sim::TimeOverflow& e) {
        // Magnitudes of the input that each pass their own check but together outlast the clock.
        fmt::print(stderr, "tbsim: {}\n", e.what());
        return kExitBadInput;
    } catch (const tbsim::sim::EngineLimit& e) {
        // Or outgrow the event queue.
        fmt::print(stderr, "tbsim: {}\n", e.what());
        return kExitBadInput;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tbsim: internal error: {}\n", e.what());
        return kExitInternal;
    }
    return 0;
}
