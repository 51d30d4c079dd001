// tbsim validate as a CI gate: the shipped validation passes with the shipped profile, a fit on a
// small plan runs end to end, a tolerance that fails exits 3, bad input exits 2 with FILE:LINE:COL,
// and the report renders in a real browser (headless Chromium) with every plot drawn.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <cstdio>
#include <set>
#include <string>
#include <tuple>

#include <nlohmann/json.hpp>
#include <zlib.h>

#include "tests/support/cli_support.hpp"
#include "validation/readers/testbed_trace.hpp"
#include "validation/validate/validation_plan.hpp"

namespace {

const std::string kSource = TBSIM_SOURCE_DIR;

// A plan over three traces: one parameter, two training traces, one held out.
std::string small_plan(const std::string& tolerance, const std::string& ks_tolerance = "0.5") {
    return "name: small\nkind: testbed\nprofile: " + kSource + "/scenarios/mysqlrep/testbed.yaml\n"
           "fit: [database.insert_work]\nmax_evaluations: 20\n"
           "metrics:\n  main_loop_s: " + tolerance + "\n  local_insert.ks: " + ks_tolerance + "\n"
           "training:\n  - " + kSource + "/validation/traces/mysqlrep/ladder-n4-ag10-d12000\n"
           "  - " + kSource + "/validation/traces/mysqlrep/ladder-n2-ag10-d24000\n"
           "held_out:\n  - " + kSource + "/validation/traces/mysqlrep/n4-d3000-ag10\n";
}

// The pixels of a PNG as its inflated scanlines (filter bytes included): enough to tell a blank
// page (a handful of distinct byte values) from a drawn one.
std::string png_scanlines(const std::string& png) {
    std::string idat;
    for (std::size_t at = 8; at + 12 <= png.size();) {
        const auto* b = reinterpret_cast<const unsigned char*>(png.data() + at);
        const std::uint32_t length = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
        if (png.compare(at + 4, 4, "IDAT") == 0) idat += png.substr(at + 8, length);
        at += 12 + length;
    }
    std::string out(64u << 20, '\0');
    uLongf size = out.size();
    if (uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK) return {};
    out.resize(size);
    return out;
}

}  // namespace

TEST_CASE("the shipped MySQL validation passes with the shipped testbed profile, and its split holds out whole configurations") {
    const auto plan = tbsim::validation::read_validation_plan(kSource + "/validation/mysqlrep.yaml");
    std::set<std::tuple<std::int64_t, double, std::int64_t>> training;
    double training_max_slowdown = 0.0, held_out_max_slowdown = 0.0;
    for (const auto& f : plan.training) {
        const auto t = tbsim::validation::read_testbed_trace(f);
        training.insert({t.instances, t.rate_per_minute, t.aggregation});
        training_max_slowdown = std::max(training_max_slowdown, t.main_loop_s() / t.nominal_main_loop_s());
    }
    for (const auto& f : plan.held_out) {
        const auto t = tbsim::validation::read_testbed_trace(f);
        CHECK_MESSAGE(training.count({t.instances, t.rate_per_minute, t.aggregation}) == 0, t.name << " has a configuration in training");
        held_out_max_slowdown = std::max(held_out_max_slowdown, t.main_loop_s() / t.nominal_main_loop_s());
    }
    // Saturated traces (Study A: slowdown above 1.05) on both sides.
    CHECK(training_max_slowdown > 1.05);
    CHECK(held_out_max_slowdown > 1.05);

    const auto dir = scratch_dir("validate-shipped");
    const auto r = run_tbsim("validate " + kSource + "/validation/mysqlrep.yaml --no-fit --jobs 2 --json --report " + dir);
    INFO(r.out);
    CHECK(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("passed").get<bool>());
    CHECK(j.at("held_out").size() == plan.held_out.size());
    CHECK(std::filesystem::exists(dir + "/index.html"));
    CHECK(std::filesystem::exists(dir + "/verdict.json"));
}

TEST_CASE("validate fits a small plan end to end, and a tolerance that fails exits 3") {
    const auto dir = scratch_dir("validate-small");
    write_text(dir + "/pass.yaml", small_plan("10%"));
    auto r = run_tbsim("validate " + dir + "/pass.yaml --jobs 2 --report " + dir + "/report");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("PASS") != std::string::npos);
    CHECK(r.out.find("database.insert_work") != std::string::npos);
    const auto fitted = read_file(dir + "/report/fitted.yaml");
    CHECK(fitted.find("calibration:") != std::string::npos);
    CHECK(fitted.find("model mode, 1 replication(s), seed 1") != std::string::npos);
    // The fit's runs per trace apart from the judgement's: the fitted profile records the fit's.
    write_text(dir + "/fit2.yaml", small_plan("10%") + "fit_replications: 2\n");
    r = run_tbsim("validate " + dir + "/fit2.yaml --jobs 2 --json --report " + dir + "/report2");
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(read_file(dir + "/report2/fitted.yaml").find("model mode, 2 replication(s), seed 1") != std::string::npos);
    CHECK(nlohmann::json::parse(r.out).at("replay") == nlohmann::json{{"replications", 1}, {"fit_replications", 2}, {"seed", 1}});
    // A KS distance under 0.01 between n4-d3000-ag10's 8000 local inserts and as many simulated
    // ones is not achievable (two samples of that size from one distribution differ by about 0.02;
    // the model is 0.107 away), so this tolerance fails.
    write_text(dir + "/fail.yaml", small_plan("10%", "0.01"));
    r = run_tbsim("validate " + dir + "/fail.yaml --no-fit");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("FAIL") != std::string::npos);
    // --held-out judges on other traces with the same tolerances.
    r = run_tbsim("validate " + dir + "/pass.yaml --no-fit --json --held-out " + kSource + "/validation/traces/mysqlrep/n2-d3000-ag10 " +
                  kSource + "/validation/traces/mysqlrep/n8-d3000-ag10");
    REQUIRE(r.exit_code == 0);
    const auto verdict = nlohmann::json::parse(r.out);
    CHECK(verdict.at("held_out") == nlohmann::json::array({"n2-d3000-ag10", "n8-d3000-ag10"}));
    // Each metric lists its held-out traces' values; their mean error is the metric's.
    const auto& main_loop = verdict.at("metrics").at(0);
    REQUIRE(main_loop.at("per_trace").size() == 2u);
    CHECK(main_loop["per_trace"][1].at("trace") == "n8-d3000-ag10");
    CHECK_FALSE(main_loop["per_trace"][1].contains("simulated_low"));  // a testbed replay keeps no range
    const double mean = (main_loop["per_trace"][0].at("error").get<double>() + main_loop["per_trace"][1].at("error").get<double>()) / 2.0;
    CHECK(main_loop.at("error").get<double>() == doctest::Approx(mean));
}

TEST_CASE("a metric no held-out trace has is not judged: it neither passes nor fails, unless nothing is judged") {
    const auto dir = scratch_dir("validate-unjudged");
    // The baseline sends no batch, and one trace is no ladder: the batch median and D* have nothing
    // to judge on it. Real traces brought with --held-out are like this.
    const std::string plan = "name: unjudged\nkind: testbed\nprofile: " + kSource + "/scenarios/mysqlrep/testbed.yaml\n"
                             "fit: [database.insert_work]\nmetrics:\n  main_loop_s: 10%\n  batch_send.p50_ms: 30%\n  limit_rate: 40%\n"
                             "training:\n  - " + kSource + "/validation/traces/mysqlrep/ladder-n2-ag10-d24000\n"
                             "held_out:\n  - " + kSource + "/validation/traces/mysqlrep/n4-d3000-ag10-base\n";
    write_text(dir + "/plan.yaml", plan);
    auto r = run_tbsim("validate " + dir + "/plan.yaml --no-fit");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("not judged, no held-out traces have them: batch_send.p50_ms, limit_rate") != std::string::npos);
    r = run_tbsim("validate " + dir + "/plan.yaml --no-fit --json");
    REQUIRE(r.exit_code == 0);
    const auto verdict = nlohmann::json::parse(r.out);
    CHECK(verdict.at("metrics").at(0).at("judged") == true);
    CHECK(verdict.at("metrics").at(0).at("pass") == true);
    CHECK(verdict.at("metrics").at(1).at("judged") == false);
    CHECK(verdict.at("metrics").at(1).at("pass").is_null());
    // With only the metrics it cannot judge, the validation says so and fails.
    std::string nothing = plan;
    nothing.replace(nothing.find("  main_loop_s: 10%\n"), 19, "");
    write_text(dir + "/nothing.yaml", nothing);
    r = run_tbsim("validate " + dir + "/nothing.yaml --no-fit");
    CHECK(r.exit_code == 3);
    CHECK(r.out.find("FAIL: no metric could be judged on the held-out traces") != std::string::npos);
}

TEST_CASE("validate --seed and --replications replace the file's replay settings, repeatably") {
    const auto dir = scratch_dir("validate-seed");
    write_text(dir + "/pass.yaml", small_plan("10%"));
    const std::string base = "validate " + dir + "/pass.yaml --no-fit --json";
    const auto shipped = run_tbsim(base);
    REQUIRE(shipped.exit_code == 0);
    const auto a = nlohmann::json::parse(shipped.out);
    CHECK(a.at("replay") == nlohmann::json{{"replications", 1}, {"fit_replications", 1}, {"seed", 1}});  // the file's (replay's defaults)
    const auto other = run_tbsim(base + " --seed 7 --replications 2");
    REQUIRE(other.exit_code == 0);
    const auto b = nlohmann::json::parse(other.out);
    CHECK(b.at("replay") == nlohmann::json{{"replications", 2}, {"fit_replications", 2}, {"seed", 7}});
    // --replications replaces the fit's runs per trace too.
    write_text(dir + "/fit3.yaml", small_plan("10%") + "fit_replications: 3\n");
    const auto replaced = run_tbsim("validate " + dir + "/fit3.yaml --no-fit --json --replications 2");
    REQUIRE(replaced.exit_code == 0);
    CHECK(nlohmann::json::parse(replaced.out).at("replay").at("fit_replications") == 2);
    // Other random streams: the held-out trace's simulated main loop moves; the measured one does not.
    const auto& main_a = a.at("metrics").at(0);
    const auto& main_b = b.at("metrics").at(0);
    CHECK(main_a.at("measured") == main_b.at("measured"));
    CHECK(main_a.at("simulated") != main_b.at("simulated"));
    CHECK(run_tbsim(base + " --seed 7 --replications 2").out == other.out);
    CHECK(run_tbsim(base + " --replications 0").exit_code == 2);
}

TEST_CASE("a bad validation file exits 2 naming FILE:LINE:COL and the key") {
    const auto dir = scratch_dir("validate-bad");
    // The small plan with `from` replaced by `to` (and `extra` appended), as file `name`: what
    // keeps `tbsim validate` on it from being a refusal naming `message`.
    auto refusal = [&](const std::string& name, const std::string& from, const std::string& to, const std::string& extra,
                       const std::string& message) {
        auto plan = small_plan("10%");
        if (!from.empty()) plan.replace(plan.find(from), from.size(), to);
        write_text(dir + "/" + name, plan + extra);
        return refusal_problem(run_tbsim("validate " + dir + "/" + name), message);
    };
    CHECK(refusal("bad.yaml", "main_loop_s", "main_loop_z", "", "bad.yaml:7:16: metrics.main_loop_z: unknown metric") == "");
    CHECK(refusal("missing.yaml", "n4-d3000-ag10", "n4-d3000-ag99", "", "missing.yaml:13:5") == "");
    CHECK(refusal("missing.yaml", "n4-d3000-ag10", "n4-d3000-ag99", "", "no testbed trace there") == "");
    CHECK(refusal("starts.yaml", "", "", "starts: 0\n", "starts.yaml:14:9: starts: expected 1 to 100 local searches") == "");
    CHECK(refusal("spread.yaml", "", "", "starts: 3\nstart_spread: 0.5\n", "spread.yaml:15:15: start_spread: expected a factor above 1") ==
          "");
    CHECK(refusal("fitruns.yaml", "", "", "fit_replications: 0\n", "fitruns.yaml:14:19: fit_replications: at least 1") == "");
    CHECK(refusal("draws.yaml", "", "", "other_draws: -1\n", "draws.yaml:14:14: other_draws: expected 0 to 100 other draws") == "");
    CHECK(refusal("robust.yaml", "", "", "robust_scale: -0.1\n", "robust.yaml:14:15: robust_scale: expected 0 (least squares) or a soft L1") ==
          "");
    // A key named twice was fitted as two parameters writing one value, and the fitted profile had
    // the key twice in its `fitted` mapping.
    CHECK(refusal("twice.yaml", "fit: [database.insert_work]", "fit: [database.insert_work, database.insert_work]", "",
                  "twice.yaml:4:29: fit[1]: named twice: a key is one parameter of the fit") == "");

    const auto r = run_tbsim("validate " + dir + "/pass.yaml");
    CHECK(refusal_problem(r, "no such validation file") == "");
}

TEST_CASE("the validation report renders in headless Chromium with every plot drawn") {
    const auto dir = scratch_dir("validate-report");
    // One run per trace: the page is checked, not the figures (the file judges with three).
    REQUIRE(run_tbsim("validate " + kSource + "/validation/mysqlrep.yaml --no-fit --replications 1 --jobs 2 --report " + dir).exit_code != 2);
    const auto html = read_file(dir + "/index.html");
    std::size_t plots = 0;
    for (auto at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 4)) ++plots;
    REQUIRE(plots > 10);
    CHECK(html.find("<script") == std::string::npos);   // reads without scripts
    // Fetches nothing: no address but the SVG namespace's name.
    std::string addresses = html;
    const std::string svg_namespace = "xmlns=\"http://www.w3.org/2000/svg\"";
    for (auto at = addresses.find(svg_namespace); at != std::string::npos; at = addresses.find(svg_namespace)) addresses.erase(at, svg_namespace.size());
    CHECK(addresses.find("http") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);

    // A copy with a probe that measures each SVG as laid out and writes the sizes into the page.
    auto probed = html;
    probed.replace(probed.rfind("</body>"), 7,
                   "<pre id=\"probe\"></pre><script>document.getElementById('probe').textContent = "
                   "Array.from(document.querySelectorAll('svg')).map(s => {const r = s.getBoundingClientRect(); "
                   "return 'SVG ' + Math.round(r.width) + 'x' + Math.round(r.height);}).join('\\n');</script></body>");
    write_text(dir + "/probe.html", probed);
    const std::string chromium = "chromium --headless --no-sandbox --disable-gpu --window-size=1280,2000 ";
    auto dom = run_command_line(chromium + "--dump-dom file://" + dir + "/probe.html 2>/dev/null");
    REQUIRE_MESSAGE(dom.exit_code == 0, "headless Chromium did not run (scripts/install-deps installs it)");
    // The probe's lines "SVG <width>x<height>".
    std::size_t drawn = 0, empty = 0;
    for (auto at = dom.out.find("SVG "); at != std::string::npos; at = dom.out.find("SVG ", at + 4)) {
        int width = 0, height = 0;
        if (std::sscanf(dom.out.c_str() + at, "SVG %dx%d", &width, &height) != 2) continue;
        ((width > 100 && height > 100) ? drawn : empty) += 1;
    }
    CHECK(drawn == plots);
    CHECK(empty == 0);

    // The page as a person sees it: a screenshot that is not blank.
    REQUIRE(run_command_line(chromium + "--screenshot=" + dir + "/shot.png file://" + dir + "/index.html 2>/dev/null").exit_code == 0);
    const auto pixels = png_scanlines(read_file(dir + "/shot.png"));
    REQUIRE(pixels.size() > 1000);
    std::set<unsigned char> values(pixels.begin(), pixels.end());
    CHECK(values.size() > 32);  // a blank page has a few (white and the filter bytes); text and plots have many
}

TEST_CASE("the shipped OpenStack validation holds out the captures the issue names, passes refitted, and the same for any --jobs") {
    const auto plan = tbsim::validation::read_validation_plan(kSource + "/validation/openstack-zed.yaml");
    auto held = [&](const std::string& name) {
        return std::any_of(plan.held_out.begin(), plan.held_out.end(),
                           [&](const std::string& f) { return std::filesystem::path(f).filename() == name; });
    };
    CHECK(held("idle-c1-i0"));
    CHECK(held("idle-c4-i40"));
    CHECK(held("boot-and-delete-10-cc2"));
    const auto a = scratch_dir("validate-openstack-a");
    const auto b = scratch_dir("validate-openstack-b");
    const auto r = run_tbsim("validate " + kSource + "/validation/openstack-zed.yaml --jobs 1 --report " + a);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    REQUIRE(run_tbsim("validate " + kSource + "/validation/openstack-zed.yaml --jobs 3 --report " + b).exit_code == 0);
    CHECK(read_file(a + "/verdict.json") == read_file(b + "/verdict.json"));
    CHECK(read_file(a + "/fitted.yaml") == read_file(b + "/fitted.yaml"));
    // The fitted release profile is a normal profile: the Zed scenarios read it.
    CHECK(read_file(a + "/fitted.yaml").find("calibration:") != std::string::npos);
    const auto verdict = nlohmann::json::parse(read_file(a + "/verdict.json"));
    for (const auto& m : verdict.at("metrics")) {
        // The boot-and-delete durations as the clients saw them (workload.csv): on the training
        // day (cc2, cc5) within the 15%, the contention of clients and services for the
        // controller's two cores modelled (worst: cc5's deletes +10.5%, +8.1% before the speed
        // gauge, which reads 1.11 there); on the slower day's morning (cc3-day2, cc5-day2) within
        // 25% with the gauge (cc3-day2's creates 19.8% short, 2026-12-04; without it 28% and 29%).
        // Its afternoon (cc4-day2, cc7-day2, concurrencies the other captures do not have) within
        // 40%: the clients' start took three times the first day's where the gauge read 3.2 and
        // 2.2, and cc7-day2's creates came out 34.7% short (docs/validation.md).
        if (m.at("metric") == "run_s" || m.at("metric") == "create_s" || m.at("metric") == "delete_s") {
            CHECK(m.at("traces").get<int>() == 6);
            for (const auto& t : m.at("per_trace")) {
                const auto name = t.at("trace").get<std::string>();
                INFO(m.at("metric").get<std::string>() << " " << name);
                const bool afternoon = name == "boot-and-delete-10-cc4-day2" || name == "boot-and-delete-10-cc7-day2";
                const bool slower_day = name.ends_with("-day2");
                CHECK(t.at("error").get<double>() < (afternoon ? 0.40 : slower_day ? 0.25 : 0.15));
            }
        }
        // Issue 13's target for the mean of 1 s bins is 5%: met on the mean over the held-out
        // captures (3.1% measured 2026-12-01; 5.3% when the fit was free to move the state
        // report's size, which the messages pin at 1920 B).
        if (m.at("metric") == "total.mean_kbps" || m.at("metric") == "amqp.to_controller.mean_kbps") CHECK(m.at("error").get<double>() < 0.05);
        // A rate figure is the mean of three replications, given with the lowest and highest of
        // them; the period and duration metrics have no range.
        const auto metric = m.at("metric").get<std::string>();
        const bool rate = metric.ends_with("_kbps");
        for (const auto& t : m.at("per_trace")) {
            REQUIRE(t.contains("simulated_low") == rate);
            if (!rate) continue;
            CHECK(t.at("simulated_low").get<double>() <= t.at("simulated").get<double>() * (1 + 1e-12));
            CHECK(t.at("simulated").get<double>() <= t.at("simulated_high").get<double>() * (1 + 1e-12));
        }
    }
    // The replications differ: idle-c4-i40's total peak (four computes' bursts meeting or not).
    for (const auto& m : verdict.at("metrics"))
        if (m.at("metric") == "total.peak_kbps")
            for (const auto& t : m.at("per_trace"))
                if (t.at("trace") == "idle-c4-i40") CHECK(t.at("simulated_high").get<double>() > t.at("simulated_low").get<double>() * 1.05);
    const auto html = read_file(a + "/index.html");
    CHECK(html.find("<svg") != std::string::npos);
    CHECK(html.find("idle-c4-i40") != std::string::npos);
}
