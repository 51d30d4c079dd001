#include "validation/readers/testbed_trace.hpp"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/config/config_error.hpp"
#include "sim/config/input_path.hpp"
#include "sim/core/parallel_for.hpp"
#include "sim/core/units.hpp"
#include "validation/readers/compressed_file.hpp"
#include "validation/readers/json_field.hpp"
#include "validation/readers/table_reader.hpp"

namespace tbsim::validation {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

[[noreturn]] void fail(const std::string& where, const std::string& message) { throw sim::ConfigError(fmt::format("{}: {}", where, message)); }

models::mysqlrep::BenchmarkPhase parse_phase(const TableReader& t, std::size_t row) {
    const auto& s = t.text(row, 1);
    if (const auto p = models::mysqlrep::phase_named(s)) return *p;
    t.fail(row, fmt::format("column phase: unknown phase \"{}\"", s));
}

models::mysqlrep::BenchmarkOp parse_op(const TableReader& t, std::size_t row) {
    const auto& s = t.text(row, 2);
    if (const auto op = models::mysqlrep::op_named(s)) return *op;
    t.fail(row, fmt::format("column op: unknown operation \"{}\"", s));
}

void read_meta(const std::string& folder, TestbedTrace& trace) {
    const auto path = (fs::path(folder) / "meta.json").string();
    const Json meta = read_json_file(path);
    const auto format = json_field<std::string>(meta, "format", path);
    if (format != "tbsim-testbed trace 1") fail(path, fmt::format("format \"{}\": expected \"tbsim-testbed trace 1\"", format));
    trace.instances = json_field<std::int64_t>(meta, "instances", path);
    trace.rate_per_minute = json_field<double>(meta, "rate_per_minute", path);
    trace.aggregation = json_field<std::int64_t>(meta, "aggregation", path);
    trace.inserts = json_field<std::int64_t>(meta, "inserts", path);
    trace.remote_inserts = json_field<bool>(meta, "remote_inserts", path);
    trace.poll_period_ms = json_field<std::int64_t>(meta, "poll_period_ms", path);
    trace.seed = json_field<std::int64_t>(meta, "seed", path);
    if (trace.instances < 1 || trace.rate_per_minute <= 0 || trace.aggregation < 1 || trace.inserts < 1 || trace.poll_period_ms < 1)
        fail(path, "instances, rate_per_minute, aggregation, inserts and poll_period_ms must be positive");
    const Json limits = json_field<Json>(meta, "limits", path);
    trace.limits.cpu_quota_cores = json_field_or_null<double>(limits, "cpu_quota_cores", path);
    trace.limits.cpu_period_us = json_field<std::int64_t>(limits, "cpu_period_us", path);
    trace.limits.bandwidth_bps = json_field_or_null<double>(limits, "bandwidth_bps", path);
    trace.limits.bandwidth = json_field_or_null<std::string>(limits, "bandwidth", path);
    trace.limits.delay = json_field_or_null<std::string>(limits, "delay", path);
    if (trace.limits.delay) {
        const auto d = sim::parse_duration(*trace.limits.delay);
        if (!d || d->ns() < 0) fail(path, fmt::format("limits.delay: expected a duration such as \"5ms\", got \"{}\"", *trace.limits.delay));
        trace.limits.delay_s = d->seconds();
    }
    if (trace.limits.cpu_quota_cores && *trace.limits.cpu_quota_cores <= 0) fail(path, "limits.cpu_quota_cores must be positive");
    if (trace.limits.bandwidth_bps && *trace.limits.bandwidth_bps <= 0) fail(path, "limits.bandwidth_bps must be positive");
    trace.cores = json_field<std::int64_t>(meta, "cores", path);
    if (trace.cores < 1) fail(path, "cores must be positive");
    const Json host_load = json_field<Json>(meta, "host_load", path);
    trace.host_busy_fraction = json_field<double>(host_load, "cpu_busy_fraction", path);
    if (const auto disk = json_field_or_null<Json>(host_load, "disk", path)) {
        TestbedTrace::HostDisk d;
        d.busy_fraction = json_field<double>(*disk, "busy_fraction", path);
        d.write_bytes = json_field<std::int64_t>(*disk, "write_bytes", path);
        d.servers_write_bytes = json_field<std::int64_t>(*disk, "servers_write_bytes", path);
        if (d.busy_fraction < 0 || d.write_bytes < 0 || d.servers_write_bytes < 0)
            fail(path, "host_load.disk: busy_fraction, write_bytes and servers_write_bytes must not be negative");
        trace.host_disk = d;
    }
    trace.run_s = json_field_or_null<double>(meta, "run_s", path);
    if (trace.run_s && *trace.run_s <= 0) fail(path, "run_s must be positive");
    trace.setup_s = json_field_or_null<double>(meta, "setup_s", path);
    if (trace.setup_s && !(*trace.setup_s > 0)) fail(path, "setup_s must be positive");
    if (const auto phases = json_field_or_null<Json>(meta, "setup_phases_s", path)) {
        trace.servers_start_s = json_field<double>(*phases, "start", path);
        if (!(*trace.servers_start_s > 0)) fail(path, "setup_phases_s.start must be positive");
    }
    if (const auto probe = json_field_or_null<Json>(meta, "host_probe_us", path)) {
        // Each probe's median, named in full when it is wrong (both probes have a "p50").
        const auto median = [&](const char* kind) {
            const auto quantiles = json_field<Json>(*probe, kind, path);
            const auto* p50 = quantiles.is_object() && quantiles.contains("p50") ? &quantiles.at("p50") : nullptr;
            if (p50 == nullptr || !p50->is_number() || !(p50->get<double>() > 0))
                fail(path, fmt::format("host_probe_us.{}.p50: expected a positive number of microseconds", kind));
            return p50->get<double>();
        };
        trace.probe_wake_round_trip_us = median("wake_round_trip");
        trace.probe_fdatasync_us = median("fdatasync");
        trace.probe_samples = json_field<std::int64_t>(*probe, "samples", path);
        if (*trace.probe_samples < 1) fail(path, "host_probe_us.samples must be positive");
    }
    trace.date = json_field<std::string>(meta, "date", path);
    trace.nodes.assign(static_cast<std::size_t>(trace.instances), TraceNode{});
    std::vector<bool> seen(trace.nodes.size(), false);
    for (const auto& n : json_field<Json>(meta, "nodes", path)) {
        const auto i = json_field<std::int64_t>(n, "instance", path);
        if (i < 0 || i >= trace.instances) fail(path, fmt::format("nodes: instance {} outside 0..{}", i, trace.instances - 1));
        auto& node = trace.nodes[static_cast<std::size_t>(i)];
        if (seen[static_cast<std::size_t>(i)]) fail(path, fmt::format("nodes: instance {} twice", i));
        seen[static_cast<std::size_t>(i)] = true;
        node.instance = static_cast<std::uint32_t>(i);
        node.address = json_field<std::string>(n, "address", path);
        node.master = json_field<bool>(n, "master", path);
        node.cpu_ns = json_field<std::int64_t>(n, "cpu_ns", path);
        node.throttled_ns = json_field<std::int64_t>(n, "throttled_ns", path);
        node.throttled_periods = json_field<std::int64_t>(n, "throttled_periods", path);
    }
    for (std::size_t i = 0; i < seen.size(); ++i)
        if (!seen[i]) fail(path, fmt::format("nodes: instance {} is missing", i));
}

void read_operations(const std::string& folder, TestbedTrace& trace) {
    const auto path = require_possibly_compressed(folder, "trace.csv");
    const TableReader t(read_possibly_compressed(path), path, {"instance", "phase", "op", "peer", "rows", "t_start_ns", "t_end_ns", "ok"});
    trace.operations.reserve(t.rows());
    std::vector<std::int64_t> last_start(trace.nodes.size(), -1);
    for (std::size_t r = 0; r < t.rows(); ++r) {
        TraceOperation op;
        const auto instance = t.integer(r, 0);
        if (instance < 0 || instance >= trace.instances)
            t.fail(r, fmt::format("instance {}: meta.json has instances 0..{}", instance, trace.instances - 1));
        op.instance = static_cast<std::uint32_t>(instance);
        op.phase = parse_phase(t, r);
        op.op = parse_op(t, r);
        if (models::mysqlrep::phase_of(op.op) != op.phase)
            t.fail(r, fmt::format("operation {} in phase {}: it belongs to phase {}", models::mysqlrep::op_name(op.op),
                                  models::mysqlrep::phase_name(op.phase), models::mysqlrep::phase_name(models::mysqlrep::phase_of(op.op))));
        const auto peer = t.integer(r, 3);
        if (peer < 0 || peer >= trace.instances) t.fail(r, fmt::format("peer {}: meta.json has instances 0..{}", peer, trace.instances - 1));
        op.peer = static_cast<std::uint32_t>(peer);
        op.rows = t.integer(r, 4);
        if (op.rows < 0) t.fail(r, fmt::format("rows {}: must not be negative", op.rows));
        op.start_ns = t.integer(r, 5);
        op.end_ns = t.integer(r, 6);
        if (op.start_ns < 0) t.fail(r, fmt::format("t_start_ns {}: must not be negative", op.start_ns));
        if (op.end_ns < op.start_ns) t.fail(r, fmt::format("ends ({} ns) before it starts ({} ns)", op.end_ns, op.start_ns));
        const auto ok = t.integer(r, 7);
        if (ok != 0 && ok != 1) t.fail(r, fmt::format("column ok: expected 0 or 1, got {}", ok));
        op.ok = ok == 1;
        auto& last = last_start[op.instance];
        if (op.start_ns < last)
            t.fail(r, fmt::format("instance {}: starts at {} ns, before its previous operation ({} ns): out of order", op.instance, op.start_ns, last));
        last = op.start_ns;
        trace.operations.push_back(op);
    }
    if (trace.operations.empty()) fail(path, "no operations");
}

void read_bytes(const std::string& folder, TestbedTrace& trace) {
    const auto path = (fs::path(folder) / "bytes.csv").string();
    const TableReader t(read_possibly_compressed(path), path, {"instance", "direction", "bytes", "packets"});
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const auto instance = t.integer(r, 0);
        if (instance < 0 || instance >= trace.instances)
            t.fail(r, fmt::format("instance {}: meta.json has instances 0..{}", instance, trace.instances - 1));
        auto& node = trace.nodes[static_cast<std::size_t>(instance)];
        const auto bytes = t.integer(r, 2), packets = t.integer(r, 3);
        if (bytes < 0 || packets < 0) t.fail(r, "bytes and packets must not be negative");
        const auto& direction = t.text(r, 1);
        if (direction == "sent") node.sent_bytes = bytes, node.sent_packets = packets;
        else if (direction == "received") node.received_bytes = bytes, node.received_packets = packets;
        else t.fail(r, fmt::format("column direction: expected sent or received, got \"{}\"", direction));
    }
}

void read_flows(const std::string& folder, TestbedTrace& trace) {
    const auto path = find_possibly_compressed(folder, "flows.csv");
    if (!path) return;
    const TableReader t(read_possibly_compressed(*path), *path, {"src_instance", "dst_instance", "frames", "bytes"});
    std::vector<TraceFlow> flows;
    for (std::size_t r = 0; r < t.rows(); ++r) {
        const auto a = t.integer(r, 0), b = t.integer(r, 1);
        if (a < 0 || a >= trace.instances || b < 0 || b >= trace.instances)
            t.fail(r, fmt::format("instances {} and {}: meta.json has 0..{}", a, b, trace.instances - 1));
        flows.push_back({static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), t.integer(r, 2), t.integer(r, 3)});
    }
    trace.flows = std::move(flows);
}

}  // namespace

std::optional<double> TestbedTrace::probe_s() const {
    if (!probe_samples || !probe_wake_round_trip_us || !probe_fdatasync_us) return std::nullopt;
    constexpr double kSleepS = 1.06e-3;  // sleep_for(1 ms) between samples, as it comes out
    return static_cast<double>(*probe_samples) * (2.0 * kSleepS + (*probe_wake_round_trip_us + *probe_fdatasync_us) * 1e-6);
}

double TestbedTrace::foreign_cores() const {
    if (!run_s) return 0.0;
    double containers_s = 0.0;
    for (const auto& n : nodes) containers_s += static_cast<double>(n.cpu_ns) * 1e-9;
    return std::max(0.0, host_busy_fraction * static_cast<double>(cores) - containers_s / *run_s);
}

std::optional<double> TestbedTrace::foreign_write_bytes_per_s() const {
    if (!host_disk || !run_s) return std::nullopt;
    // The servers' own count can pass the device's (a write merged, or still in the page cache).
    return std::max<double>(0.0, static_cast<double>(host_disk->write_bytes - host_disk->servers_write_bytes)) / *run_s;
}

std::optional<double> TestbedTrace::pacing_lateness_s() const {
    if (rate_per_minute <= 0) return std::nullopt;
    const auto period_ns = static_cast<std::int64_t>(60e9 / rate_per_minute);
    const auto margin_ns = static_cast<std::int64_t>(kPacingMargin_s * 1e9);
    std::vector<double> late_s;
    // Per instance: the previous local insert's start and the last end of its iteration.
    std::vector<std::optional<std::int64_t>> previous_start(static_cast<std::size_t>(std::max<std::int64_t>(instances, 0)));
    std::vector<std::int64_t> iteration_end(previous_start.size(), 0);
    for (const auto& op : operations) {
        if (op.phase != BenchmarkPhase::main || op.instance >= previous_start.size()) continue;
        auto& prev = previous_start[op.instance];
        if (op.op == BenchmarkOp::local_insert) {
            if (prev && iteration_end[op.instance] <= *prev + period_ns - margin_ns)
                late_s.push_back(static_cast<double>(op.start_ns - (*prev + period_ns)) * 1e-9);
            prev = op.start_ns;
        }
        iteration_end[op.instance] = std::max(iteration_end[op.instance], op.end_ns);
    }
    if (late_s.size() < 20) return std::nullopt;
    std::nth_element(late_s.begin(), late_s.begin() + static_cast<std::ptrdiff_t>(late_s.size() / 2), late_s.end());
    const double median = late_s[late_s.size() / 2];
    if (median <= 0) return std::nullopt;
    return median;
}

double TestbedTrace::main_loop_s(std::uint32_t instance) const {
    std::int64_t first = -1, last = -1;
    for (const auto& op : operations) {
        if (op.instance != instance || op.phase != models::mysqlrep::BenchmarkPhase::main) continue;
        if (first < 0) first = op.start_ns;
        last = std::max(last, op.end_ns);
    }
    return first < 0 ? 0.0 : static_cast<double>(last - first) * 1e-9;
}

double TestbedTrace::main_loop_s() const {
    double slowest = 0;
    for (std::uint32_t i = 0; i < static_cast<std::uint32_t>(instances); ++i) slowest = std::max(slowest, main_loop_s(i));
    return slowest;
}

std::vector<std::string> TestbedTrace::incomplete_run() const {
    std::vector<std::string> out;
    std::map<BenchmarkOp, std::int64_t> failed;
    std::vector<std::int64_t> local_inserts(static_cast<std::size_t>(instances), 0);
    for (const auto& op : operations) {
        if (!op.ok) ++failed[op.op];
        else if (op.op == BenchmarkOp::local_insert) ++local_inserts[op.instance];
    }
    if (!failed.empty()) {
        std::int64_t total = 0;
        std::string kinds;
        for (const auto& [kind, count] : failed) {
            total += count;
            kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, models::mysqlrep::op_name(kind));
        }
        out.push_back(fmt::format("{} operation{} failed (ok = 0: {}); left out of the latency figures", total, total == 1 ? "" : "s", kinds));
    }
    for (std::size_t i = 0; i < local_inserts.size(); ++i)
        if (local_inserts[i] < inserts)
            out.push_back(fmt::format("instance {} has {} local inserts that succeeded, of K = {}", i, local_inserts[i], inserts));
    return out;
}

TestbedTrace read_testbed_trace(const std::string& folder) {
    if (!sim::input_path_is_folder(folder)) fail(folder, "not a folder");
    TestbedTrace trace;
    trace.folder = folder;
    trace.name = fs::path(folder).filename().string();
    if (trace.name.empty()) trace.name = fs::path(folder).parent_path().filename().string();
    read_meta(folder, trace);
    read_operations(folder, trace);
    read_bytes(folder, trace);
    read_flows(folder, trace);
    return trace;
}

std::vector<TestbedTrace> read_testbed_traces(const std::vector<std::string>& folders, unsigned jobs) {
    std::vector<TestbedTrace> out(folders.size());
    std::vector<std::exception_ptr> failures(folders.size());
    sim::parallel_for_count(folders.size(), jobs, [&](std::size_t i) {
        try {
            out[i] = read_testbed_trace(folders[i]);
        } catch (...) {
            failures[i] = std::current_exception();
        }
    });
    for (const auto& failure : failures)
        if (failure) std::rethrow_exception(failure);
    return out;
}

bool is_testbed_trace(const std::string& folder) { return folder_has_format(folder, "tbsim-testbed trace"); }

}  // namespace tbsim::validation
