// The committed captures of the real OpenStack Zed plane (validation/traces/openstack-zed,
// docs/traces.md), read for the tests that hold the Zed profile against them.
#pragma once

#include <cstdint>
#include <map>
#include <string>

// What a capture saw on the compute links (the controller's WAN), as mean kb/s over the capture.
struct OpenStackCapture {
    std::int64_t computes = 0;
    std::int64_t instances = 0;
    double duration_s = 0;
    double wan_kbps = 0;
    double busiest_second_kbps = 0;                  // the busiest 1 s bin of the WAN, all computes and protocols
    std::map<std::string, double> kbps_by_protocol;  // amqp, http, mysql
};

/// Reads validation/traces/openstack-zed/<name>: meta.json and series.csv.gz (through gzip -dc).
OpenStackCapture read_openstack_capture(const std::string& name);
