// The figures of an `openstack` scenario, at the controller's WAN interface (the deployment's
// uplink, both directions) from bins of `outputs.bin` (1 s by default), and of its VM operations.
#pragma once

#include <optional>
#include <string>

#include "sim/net/link_report.hpp"
#include "sim/output/figures.hpp"

namespace tbsim::models::openstack {

struct ProtocolFigures {
    sim::net::RateFigures rabbitmq, mysql, http;
};

template <sim::FiguresOf<ProtocolFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.group("rabbitmq", f.rabbitmq, "AMQP through RabbitMQ, both directions");
    v.group("mysql", f.mysql, "MySQL from a server to the controller's database, both directions");
    v.group("http", f.http, "HTTP to the controller's APIs (placement, neutron, keystone), both directions");
}

struct DirectionTraffic {
    sim::net::RateFigures to_controller, from_controller;
};

template <sim::FiguresOf<DirectionTraffic> F, class V>
void visit_figures(F& f, V& v) {
    v.group("to_controller", f.to_controller, "every protocol, towards the controller");
    v.group("from_controller", f.from_controller, "every protocol, from the controller");
}

/// The distribution of VM operation durations.
struct DurationFigures {
    double count = 0.0, mean = 0.0, p50 = 0.0, p95 = 0.0, max = 0.0;
};

template <sim::FiguresOf<DurationFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.number("count", f.count, "count", "operations that ended");
    v.number("mean", f.mean, "s", "mean duration");
    v.number("p50", f.p50, "s", "median duration");
    v.number("p95", f.p95, "s", "95th percentile");
    v.number("max", f.max, "s", "longest");
}

struct LifecycleFigures {
    DurationFigures create_s;  // request to active
    DurationFigures delete_s;  // request to gone
};

template <sim::FiguresOf<LifecycleFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.group("create_s", f.create_s, "VM create, request to active");
    v.group("delete_s", f.delete_s, "VM delete, request to gone");
}

struct RallyFigures {
    double times = 0.0, concurrency = 0.0;
    bool finished = false;
    double created = 0.0, duration_s = 0.0, mean_kbps = 0.0;
    double seen_create_s = 0.0, seen_delete_s = 0.0;  // means, as the users saw them
};

template <sim::FiguresOf<RallyFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.number("times", f.times, "count", "VMs the run creates in all");
    v.number("concurrency", f.concurrency, "count", "users in parallel");
    v.flag("finished", f.finished, "every VM created and deleted within the duration");
    v.number("created", f.created, "count", "VMs created");
    v.number("duration_s", f.duration_s, "s", "first request to the last VM gone (to the end if not finished)");
    v.number("mean_kbps", f.mean_kbps, "kb/s", "mean total traffic during the run (whole bins)");
    v.number("seen_create_s", f.seen_create_s, "s", "mean create as a user saw it: its client's start, the request, polls until active");
    v.number("seen_delete_s", f.seen_delete_s, "s", "mean delete as a user saw it: its client's start, the request, polls until gone");
}

struct OpenStackFigures {
    std::string profile;
    sim::net::RateFigures total;  // both directions, every protocol
    ProtocolFigures by_protocol;
    DirectionTraffic by_direction;
    sim::net::RateFigures internal_database;
    std::optional<double> utilisation;  // only against a capacity: an uplink that queues
    std::optional<double> queue_delay_mean_ms, queue_delay_p99_ms, queue_delay_max_ms;
    double servers = 0.0, vms_per_server = 0.0, task_runs = 0.0;
    std::optional<LifecycleFigures> lifecycle;  // with operations or Rally
    std::optional<RallyFigures> rally;
};

template <sim::FiguresOf<OpenStackFigures> F, class V>
void visit_figures(F& f, V& v) {
    v.text("profile", f.profile, "the release profile");
    visit_figures(f.total, v);
    v.group("by_protocol", f.by_protocol);
    v.group("by_direction", f.by_direction);
    v.group("internal_database", f.internal_database, "the controller's own database traffic, never on the WAN");
    v.number("utilisation", f.utilisation, "fraction", "the busier direction's transmitting time within the duration, over the duration (null without a capacity: an uplink with queueing: false)");
    v.number("queue_delay_mean_ms", f.queue_delay_mean_ms, "ms", "mean wait of a control message before transmission at the interface (null without a capacity)");
    v.number("queue_delay_p99_ms", f.queue_delay_p99_ms, "ms", "99th percentile of that wait, within 0.5% (null without a capacity)");
    v.number("queue_delay_max_ms", f.queue_delay_max_ms, "ms", "longest wait (null without a capacity)");
    v.number("servers", f.servers, "count", "compute servers");
    v.number("vms_per_server", f.vms_per_server, "count", "idle VMs per server");
    v.number("task_runs", f.task_runs, "count", "periodic task runs, every server");
    v.group("lifecycle", f.lifecycle, "VM operations (with `operations` or `rally` only)");
    v.group("rally", f.rally, "the Rally boot-and-delete run (with `rally` only)");
}

}  // namespace tbsim::models::openstack
