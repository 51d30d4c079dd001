#include "apps/tbsim/validate_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "apps/tbsim/calibrate_command.hpp"
#include "apps/tbsim/replay_command.hpp"
#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/output_folder.hpp"
#include "validation/validate/openstack_validation.hpp"
#include "validation/validate/testbed_validation.hpp"
#include "validation/validate/validation_report.hpp"

namespace tbsim::app {

namespace fs = std::filesystem;

namespace {

// What both kinds of validation report: the verdicts and the fit, with the names of the traces.
struct VerdictSummary {
    const validation::ValidationPlan* plan = nullptr;
    std::vector<std::string> training, held_out;
    const std::vector<validation::MetricVerdict>* verdicts = nullptr;
    const validation::FitResult* fit = nullptr;
    bool passed = false;
    double calibration_s = 0.0, replay_s = 0.0;
};

std::string error_text(const validation::MetricVerdict& v, double e) {
    return v.tolerance.relative ? fmt::format("{:.1f}%", 100.0 * e) : fmt::format("{:.3f}", e);
}

std::string verdict_account(const VerdictSummary& v) {
    const bool every = v.plan->judge == validation::Judge::every;
    std::string out = fmt::format("validation {}: fitted on {} training traces, judged on {} held-out traces\n", v.plan->name,
                                  v.training.size(), v.held_out.size());
    out += fmt::format("{:<30} {:>6} {:>12} {:>12} {:>9} {:>9} {:>9} {:>5}  {}\n", "metric", "traces", "measured", "simulated", "error",
                       "training", "tolerance", "pass", "worst");
    for (const auto& m : *v.verdicts) {
        // A KS distance has no measured side: the row shows the distance as the simulated value.
        const bool ks = validation::ks_metric(m.tolerance.metric);
        if (!m.judged()) {
            out += fmt::format("{:<30} {:>6} {:>12} {:>12} {:>9} {:>9} {:>9} {:>5}  nothing held out has it\n", m.tolerance.metric, 0, "-",
                               "-", "-", error_text(m, m.training_error), m.tolerance.written, "n/a");
            continue;
        }
        out += fmt::format("{:<30} {:>6} {:>12} {:>12} {:>9} {:>9} {:>9} {:>5}  {} ({})\n", m.tolerance.metric, m.count,
                           ks ? "-" : fmt::format("{:.4g}", m.measured), fmt::format("{:.4g}", m.simulated), error_text(m, m.error),
                           error_text(m, m.training_error), m.tolerance.written, m.pass ? "yes" : "NO", m.worst, error_text(m, m.worst_error));
    }
    out += fmt::format("errors: mean over the traces of |simulated - measured| / measured (absolute rows: the mean difference); "
                       "a metric passes when {} within its tolerance\n",
                       every ? "every trace's error (the worst) is" : "the mean error is");
    out += validation::verdict_line(*v.verdicts, v.plan->kind == validation::ValidationKind::testbed ? "traces" : "captures") + "\n";
    if (v.fit != nullptr) out += "fitted parameters:\n" + fit_account(*v.fit);
    out += fmt::format("calibration {:.1f} s, replays {:.1f} s\n", v.calibration_s, v.replay_s);
    return out;
}

nlohmann::json verdict_json(const VerdictSummary& v) {
    nlohmann::json j;
    j["name"] = v.plan->name;
    j["passed"] = v.passed;
    j["judge"] = v.plan->judge == validation::Judge::every ? "every" : "mean";
    j["replay"] = {{"replications", v.plan->replay.replications},
                   {"fit_replications", v.plan->fit_runs()},
                   {"seed", v.plan->replay.seed}};
    j["training"] = v.training;
    j["held_out"] = v.held_out;
    j["metrics"] = nlohmann::json::array();
    for (const auto& m : *v.verdicts) {
        nlohmann::json per_trace = nlohmann::json::array();
        for (const auto& s : m.held_out) {
            nlohmann::json t = {{"trace", s.who}, {"measured", s.measured}, {"simulated", s.simulated}, {"error", s.error}};
            if (s.simulated_range) {
                t["simulated_low"] = s.simulated_range->low;
                t["simulated_high"] = s.simulated_range->high;
            }
            per_trace.push_back(std::move(t));
        }
        j["metrics"].push_back({{"metric", m.tolerance.metric},
                                {"traces", m.count},
                                {"measured", m.measured},
                                {"simulated", m.simulated},
                                {"error", m.error},
                                {"training_error", m.training_error},
                                {"tolerance", m.tolerance.tolerance},
                                {"relative", m.tolerance.relative},
                                {"judged", m.judged()},
                                {"pass", m.judged() ? nlohmann::json(m.pass) : nlohmann::json(nullptr)},
                                {"worst", m.worst},
                                {"worst_error", m.worst_error},
                                {"per_trace", std::move(per_trace)}});
    }
    if (v.fit != nullptr) j["fit"] = fit_json(*v.fit);
    return j;
}

std::function<void(const validation::FitProgress&)> progress_line(bool quiet) {
    if (quiet) return {};
    const bool terminal = isatty(fileno(stderr)) != 0;
    return [terminal](const validation::FitProgress& p) {
        if (!terminal && p.evaluation % 10 != 0) return;
        const auto text = fmt::format("validate: calibrating, evaluation {} of at most {}, loss {:.4g} (best {:.4g}), {:.0f} s elapsed",
                                      p.evaluation, p.max_evaluations, p.loss, p.best_loss, p.elapsed_s);
        if (terminal) fmt::print(stderr, "\r{:<110}", text);
        else fmt::print(stderr, "{}\n", text);
        std::fflush(stderr);
    };
}

std::vector<std::string> expand_folders(const std::vector<std::string>& paths, validation::ValidationKind kind) {
    if (kind == validation::ValidationKind::testbed) return expand_trace_folders(paths);
    std::vector<std::string> out;
    for (const auto& p : paths) {
        if (!sim::input_path_exists(fs::path(p) / "meta.json")) throw sim::ConfigError(fmt::format("--held-out {}: not an OpenStack capture folder", p));
        out.push_back(p);
    }
    return out;
}

void write_report(const std::string& dir, const std::string& html, const std::string& profile, const nlohmann::json& json,
                  std::vector<std::string>& files) {
    fs::create_directories(dir);
    const auto html_path = (fs::path(dir) / "index.html").string();
    const auto fitted = (fs::path(dir) / "fitted.yaml").string();
    const auto json_path = (fs::path(dir) / "verdict.json").string();
    sim::write_file_atomically(html_path, html);
    sim::write_file_atomically(fitted, profile);
    sim::write_file_atomically(json_path, json.dump(2) + "\n");
    files = {html_path, fitted, json_path};
}

}  // namespace

ValidateOutcome run_validate(const ValidateRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    auto plan = validation::read_validation_plan(request.file);
    if (request.seed) plan.replay.seed = *request.seed;
    if (request.replications) {  // the fit's runs per trace too
        plan.replay.replications = *request.replications;
        plan.fit_replications.reset();
    }
    if (!request.held_out.empty()) {
        plan.held_out = expand_folders(request.held_out, plan.kind);
        for (const auto& h : plan.held_out)
            for (const auto& t : plan.training)
                if (fs::weakly_canonical(h) == fs::weakly_canonical(t))
                    throw sim::ConfigError(fmt::format("--held-out {}: a training trace of {}", h, request.file));
    }
    if (!request.report.empty()) sim::check_output_folder(request.report, "--report");  // before the fit, not after it
    validation::ValidationOptions options;
    options.jobs = request.jobs;
    options.refit = request.refit;
    options.progress = progress_line(request.quiet);

    ValidateOutcome outcome;
    VerdictSummary summary;
    summary.plan = &plan;
    // Both kinds end the same way: a fit that did not converge gives no verdict.
    auto finish_fit = [&](const validation::FitResult* fit) {
        if (!request.quiet && isatty(fileno(stderr)) && request.refit) fmt::print(stderr, "\n");
        if (fit != nullptr && !fit->converged) {
            outcome.converged = false;
            outcome.account = "the calibration did not converge; the best point found:\n" + fit_account(*fit);
            outcome.json = {{"name", plan.name}, {"passed", false}, {"fit", fit_json(*fit)}};
            return false;
        }
        return true;
    };
    // Both kinds of result give the same account, JSON and files; only the report differs.
    std::string report_html, report_profile;
    auto conclude = [&](const auto& v, const validation::FitResult* fit, const auto& training, const auto& held_out, const std::string& html) {
        for (const auto& t : training) summary.training.push_back(t.name);
        for (const auto& t : held_out) summary.held_out.push_back(t.name);
        summary.verdicts = &v.verdicts;
        summary.fit = fit;
        summary.passed = v.passed();
        summary.calibration_s = v.calibration_s;
        summary.replay_s = v.replay_s;
        outcome.account = verdict_account(summary);
        outcome.json = verdict_json(summary);
        report_html = html;
        report_profile = v.profile_text;
    };
    if (plan.kind == validation::ValidationKind::testbed) {
        const auto v = validation::validate_testbed(plan, options, TBSIM_VERSION);
        const auto* fit = v.calibration ? &v.calibration->fit : nullptr;
        if (!finish_fit(fit)) return outcome;
        conclude(v, fit, v.training_traces, v.held_out_traces, request.report.empty() ? "" : validation::validation_report_html(v, TBSIM_VERSION));
    } else {
        const auto v = validation::validate_openstack(plan, options, TBSIM_VERSION);
        const auto* fit = v.fit ? &*v.fit : nullptr;
        if (!finish_fit(fit)) return outcome;
        conclude(v, fit, v.training_captures, v.held_out_captures, request.report.empty() ? "" : validation::openstack_report_html(v, TBSIM_VERSION));
        // Each capture's speed gauge: how much slower than the profile's day its replay ran the hosts.
        std::string gauges = "speed gauge (CPU times x, from each capture's back-to-back calls):";
        nlohmann::json by_capture = nlohmann::json::object();
        for (const auto* replays : {&v.training, &v.held_out})
            for (const auto& r : *replays) {
                // A capture without enough back-to-back calls is replayed at the profile's speed.
                gauges += r.speed.gauged ? fmt::format(" {} {:.2f}", r.capture, r.speed.factor) : fmt::format(" {} 1 (not gauged)", r.capture);
                by_capture[r.capture] = {{"gauged", r.speed.gauged},
                                         {"samples", r.speed.samples},
                                         {"gap_ratio", r.speed.gap_ratio},
                                         {"cpu_time_factor", r.speed.factor}};
            }
        outcome.account += gauges + "\n";
        outcome.json["speed_gauge"] = std::move(by_capture);
    }
    if (!request.report.empty()) write_report(request.report, report_html, report_profile, outcome.json, outcome.files);
    outcome.passed = summary.passed;
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return outcome;
}

}  // namespace tbsim::app
