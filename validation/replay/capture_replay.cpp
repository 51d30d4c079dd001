#include "validation/replay/capture_replay.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "models/openstack/openstack_scenario.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/config_error.hpp"
#include "sim/core/parallel_for.hpp"
#include "sim/net/link_report.hpp"
#include "sim/scenario/scenario_header.hpp"
#include "validation/readers/compressed_file.hpp"

namespace tbsim::validation {

namespace {

// The capture's names against the model's: AMQP is RabbitMQ's protocol, to_compute leaves the controller.
constexpr const char* kProtocols[][2] = {{"amqp", "rabbitmq"}, {"http", "http"}};
constexpr const char* kDirections[][2] = {{"to_controller", "to_controller"}, {"to_compute", "from_controller"}};

struct Workload {
    std::string kind;
    std::int64_t times = 0, concurrency = 0;
};

Workload parse_workload(const OpenStackCapture& c) {
    Workload w;
    const auto& s = c.workload;
    if (s == "idle" || s == "create-delete") {
        w.kind = s;
        return w;
    }
    unsigned long long times = 0, concurrency = 0;
    if (std::sscanf(s.c_str(), "boot-and-delete:%llu:%llu", &times, &concurrency) == 2 && times > 0 && concurrency > 0) {
        w.kind = "boot-and-delete";
        w.times = static_cast<std::int64_t>(times);
        w.concurrency = static_cast<std::int64_t>(concurrency);
        return w;
    }
    throw sim::ConfigError(fmt::format("{}/meta.json: workload \"{}\": expected idle, create-delete or boot-and-delete:TIMES:CONCURRENCY",
                                       c.folder, s));
}

std::vector<double> kbps_per_bin(const std::vector<double>& bytes, double bin_s) {
    std::vector<double> out(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) out[i] = bytes[i] * 8.0 / bin_s / 1000.0;
    return out;
}

std::vector<double> add(std::vector<double> a, const std::vector<double>& b) {
    a.resize(std::max(a.size(), b.size()), 0.0);
    for (std::size_t i = 0; i < b.size(); ++i) a[i] += b[i];
    return a;
}

}  // namespace

double autocorrelation(const std::vector<double>& x, std::size_t lag) {
    if (x.size() <= lag + 1) return 0.0;
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
    double num = 0.0, den = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        den += (x[i] - mean) * (x[i] - mean);
        if (i + lag < x.size()) num += (x[i] - mean) * (x[i + lag] - mean);
    }
    return den > 0.0 ? num / den : 0.0;
}

std::vector<std::string> capture_overrides(const OpenStackCapture& c, const std::string& profile_path) {
    const auto w = parse_workload(c);
    if (c.computes < 1 || c.instances % c.computes != 0)
        throw sim::ConfigError(fmt::format("{}/meta.json: {} instances do not spread evenly over {} computes", c.folder, c.instances, c.computes));
    std::vector<std::string> o = {fmt::format("duration={}s", c.duration_s),
                                  fmt::format("deployment.servers={}", c.computes),
                                  fmt::format("deployment.vms_per_server={}", c.instances / c.computes),
                                  "profile=" + profile_path};
    if (w.kind == "boot-and-delete") {
        o.push_back(fmt::format("rally.times={}", w.times));
        o.push_back(fmt::format("rally.concurrency={}", w.concurrency));
    }
    return o;
}

CaptureReplay replay_capture(const OpenStackCapture& c, const CaptureScenarios& scenarios, const std::string& profile_path,
                             const CaptureReplayOptions& options) {
    const auto w = parse_workload(c);
    const std::string& file = w.kind == "idle" ? scenarios.idle : w.kind == "create-delete" ? scenarios.create_delete : scenarios.boot_and_delete;
    if (file.empty())
        throw sim::ConfigError(fmt::format("{}: no scenario for the workload {} (tbsim calibrate: --scenario {}=FILE; a validation file: "
                                           "scenarios.{})",
                                           c.folder, w.kind, w.kind, w.kind));
    auto doc = sim::ConfigDocument::from_text(read_possibly_compressed(file), file);
    for (const auto& o : capture_overrides(c, profile_path)) doc->apply_override(o, sim::OverrideOrigin{"--capture", "--capture", true});
    const auto root = doc->root();
    // The capture sets what a sweep of the scenario would vary: its sweep is not run.
    if (const auto sweep = root.child("sweep")) sweep->mark_opaque();
    auto header = sim::read_scenario_header(root);
    header.seed = options.seed;
    auto spec = models::openstack::read_openstack_spec(root, header);
    doc->check_unknown_keys();
    // The day's speed: the capture's back-to-back calls against the profile's.
    const CaptureSpeed speed = options.gauge_speed ? gauge_capture_speed(c, spec.profile.speed_gauge) : CaptureSpeed{};
    spec.deployment.cpu_time_factor *= speed.factor;

    CaptureReplay out;
    out.capture = c.name;
    out.workload = c.workload;
    out.computes = c.computes;
    out.instances = c.instances;
    out.duration_s = c.duration_s;
    out.speed = speed;
    const auto duration = sim::Time::from_seconds(c.duration_s);
    const auto bin = sim::Time::from_seconds(c.bin_s);

    // The measured figures, then each replication's simulated figures, averaged over replications
    // (figures of each run, as `tbsim run` pools them: averaging the bins would smooth the peaks).
    std::map<std::string, std::vector<double>> measured;
    for (const auto& [capture_protocol, model_protocol] : kProtocols)
        for (const auto& [capture_direction, model_direction] : kDirections)
            measured[fmt::format("{}.{}", capture_protocol, capture_direction)] = c.wan_bins(capture_protocol, capture_direction);
    std::vector<double> measured_total;
    for (const auto& [name, bins] : measured) measured_total = add(measured_total, bins);
    measured["total"] = measured_total;
    for (const auto& [name, bins] : measured) {
        const auto f = sim::net::rate_figures(bins, bin, duration);
        out.mean_kbps[name].measured = f.mean_kbps;
        out.p95_kbps[name].measured = f.p95_kbps;
        out.peak_kbps[name].measured = f.max_kbps;
    }
    out.measured_total_kbps = kbps_per_bin(measured_total, c.bin_s);
    const auto lag = [&](double seconds) { return static_cast<std::size_t>(std::lround(seconds / c.bin_s)); };
    out.acf_10s = {autocorrelation(out.measured_total_kbps, lag(10)), 0.0};
    out.acf_60s = {autocorrelation(out.measured_total_kbps, lag(60)), 0.0};

    const double reps = static_cast<double>(options.replications);
    double run_s = 0.0, create_s = 0.0, delete_s = 0.0;
    for (std::int64_t r = 0; r < options.replications; ++r) {
        const auto point = models::openstack::simulate_point(spec, static_cast<std::uint64_t>(r), true);
        std::map<std::string, std::vector<double>> simulated;
        std::vector<double> total;
        for (const auto& [capture_protocol, model_protocol] : kProtocols)
            for (const auto& [capture_direction, model_direction] : kDirections) {
                const auto& bins = point.wan_bins.at(fmt::format("{}/{}", model_protocol, model_direction));
                simulated[fmt::format("{}.{}", capture_protocol, capture_direction)] = bins;
                total = add(total, bins);
            }
        simulated["total"] = total;
        for (const auto& [name, bins] : simulated) {
            const auto f = sim::net::rate_figures(bins, bin, duration);
            for (auto [figure, value] : {std::pair{&out.mean_kbps[name], f.mean_kbps}, std::pair{&out.p95_kbps[name], f.p95_kbps},
                                         std::pair{&out.peak_kbps[name], f.max_kbps}}) {
                figure->simulated += value / reps;
                figure->low = r == 0 ? value : std::min(figure->low, value);
                figure->high = r == 0 ? value : std::max(figure->high, value);
            }
        }
        const auto total_kbps = kbps_per_bin(total, c.bin_s);
        out.acf_10s.simulated += autocorrelation(total_kbps, lag(10)) / reps;
        out.acf_60s.simulated += autocorrelation(total_kbps, lag(60)) / reps;
        if (r == 0) out.simulated_total_kbps = total_kbps;
        if (point.figures.rally) {
            run_s += point.figures.rally->duration_s;
            create_s += point.figures.rally->seen_create_s;
            delete_s += point.figures.rally->seen_delete_s;
        }
    }

    // The durations as the capture's clients saw them, against the simulated users' (Rally runs).
    if (w.kind == "boot-and-delete" && c.workload_instances && !c.workload_instances->empty()) {
        double end = 0.0, creates = 0.0, deletes = 0.0;
        for (const auto& i : *c.workload_instances) {
            end = std::max(end, i.create_start_s + i.create_s + i.delete_s);
            creates += i.create_s;
            deletes += i.delete_s;
        }
        const double n = static_cast<double>(c.workload_instances->size());
        out.run_s = Comparison{end, run_s / reps};
        out.create_s = Comparison{creates / n, create_s / reps};
        out.delete_s = Comparison{deletes / n, delete_s / reps};
    }
    return out;
}

std::vector<CaptureReplay> replay_captures(const std::vector<OpenStackCapture>& captures, const CaptureScenarios& scenarios,
                                           const std::string& profile_path, const CaptureReplayOptions& options, unsigned jobs) {
    std::vector<CaptureReplay> out(captures.size());
    std::vector<std::size_t> order(captures.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Longest first.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return captures[a].duration_s * static_cast<double>(captures[a].instances + 1) >
               captures[b].duration_s * static_cast<double>(captures[b].instances + 1);
    });
    sim::parallel_for(order, jobs, [&](std::size_t i) { out[i] = replay_capture(captures[i], scenarios, profile_path, options); });
    return out;
}

}  // namespace tbsim::validation
