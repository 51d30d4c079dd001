#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/support/cli_support.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kScenario = R"(name: resume
model: openstack
seed: 3
duration: 20min
replications: 12
profile: juno
deployment: {servers: 150, vms_per_server: 10}
)";

bool any_kept_replication(const std::string& dir) {
    const auto root = fs::path(dir) / ".tbsim-resume";
    if (!fs::exists(root)) return false;
    for (const auto& entry : fs::recursive_directory_iterator(root))
        if (entry.path().filename().string().rfind("replication-", 0) == 0) return true;
    return false;
}

// Starts `tbsim run scenario --out dir` and kills it (as a crash would) once it has kept its first
// replications, before it writes any result.
void crash_after_first_replications(const std::string& scenario, const std::string& dir) {
    const int pid = spawn_tbsim({"run", scenario, "--jobs", "1", "--out", dir});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (!any_kept_replication(dir) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

}  // namespace

TEST_CASE("an interrupted run resumes where it stopped and gives the same files as an uninterrupted one") {
    const auto dir = scratch_dir("resume");
    write_text(dir + "/s.yaml", kScenario);
    // The reference: one run to the end, which leaves no resume data behind.
    REQUIRE(run_tbsim("run " + dir + "/s.yaml --jobs 1 --out " + dir + "/whole").exit_code == 0);
    CHECK_FALSE(fs::exists(dir + "/whole/.tbsim-resume"));

    crash_after_first_replications(dir + "/s.yaml", dir + "/cut");
    REQUIRE(any_kept_replication(dir + "/cut"));
    CHECK_FALSE(fs::exists(dir + "/cut/summary.json"));

    // The rerun reuses what was kept and writes exactly the same results.
    REQUIRE(run_tbsim("run " + dir + "/s.yaml --jobs 1 --out " + dir + "/cut").exit_code == 0);
    for (const char* f : {"summary.json", "series.csv"}) CHECK(read_file(dir + "/cut/" + f) == read_file(dir + "/whole/" + f));
    CHECK_FALSE(fs::exists(dir + "/cut/.tbsim-resume"));
}

TEST_CASE("kept replications of another scenario are never reused") {
    const auto dir = scratch_dir("resume-other");
    write_text(dir + "/s.yaml", kScenario);
    crash_after_first_replications(dir + "/s.yaml", dir + "/out");
    REQUIRE(any_kept_replication(dir + "/out"));
    // Another seed is another run: its results match a clean run of that seed.
    REQUIRE(run_tbsim("run " + dir + "/s.yaml --seed 4 --replications 2 --out " + dir + "/out").exit_code == 0);
    REQUIRE(run_tbsim("run " + dir + "/s.yaml --seed 4 --replications 2 --out " + dir + "/clean").exit_code == 0);
    CHECK(read_file(dir + "/out/summary.json") == read_file(dir + "/clean/summary.json"));
}
