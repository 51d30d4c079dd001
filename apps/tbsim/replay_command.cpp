#include "apps/tbsim/replay_command.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/output_folder.hpp"
#include "validation/readers/openstack_capture.hpp"
#include "validation/readers/testbed_trace.hpp"
#include "validation/replay/replay_output.hpp"
#include "validation/replay/testbed_profile.hpp"

namespace tbsim::app {

namespace fs = std::filesystem;

std::vector<std::string> expand_trace_folders(const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        if (validation::is_testbed_trace(p) || validation::is_openstack_capture(p)) {
            out.push_back(p);
            continue;
        }
        if (!sim::input_path_is_folder(p)) throw sim::ConfigError(fmt::format("{}: no such trace folder", p));
        std::vector<std::string> inside;
        for (const auto& e : fs::directory_iterator(p))
            if (e.is_directory() && (validation::is_testbed_trace(e.path().string()) || validation::is_openstack_capture(e.path().string())))
                inside.push_back(e.path().string());
        if (inside.empty())
            throw sim::ConfigError(fmt::format("{}: neither a trace (a testbed trace or an OpenStack capture, with meta.json) nor a folder of them", p));
        std::sort(inside.begin(), inside.end());
        out.insert(out.end(), inside.begin(), inside.end());
    }
    return out;
}

ReplayOutcome run_replay(const ReplayRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    if (request.traces.empty()) throw sim::ConfigError("tbsim replay: give at least one trace folder");
    validation::ReplayOptions options;
    if (request.mode == "model") options.mode = validation::ReplayMode::model;
    else if (request.mode == "driven") options.mode = validation::ReplayMode::driven;
    else throw sim::ConfigError(fmt::format("--mode {}: expected model or driven", request.mode));
    // Everything is read before anything runs: a bad trace or profile stops with FILE:LINE first.
    const auto profile = validation::load_testbed_profile(request.profile, request.overrides);
    options.replications = request.replications.value_or(static_cast<std::int64_t>(profile.header.replications));
    options.seed = request.seed.value_or(profile.header.seed);
    if (options.replications < 1) throw sim::ConfigError("--replications must be at least 1");
    options.keep_simulated_operations = request.simulated_traces;
    const auto folders = expand_trace_folders(request.traces);
    for (const auto& f : folders)
        if (validation::is_openstack_capture(f))
            throw sim::ConfigError(fmt::format("{}: an OpenStack capture; tbsim replay takes testbed traces (captures: tbsim validate, tbsim calibrate)", f));
    const auto traces = validation::read_testbed_traces(folders, request.jobs);
    const std::string dir = !request.out.empty() ? request.out : traces.size() == 1 ? "out/replay/" + traces.front().name : "out/replay";
    sim::check_output_folder(dir, request.out.empty() ? "the default output folder" : "--out");

    const auto replays = validation::replay_traces(traces, profile.spec, options, request.jobs);
    const auto limits = validation::limit_rates(replays);
    ReplayOutcome outcome;
    outcome.json = validation::replays_json(replays, limits);
    outcome.json["profile"] = profile.source;
    outcome.table = validation::replay_table(replays, limits);
    fs::create_directories(dir);
    const auto json_path = (fs::path(dir) / "replay.json").string();
    const auto csv_path = (fs::path(dir) / "quantiles.csv").string();
    sim::write_file_atomically(json_path, outcome.json.dump(2) + "\n");
    sim::write_file_atomically(csv_path, validation::quantiles_csv(replays));
    outcome.files = {json_path, csv_path};
    if (request.simulated_traces)
        for (const auto& r : replays) {
            const auto path = (fs::path(dir) / "simulated" / (r.trace + ".csv")).string();
            sim::write_file_atomically(path, validation::simulated_trace_csv(r));
            outcome.files.push_back(path);
        }
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return outcome;
}

}  // namespace tbsim::app
