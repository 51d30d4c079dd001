#include "models/openstack/release_profile.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "models/openstack/embedded_profiles.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/input_path.hpp"

namespace tbsim::models::openstack {
namespace {

using sim::Check;
using sim::custom_param;
using sim::list;
using sim::param;

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

std::string show_size_law(const PerVmLaw& law) {
    if (law.per_vm == 0.0) return sim::format_data_size(sim::DataSize{law.base});
    return fmt::format("{{base: {}, per_vm: {}}}", sim::format_data_size(sim::DataSize{law.base}), sim::format_data_size(sim::DataSize{law.per_vm}));
}

std::string show_count_law(const PerVmLaw& law) {
    if (law.per_vm == 0.0) return fmt::format("{}", law.base);
    return fmt::format("{{base: {}, per_vm: {}}}", law.base, law.per_vm);
}

template <class T>
sim::Param<T> size_law(std::string name, PerVmLaw T::*member, std::string doc) {
    return custom_param<T>(
        std::move(name), "size or {base, per_vm}", std::move(doc),
        [member](const sim::ConfigNode& n, T& t) { t.*member = read_size_law(n); },
        [member](const T& t) { return show_size_law(t.*member); });
}

template <class T>
sim::Param<T> count_law(std::string name, PerVmLaw T::*member, std::string doc) {
    return custom_param<T>(
        std::move(name), "count or {base, per_vm}", std::move(doc),
        [member](const sim::ConfigNode& n, T& t) { t.*member = read_count_law(n); },
        [member](const T& t) { return show_count_law(t.*member); });
}

template <class T, class P>
sim::Param<T> protocol_param(std::string name, P T::*member, std::string doc) {
    return custom_param<T>(
        std::move(name), "protocol", std::move(doc), [member](const sim::ConfigNode& n, T& t) { t.*member = read_protocol(n); },
        [member](const T& t) -> std::string {
            if constexpr (std::is_same_v<P, Protocol>) return protocol_name(t.*member);
            else return t.*member ? protocol_name(*(t.*member)) : "the lifecycle's";
        });
}

const sim::ParamTable<ProtocolProfile>& protocol_table() {
    static const sim::ParamTable<ProtocolProfile> t{
        "protocol (what it adds around a call's payload)",
        {
            param("request_framing", &ProtocolProfile::request_framing, "bytes around a request (AMQP method and header frames, HTTP request line and headers)", Check::non_negative),
            param("reply_framing", &ProtocolProfile::reply_framing, "bytes around a reply", Check::non_negative),
            param("connection_per_call", &ProtocolProfile::connection_per_call, "a TCP handshake and close around every call (HTTP with Connection: close)"),
            param("reply_on_same_connection", &ProtocolProfile::reply_on_same_connection, "the reply comes back on the request's connection, the request's ACK riding on it (MySQL, HTTP)"),
            param("publisher_confirm", &ProtocolProfile::publisher_confirm, "broker confirm of each published message, its own segment (AMQP basic.ack: 21B); 0B: none", Check::non_negative),
            param("consumer_ack", &ProtocolProfile::consumer_ack, "acknowledgement of each consumed message, carrying the TCP ACK; 0B: none", Check::non_negative),
        }};
    return t;
}

const sim::ParamTable<CallSpec>& call_table() {
    static const sim::ParamTable<CallSpec> t{
        "call (one kind of call a task makes)",
        {
            param("name", &CallSpec::name, "names the call").required(),
            protocol_param("protocol", &CallSpec::protocol, "rabbitmq, mysql or http").required(),
            size_law("request", &CallSpec::request, "request payload, growing with the server's VMs").required(),
            custom_param<CallSpec>(
                "reply", "size or {base, per_vm} or none", "reply payload; none: a cast (one-way)",
                [](const sim::ConfigNode& n, CallSpec& c) {
                    if (n.is_scalar() && n.text() == "none") c.reply.reset();
                    else c.reply = read_size_law(n);
                },
                [](const CallSpec& c) { return c.reply ? show_size_law(*c.reply) : std::string("none"); }),
            count_law("count", &CallSpec::count, "calls per run (one per VM: {base: 0, per_vm: 1}), rounded to nearest"),
            param("only_with_vms", &CallSpec::only_with_vms, "skipped when the server has no VM"),
            param("only_without_vms", &CallSpec::only_without_vms, "made only when the server has no VM"),
            param("size_spread", &CallSpec::size_spread, "each size x (1 + U(-spread, spread)): run-to-run variation"),
            param("controller_time", &CallSpec::controller_time, "processing at the controller before the reply", Check::non_negative),
            size_law("database", &CallSpec::database, "bytes the controller reads from its own database for the call"),
            param("framed", &CallSpec::framed, "false: a bare frame on an open connection (an AMQP heartbeat): no framing, no set-up"),
        },
        [](const sim::ConfigNode& map, CallSpec& c) {
            if (c.only_with_vms && c.only_without_vms)
                map.required("only_without_vms").fail("a call cannot be both only_with_vms and only_without_vms");
        }};
    return t;
}

const sim::ParamTable<TaskSpec>& task_table() {
    static const sim::ParamTable<TaskSpec> t{
        "task (a service's periodic task: every period, its calls one after the other)",
        {
            param("name", &TaskSpec::name, "names the task (phases: service.task)").required(),
            param("period", &TaskSpec::period, "time between runs", Check::positive).required(),
            custom_param<TaskSpec>(
                "phase", "duration or distribution", "first run, or a distribution of it",
                [](const sim::ConfigNode& n, TaskSpec& task) { task.phase = sim::ValueDistribution::read_duration(n); },
                [](const TaskSpec&) { return std::string("U(0, period)"); }),
            param("jitter", &TaskSpec::jitter, "each period x (1 + U(0, jitter))"),
            sim::distribution_param("jitter_delay", &TaskSpec::jitter_delay, sim::ValueKind::duration,
                                    "a delay added to each period, drawn at every run (oslo's whole seconds: "
                                    "60 s tasks run 60, 61 or 62 s apart)"),
            param("gap", &TaskSpec::gap, "work on the server between consecutive calls", Check::non_negative),
            param("run_immediately", &TaskSpec::run_immediately,
                  "first run at the service's first pass (first_pass_delay after each server started), not at phase; "
                  "only for servers started together (start_spread)"),
            param("within", &TaskSpec::within,
                  "a task of the same service: once due, this one waits for that task's next run on the server and makes its "
                  "calls right after it (work done inside another task, e.g. the provider-tree refresh of update_available_resource)"),
            list("calls", &TaskSpec::calls, call_table(), "the calls of a run").required(),
        },
        [](const sim::ConfigNode& map, TaskSpec& task) {
            if (!map.has("phase")) task.phase = sim::ValueDistribution::uniform(0.0, task.period.seconds());
        }};
    return t;
}

const sim::ParamTable<ServiceSpec>& service_table() {
    static const sim::ParamTable<ServiceSpec> t{
        "service (a compute server's service)",
        {
            param("name", &ServiceSpec::name, "nova-compute, nova-network, cinder-volume, ...").required(),
            sim::distribution_param("first_pass_delay", &ServiceSpec::first_pass_delay, sim::ValueKind::duration,
                                    "the periodic loop's first pass after the service started, each server its own draw "
                                    "(nova's periodic_fuzzy_delay); run_immediately tasks run first then"),
            list("tasks", &ServiceSpec::tasks, task_table(), "its periodic tasks").required(),
        },
        [](const sim::ConfigNode& map, ServiceSpec& service) {
            const auto tasks = map.required("tasks").items();
            for (std::size_t i = 0; i < service.tasks.size() && i < tasks.size(); ++i) {
                const TaskSpec& task = service.tasks[i];
                if (task.within.empty()) continue;
                const auto where = tasks[i].required("within");
                const auto host = std::find_if(service.tasks.begin(), service.tasks.end(), [&](const TaskSpec& other) { return other.name == task.within; });
                if (host == service.tasks.end())
                    where.fail(fmt::format("no task '{}' in service {}", task.within, service.name));
                if (&*host == &task) where.fail("a task cannot run within itself");
                if (!host->within.empty()) where.fail(fmt::format("'{}' itself runs within '{}': name a task with a timer of its own", host->name, host->within));
                if (task.run_immediately) where.fail("a task that runs within another cannot also run_immediately");
            }
        }};
    return t;
}

const sim::ParamTable<LifecycleStep>& step_table() {
    using Kind = LifecycleStep::Kind;
    static const std::vector<std::pair<const char*, Kind>> kinds{
        {"controller_work", Kind::controller_work}, {"server_work", Kind::server_work},         {"cast_to_server", Kind::cast_to_server},
        {"cast_to_controller", Kind::cast_to_controller}, {"rpc_from_server", Kind::rpc_from_server}, {"spawn", Kind::spawn},
        {"destroy", Kind::destroy}};
    static const sim::ParamTable<LifecycleStep> t{
        "lifecycle step (one step of a VM create or delete)",
        {
            param("name", &LifecycleStep::name, "names the step").required(),
            custom_param<LifecycleStep>(
                "kind", "string",
                "controller_work, server_work, cast_to_server, cast_to_controller, rpc_from_server, spawn or destroy",
                [](const sim::ConfigNode& n, LifecycleStep& s) {
                    const std::string k = n.text();
                    for (const auto& [name, kind] : kinds)
                        if (k == name) {
                            s.kind = kind;
                            return;
                        }
                    n.fail(fmt::format("expected controller_work, server_work, cast_to_server, cast_to_controller, rpc_from_server, spawn or destroy, got \"{}\"", k));
                },
                [](const LifecycleStep&) { return std::string(); })
                .required(),
            sim::distribution_param("work", &LifecycleStep::work, sim::ValueKind::duration,
                                    "core-seconds on the controller (controller_work) or on nova-compute (server_work)"),
            param("database", &LifecycleStep::database, "controller_work: bytes read from the controller's database", Check::non_negative),
            count_law("messages", &LifecycleStep::messages, "casts and rpc calls in the step, with the server's active VMs (rounded)"),
            param("agent_work", &LifecycleStep::agent_work, "rpc: nova-compute CPU time before each call", Check::non_negative),
            param("controller_work", &LifecycleStep::controller_work, "rpc: controller CPU time before each reply", Check::non_negative),
            protocol_param("protocol", &LifecycleStep::protocol, "the step's own protocol (default: the lifecycle's)"),
            sim::distribution_param("request", &LifecycleStep::request, sim::ValueKind::data_size,
                                    "a cast's message, an rpc's request (default: the lifecycle's message_size)"),
            sim::distribution_param("reply", &LifecycleStep::reply, sim::ValueKind::data_size,
                                    "an rpc's reply (default: the lifecycle's message_size)"),
        }};
    return t;
}

const sim::ParamTable<LifecycleSpec>& lifecycle_table() {
    static const sim::ParamTable<LifecycleSpec> t{
        "lifecycle (VM create and delete; a profile without it models no VM operations)",
        {
            protocol_param("protocol", &LifecycleSpec::protocol, "protocol of the create and delete messages"),
            sim::distribution_param("message_size", &LifecycleSpec::message_size, sim::ValueKind::data_size,
                                    "payload of each create or delete RPC message"),
            param("max_concurrent_builds", &LifecycleSpec::max_concurrent_builds, "nova's limit of builds in progress per server",
                  Check::positive),
            list("create", &LifecycleSpec::create, step_table(), "the steps of a create, in order").required(),
            list("delete", &LifecycleSpec::remove, step_table(), "the steps of a delete, in order").required(),
        }};
    return t;
}

const sim::ParamTable<SpeedGaugePair>& speed_gauge_pair_table() {
    static const sim::ParamTable<SpeedGaugePair> t{
        "speed_gauge.pairs[] (two calls a compute makes back to back)",
        {
            param("after", &SpeedGaugePair::after, "the first call's name, as in a capture's messages.csv").required(),
            param("call", &SpeedGaugePair::call, "the call that follows it").required(),
            param("gap", &SpeedGaugePair::gap, "their median gap on the day the profile's CPU times were measured", Check::positive)
                .required(),
        }};
    return t;
}

const sim::ParamTable<SpeedGauge>& speed_gauge_table() {
    static const sim::ParamTable<SpeedGauge> t{
        "speed_gauge (how fast the hosts ran on the profile's day, read from a capture's messages)",
        {
            list("pairs", &SpeedGauge::pairs, speed_gauge_pair_table(), "the back-to-back calls whose gaps gauge the hosts' speed"),
            param("elasticity", &SpeedGauge::elasticity,
                  "deployment.cpu_time_factor of a capture's replay = (its median gap / the profile's) ^ elasticity", Check::non_negative),
            param("max_ratio", &SpeedGauge::max_ratio, "the gap ratio bounded to [1 / max_ratio, max_ratio] (at least 1)", Check::positive),
            param("min_samples", &SpeedGauge::min_samples, "fewer back-to-back pairs in a capture: not gauged", Check::positive),
        }};
    return t;
}

const sim::ParamTable<ReleaseProfile>& profile_table() {
    static const sim::ParamTable<ReleaseProfile> t{
        "release profile (scenarios/profiles/openstack-<release>.yaml; embedded: juno, zed)",
        {
            param("release", &ReleaseProfile::release, "the release's name").required(),
            param("source", &ReleaseProfile::source, "where its numbers come from"),
            custom_param<ReleaseProfile>(
                "protocols", "mapping", "per protocol (rabbitmq, mysql, http): the protocol keys below",
                [](const sim::ConfigNode& n, ReleaseProfile& p) {
                    if (!n.is_map() && !n.is_null()) n.fail("expected a mapping of rabbitmq, mysql and http");
                    for (const Protocol proto : kProtocols)
                        if (auto e = n.child(protocol_name(proto))) protocol_table().read(*e, p.protocols[static_cast<std::size_t>(proto)]);
                },
                [](const ReleaseProfile&) { return std::string(); }),
            list("services", &ReleaseProfile::services, service_table(), "the compute server's services").required(),
            sim::section("lifecycle", &ReleaseProfile::lifecycle, lifecycle_table(), "VM create and delete"),
            sim::section("speed_gauge", &ReleaseProfile::speed_gauge, speed_gauge_table(),
                         "how a capture's replay reads the hosts' speed on its day (validation only)"),
        }};
    return t;
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
    profile_table().read(node, p);
    if (p.speed_gauge.max_ratio < 1.0)
        node.required("speed_gauge").required("max_ratio").fail("must be at least 1 (the ratio is bounded to [1 / max_ratio, max_ratio])");
    // What `tbsim validate` records of a fit (validation/calibration/fitted_profile.hpp): read by people.
    if (const auto record = node.child("calibration")) record->mark_opaque();
    return p;
}

ReleaseProfile load_release_profile(const std::string& name_or_path, const std::string& base_dir, const sim::ConfigNode& where) {
    std::shared_ptr<sim::ConfigDocument> doc;
    if (const char* text = embedded_release_profile(name_or_path)) {
        doc = sim::ConfigDocument::from_text(text, fmt::format("<embedded profile {}>", name_or_path));
    } else {
        std::filesystem::path path(name_or_path);
        if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
        if (!sim::input_path_exists(path))
            where.fail(fmt::format("no profile called '{}' (embedded: {}) and no file {}", name_or_path, embedded_release_profile_names(), path.string()));
        doc = sim::ConfigDocument::from_file(path.string());
    }
    auto profile = read_release_profile(doc->root());
    doc->check_unknown_keys();
    where.document().depend_on(*doc);
    return profile;
}

std::vector<sim::ParamSection> release_profile_params() {
    return {profile_table().section(""), protocol_table().section("protocols.<rabbitmq|mysql|http>")};
}

}  // namespace tbsim::models::openstack
