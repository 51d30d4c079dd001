#include "apps/tbsim/sweep_command.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "apps/tbsim/app_context.hpp"
#include "apps/tbsim/progress_display.hpp"
#include "sim/config/input_path.hpp"
#include "sim/core/units.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/output_folder.hpp"
#include "sim/scenario/mpi_runner.hpp"
#include "sim/scenario/result_store.hpp"
#include "sim/scenario/study_manifest.hpp"
#include "sim/scenario/study_output.hpp"

namespace tbsim::app {
namespace {

namespace fs = std::filesystem;

struct Shard {
    std::size_t index = 0;  // 1-based
    std::size_t count = 1;
};

Shard parse_shard(const std::string& text) {
    const auto slash = text.find('/');
    std::size_t i = 0, k = 0;
    try {
        if (slash == std::string::npos) throw std::invalid_argument(text);
        i = std::stoul(text.substr(0, slash));
        k = std::stoul(text.substr(slash + 1));
    } catch (const std::exception&) {
        throw sim::ConfigError(fmt::format("--shard {}: expected I/K, the I-th of K slices, such as 2/3", text));
    }
    if (k < 1 || i < 1 || i > k) throw sim::ConfigError(fmt::format("--shard {}: expected 1 <= I <= K", text));
    return {i, k};
}

// A slice of the points: every K-th, from the I-th. Fixed by the sweep alone.
std::vector<std::size_t> slice(const sim::Study& study, const Shard& shard) {
    std::vector<std::size_t> points;
    for (std::size_t p = shard.index - 1; p < study.points.size(); p += shard.count) points.push_back(p);
    return points;
}

void apply_precision(sim::Study& study, const std::string& text) {
    const auto f = sim::parse_fraction(text);
    if (!f || f->value <= 0 || f->value >= 1)
        throw sim::ConfigError(fmt::format("--precision {}: expected a share of the mean such as 2%", text));
    if (study.sweep.replications)
        throw sim::ConfigError(fmt::format("--precision {}: the sweep fixes its replications at {} (sweep.replications)", text, *study.sweep.replications));
    study.sweep.precision.relative = f->value;
    for (auto& p : study.points) p.replications = std::max<std::uint64_t>(study.sweep.precision.min, 2);
}

sim::Json read_json_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw sim::ConfigError(fmt::format("{}: no sweep manifest (not a folder tbsim sweep wrote into?)", path));
    std::stringstream text;
    text << in.rdbuf();
    try {
        return sim::Json::parse(text.str());
    } catch (const sim::Json::exception& e) {
        throw sim::ConfigError(fmt::format("{}: {}", path, e.what()));
    }
}

std::string manifest_path(const std::string& dir) { return (fs::path(dir) / "store" / "manifest.json").string(); }

// The final files and the account, from every run.
SweepOutcome finish(const sim::Study& study, const sim::RunReport& report, const std::string& dir, double wall_s) {
    SweepOutcome out;
    const auto results = sim::summarize_study(study, report.runs);
    auto files = sim::study_files(study, report.runs, results);
    files.summary["tbsim_version"] = TBSIM_VERSION;
    if (!report.failures.empty()) files.summary["failures"] = report.failures;
    // sweep.json: the same object as a run's summary.json, named for the sweep.
    const auto written = sim::write_study_files(files, dir, "sweep.json");
    out.summary = files.summary;
    out.failures = report.failures;
    out.wrote_files = true;
    std::size_t runs = 0;
    for (const auto& p : report.runs) runs += p.size();
    out.account = fmt::format("tbsim {}: sweep '{}' (model {}), {} points, {} runs, seed {}, {} simulated each\n", TBSIM_VERSION, study.name,
                              study.model, study.points.size(), runs, study.header.seed, sim::format_duration(study.header.duration));
    if (!study.description.empty()) out.account += fmt::format("  {}\n", study.description);
    out.account += sim::study_account(study, results);
    out.account += fmt::format("  {} events in {:.2f} s of wall-clock time\n", results.events, wall_s);
    for (const auto& f : report.failures) out.account += fmt::format("  FAILED {}\n", f);
    out.account += "  wrote:";
    for (const auto& f : written) out.account += " " + f;
    out.account += "\n";
    return out;
}

SweepOutcome merge(const SweepRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    std::string manifest;
    for (const auto& d : request.merge)
        if (sim::input_path_exists(manifest_path(d))) manifest = manifest_path(d);
    if (manifest.empty()) throw sim::ConfigError(fmt::format("--merge: no folder of {} holds a sweep's store/manifest.json", fmt::join(request.merge, ", ")));
    const auto study = sim::study_from_manifest(read_json_file(manifest), manifest);
    for (const auto& d : request.merge)
        if (sim::input_path_exists(manifest_path(d)) && read_json_file(manifest_path(d)) != read_json_file(manifest))
            throw sim::ConfigError(fmt::format("--merge: {} is another sweep than {}", manifest_path(d), manifest));
    sim::ResultStore store(request.merge, "");
    sim::RunOptions options;
    options.store = &store;
    options.keep_going = true;
    const std::string dir = request.out_dir.empty() ? request.merge.front() : request.out_dir;
    sim::check_output_folder(dir, request.out_dir.empty() ? "--merge" : "--out");
    const auto report = sim::run_study(study, options);
    return finish(study, report, dir, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace

SweepOutcome run_sweep(const SweepRequest& request) {
    if (!request.merge.empty()) return merge(request);
    const auto t0 = std::chrono::steady_clock::now();
    // Under mpirun every rank loads and checks the sweep; only rank 0 reports and writes.
    std::unique_ptr<sim::MpiSession> mpi;
    if (sim::launched_by_mpirun()) {
        if (!sim::mpi_available()) throw sim::ConfigError("tbsim sweep: started by mpirun, but this tbsim was built without MPI (install libopenmpi-dev, build again)");
        if (request.shard) throw sim::ConfigError("tbsim sweep: --shard slices a sweep for separate jobs; under mpirun the ranks share it already");
        mpi = std::make_unique<sim::MpiSession>();
    }
    auto study = sim::load_study(scenario_text(request.file), request.overrides, app_context());
    if (request.precision) apply_precision(study, *request.precision);
    const std::string dir = request.out_dir.empty() ? "out/" + study.name : request.out_dir;
    const bool writer = !mpi || mpi->rank() == 0;

    std::optional<Shard> shard;
    if (request.shard) shard = parse_shard(*request.shard);
    std::unique_ptr<sim::ResultStore> store;
    if (writer) {
        sim::check_output_folder(dir, request.out_dir.empty() ? "the default output folder" : "--out");
        sim::write_file_atomically(manifest_path(dir), sim::study_manifest(study).dump(1) + "\n");
        store = std::make_unique<sim::ResultStore>(std::vector<std::string>{dir},
                                                   shard ? fmt::format("shard-{}-of-{}", shard->index, shard->count) : "main");
    }
    sim::RunProgress progress;
    sim::RunOptions options;
    options.jobs = request.jobs;
    options.store = store.get();
    options.keep_going = true;
    options.progress = &progress;
    if (shard) options.points = slice(study, *shard);
    sim::RunReport report;
    {
        ProgressDisplay display(progress, fmt::format("sweep {}{}", study.name, shard ? fmt::format(" {}/{}", shard->index, shard->count) : ""),
                                request.quiet || !writer);
        report = mpi ? sim::run_study_mpi(study, options, *mpi) : sim::run_study(study, options);
    }
    if (!writer) return {};
    if (shard) {
        SweepOutcome out;
        std::size_t runs = 0;
        for (const auto& p : report.runs) runs += p.size();
        out.failures = report.failures;
        out.account = fmt::format("tbsim {}: sweep '{}', shard {}/{}: {} of {} points, {} runs in {}/store/ ({} kept from before); "
                                  "`tbsim sweep --merge DIR...` writes the final files once every shard has run\n",
                                  TBSIM_VERSION, study.name, shard->index, shard->count, options.points.size(), study.points.size(), runs, dir,
                                  static_cast<std::size_t>(progress.kept));
        for (const auto& f : report.failures) out.account += fmt::format("  FAILED {}\n", f);
        return out;
    }
    return finish(study, report, dir, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace tbsim::app
