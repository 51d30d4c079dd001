// A capture of the real OpenStack Zed plane (validation/readers/openstack_capture.hpp) replayed in
// the openstack model: the scenario that matches the capture's workload (idle, create-delete,
// boot-and-delete:TIMES:CONCURRENCY) set to its computes, instances and duration, with a given
// release profile, and the controller's WAN traffic compared per protocol and direction: mean,
// p95 and peak of 1 s bins, the period structure (autocorrelation at 10 s and 60 s), and for
// workloads the run's duration and the mean create and delete durations (workload.csv).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "validation/readers/openstack_capture.hpp"
#include "validation/replay/capture_speed_gauge.hpp"
#include "validation/replay/testbed_replay.hpp"

namespace tbsim::validation {

/// The scenario files a capture's workload kind maps to.
struct CaptureScenarios {
    std::string idle, create_delete, boot_and_delete;
};

struct CaptureReplayOptions {
    std::int64_t replications = 1;
    std::uint64_t seed = 1;
    bool gauge_speed = true;  // the model's CPU times scaled to the capture's speed gauge (the profile's speed_gauge)
};

/// A rate figure of 1 s bins: measured, the mean over the replications, and the lowest and the
/// highest replication, so that a measured value can be read against the model's own spread.
struct RateFigure : Comparison {
    double low = 0.0, high = 0.0;
};

struct CaptureReplay {
    std::string capture;
    std::string workload;
    std::int64_t computes = 0, instances = 0;
    double duration_s = 0.0;
    // "amqp.to_controller", "http.to_compute", ..., and "total": kb/s of 1 s bins
    std::map<std::string, RateFigure> mean_kbps, p95_kbps, peak_kbps;
    Comparison acf_10s, acf_60s;            // autocorrelation of the total series at that lag
    std::optional<Comparison> run_s, create_s, delete_s;  // boot-and-delete: the run, mean create and delete as the clients saw them
    CaptureSpeed speed;  // the capture's speed gauge, and the cpu_time_factor the replay ran with
    std::vector<double> measured_total_kbps, simulated_total_kbps;  // per second (the first replication)
};

/// The overrides that set a scenario to the capture's conditions (and `profile_path` as its profile).
std::vector<std::string> capture_overrides(const OpenStackCapture& capture, const std::string& profile_path);

/// Replays `capture` with the release profile in the file `profile_path`. ConfigError on a
/// workload the scenarios do not cover.
CaptureReplay replay_capture(const OpenStackCapture& capture, const CaptureScenarios& scenarios, const std::string& profile_path,
                             const CaptureReplayOptions& options);

/// Replays each capture on up to `jobs` threads, in the captures' order.
std::vector<CaptureReplay> replay_captures(const std::vector<OpenStackCapture>& captures, const CaptureScenarios& scenarios,
                                           const std::string& profile_path, const CaptureReplayOptions& options, unsigned jobs);

/// Autocorrelation of `x` at `lag` (0 when undefined).
double autocorrelation(const std::vector<double>& x, std::size_t lag);

}  // namespace tbsim::validation
