// `tbsim sweep` at scale: the same final files from one process, from MPI ranks, from shards merged,
// and from a run killed half-way and started again; a precision target; bad input refused first.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <sstream>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/support/cli_support.hpp"

namespace fs = std::filesystem;

namespace {

// 8 runs of a few hundred ms each: long enough to be killed in the middle.
const std::string kSweep = R"(name: scale
seed: 7
duration: 30min
replications: 2
model: openstack
profile: juno
deployment: {servers: 1, vms_per_server: 5}
sweep:
  axes:
    - {key: deployment.servers, values: [40, 80, 120, 160]}
  collect: [mean_kbps, p99_kbps, by_protocol.rabbitmq.mean_kbps]
)";

std::string sweep_file(const std::string& dir, const std::string& yaml = kSweep) {
    write_text(dir + "/sweep.yaml", yaml);
    return dir + "/sweep.yaml";
}

void expect_same_files(const std::string& a, const std::string& b) {
    for (const char* f : {"points.csv", "runs.csv", "sweep.json"}) {
        INFO(f);
        const auto x = read_file(a + "/" + f);
        REQUIRE_FALSE(x.empty());
        CHECK(x == read_file(b + "/" + f));
    }
}

std::size_t store_lines(const std::string& dir) {
    std::size_t lines = 0;
    if (!fs::exists(dir + "/store")) return 0;
    for (const auto& e : fs::directory_iterator(dir + "/store"))
        if (e.path().extension() == ".jsonl") {
            const auto text = read_file(e.path().string());
            lines += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        }
    return lines;
}

}  // namespace

TEST_CASE("a sweep gives the same files with one thread, two threads, two MPI ranks and three merged shards") {
    const auto dir = scratch_dir("sweep-same");
    const auto file = sweep_file(dir);
    REQUIRE(run_tbsim("sweep " + file + " --jobs 1 --json --out " + dir + "/one").exit_code == 0);
    REQUIRE(run_tbsim("sweep " + file + " --jobs 2 --json --out " + dir + "/two").exit_code == 0);
    expect_same_files(dir + "/one", dir + "/two");

    for (const char* i : {"1/3", "2/3", "3/3"})
        REQUIRE(run_tbsim("sweep " + file + " --jobs 1 --shard " + std::string(i) + " --out " + dir + "/shards").exit_code == 0);
    CHECK_FALSE(fs::exists(dir + "/shards/points.csv"));  // shards fill the store; --merge writes the files
    const auto merged = run_tbsim("sweep --merge " + dir + "/shards --json");
    REQUIRE(merged.exit_code == 0);
    expect_same_files(dir + "/one", dir + "/shards");

    // OpenMPI, as the README's set-up installs it; as root mpirun must be told it may run.
    if (run_command_line("command -v mpirun").exit_code != 0) {
        MESSAGE("mpirun is not installed: the MPI case is not checked here");
        return;
    }
    const auto mpi = run_command_line("ASAN_OPTIONS=detect_leaks=0 OMPI_MCA_btl_vader_single_copy_mechanism=none timeout 300 mpirun "
                                      "--allow-run-as-root --oversubscribe -n 2 " +
                                      std::string(TBSIM_BINARY_DIR) + "/apps/tbsim sweep " + file + " --jobs 1 --json --out " + dir + "/mpi");
    INFO(mpi.err);
    REQUIRE(mpi.exit_code == 0);
    expect_same_files(dir + "/one", dir + "/mpi");
}

TEST_CASE("a sweep killed with SIGKILL and started again runs only what is missing and gives the same files") {
    const auto dir = scratch_dir("sweep-killed");
    const auto file = sweep_file(dir);
    REQUIRE(run_tbsim("sweep " + file + " --jobs 1 --json --out " + dir + "/whole").exit_code == 0);

    const int pid = spawn_tbsim({"sweep", file, "--jobs", "1", "--json", "--out", dir + "/cut"});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (store_lines(dir + "/cut") < 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const auto kept = store_lines(dir + "/cut");
    REQUIRE(kept >= 3);
    REQUIRE(kept < 8);
    CHECK_FALSE(fs::exists(dir + "/cut/points.csv"));

    const auto again = run_tbsim("sweep " + file + " --jobs 1 --out " + dir + "/cut");
    REQUIRE(again.exit_code == 0);
    CHECK(again.err.find("8/8 runs (" + std::to_string(kept) + " kept)") != std::string::npos);
    expect_same_files(dir + "/whole", dir + "/cut");
    CHECK(store_lines(dir + "/cut") == 8);

    // A changed axis reruns only the points it changes: two values kept, one new.
    std::string wider = kSweep;
    wider.replace(wider.find("[40, 80, 120, 160]"), 18, "[40, 80, 200]");
    const auto changed = run_tbsim("sweep " + sweep_file(dir, wider) + " --jobs 1 --out " + dir + "/cut");
    REQUIRE(changed.exit_code == 0);
    CHECK(changed.err.find("6/6 runs (4 kept)") != std::string::npos);
}

TEST_CASE("--precision adds replications to a point until its figures' 95% half-widths are within the target") {
    const auto dir = scratch_dir("sweep-precision");
    const std::string yaml = R"(name: precise
seed: 3
duration: 120s
model: openstack
profile: juno
deployment: {servers: 2}
sweep:
  axes:
    - {key: deployment.vms_per_server, values: [0, 30]}
  collect: [mean_kbps]
  min_replications: 3
  max_replications: 40
)";
    const auto r = run_tbsim("sweep " + sweep_file(dir, yaml) + " --precision 2% --jobs 2 --json --out " + dir + "/out");
    REQUIRE(r.exit_code == 0);
    const auto points = read_file(dir + "/out/points.csv");
    const auto j = nlohmann::json::parse(r.out);
    // Each point stops as soon as its half-width is within 2% of its mean, or at 40 replications.
    std::istringstream rows(points);
    std::string row;
    std::getline(rows, row);  // point,replications,deployment.vms_per_server,mean_kbps,...
    for (std::size_t p = 0; p < 2; ++p) {
        REQUIRE(std::getline(rows, row));
        const auto replications = std::stoi(row.substr(row.find(',') + 1));
        const double mean = j["points"][p]["mean_kbps"].get<double>();
        const double hw = j["ci95_half_width"]["points"][p]["mean_kbps"].get<double>();
        INFO("point " << p << ": " << replications << " replications, mean " << mean << " kb/s, half-width " << hw);
        CHECK((hw <= 0.02 * mean || replications == 40));
        // Random phases make 2 minutes of an idle server noisy: 3 replications are not enough.
        CHECK(replications > 3);
        if (p == 0) CHECK(replications < 40);  // the server alone is precise within the budget
    }
    // The same sweep again: the same replications, the same files.
    REQUIRE(run_tbsim("sweep " + dir + "/sweep.yaml --precision 2% --jobs 1 --json --out " + dir + "/again").exit_code == 0);
    CHECK(read_file(dir + "/again/points.csv") == points);
}

TEST_CASE("tbsim sweep refuses bad input with FILE:LINE:COL and exit 2, and runs nothing") {
    const auto dir = scratch_dir("sweep-bad-input");
    struct Case {
        std::string from, to, expected;
    } cases[] = {
        {"{key: deployment.servers, values: [40, 80, 120, 160]}", "{key: deployment.server, values: [40, 80]}",
         "sweep.yaml:10:41: deployment.server: expected a mapping of deployment.server (each compute server) keys"},
        {"{key: deployment.servers, values: [40, 80, 120, 160]}", "{key: deployment.servrs, values: [40, 80]}",
         "sweep.yaml:10:13: deployment.servrs: unknown key (did you mean 'servers'?)"},
        {"values: [40, 80, 120, 160]", "range: {from: 1, to: 9, steps: 0}", "sweep.yaml:10:64: sweep.axes[0].range.steps: a range needs at least one step"},
        {"{key: deployment.servers, values: [40, 80, 120, 160]}", "{key: deployment.wan.latency, values: [2ms, fast]}",
         "sweep.yaml:10:51: deployment.wan.latency: expected a duration"},
        {"  collect:", "  replications: 0\n  collect:", "sweep.yaml:11:17: sweep.replications: expected a count between 1 and 100000"},
        {"  collect:", "  when: [deployment.servers <= deployment.sites_max]\n  collect:",
         "sweep.yaml:11:10: sweep.when: the scenario has no value at 'deployment.sites_max'"},
        {"by_protocol.rabbitmq.mean_kbps", "by_protocol.amqp.mean_kbps", "sweep.yaml:11:12: sweep.collect: model openstack has no figure"},
    };
    for (const auto& c : cases) {
        std::string yaml = kSweep;
        yaml.replace(yaml.find(c.from), c.from.size(), c.to);
        const auto file = sweep_file(dir, yaml);
        const auto r = run_tbsim("sweep " + file + " --out " + dir + "/out");
        INFO(c.to << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.err.rfind(dir + "/" + c.expected, 0) == 0);
        CHECK_FALSE(fs::exists(dir + "/out"));
    }
    CHECK(run_tbsim("sweep " + sweep_file(dir) + " --shard 4/3").exit_code == 2);
    CHECK(run_tbsim("sweep " + sweep_file(dir) + " --precision 200%").exit_code == 2);
}

TEST_CASE("tbsim plot draws a sweep's figure with its error bars as SVG") {
    const auto dir = scratch_dir("sweep-plot");
    REQUIRE(run_tbsim("sweep " + sweep_file(dir) + " --jobs 2 --json --out " + dir + "/out").exit_code == 0);
    const auto r = run_tbsim("plot " + dir + "/out/points.csv --x deployment.servers --y mean_kbps --out " + dir + "/fig.svg");
    REQUIRE(r.exit_code == 0);
    const auto svg = read_file(dir + "/fig.svg");
    CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
    CHECK(svg.find("deployment.servers") != std::string::npos);                      // the x axis label
    CHECK(svg.find("mean_kbps, mean and 95% confidence interval") != std::string::npos);  // the y axis label
    CHECK(std::count(svg.begin(), svg.end(), 'M') >= 4);                              // error bars: two replications
    const auto again = run_tbsim("plot " + dir + "/out/points.csv --x deployment.servers --y mean_kbps --out " + dir + "/again.svg");
    CHECK(read_file(dir + "/again.svg") == svg);  // deterministic
    const auto bad = run_tbsim("plot " + dir + "/out/points.csv --x deployment.servers --y mean_kpbs");
    CHECK(refusal_problem(bad, "no column 'mean_kpbs'") == "");
    // The columns it could plot follow, the figure's spread and counts left out.
    CHECK(bad.err.find(" mean_kbps") != std::string::npos);
    CHECK(bad.err.find(" deployment.servers") != std::string::npos);
    CHECK(bad.err.find("mean_kbps.ci95") == std::string::npos);
}
