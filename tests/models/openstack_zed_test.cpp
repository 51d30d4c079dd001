// The Zed profile against the real Zed control plane captured on this kind of machine
// (validation/traces/openstack-zed, recorded by validation/openstack/record-campaign). The profile's
// calls and sizes come from the messages of idle-c1-i25 and idle-c1-i50; the other captures (no
// instance, 10 instances, 2 and 4 computes) were not used to set any number. Tolerance: 10% on the
// traffic per compute and per instance, as the OpenStack-plane issue sets.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "tests/support/openstack_captures.hpp"
#include "tests/support/shipped_scenarios.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

using namespace tbsim;

namespace {

sim::Json pooled(const std::vector<std::string>& overrides = {}, const std::string& scenario = "scenarios/openstack/zed-idle.yaml") {
    return pooled_summary(scenario, overrides);
}

double kbps(const sim::Json& j) { return j["mean_kbps"].get<double>(); }

// Least-squares slope of y on x.
double slope(const std::vector<double>& x, const std::vector<double>& y) {
    double mx = 0, my = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mx += x[i] / static_cast<double>(x.size()), my += y[i] / static_cast<double>(x.size());
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < x.size(); ++i) sxy += (x[i] - mx) * (y[i] - my), sxx += (x[i] - mx) * (x[i] - mx);
    return sxy / sxx;
}

}  // namespace

TEST_CASE("Zed, one idle compute: each capture's traffic and the slope per instance within 10%") {
    const auto s = pooled();
    const std::vector<std::string> names = {"idle-c1-i0", "idle-c1-i10", "idle-c1-i25", "idle-c1-i50"};
    REQUIRE(s["points"].size() == names.size());
    std::vector<double> instances, captured;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto c = committed_capture(names[i]);
        const auto& point = s["points"][i];
        REQUIRE(c.computes == 1);
        REQUIRE(point["vms_per_server"].get<std::int64_t>() == c.instances);
        INFO(names[i] << ": captured " << c.wan_kbps << " kb/s, simulated " << kbps(point));
        CHECK(kbps(point) == within(c.wan_kbps, 0.10));
        instances.push_back(static_cast<double>(c.instances));
        captured.push_back(c.wan_kbps);
    }
    // Captured: 0.860 kb/s per instance (least squares over the four captures).
    const double captured_slope = slope(instances, captured);
    INFO("captured slope " << captured_slope << " kb/s per instance, simulated " << s["fits"][0]["slope"].get<double>());
    CHECK(s["fits"][0]["slope"].get<double>() == within(captured_slope, 0.10));
}

TEST_CASE("Zed, one idle compute: AMQP and HTTP each within 15%, and no MySQL from the compute") {
    // Per protocol the captures carry one-off calls the profile leaves out (idle-c1-i25: ten
    // Instance.save and a 39 kB InstanceList.get_by_filters after the boot: the simulated AMQP is
    // 12% under the capture), hence a wider tolerance than for the totals.
    const auto s = pooled();
    const std::vector<std::string> names = {"idle-c1-i0", "idle-c1-i10", "idle-c1-i25", "idle-c1-i50"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto c = committed_capture(names[i]);
        const auto& by = s["points"][i]["by_protocol"];
        INFO(names[i]);
        CHECK(kbps(by["rabbitmq"]) == within(c.kbps_by_protocol.at("amqp"), 0.15));
        CHECK(kbps(by["http"]) == within(c.kbps_by_protocol.at("http"), 0.15));
        CHECK(c.kbps_by_protocol.count("mysql") == 0);
        CHECK(kbps(by["mysql"]) == 0.0);
    }
}

TEST_CASE("Zed, several idle computes: the traffic per compute within 10%") {
    for (const std::string name : {"idle-c2-i20", "idle-c4-i40"}) {
        const auto c = committed_capture(name);
        REQUIRE(c.instances % c.computes == 0);
        const auto s = pooled({"sweep=null", "deployment.servers=" + std::to_string(c.computes),
                               "deployment.vms_per_server=" + std::to_string(c.instances / c.computes)});
        const double per_compute = kbps(s) / static_cast<double>(c.computes);
        const double captured = c.wan_kbps / static_cast<double>(c.computes);
        INFO(name << ": captured " << captured << " kb/s per compute, simulated " << per_compute);
        CHECK(per_compute == within(captured, 0.10));
    }
}

TEST_CASE("Zed, one create and delete: the traffic within 10% and the busiest second within 20%") {
    // The lifecycle's calls and sizes come from boot-and-delete-10-cc1; this capture was not used.
    const auto c = committed_capture("create-delete-c1");
    const auto s = pooled({fmt::format("duration={}s", c.duration_s)}, "scenarios/openstack/zed-create-delete.yaml");
    INFO("captured " << c.wan_kbps << " kb/s, busiest second " << c.busiest_second_kbps << "; simulated " << kbps(s) << ", "
                     << s["max_kbps"].get<double>());
    CHECK(kbps(s) == within(c.wan_kbps, 0.10));
    // The busiest second is the create's burst: 20%, the tolerance of Study B's peaks.
    CHECK(s["max_kbps"].get<double>() == within(c.busiest_second_kbps, 0.20));
}

TEST_CASE("Zed, boot-and-delete of 10 instances at concurrency 1, 2, 5: the traffic within 10%") {
    for (const std::string concurrency : {"1", "2", "5"}) {
        const auto c = committed_capture("boot-and-delete-10-cc" + concurrency);
        const auto s = pooled({"sweep=null", "rally.concurrency=" + concurrency, fmt::format("duration={}s", c.duration_s)},
                              "scenarios/openstack/zed-boot-and-delete.yaml");
        INFO("concurrency " << concurrency << ": captured " << c.wan_kbps << " kb/s over " << c.duration_s << " s, simulated "
                            << kbps(s));
        REQUIRE(s["rally"]["finished"].get<bool>());
        CHECK(kbps(s) == within(c.wan_kbps, 0.10));
    }
}

TEST_CASE("Zed, boot-and-delete: the clients and the services share two cores, so concurrency 5 is slower per VM") {
    // workload.csv of the captures: mean create as the client saw it 6.74 s at concurrency 1 and
    // 8.48 s at concurrency 5, the run 133.4 s and 33.8 s. With the client's start on the
    // controller's cores the model must show the slow-down (a constant delay gave 6.5 s and 26 s at
    // both); 10% on the durations.
    const auto one = pooled({"sweep=null", "rally.concurrency=1", "duration=164s"}, "scenarios/openstack/zed-boot-and-delete.yaml");
    const auto five = pooled({"sweep=null", "rally.concurrency=5", "duration=64s"}, "scenarios/openstack/zed-boot-and-delete.yaml");
    REQUIRE(five["rally"]["finished"].get<bool>());
    CHECK(one["rally"]["seen_create_s"].get<double>() == within(6.74, 0.10));
    CHECK(five["rally"]["seen_create_s"].get<double>() == within(8.48, 0.10));
    CHECK(one["rally"]["duration_s"].get<double>() == within(133.4, 0.10));
    CHECK(five["rally"]["duration_s"].get<double>() == within(33.8, 0.10));
    CHECK(five["rally"]["seen_create_s"].get<double>() > one["rally"]["seen_create_s"].get<double>() + 1.0);
}

TEST_CASE("deployment.cpu_time_factor makes every CPU time on the controller that many times longer") {
    // One user, one VM; a client's start is 1 s of CPU on the controller and the VM is active and
    // gone well before the 5 s polls: seen create and delete = 1 s x factor + 5 s, exactly.
    const auto seen = [](double factor) {
        return pooled({"sweep=null", "rally.times=1", "rally.concurrency=1", "duration=100s", "rally.client_start_work=1s",
                       fmt::format("deployment.cpu_time_factor={}", factor)},
                      "scenarios/openstack/zed-boot-and-delete.yaml")["rally"];
    };
    const auto one = seen(1.0), three = seen(3.0);
    CHECK(one["seen_create_s"].get<double>() == doctest::Approx(6.0).epsilon(1e-9));
    CHECK(three["seen_create_s"].get<double>() == doctest::Approx(8.0).epsilon(1e-9));
    CHECK(three["seen_delete_s"].get<double>() == doctest::Approx(8.0).epsilon(1e-9));
}
