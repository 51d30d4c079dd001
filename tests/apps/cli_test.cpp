#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "tests/support/cli_support.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

namespace {

const std::string kScenario = R"(name: cli
seed: 1
duration: 30s
topology:
  nodes: [a, b]
  links:
    - name: ab
      between: [a, b]
      latency: 10ms
      bandwidth: 10Mbps
workloads:
  - {name: w, from: a, to: b, period: 1s, size: 1KiB}
)";

std::string scenario_with(const std::string& from, const std::string& to) {
    std::string s = kScenario;
    s.replace(s.find(from), from.size(), to);
    return s;
}

}  // namespace

TEST_CASE("tbsim run with no file runs the embedded default and prints a summary") {
    const auto dir = scratch_dir("default");
    const auto r = run_tbsim("run --out " + dir);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("scenario 'default-testbed'") != std::string::npos);
    CHECK(r.out.find("controller-uplink") != std::string::npos);
    CHECK(std::filesystem::exists(dir + "/summary.json"));
    CHECK(std::filesystem::exists(dir + "/series.csv"));
}

TEST_CASE("tbsim run --json prints the summary as valid JSON") {
    const auto dir = scratch_dir("json");
    const auto r = run_tbsim("run --json --out " + dir);
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["scenario"] == "default-testbed");
    CHECK(j["events"].get<double>() > 0);
    CHECK(j.contains("wall_s"));
    CHECK(j["ci95_half_width"].is_object());
    // The file holds the same figures, without the wall-clock time.
    const auto file = nlohmann::json::parse(read_file(dir + "/summary.json"));
    CHECK(file["fingerprint"] == j["fingerprint"]);
    CHECK_FALSE(file.contains("wall_s"));
}

TEST_CASE("bad scenarios exit 2 with FILE:LINE:COL and the key, and write nothing") {
    const auto dir = scratch_dir("bad");
    const auto out = dir + "/out";
    struct Case {
        std::string yaml, expected;
    } cases[] = {
        {scenario_with("latency: 10ms", "latncy: 10ms"), "bad.yaml:9:7: topology.links[0].latncy: unknown key (did you mean 'latency'?)"},
        {scenario_with("10Mbps", "10MB"), "bad.yaml:10:18: topology.links[0].bandwidth: expected a data rate"},
        {scenario_with("10Mbps", "-10Mbps"), "bad.yaml:10:18: topology.links[0].bandwidth: must be greater than zero"},
        {scenario_with("to: b", "to: c"), "bad.yaml:12:28: workloads[0].to: no node is called 'c'"},
    };
    for (const auto& c : cases) {
        write_text(dir + "/bad.yaml", c.yaml);
        const auto r = run_tbsim("run " + dir + "/bad.yaml --out " + out);
        CHECK(r.exit_code == 2);
        CHECK(r.err.find(dir + "/" + c.expected) == 0);
        CHECK_FALSE(std::filesystem::exists(out));
        CHECK(run_tbsim("check " + dir + "/bad.yaml").exit_code == 2);
    }
}

TEST_CASE("a rate too low for the clock is bad input, and so are magnitudes that outlast it together") {
    const auto dir = scratch_dir("clock");
    const auto out = dir + "/out";
    // One period of 1e-300/s is far beyond the clock's 292 years: refused where it is written.
    write_text(dir + "/rate.yaml", scenario_with("period: 1s", "pattern: poisson, rate: 1e-300/s"));
    auto r = run_tbsim("run " + dir + "/rate.yaml --out " + out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(dir + "/rate.yaml:12:") == 0);
    CHECK(r.err.find("workloads[0].rate: \"1e-300/s\" is so low that one period is longer than tbsim's clock holds") !=
          std::string::npos);
    // Nor can a period shorter than the clock's tick: every arrival would fall on the same nanosecond.
    write_text(dir + "/fast.yaml", scenario_with("period: 1s", "pattern: poisson, rate: 1e30/s"));
    r = run_tbsim("run " + dir + "/fast.yaml --out " + out);
    CHECK(refusal_problem(r, "workloads[0].rate: \"1e30/s\" is so high that one period is shorter than tbsim's clock's tick (1 ns)") == "");
    // Each value passes its own check, but 1 KiB at 1e-12 b/s takes 2.6e14 years on the wire:
    // the run stops with what went wrong (exit 2), not a broken invariant of the time series.
    write_text(dir + "/slow.yaml", scenario_with("10Mbps", "1e-12bps"));
    r = run_tbsim("run " + dir + "/slow.yaml --out " + out);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("tbsim: a message of 1024 B would take longer than tbsim's clock holds") == 0);
    CHECK_FALSE(std::filesystem::exists(out + "/summary.json"));
}

TEST_CASE("--set overrides are validated like the file") {
    const auto dir = scratch_dir("set");
    write_text(dir + "/s.yaml", kScenario);
    const auto bad = run_tbsim("run " + dir + "/s.yaml --set topology.links.0.bandwidth=fast --out " + dir + "/o");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--set topology.links.0.bandwidth=fast: topology.links[0].bandwidth: expected a data rate") == 0);
    const auto good = run_tbsim("run " + dir + "/s.yaml --set topology.links.0.bandwidth=1Mbps --json --out " + dir + "/o");
    CHECK(good.exit_code == 0);
    // 1 KiB + 52 B per second over a 1 Mb/s link: utilisation 8.6 ms per 1 s.
    const auto j = nlohmann::json::parse(good.out);
    CHECK(j["links"]["ab"]["forward"]["utilisation"].get<double>() == within(1076.0 * 8 / 1e6, 0.01));
}

TEST_CASE("tbsim check validates only, and a missing file, an unknown model and bad options exit 2") {
    const auto dir = scratch_dir("check");
    write_text(dir + "/s.yaml", kScenario);
    const auto ok = run_tbsim("check " + dir + "/s.yaml");
    CHECK(ok.exit_code == 0);
    CHECK(ok.out.find("ok") != std::string::npos);
    CHECK(run_tbsim("check " + dir + "/missing.yaml").exit_code == 2);
    write_text(dir + "/m.yaml", "model: nosuch\n" + kScenario);
    const auto m = run_tbsim("check " + dir + "/m.yaml");
    CHECK(refusal_problem(m, "m.yaml:1:8: model: unknown model 'nosuch'") == "");
    CHECK(run_tbsim("run --seed minus-one").exit_code == 2);
    const auto unknown = run_tbsim("frobnicate");
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("'frobnicate' is not a command; the commands are run, sweep") != std::string::npos);
    // A folder where a file belongs says so (it used to read as an empty scenario).
    const auto folder = run_tbsim("check " + dir);
    CHECK(folder.exit_code == 2);
    CHECK(folder.err.find(": is a folder, not a scenario file") != std::string::npos);
}

TEST_CASE("counts and seeds on the command line are refused with the option's name, never wrapped") {
    // CLI11 took "-1" for an unsigned seed as 18446744073709551615, and `tbsim replay --seed -1` ran
    // with it; its PositiveNumber check answered "--jobs 0" with a range up to 1.8e308.
    const std::string source = TBSIM_SOURCE_DIR;
    auto refused = [](const std::string& args, const std::string& message) { return refusal_problem(run_tbsim(args), message); };
    CHECK(refused("replay " + source + "/validation/traces/mysqlrep/n2-d3000-ag10 --seed -1 --out " + scratch_dir("seed"),
                  "--seed: must not be negative, got \"-1\"") == "");
    CHECK(refused("plan --servers 2 --jobs 0", "--jobs: must be at least 1, got \"0\"") == "");
    CHECK(refused("run --seed 1.5", "--seed: expected a whole number from 0 to 9223372036854775807, got \"1.5\"") == "");
    CHECK(run_tbsim("run --seed 9223372036854775808").exit_code == 2);  // a scenario's seed is at most 2^63 - 1
    CHECK(run_tbsim("validate " + source + "/validation/mysqlrep.yaml --no-fit --replications 0").exit_code == 2);
}

TEST_CASE("help, version and params answer") {
    CHECK(run_tbsim("--version").out.find("tbsim 0.1.0") != std::string::npos);
    const auto help = run_tbsim("run --help");
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("--set") != std::string::npos);
    const auto params = run_tbsim("params traffic");
    CHECK(params.exit_code == 0);
    CHECK(params.out.find("tunnel_overhead") != std::string::npos);
    CHECK(run_tbsim("params nosuch").exit_code == 2);
}

TEST_CASE("tbsim bench engine prints its figures as JSON") {
    const auto r = run_tbsim("bench engine --pending 1000 --events 200000 --json");
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["pending"] == 1000);
    CHECK(j["events"] == 200000);
    CHECK(j["ratio"].get<double>() > 0.0);
    CHECK(j["ratio"].get<double>() == within(j["events_per_sec"].get<double>() / j["reference_events_per_sec"].get<double>(), 0.001));
}

TEST_CASE("the MySQL benchmark's override names and JSON keys are the stable interface") {
    const auto r = run_tbsim(std::string("run ") + TBSIM_SOURCE_DIR +
                             "/scenarios/mysqlrep/study-a-rate.yaml --set workload.instances=8 --set workload.rate=600/min "
                             "--set workload.aggregation=10 --set workload.inserts=200 --set placement.profile=docker-in-vm --json --out " +
                             scratch_dir("mysqlrep"));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    for (const char* k : {"sync_s", "main_loop_s", "desync_s", "nominal_main_loop_s", "slowdown", "network_bytes", "events", "wall_s"})
        CHECK(j.contains(k));
    for (const char* d : {"insert_latency_ms", "batch_latency_ms", "replication_lag_ms"})
        for (const char* q : {"mean", "p50", "p95", "p99"}) CHECK(j[d].contains(q));
    CHECK(j["nominal_main_loop_s"].get<double>() == doctest::Approx(20.0));
    const auto bad = run_tbsim(std::string("check ") + TBSIM_SOURCE_DIR + "/scenarios/mysqlrep/study-a-rate.yaml --set placement.profile=vmware");
    CHECK(refusal_problem(bad, "placement.profile: no virtualization profile 'vmware'") == "");
}

TEST_CASE("every shipped scenario and sweep file is valid") {
    int checked = 0;
    for (const auto& folder : {"default.yaml", "openstack", "mysqlrep", "sweeps"}) {
        const auto path = std::filesystem::path(TBSIM_SOURCE_DIR) / "scenarios" / folder;
        std::vector<std::filesystem::path> files;
        if (std::filesystem::is_directory(path)) {
            for (const auto& e : std::filesystem::directory_iterator(path))
                if (e.path().extension() == ".yaml") files.push_back(e.path());
        } else {
            files.push_back(path);
        }
        for (const auto& f : files) {
            const auto r = run_tbsim("check " + f.string());
            INFO(f.string() << ": " << r.err);
            CHECK(r.exit_code == 0);
            ++checked;
        }
    }
    CHECK(checked >= 18);  // 1 default, 8 openstack (plan.yaml among them), 3 mysqlrep, 6 sweeps
}

TEST_CASE("an output folder that cannot be one is refused before any run, with the option that named it") {
    // A file where the folder should be used to abort the process (exit 134) from a worker thread
    // that kept a replication there, after the first run.
    const std::string dir = scratch_dir("output_folder");
    const std::string file = dir + "/a-file";
    std::ofstream(file) << "not a folder\n";
    const std::string source = std::string(TBSIM_SOURCE_DIR) + "/";
    const std::string trace = source + "validation/traces/mysqlrep/n2-d3000-ag10";
    auto refused = [&](const std::string& command, const std::string& option) {
        return refusal_problem(run_tbsim(command), option + " " + file + ": cannot be the output folder: it is not a folder");
    };
    CHECK(refused("run --jobs 2 --out " + file, "--out") == "");
    CHECK(refused("sweep " + source + "scenarios/sweeps/study-b-fig6.yaml --out " + file, "--out") == "");
    CHECK(refused("replay " + trace + " --out " + file, "--out") == "");
    CHECK(refusal_problem(run_tbsim("run --out " + file + "/below"),
                          "--out " + file + "/below: cannot be the output folder: " + file + " is not a folder") == "");
    // The fit and the verdict take minutes: their outputs are checked before them.
    CHECK(refused("validate " + source + "validation/mysqlrep.yaml --report " + file, "--report") == "");
    CHECK(refused("calibrate " + trace + " --fit hosts.wake_up --out " + file + "/fitted.yaml", "--out") == "");  // its folder
    CHECK(refusal_problem(run_tbsim("calibrate " + trace + " --fit hosts.wake_up --out " + dir),
                          "--out " + dir + ": a folder; give a file name") == "");
    // A file where a run keeps its finished replications (the resume folder) is refused before
    // any run; it used to fail in a worker after the first replication (exit 134, then exit 1).
    const std::string blocked = dir + "/blocked";
    std::filesystem::create_directories(blocked);
    std::ofstream(blocked + "/.tbsim-resume") << "in the way\n";
    CHECK(refusal_problem(run_tbsim("run --jobs 2 --replications 2 --out " + blocked), blocked + "/.tbsim-resume: in the way") == "");
    // A folder that does not exist yet is made, as before.
    const auto fresh = run_tbsim("run --out " + dir + "/new/folder");
    CHECK(fresh.exit_code == 0);
    CHECK(std::filesystem::exists(dir + "/new/folder/summary.json"));
}
