// A capture of the real OpenStack Zed control plane (validation/openstack, docs/traces.md) read
// back: the conditions (meta.json), the bytes per second, compute, protocol and direction
// (series.csv or .gz), the messages (messages.csv, when reduced), and the workload's instances
// (workload.csv, for create-delete and boot-and-delete). Strict, as the testbed trace reader.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tbsim::validation {

struct CaptureBin {
    std::int64_t second = 0;
    std::string compute;    // "compute1", ..., or "internal" (the controller's own loopback)
    std::string protocol;   // amqp, http, mysql
    std::string direction;  // to_controller, to_compute, internal
    double bytes = 0;
};

struct CaptureMessage {
    double time_s = 0;
    std::string compute, protocol, direction, name;
    std::int64_t request_bytes = 0, reply_bytes = 0;
};

struct CaptureInstance {
    std::int64_t instance = 0, user = 0;
    double create_start_s = 0, create_s = 0, delete_s = 0;
    bool ok = true;
};

struct OpenStackCapture {
    std::string folder, name;
    std::string release;
    std::int64_t computes = 0;
    std::int64_t instances = 0;
    std::string workload;  // idle, create-delete, boot-and-delete:TIMES:CONCURRENCY
    double duration_s = 0;
    double bin_s = 1;
    std::string date;
    std::vector<CaptureBin> series;
    std::optional<std::vector<CaptureMessage>> messages;
    std::optional<std::vector<CaptureInstance>> workload_instances;

    // What the capture saw on the compute links (the controller's WAN), over its duration.
    double wan_kbps = 0;                             // mean, every compute and protocol
    double busiest_second_kbps = 0;                  // the busiest 1 s bin of the WAN
    std::map<std::string, double> kbps_by_protocol;  // amqp, http, mysql

    /// Bytes per bin on the WAN, `protocol` and `direction` ("" for all), over the duration.
    std::vector<double> wan_bins(const std::string& protocol = "", const std::string& direction = "") const;
};

/// Reads the capture in `folder`. Throws sim::ConfigError on anything malformed.
OpenStackCapture read_openstack_capture(const std::string& folder);

/// Whether `folder` holds a capture (a meta.json of the capture format).
bool is_openstack_capture(const std::string& folder);

}  // namespace tbsim::validation
