// Sweeps over any key path: the same code varies a key of any model, through the override path of
// --set, and refuses a misspelt axis before anything runs.
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support/cli_support.hpp"
#include "tests/support/shipped_scenarios.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

namespace {

const std::string kOpenStackSweep = R"(name: servers-sweep
model: openstack
seed: 1
duration: 60s
profile: juno
sweep:
  axes:
    - {key: deployment.servers, values: [1, 2, 4, 8]}
  fit:
    - {x: deployment.servers, y: by_protocol.mysql.bytes}
)";

}  // namespace

TEST_CASE("one sweep mechanism varies a mysqlrep key and an openstack key") {
    // Study A's rate experiment as a sweep file over the shipped scenario: while the configuration
    // keeps up, the main loop lasts inserts / D, exactly 2000 / D for the nominal length
    // (study-a-rate.yaml: 2000 inserts).
    const std::string rate_dir = scratch_dir("sweep-mysqlrep");
    write_text(rate_dir + "/rate.yaml", std::string("name: rate\nbase: ") + TBSIM_SOURCE_DIR +
                                            "/scenarios/mysqlrep/study-a-rate.yaml\n"
                                            "sweep:\n  axes:\n    - {key: workload.rate, values: [600/min, 1500/min, 3000/min, 6000/min, 12000/min, "
                                            "24000/min, 48000/min]}\n");
    const auto swept = run_tbsim("sweep " + rate_dir + "/rate.yaml --json --out " + rate_dir + "/out");
    REQUIRE(swept.exit_code == 0);
    const auto rate = nlohmann::json::parse(swept.out);
    const auto& points = rate["points"];
    REQUIRE(points.size() == 7);
    CHECK(points[0]["at"]["workload.rate"].get<double>() == 600.0);
    for (const auto& p : points) {
        const double per_min = p["at"]["workload.rate"].get<double>();
        CHECK(p["rate_per_min"].get<double>() == doctest::Approx(per_min));
        CHECK(p["nominal_main_loop_s"].get<double>() == doctest::Approx(2000.0 / (per_min / 60.0)));
    }
    CHECK(points[0]["slowdown"].get<double>() <= 1.05);  // 600/min keeps up (Study A)

    // An openstack key in a scenario's own sweep: cinder's MySQL reports are per server, so their
    // bytes grow exactly in proportion (same streams, common random numbers across points).
    const std::string dir = scratch_dir("sweep-openstack");
    write_text(dir + "/servers.yaml", kOpenStackSweep);
    const auto r = run_tbsim("run " + dir + "/servers.yaml --json --out " + dir + "/out");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["points"].size() == 4);
    const double one = j["points"][0]["by_protocol"]["mysql"]["bytes"].get<double>();
    CHECK(one > 0.0);
    CHECK(j["points"][3]["by_protocol"]["mysql"]["bytes"].get<double>() == within(8 * one, 0.02));
    CHECK(j["fits"][0]["slope"].get<double>() == within(one, 0.02));
    CHECK(j["fits"][0]["r_squared"].get<double>() > 0.999);
    // The tidy tables: one row per point and replication, and one per point.
    const auto runs = read_file(dir + "/out/runs.csv");
    CHECK(runs.rfind("point,replication,deployment.servers,profile,bytes,mean_kbps,", 0) == 0);
    CHECK(std::count(runs.begin(), runs.end(), '\n') == 5);
    CHECK(read_file(dir + "/out/points.csv").find("mean_kbps,mean_kbps.sd,mean_kbps.ci95") != std::string::npos);
}

TEST_CASE("a misspelt axis key or a bad axis value stops with FILE:LINE:COL and exit 2 before anything runs") {
    const std::string dir = scratch_dir("sweep-bad");
    struct Case {
        std::string from, to, expected;
    } cases[] = {
        {"deployment.servers", "deployment.srevers", "servers.yaml:8:13: deployment.srevers: unknown key (did you mean 'servers'?)"},
        {"values: [1, 2, 4, 8]", "values: [1, 2, -4, 8]", "servers.yaml:8:48: deployment.servers: must not be negative"},
        {"values: [1, 2, 4, 8]", "values: []", "servers.yaml:8:41: sweep.axes[0].values: a sweep axis needs at least one value"},
        {"y: by_protocol.mysql.bytes", "y: by_protocol.mysql.byte", "servers.yaml:10:11: sweep.fit: model openstack has no figure 'by_protocol.mysql.byte'"},
    };
    for (const auto& c : cases) {
        std::string yaml = kOpenStackSweep;
        for (auto at = yaml.find(c.from); at != std::string::npos; at = yaml.find(c.from, at + c.to.size())) yaml.replace(at, c.from.size(), c.to);
        write_text(dir + "/servers.yaml", yaml);
        const auto r = run_tbsim("run " + dir + "/servers.yaml --out " + dir + "/out");
        INFO(r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.rfind(dir + "/" + c.expected, 0) == 0);
        CHECK_FALSE(std::filesystem::exists(dir + "/out"));
    }
}

TEST_CASE("--set sweep=null runs a sweeping scenario's base point, and --search finds the largest value within a bound") {
    const std::string dir = scratch_dir("sweep-search");
    write_text(dir + "/servers.yaml", kOpenStackSweep);
    const auto single = nlohmann::json::parse(run_tbsim("run " + dir + "/servers.yaml --set sweep=null --json --out " + dir + "/a").out);
    CHECK_FALSE(single.contains("points"));
    CHECK(single["servers"].get<int>() == 1);
    // The same search as `tbsim plan --max-servers-for`, on any scenario: the largest number of
    // servers whose busiest second stays under 300 kb/s, and one more breaks it.
    const auto found = run_tbsim("run " + dir + "/servers.yaml --set sweep=null --search deployment.servers --until 'max_kbps<=300kbps' --json --out " +
                                 dir + "/b");
    REQUIRE(found.exit_code == 0);
    const auto j = nlohmann::json::parse(found.out);
    const int s = j["servers"].get<int>();
    CHECK(s >= 1);
    CHECK(j["max_kbps"].get<double>() <= 300.0);
    const auto over = nlohmann::json::parse(
        run_tbsim("run " + dir + "/servers.yaml --set sweep=null --json --out " + dir + "/c --set deployment.servers=" + std::to_string(s + 1)).out);
    CHECK(over["max_kbps"].get<double>() > 300.0);
    const auto bad = run_tbsim("run " + dir + "/servers.yaml --set sweep=null --search deployment.servers --until 'max_kbs<=300kbps'");
    CHECK(refusal_problem(bad, "--until max_kbs<=300kbps: the model has no figure 'max_kbs'") == "");
}

TEST_CASE("--set of a key the sweep varies stops with exit 2, naming the axis and how to run one value") {
    // The axis's values are applied after the command line's: the --set would be dropped silently.
    const std::string dir = scratch_dir("sweep-set-axis");
    write_text(dir + "/servers.yaml", kOpenStackSweep);
    const auto r = run_tbsim("run " + dir + "/servers.yaml --set deployment.servers=3 --out " + dir + "/out");
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind("--set deployment.servers=3: deployment.servers is an axis of the sweep (" + dir + "/servers.yaml:8:13)", 0) == 0);
    CHECK(r.err.find("--set sweep=null") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir + "/out"));
    // What the message offers works: one value through the axis, or the sweep left out.
    const auto axis = nlohmann::json::parse(run_tbsim("run " + dir + "/servers.yaml --set 'sweep.axes.0.values=[3, 5]' --json --out " + dir + "/a").out);
    REQUIRE(axis["points"].size() == 2);
    CHECK(axis["points"][0]["servers"].get<int>() == 3);
    CHECK(axis["points"][1]["servers"].get<int>() == 5);
    const auto single =
        nlohmann::json::parse(run_tbsim("run " + dir + "/servers.yaml --set sweep=null --set deployment.servers=3 --json --out " + dir + "/b").out);
    CHECK(single["servers"].get<int>() == 3);
}
