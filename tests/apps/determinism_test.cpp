#include <doctest/doctest.h>

#include <filesystem>

#include "tests/support/cli_support.hpp"

namespace {

// Both outputs of the default scenario (random phases, Poisson arrivals, lossy links).
void expect_same(const std::string& a, const std::string& b, bool same) {
    for (const char* f : {"summary.json", "series.csv"}) {
        const auto x = read_file(a + "/" + f), y = read_file(b + "/" + f);
        REQUIRE_FALSE(x.empty());
        CHECK((x == y) == same);
    }
}

}  // namespace

TEST_CASE("the same scenario and seed give byte-identical outputs, and another seed does not") {
    const auto dir = scratch_dir("determinism");
    REQUIRE(run_tbsim("run --out " + dir + "/a").exit_code == 0);
    REQUIRE(run_tbsim("run --out " + dir + "/b --jobs 1").exit_code == 0);  // threads do not matter
    REQUIRE(run_tbsim("run --out " + dir + "/c --seed 43").exit_code == 0);
    expect_same(dir + "/a", dir + "/b", true);
    expect_same(dir + "/a", dir + "/c", false);
}

TEST_CASE("no temporary file is left beside the results") {
    const auto dir = scratch_dir("atomic");
    REQUIRE(run_tbsim("run --out " + dir).exit_code == 0);
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        CHECK(entry.path().filename().string().find(".tmp.") == std::string::npos);
}
