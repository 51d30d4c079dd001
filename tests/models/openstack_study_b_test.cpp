// Study B (UFRJ/UERJ, SBRC 2016; ../shared/mission/BRIEF.md): the Juno profile must reproduce the
// study's figures from the mechanism, within the tolerances the OpenStack issue sets.
#include <doctest/doctest.h>

#include <cmath>

#include "tests/support/shipped_scenarios.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim;

namespace {

sim::Json pooled(const std::string& path, const std::vector<std::string>& overrides = {}) { return pooled_summary(path, overrides); }

double kbps(const sim::Json& j) { return j["mean_kbps"].get<double>(); }

// Bins of the uplink's series (both directions) for one protocol tag, or all tags if empty.
std::vector<double> uplink_bins(const sim::RunResult& r, const std::string& tag) {
    std::vector<double> bins;
    const std::string text = r.tables.at(0).text();
    std::size_t pos = text.find('\n') + 1;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        std::vector<std::string> cells;
        std::size_t a = 0;
        for (std::size_t b; (b = line.find(',', a)) != std::string::npos; a = b + 1) cells.push_back(line.substr(a, b - a));
        cells.push_back(line.substr(a));
        if (cells[1] != "uplink" || (!tag.empty() && cells[3] != tag)) continue;
        const auto bin = static_cast<std::size_t>(std::stod(cells[4]));
        if (bins.size() <= bin) bins.resize(bin + 1, 0.0);
        bins[bin] += std::stod(cells[6]);
    }
    return bins;
}

std::size_t busiest(const std::vector<double>& bins) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < bins.size(); ++i)
        if (bins[i] > bins[best]) best = i;
    return best;
}

}  // namespace

TEST_CASE("fig 5: one idle server sends RabbitMQ and MySQL traffic at Study B's rates") {
    const auto s = pooled("scenarios/openstack/study-b-fig5.yaml");
    // Study B: RabbitMQ 9.7224 kb/s and MySQL 6.0357 kb/s, 60 s means over 25 runs; tolerance 5%.
    CHECK(kbps(s["by_protocol"]["rabbitmq"]) == within(9.7224, 0.05));
    CHECK(kbps(s["by_protocol"]["mysql"]) == within(6.0357, 0.05));
    // Juno's compute server speaks no HTTP to the controller.
    CHECK(kbps(s["by_protocol"]["http"]) == 0.0);
    CHECK(kbps(s["by_direction"]["to_controller"]) + kbps(s["by_direction"]["from_controller"]) == doctest::Approx(kbps(s)));
}

TEST_CASE("fig 5: 1 s bins show the 10 s reports and the 60 s updates at their own phases") {
    const auto r = run_shipped("scenarios/openstack/study-b-fig5.yaml");
    const auto rabbit = uplink_bins(r, "rabbitmq");
    const auto mysql = uplink_bins(r, "mysql");
    REQUIRE(rabbit.size() == 60);
    // Study B's capture: RabbitMQ's 60 s burst between 20 and 30 s, MySQL's between 10 and 20 s.
    CHECK(busiest(rabbit) >= 20);
    CHECK(busiest(rabbit) < 30);
    CHECK(busiest(mysql) >= 10);
    CHECK(busiest(mysql) < 20);
    // "1 s bins peak at roughly 140 kb/s": within 30%.
    CHECK(std::max(rabbit[busiest(rabbit)], mysql[busiest(mysql)]) == within(140.0, 0.3));
    // The 10 s reports: every 10 s window outside the bursts carries MySQL traffic, and the
    // traffic is bursty (most 1 s bins are empty).
    int windows_with_reports = 0, empty_bins = 0;
    for (int w = 0; w < 6; ++w) {
        double sum = 0;
        for (int i = 0; i < 10; ++i) sum += mysql[static_cast<std::size_t>(10 * w + i)];
        if (sum > 0) ++windows_with_reports;
    }
    for (std::size_t i = 0; i < 60; ++i) empty_bins += (rabbit[i] + mysql[i] == 0.0) ? 1 : 0;
    CHECK(windows_with_reports == 6);
    CHECK(empty_bins > 25);
}

TEST_CASE("fig 6: total traffic grows by Study B's 15.036 kb/s per idle server") {
    const auto s = pooled("scenarios/sweeps/study-b-fig6.yaml");
    // Study B: f(x) = 15.036 x + 0.096 kb/s, R^2 = 0.9996; slope tolerance 5%.
    CHECK(s["fits"][0]["slope"].get<double>() == within(15.036, 0.05));
    CHECK(std::abs(s["fits"][0]["intercept"].get<double>()) < 1.0);
    CHECK(s["fits"][0]["r_squared"].get<double>() > 0.999);
    CHECK(s["points"][0]["mean_kbps"].get<double>() == 0.0);  // no server, no traffic
}

TEST_CASE("fig 7: total traffic grows by Study B's 0.770 kb/s per idle VM") {
    const auto s = pooled("scenarios/sweeps/study-b-fig7.yaml");
    // Study B: f(x) = 0.770 x + 19.157 kb/s, R^2 = 0.9855; slope tolerance 5%.
    CHECK(s["fits"][0]["slope"].get<double>() == within(0.770, 0.05));
    CHECK(s["fits"][0]["r_squared"].get<double>() > 0.98);
    // The VMs add RabbitMQ traffic only (instance lists); cinder's MySQL does not grow.
    const auto& first = s["points"][0];
    const auto& last = s["points"][9];
    CHECK(kbps(last["by_protocol"]["mysql"]) == doctest::Approx(kbps(first["by_protocol"]["mysql"])));
    CHECK(kbps(last["by_protocol"]["rabbitmq"]) > kbps(first["by_protocol"]["rabbitmq"]) + 60.0);
}

TEST_CASE("fig 8: creating and deleting one VM peaks near 1.3 and 1.2 Mb/s in 1 s bins") {
    const auto r = run_shipped("scenarios/openstack/study-b-fig8.yaml");
    const auto f = figures_json(r);
    const auto bins = uplink_bins(r, "");
    REQUIRE(bins.size() == 17);
    const auto create_bin = busiest({bins.begin(), bins.begin() + 8});
    const auto delete_bin = 8 + busiest({bins.begin() + 8, bins.end()});
    // Study B: about 1.3 Mb/s at creation and 1.2 Mb/s at destruction; tolerance 20%.
    CHECK(bins[create_bin] == within(1300.0, 0.2));
    CHECK(bins[delete_bin] == within(1200.0, 0.2));
    CHECK(f["lifecycle"]["create_s"]["count"].get<int>() == 1);
    CHECK(f["lifecycle"]["delete_s"]["count"].get<int>() == 1);
    // Outside the two bursts the traffic is the idle server's.
    CHECK(bins[16] < 200.0);
}

TEST_CASE("fig 9: Rally boot-and-delete runs at 0.4 to 2 Mb/s, more with more concurrency") {
    const auto s = pooled("scenarios/sweeps/study-b-fig9.yaml");
    const auto& points = s["points"];
    REQUIRE(points.size() == 24);
    double previous_concurrency_mean = 0.0;
    for (std::size_t c = 0; c < 4; ++c) {
        double sum = 0.0;
        for (std::size_t t = 0; t < 6; ++t) {
            const auto& p = points[6 * c + t];
            CHECK(p["rally"]["finished"].get<bool>());
            CHECK(p["rally"]["created"].get<int>() == p["rally"]["times"].get<int>());
            // Study B: the mean traffic during the run lies between about 0.4 and 2 Mb/s.
            const double mean = p["rally"]["mean_kbps"].get<double>();
            CHECK(mean >= 0.4 * 1000 * 0.9);
            CHECK(mean <= 2.0 * 1000 * 1.1);
            sum += mean;
        }
        CHECK(sum / 6 > previous_concurrency_mean);  // more users in parallel, more traffic
        previous_concurrency_mean = sum / 6;
    }
    // More VMs at the same concurrency take longer.
    CHECK(points[5]["rally"]["duration_s"].get<double>() > 5 * points[0]["rally"]["duration_s"].get<double>());
}

TEST_CASE("Study B's extrapolation: 100 servers with 15 VMs each need about 2.7 Mb/s") {
    const auto s = pooled("scenarios/openstack/study-b-idle.yaml",
                          {"deployment.servers=100", "deployment.vms_per_server=15", "replications=1", "duration=300s"});
    // Study B: 1.5 Mb/s for the servers + 1.155 Mb/s for the VMs, about 2.7 Mb/s; tolerance 5%.
    CHECK(kbps(s) == within(2700.0, 0.05));
}
