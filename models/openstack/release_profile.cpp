#include "models/openstack/release_profile.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "models/openstack/embedded_profiles.hpp"
#include "sim/config/config_document.hpp"

namespace tbsim::models::openstack {
namespace {

Protocol read_protocol(const sim::ConfigNode& n) {
    const auto text = n.text();
    for (const Protocol p : kProtocols)
        if (text == protocol_name(p)) return p;
    n.fail(fmt::format("expected a protocol (rabbitmq, mysql or http), got \"{}\"", text));
}

// A data size or {base: SIZE, per_vm: SIZE}.
PerVmLaw read_size_law(const sim::ConfigNode& n) {
    if (n.is_scalar()) {
        const double v = n.data_size().bytes;
        if (v < 0) n.fail("must not be negative");
        return {v, 0.0};
    }
    PerVmLaw law;
    if (auto b = n.child("base")) law.base = b->data_size().bytes;
    if (auto p = n.child("per_vm")) law.per_vm = p->data_size().bytes;
    if (law.base < 0 || law.per_vm < 0) n.fail("sizes must not be negative");
    return law;
}

// A count or {base: N, per_vm: N}.
PerVmLaw read_count_law(const sim::ConfigNode& n) {
    if (n.is_scalar()) {
        const double v = n.number();
        if (v < 0) n.fail("must not be negative");
        return {v, 0.0};
    }
    PerVmLaw law;
    if (auto b = n.child("base")) law.base = b->number();
    if (auto p = n.child("per_vm")) law.per_vm = p->number();
    if (law.base < 0 || law.per_vm < 0) n.fail("counts must not be negative");
    return law;
}

sim::Time non_negative_duration(const sim::ConfigNode& n) {
    const auto t = n.duration();
    if (t < sim::Time::zero()) n.fail("must not be negative");
    return t;
}

CallSpec read_call(const sim::ConfigNode& n) {
    CallSpec c;
    c.name = n.required("name").text();
    c.protocol = read_protocol(n.required("protocol"));
    c.request = read_size_law(n.required("request"));
    if (auto r = n.child("reply")) {
        if (!(r->is_scalar() && r->text() == "none")) c.reply = read_size_law(*r);
    }
    if (auto k = n.child("count")) c.count = read_count_law(*k);
    if (auto w = n.child("only_with_vms")) c.only_with_vms = w->boolean();
    if (auto w = n.child("only_without_vms")) {
        c.only_without_vms = w->boolean();
        if (c.only_with_vms && c.only_without_vms) w->fail("a call cannot be both only_with_vms and only_without_vms");
    }
    if (auto s = n.child("size_spread")) c.size_spread = s->fraction();
    if (auto t = n.child("controller_time")) c.controller_time = non_negative_duration(*t);
    if (auto d = n.child("database")) c.database = read_size_law(*d);
    if (auto f = n.child("framed")) c.framed = f->boolean();
    return c;
}

TaskSpec read_task(const sim::ConfigNode& n) {
    TaskSpec t;
    t.name = n.required("name").text();
    const auto period = n.required("period");
    t.period = period.duration();
    if (t.period <= sim::Time::zero()) period.fail("must be greater than zero");
    t.phase = sim::ValueDistribution::uniform(0.0, t.period.seconds());
    if (auto p = n.child("phase")) t.phase = sim::ValueDistribution::read_duration(*p);
    if (auto j = n.child("jitter")) t.jitter = j->fraction();
    if (auto g = n.child("gap")) t.gap = non_negative_duration(*g);
    for (const auto& c : n.required("calls").items()) t.calls.push_back(read_call(c));
    return t;
}

LifecycleStep read_step(const sim::ConfigNode& n) {
    LifecycleStep s;
    s.name = n.required("name").text();
    const auto kind = n.required("kind");
    const std::string k = kind.text();
    using Kind = LifecycleStep::Kind;
    if (k == "controller_work") s.kind = Kind::controller_work;
    else if (k == "server_work") s.kind = Kind::server_work;
    else if (k == "cast_to_server") s.kind = Kind::cast_to_server;
    else if (k == "cast_to_controller") s.kind = Kind::cast_to_controller;
    else if (k == "rpc_from_server") s.kind = Kind::rpc_from_server;
    else if (k == "spawn") s.kind = Kind::spawn;
    else if (k == "destroy") s.kind = Kind::destroy;
    else kind.fail(fmt::format("expected controller_work, server_work, cast_to_server, cast_to_controller, rpc_from_server, spawn or destroy, got \"{}\"", k));
    if (auto w = n.child("work")) s.work = sim::ValueDistribution::read_duration(*w);
    if (auto db = n.child("database")) s.database = db->data_size();
    if (auto m = n.child("messages")) s.messages = read_count_law(*m);
    if (auto g = n.child("agent_work")) s.agent_work = non_negative_duration(*g);
    if (auto c = n.child("controller_work")) s.controller_work = non_negative_duration(*c);
    if (auto pr = n.child("protocol")) s.protocol = read_protocol(*pr);
    if (auto r = n.child("request")) s.request = sim::ValueDistribution::read_data_size(*r);
    if (auto r = n.child("reply")) s.reply = sim::ValueDistribution::read_data_size(*r);
    return s;
}

}  // namespace

const char* protocol_name(Protocol p) {
    switch (p) {
        case Protocol::rabbitmq: return "rabbitmq";
        case Protocol::mysql: return "mysql";
        case Protocol::http: return "http";
    }
    return "?";
}

ReleaseProfile read_release_profile(const sim::ConfigNode& node) {
    ReleaseProfile p;
    p.release = node.required("release").text();
    if (auto s = node.child("source")) (void)s->text();
    if (auto protocols = node.child("protocols")) {
        for (const Protocol proto : kProtocols) {
            auto e = protocols->child(protocol_name(proto));
            if (!e) continue;
            ProtocolProfile& pp = p.protocols[static_cast<std::size_t>(proto)];
            if (auto f = e->child("request_framing")) pp.request_framing = f->data_size();
            if (auto f = e->child("reply_framing")) pp.reply_framing = f->data_size();
            if (auto c = e->child("connection_per_call")) pp.connection_per_call = c->boolean();
            if (auto c = e->child("reply_on_same_connection")) pp.reply_on_same_connection = c->boolean();
            if (auto c = e->child("publisher_confirm")) pp.publisher_confirm = c->data_size();
            if (auto c = e->child("consumer_ack")) pp.consumer_ack = c->data_size();
        }
    }
    for (const auto& s : node.required("services").items()) {
        ServiceSpec service;
        service.name = s.required("name").text();
        for (const auto& t : s.required("tasks").items()) service.tasks.push_back(read_task(t));
        p.services.push_back(std::move(service));
    }
    if (auto l = node.child("lifecycle")) {
        LifecycleSpec& life = p.lifecycle;
        if (auto m = l->child("message_size")) life.message_size = sim::ValueDistribution::read_data_size(*m);
        if (auto pr = l->child("protocol")) life.protocol = read_protocol(*pr);
        if (auto b = l->child("max_concurrent_builds")) {
            life.max_concurrent_builds = b->integer();
            if (life.max_concurrent_builds < 1) b->fail("must be at least 1");
        }
        for (const auto& st : l->required("create").items()) life.create.push_back(read_step(st));
        for (const auto& st : l->required("delete").items()) life.remove.push_back(read_step(st));
    }
    return p;
}

ReleaseProfile load_release_profile(const std::string& name_or_path, const std::string& base_dir, const sim::ConfigNode& where) {
    std::shared_ptr<sim::ConfigDocument> doc;
    if (const char* text = embedded_profile(name_or_path)) {
        doc = sim::ConfigDocument::from_text(text, fmt::format("<embedded profile {}>", name_or_path));
    } else {
        std::filesystem::path path(name_or_path);
        if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
        if (!std::filesystem::exists(path))
            where.fail(fmt::format("no profile called '{}' (embedded: {}) and no file {}", name_or_path, embedded_profile_names(), path.string()));
        doc = sim::ConfigDocument::from_file(path.string());
    }
    auto profile = read_release_profile(doc->root());
    doc->check_unknown_keys();
    where.document().depend_on(*doc);
    return profile;
}

std::string describe_profile_keys() {
    return "release profile (scenarios/profiles/openstack-<release>.yaml)\n"
           "  release, source                      strings: the release and where its numbers come from\n"
           "  protocols.<rabbitmq|mysql|http>       request_framing, reply_framing (data size), connection_per_call,\n"
           "                                        reply_on_same_connection (booleans), publisher_confirm,\n"
           "                                        consumer_ack (data sizes of broker acknowledgement frames)\n"
           "  services[].name, services[].tasks[]   a service and its periodic tasks\n"
           "  tasks[].name, period, phase           period (duration); phase: first run, duration or distribution (default U(0, period))\n"
           "  tasks[].jitter, gap                   each period x (1 + U(0, jitter)); server work between calls (duration)\n"
           "  tasks[].calls[]                       name, protocol, request, reply (size or {base, per_vm} or none),\n"
           "                                        count ({base, per_vm}), only_with_vms, only_without_vms,\n"
           "                                        size_spread (fraction),\n"
           "                                        controller_time (duration), database (size or {base, per_vm}),\n"
           "                                        framed (false: a bare frame such as an AMQP heartbeat)\n"
           "  lifecycle.protocol                    protocol of create/delete messages (default rabbitmq)\n"
           "  lifecycle.message_size                payload of each create/delete RPC message (distribution)\n"
           "  lifecycle.max_concurrent_builds       nova's limit of builds in progress per server\n"
           "  lifecycle.create[], lifecycle.delete[]  steps: name, kind (controller_work, cast_to_server,\n"
           "                                        cast_to_controller, rpc_from_server, spawn, destroy, server_work),\n"
           "                                        work (core-seconds on the controller, or on nova-compute for\n"
           "                                        server_work), database, messages (count or {base, per_vm}: with\n"
           "                                        the server's active VMs), agent_work, controller_work,\n"
           "                                        protocol, request, reply (a step's own protocol and sizes; default:\n"
           "                                        lifecycle.protocol and lifecycle.message_size)\n";
}

}  // namespace tbsim::models::openstack
