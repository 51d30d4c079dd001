// The speed gauge of an OpenStack capture: how much slower the hosts ran on the day it was
// recorded than on the day the release profile's CPU times were measured. A compute makes some
// calls back to back (its resource tracker's ComputeNodeList, then InstanceList; a GET of one
// instance's allocations, then the next's), so the gap between them in messages.csv is the reply's
// processing by the controller's services and nova-compute's own work before the next call, on
// processors the workload under test also runs on. The profile's `speed_gauge` names the pairs and
// their median gaps on its day; a capture's gaps, each divided by its pair's, give the ratio, and
// the replay runs the model with deployment.cpu_time_factor = ratio ^ elasticity.
#pragma once

#include <cstddef>

#include "models/openstack/release_profile.hpp"
#include "validation/readers/openstack_capture.hpp"

namespace tbsim::validation {

struct CaptureSpeed {
    bool gauged = false;      // enough pairs: `factor` comes from them
    std::size_t samples = 0;  // back-to-back pairs found
    double gap_ratio = 1.0;   // median of each pair's gap / the profile's gap (1 without samples)
    double factor = 1.0;      // deployment.cpu_time_factor for the replay (1 when not gauged)
};

/// Gauges `capture` against `gauge`: pairs of calls of one compute to the controller, the second
/// straight after the first (no message of that compute between them) and within ten times the
/// profile's gap. Fewer than gauge.min_samples, or no messages.csv: not gauged.
CaptureSpeed gauge_capture_speed(const OpenStackCapture& capture, const models::openstack::SpeedGauge& gauge);

}  // namespace tbsim::validation
