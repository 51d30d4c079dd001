#include "validation/readers/openstack_capture.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "validation/readers/compressed_file.hpp"
#include "validation/readers/json_field.hpp"
#include "validation/readers/table_reader.hpp"

namespace tbsim::validation {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& message) { throw sim::ConfigError(fmt::format("{}: {}", where, message)); }

void read_meta(OpenStackCapture& c) {
    const auto path = (fs::path(c.folder) / "meta.json").string();
    const Json meta = read_json_file(path);
    const auto format = json_field<std::string>(meta, "format", path);
    if (format != "tbsim openstack capture 1") fail(path, fmt::format("format \"{}\": expected \"tbsim openstack capture 1\"", format));
    c.release = json_field<std::string>(meta, "release", path);
    c.computes = json_field<std::int64_t>(meta, "computes", path);
    c.instances = json_field<std::int64_t>(meta, "instances", path);
    c.workload = json_field<std::string>(meta, "workload", path);
    c.duration_s = json_field<double>(meta, "duration_s", path);
    c.bin_s = json_field<double>(meta, "bin_s", path);
    c.date = json_field<std::string>(meta, "date", path);
    if (c.computes < 1 || c.instances < 0 || c.duration_s <= 0 || c.bin_s <= 0) fail(path, "computes, duration_s and bin_s must be positive");
}

void read_series(OpenStackCapture& c) {
    const auto path = require_possibly_compressed(c.folder, "series.csv");
    const TableReader t(read_possibly_compressed(path), path, {"second", "compute", "protocol", "direction", "bytes"});
    std::int64_t previous = 0;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        CaptureBin b{t.integer(r, 0), t.text(r, 1), t.text(r, 2), t.text(r, 3), t.number(r, 4)};
        if (b.second < 0 || static_cast<double>(b.second) >= c.duration_s / c.bin_s)
            t.fail(r, fmt::format("second {} outside the capture's {} s", b.second, c.duration_s));
        if (b.second < previous) t.fail(r, fmt::format("second {} after second {}: out of order", b.second, previous));
        if (b.bytes < 0) t.fail(r, "bytes must not be negative");
        if (b.compute != "internal") {
            const auto n = b.compute.rfind("compute", 0) == 0 ? std::atoll(b.compute.c_str() + 7) : 0;
            if (n < 1 || n > c.computes) t.fail(r, fmt::format("compute \"{}\": meta.json has compute1..compute{}", b.compute, c.computes));
        }
        previous = b.second;
        c.series.push_back(std::move(b));
    }
}

void read_messages(OpenStackCapture& c) {
    const auto path = find_possibly_compressed(c.folder, "messages.csv");
    if (!path) return;
    const TableReader t(read_possibly_compressed(*path), *path,
                        {"time_s", "compute", "protocol", "direction", "name", "request_bytes", "reply_bytes"});
    std::vector<CaptureMessage> messages;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        CaptureMessage m{t.number(r, 0), t.text(r, 1), t.text(r, 2), t.text(r, 3), t.text(r, 4), t.integer(r, 5), t.integer(r, 6)};
        if (m.time_s < 0 || m.time_s > c.duration_s) t.fail(r, fmt::format("time {} s outside the capture's {} s", m.time_s, c.duration_s));
        if (m.request_bytes < 0 || m.reply_bytes < 0) t.fail(r, "sizes must not be negative");
        messages.push_back(std::move(m));
    }
    c.messages = std::move(messages);
}

void read_workload(OpenStackCapture& c) {
    const auto path = find_possibly_compressed(c.folder, "workload.csv");
    if (!path) return;
    const TableReader t(read_possibly_compressed(*path), *path, {"instance", "user", "create_start_s", "create_s", "delete_s", "ok"});
    std::vector<CaptureInstance> instances;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        CaptureInstance i{t.integer(r, 0), t.integer(r, 1), t.number(r, 2), t.number(r, 3), t.number(r, 4), t.integer(r, 5) == 1};
        if (i.create_start_s < 0 || i.create_s < 0 || i.delete_s < 0) t.fail(r, "times must not be negative");
        instances.push_back(i);
    }
    c.workload_instances = std::move(instances);
}

}  // namespace

std::vector<double> OpenStackCapture::wan_bins(const std::string& protocol, const std::string& direction) const {
    std::vector<double> bins(static_cast<std::size_t>(duration_s / bin_s + 0.5), 0.0);
    for (const auto& b : series) {
        if (b.compute == "internal") continue;
        if (!protocol.empty() && b.protocol != protocol) continue;
        if (!direction.empty() && b.direction != direction) continue;
        if (static_cast<std::size_t>(b.second) < bins.size()) bins[static_cast<std::size_t>(b.second)] += b.bytes;
    }
    return bins;
}

OpenStackCapture read_openstack_capture(const std::string& folder) {
    if (!sim::input_path_is_folder(folder)) fail(folder, "not a folder");
    OpenStackCapture c;
    c.folder = folder;
    c.name = fs::path(folder).filename().string();
    read_meta(c);
    read_series(c);
    read_messages(c);
    read_workload(c);
    double wan = 0;
    std::map<std::string, double> bytes;
    for (const auto& b : c.series) {
        if (b.compute == "internal") continue;  // the controller's loopback, not the WAN
        wan += b.bytes;
        bytes[b.protocol] += b.bytes;
    }
    c.wan_kbps = wan * 8 / c.duration_s / 1000;
    for (const auto& [protocol, b] : bytes) c.kbps_by_protocol[protocol] = b * 8 / c.duration_s / 1000;
    for (const double b : c.wan_bins()) c.busiest_second_kbps = std::max(c.busiest_second_kbps, b * 8 / c.bin_s / 1000);
    return c;
}

bool is_openstack_capture(const std::string& folder) { return folder_has_format(folder, "tbsim openstack capture"); }

}  // namespace tbsim::validation
