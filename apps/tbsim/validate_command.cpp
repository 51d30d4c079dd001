#include "apps/tbsim/validate_command.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "apps/tbsim/calibrate_command.hpp"
#include "apps/tbsim/replay_command.hpp"
#include "sim/config/config_error.hpp"
#include "sim/output/atomic_file.hpp"
#include "validation/validate/testbed_validation.hpp"
#include "validation/validate/validation_report.hpp"

namespace tbsim::app {

namespace fs = std::filesystem;

namespace {

std::string error_text(const validation::MetricVerdict& v, double e) {
    return v.tolerance.relative ? fmt::format("{:.1f}%", 100.0 * e) : fmt::format("{:.3f}", e);
}

std::string verdict_account(const validation::TestbedValidation& v) {
    std::string out = fmt::format("validation {}: fitted on {} training traces, judged on {} held-out traces\n", v.plan.name,
                                  v.training.size(), v.held_out.size());
    out += fmt::format("{:<22} {:>6} {:>12} {:>12} {:>9} {:>9} {:>9} {:>5}  {}\n", "metric", "traces", "measured", "simulated", "error",
                       "training", "tolerance", "pass", "worst");
    for (const auto& m : v.verdicts) {
        const bool ks = !m.tolerance.relative;
        out += fmt::format("{:<22} {:>6} {:>12} {:>12} {:>9} {:>9} {:>9} {:>5}  {} ({})\n", m.tolerance.metric, m.count,
                           ks ? "-" : fmt::format("{:.4g}", m.measured), ks ? "-" : fmt::format("{:.4g}", m.simulated), error_text(m, m.error),
                           error_text(m, m.training_error), m.tolerance.written, m.pass ? "yes" : "NO", m.worst, error_text(m, m.worst_error));
    }
    out += "errors: mean over the traces of |simulated - measured| / measured (KS rows: the mean distance)\n";
    out += v.passed() ? "PASS: every metric within its tolerance\n" : "FAIL: a metric outside its tolerance\n";
    return out;
}

nlohmann::json verdict_json(const validation::TestbedValidation& v) {
    nlohmann::json j;
    j["name"] = v.plan.name;
    j["passed"] = v.passed();
    j["training"] = nlohmann::json::array();
    for (const auto& t : v.training_traces) j["training"].push_back(t.name);
    j["held_out"] = nlohmann::json::array();
    for (const auto& t : v.held_out_traces) j["held_out"].push_back(t.name);
    j["metrics"] = nlohmann::json::array();
    for (const auto& m : v.verdicts)
        j["metrics"].push_back({{"metric", m.tolerance.metric},
                                {"traces", m.count},
                                {"measured", m.measured},
                                {"simulated", m.simulated},
                                {"error", m.error},
                                {"training_error", m.training_error},
                                {"tolerance", m.tolerance.tolerance},
                                {"relative", m.tolerance.relative},
                                {"pass", m.pass},
                                {"worst", m.worst},
                                {"worst_error", m.worst_error}});
    if (v.calibration) j["fit"] = fit_json(v.calibration->fit);
    return j;
}

}  // namespace

ValidateOutcome run_validate(const ValidateRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    auto plan = validation::read_validation_plan(request.file);
    if (!request.held_out.empty()) {
        plan.held_out = expand_trace_folders(request.held_out);
        for (const auto& h : plan.held_out)
            for (const auto& t : plan.training)
                if (fs::weakly_canonical(h) == fs::weakly_canonical(t))
                    throw sim::ConfigError(fmt::format("--held-out {}: a training trace of {}", h, request.file));
    }
    validation::ValidationOptions options;
    options.jobs = request.jobs;
    options.refit = request.refit;
    if (!request.quiet) {
        const bool terminal = isatty(fileno(stderr)) != 0;
        options.progress = [terminal](const validation::FitProgress& p) {
            if (!terminal && p.evaluation % 10 != 0) return;
            const auto text = fmt::format("validate: calibrating, evaluation {} of at most {}, loss {:.4g} (best {:.4g}), {:.0f} s elapsed",
                                          p.evaluation, p.max_evaluations, p.loss, p.best_loss, p.elapsed_s);
            if (terminal) fmt::print(stderr, "\r{:<110}", text);
            else fmt::print(stderr, "{}\n", text);
            std::fflush(stderr);
        };
    }
    const auto v = validation::validate_testbed(plan, options, TBSIM_VERSION);
    if (!request.quiet && isatty(fileno(stderr)) && request.refit) fmt::print(stderr, "\n");

    ValidateOutcome outcome;
    if (v.calibration && !v.calibration->fit.converged) {
        outcome.converged = false;
        outcome.account = "the calibration did not converge; the best point found:\n" + fit_account(v.calibration->fit);
        outcome.json = {{"name", plan.name}, {"passed", false}, {"fit", fit_json(v.calibration->fit)}};
        return outcome;
    }
    outcome.passed = v.passed();
    outcome.account = verdict_account(v);
    if (v.calibration) outcome.account += "fitted parameters:\n" + fit_account(v.calibration->fit);
    outcome.json = verdict_json(v);
    if (!request.report.empty()) {
        fs::create_directories(request.report);
        const auto html = (fs::path(request.report) / "index.html").string();
        const auto fitted = (fs::path(request.report) / "fitted.yaml").string();
        const auto json = (fs::path(request.report) / "verdict.json").string();
        sim::write_file_atomically(html, validation::validation_report_html(v, TBSIM_VERSION));
        sim::write_file_atomically(fitted, v.profile_text);
        sim::write_file_atomically(json, outcome.json.dump(2) + "\n");
        outcome.files = {html, fitted, json};
    }
    outcome.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    outcome.account += fmt::format("calibration {:.1f} s, replays {:.1f} s\n", v.calibration_s, v.replay_s);
    return outcome;
}

}  // namespace tbsim::app
