// An OpenStack release profile: what the control plane of one release sends between a compute
// server and the central controller, as data (scenarios/profiles/openstack-<release>.yaml).
//
// Real system: each compute server runs services (nova-compute, nova-network or a neutron agent,
// cinder-volume) whose periodic tasks (a state report every 10 s, resource and instance updates
// every 60 s, ...) make calls to the controller: RPCs through RabbitMQ (AMQP), direct MySQL queries,
// or HTTP requests to an API. A call has a request and usually a reply whose sizes grow with the
// number of VMs on the server (base + per_vm x vms), may be repeated per VM, and may cause database
// work inside the controller. VM creation and deletion are sequences of steps. The code holds the
// mechanism; every number is in the profile, with its source.
//
// Units: sizes in bytes (application payload, before protocol framing), times in simulated time.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_doc.hpp"
#include "sim/core/time.hpp"
#include "sim/core/units.hpp"
#include "sim/random/value_distribution.hpp"

namespace tbsim::models::openstack {

/// Wire protocols a compute server speaks to the controller (also the protocol tags of results).
enum class Protocol { rabbitmq, mysql, http };
inline constexpr Protocol kProtocols[] = {Protocol::rabbitmq, Protocol::mysql, Protocol::http};
const char* protocol_name(Protocol p);

/// What a protocol adds around a call's payload.
struct ProtocolProfile {
    sim::DataSize request_framing{0};  // e.g. AMQP method + header frames, HTTP request line and headers
    sim::DataSize reply_framing{0};
    bool connection_per_call = false;  // a TCP handshake and close around every call (HTTP with Connection: close)
    // The reply comes back on the request's own TCP connection (MySQL, HTTP), so the request's ACK
    // rides on it when it leaves within the delayed-ACK timeout. AMQP replies come through the
    // broker on another connection: the request is acknowledged on its own.
    bool reply_on_same_connection = false;
    // Broker-level acknowledgements, each a small frame in its own TCP segment (AMQP basic.ack, 21 B):
    // the broker confirms every message the server publishes (publisher confirms), and the server
    // acknowledges every message it consumes, the TCP ACK of the delivery riding on it.
    sim::DataSize publisher_confirm{0};  // 0: none
    sim::DataSize consumer_ack{0};       // 0: none
};

/// Linux's minimum delayed-ACK timeout: an ACK waits this long for data to ride on.
inline constexpr sim::Time kDelayedAckTimeout = sim::Time::from_ms(40);

/// A quantity that grows with the number of VMs on the server: base + per_vm x vms.
struct PerVmLaw {
    double base = 0.0;
    double per_vm = 0.0;
    double at(double vms) const { return base + per_vm * vms; }
};

/// One kind of call a task makes.
struct CallSpec {
    std::string name;
    Protocol protocol = Protocol::rabbitmq;
    PerVmLaw request;                      // payload bytes
    std::optional<PerVmLaw> reply;         // none: a cast (one-way)
    PerVmLaw count{1.0, 0.0};              // calls per run (e.g. one per VM), rounded to nearest
    bool only_with_vms = false;            // skipped when the server has no VM
    bool only_without_vms = false;         // made only when the server has no VM
    sim::Fraction size_spread{0.0};        // each size x (1 + U(-spread, spread)): run-to-run variation
    sim::Time controller_time;             // processing at the controller before the reply
    PerVmLaw database;                     // bytes the controller reads from its own database for the call
    bool framed = true;                    // false: a bare protocol frame on an open connection (an AMQP
                                           // heartbeat): no framing, no connection set-up
};

/// A periodic task of a service: every `period`, the calls run one after the other.
struct TaskSpec {
    std::string name;
    sim::Time period = sim::Time::from_s(60);
    sim::ValueDistribution phase = sim::ValueDistribution::uniform(0.0, 60.0);  // seconds to the first run
    sim::Fraction jitter{0.0};            // each period x (1 + U(0, jitter))
    // A delay added to each period, drawn at every run (seconds): oslo.service keeps a task on the
    // grid of its spacing and adds int(spacing x U(0, 5%)) whole seconds a run, so 60 s tasks run
    // 60, 61 or 62 s apart and the computes of one plane drift apart run after run. None: 0.
    sim::ValueDistribution jitter_delay = sim::ValueDistribution::constant(0.0);
    sim::Time gap;                        // work on the server between consecutive calls
    // oslo.service's run_immediately: the first run comes at the service's periodic loop's first
    // pass (each server's own, first_pass_delay after it started), not on the task's own grid.
    bool run_immediately = false;
    // Work done inside another task of the service rather than on a timer of its own (nova's
    // provider-tree refresh, made by update_available_resource once resource_provider_association_
    // refresh has passed): when due, the task waits for that task's next run on the server and
    // makes its calls right after it, in the same pass. Empty: a task of its own.
    std::string within;
    std::vector<CallSpec> calls;
};

struct ServiceSpec {
    std::string name;
    // nova's periodic_fuzzy_delay: the periodic loop's first pass comes this long after the service
    // started, one draw per server (seconds). Only tasks that run_immediately feel it: the others
    // stay on the grid of their spacing from when the service was started.
    sim::ValueDistribution first_pass_delay = sim::ValueDistribution::constant(0.0);
    std::vector<TaskSpec> tasks;
};

/// One step of a VM create or delete.
struct LifecycleStep {
    enum class Kind { controller_work, server_work, cast_to_server, cast_to_controller, rpc_from_server, spawn, destroy };
    std::string name;
    Kind kind = Kind::controller_work;
    sim::ValueDistribution work = sim::ValueDistribution::constant(0.0);  // controller_work, server_work: core-seconds
    sim::DataSize database{0};   // controller_work: bytes read from the controller's database
    PerVmLaw messages{1.0, 0.0};  // casts and rpc calls in the step, with the server's active VMs (rounded)
    sim::Time agent_work;        // rpc: nova-compute CPU time before each call (core-seconds)
    sim::Time controller_work;   // rpc: controller CPU time before each reply (core-seconds)
    // Casts and rpcs: the step's own protocol and payload sizes (bytes), else the lifecycle's.
    std::optional<Protocol> protocol;
    std::optional<sim::ValueDistribution> request;  // a cast's message, an rpc's request
    std::optional<sim::ValueDistribution> reply;    // an rpc's reply
};

struct LifecycleSpec {
    sim::ValueDistribution message_size = sim::ValueDistribution::constant(3000);  // payload of each RPC message
    Protocol protocol = Protocol::rabbitmq;
    std::int64_t max_concurrent_builds = 10;  // nova's per-server limit of builds in progress
    std::vector<LifecycleStep> create;
    std::vector<LifecycleStep> remove;
};

// How fast the hosts ran on the day the profile's CPU times were measured, read from its captures
// the way a capture's replay reads any capture (validation/replay/capture_replay.hpp): the time
// between two calls a compute makes back to back in its periodic passes and builds, which is the
// services' and nova-compute's processing between them. A capture whose gaps are longer was
// recorded on a slower day: its replay sets deployment.cpu_time_factor from them.
struct SpeedGaugePair {
    std::string after, call;  // the two calls' names, as in a capture's messages.csv
    sim::Time gap;            // their median gap on the profile's day
};

struct SpeedGauge {
    std::vector<SpeedGaugePair> pairs;  // none: captures are not gauged
    double elasticity = 1.0;            // cpu_time_factor = (a capture's gap / the profile's gap) ^ elasticity
    double max_ratio = 3.0;             // the gap ratio bounded to [1 / max_ratio, max_ratio] first
    std::int64_t min_samples = 3;       // fewer back-to-back pairs in a capture: not gauged (factor 1)
};

struct ReleaseProfile {
    std::string release;
    std::string source;  // where its numbers come from
    std::array<ProtocolProfile, 3> protocols{};  // indexed by Protocol
    const ProtocolProfile& protocol(Protocol p) const { return protocols[static_cast<std::size_t>(p)]; }
    std::vector<ServiceSpec> services;
    LifecycleSpec lifecycle;
    SpeedGauge speed_gauge;
};

/// Reads a profile from its mapping (strictly: unknown keys are errors).
ReleaseProfile read_release_profile(const sim::ConfigNode& node);

/// Loads a profile: "juno" or "zed" (embedded), or a YAML file path, resolved against `base_dir` if relative.
ReleaseProfile load_release_profile(const std::string& name_or_path, const std::string& base_dir, const sim::ConfigNode& where);

/// The declarations of a profile's keys, for `tbsim params openstack` and docs/scenarios.md.
std::vector<sim::ParamSection> release_profile_params();

}  // namespace tbsim::models::openstack
