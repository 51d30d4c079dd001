#include "apps/tbsim/run_command.hpp"

#include <chrono>

#include <fmt/format.h>

#include "apps/tbsim/app_context.hpp"
#include "apps/tbsim/progress_display.hpp"
#include "sim/core/units.hpp"
#include "sim/output/output_folder.hpp"
#include "sim/scenario/run_store.hpp"
#include "sim/scenario/study_output.hpp"

namespace tbsim::app {

RunOutcome run_scenario(const RunRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto text = scenario_text(request.file);
    auto overrides = request.overrides;
    std::string searched;
    if (request.search_key || request.until) {
        if (!request.search_key || !request.until) throw sim::ConfigError("tbsim run: --search KEY and --until FIGURE<=BOUND go together");
        const auto probe = sim::load_study(text, overrides, app_context());
        sim::SearchRequest search;
        search.key = *request.search_key;
        search.until = sim::parse_search_bound(*request.until, probe.figures, "--until");
        search.jobs = request.jobs;
        if (request.progress) sim::show_search_steps(search);
        const auto found = sim::search_largest(text, overrides, search, app_context());
        if (found.largest < search.first)
            throw sim::ConfigError(fmt::format("--until {}: does not hold even at {} = {}", search.until.text(), search.key, search.first));
        overrides.push_back({fmt::format("{}={}", search.key, found.largest), sim::OverrideOrigin{"--search", "--search", true}});
        searched = fmt::format("  largest {} with {}: {} ({} evaluations; the figures above are for it)\n", search.key, search.until.text(),
                               found.largest, found.evaluations);
    }
    const auto study = sim::load_study(text, overrides, app_context());
    const auto& h = study.header;
    const std::string dir = request.out_dir.empty() ? "out/" + study.name : request.out_dir;
    sim::check_output_folder(dir, request.out_dir.empty() ? "the default output folder" : "--out");
    sim::ResumeFolder kept(dir);
    sim::RunOptions options;
    options.jobs = request.jobs;
    options.store = &kept;
    const auto runs = run_with_progress(study, options, "run " + study.name, request.progress);
    const auto results = sim::summarize_study(study, runs);
    const auto files = sim::study_files(study, runs, results);
    RunOutcome outcome;
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    outcome.files = sim::write_study_files(files, dir);
    kept.clear();  // the results are written: nothing to resume any more
    outcome.summary = files.summary;

    std::string& out = outcome.account;
    out = fmt::format("tbsim {}: scenario '{}' (model {}), seed {}, {} simulated, {} replication{}{}\n", TBSIM_VERSION, study.name, h.model,
                      h.seed, sim::format_duration(h.duration), h.replications, h.replications == 1 ? "" : "s",
                      study.is_sweep() ? fmt::format(", a sweep of {} points", study.points.size()) : "");
    if (!study.description.empty()) out += fmt::format("  {}\n", study.description);
    out += sim::study_account(study, results);
    out += searched;
    const auto events = static_cast<double>(results.events);
    out += fmt::format("  {:.0f} events in {:.3f} s of wall-clock time ({:.2f} M events/s)\n", events, outcome.wall_s,
                       outcome.wall_s > 0 ? events / outcome.wall_s / 1e6 : 0.0);
    if (h.replications > 1) out += "  figures are means over replications; 95% half-widths are under ci95_half_width in summary.json\n";
    out += "  wrote:";
    for (const auto& f : outcome.files) out += " " + f;
    out += "\n";
    return outcome;
}

std::string check_scenario(const std::string& file, const std::vector<sim::Override>& overrides) {
    const auto study = sim::load_study(scenario_text(file), overrides, app_context());
    return fmt::format("{}: ok (scenario '{}', model {}{})\n", file.empty() ? "<embedded default scenario>" : file, study.name,
                       study.header.model, study.is_sweep() ? fmt::format(", a sweep of {} points", study.points.size()) : "");
}

}  // namespace tbsim::app
