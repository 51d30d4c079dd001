#include "apps/tbsim/run_command.hpp"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

#include "sim/core/units.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/scenario/replication_store.hpp"
#include "sim/scenario/replications.hpp"

namespace tbsim::app {

RunOutcome run_and_write(const sim::PreparedScenario& scenario, const std::string& identity, const std::string& out_dir, unsigned jobs) {
    const auto& h = scenario.header();
    const auto t0 = std::chrono::steady_clock::now();
    sim::FileReplicationStore kept(out_dir, identity);
    const auto runs = sim::run_replications(scenario, h.replications, jobs, &kept);
    sim::Json ci95;
    auto pooled = sim::pool_replications(runs, &ci95);
    RunOutcome outcome;
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    sim::Json summary;
    summary["scenario"] = h.name;
    summary["model"] = h.model;
    if (!h.description.empty()) summary["description"] = h.description;
    summary["seed"] = h.seed;
    summary["duration_s"] = h.duration.seconds();
    summary["replications"] = h.replications;
    for (const auto& [key, value] : pooled.summary.items()) summary[key] = value;
    if (h.replications > 1) summary["ci95_half_width"] = ci95;
    summary["events"] = pooled.events;

    std::string fingerprinted = summary.dump();
    for (const auto& t : pooled.tables) fingerprinted += t.text();
    summary["fingerprint"] = sim::fingerprint(fingerprinted);

    const std::filesystem::path dir(out_dir);
    for (const auto& t : pooled.tables) {
        const auto path = (dir / t.file_name()).string();
        sim::write_file_atomically(path, t.text());
        outcome.files.push_back(path);
    }
    const auto summary_path = (dir / "summary.json").string();
    sim::write_file_atomically(summary_path, summary.dump(2) + "\n");
    outcome.files.insert(outcome.files.begin(), summary_path);
    outcome.summary = std::move(summary);
    kept.clear();  // the results are written: nothing to resume any more
    return outcome;
}

std::string describe_outcome(const sim::PreparedScenario& scenario, const RunOutcome& outcome) {
    const auto& h = scenario.header();
    std::string out = fmt::format("tbsim {}: scenario '{}' (model {}), seed {}, {} simulated, {} replication{}\n", TBSIM_VERSION,
                                  h.name, h.model, h.seed, sim::format_duration(h.duration), h.replications,
                                  h.replications == 1 ? "" : "s");
    if (!h.description.empty()) out += fmt::format("  {}\n", h.description);
    out += scenario.describe(outcome.summary);
    const auto events = outcome.summary["events"].get<double>();
    out += fmt::format("  {:.0f} events in {:.3f} s of wall-clock time ({:.2f} M events/s)\n", events, outcome.wall_s,
                       outcome.wall_s > 0 ? events / outcome.wall_s / 1e6 : 0.0);
    if (h.replications > 1) out += "  figures are means over replications; 95% half-widths are under ci95_half_width in summary.json\n";
    out += "  wrote:";
    for (const auto& f : outcome.files) out += " " + f;
    out += "\n";
    return out;
}

}  // namespace tbsim::app
