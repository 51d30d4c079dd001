#include "models/openstack/deployment.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "models/openstack/embedded_profiles.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/input_path.hpp"
#include "sim/config/param_table.hpp"

namespace tbsim::models::openstack {
namespace {

using sim::Check;
using sim::param;
using sim::section;

const sim::ParamTable<ServerHardware>& hardware_table() {
    static const sim::ParamTable<ServerHardware> t{
        "deployment.server (each compute server)",
        {
            param("cores", &ServerHardware::cores, "cores shared by the VM builds in progress", Check::positive),
            param("spawn_work", &ServerHardware::spawn_work, "CPU time of one VM spawn on one core", Check::non_negative),
            param("spawn_time", &ServerHardware::spawn_time, "non-CPU part of a spawn (disk, hypervisor)", Check::non_negative),
            param("destroy_time", &ServerHardware::destroy_time, "hypervisor teardown of a VM", Check::non_negative),
            param("agent_cores", &ServerHardware::agent_cores, "cores of the nova-compute process (its Python work)", Check::positive),
        }};
    return t;
}

const sim::ParamTable<ControllerHardware>& controller_table() {
    static const sim::ParamTable<ControllerHardware> t{
        "deployment.controller",
        {param("cores", &ControllerHardware::cores, "cores shared by API, scheduler and conductor work", Check::positive)}};
    return t;
}

// A link's keys (the `link` section of the reference), listed once there rather than under every link.
template <class T>
sim::Param<T> link_keys(std::string name, sim::net::LinkParams T::*member, std::string doc) {
    return sim::custom_param<T>(
        std::move(name), "link keys", std::move(doc),
        [member](const sim::ConfigNode& n, T& target) { sim::net::link_param_table().read(n, target.*member); },
        [](const T&) { return std::string(); });
}

// A network profile: the links of a deployment as one named set of numbers.
struct NetworkProfile {
    std::string name;
    std::string source;
    sim::net::LinkParams wan, uplink, internal;
};

const sim::ParamTable<NetworkProfile>& network_profile_table() {
    static const sim::ParamTable<NetworkProfile> t{
        "network profile (scenarios/profiles/network/<name>.yaml; embedded: study-b-vpn, capture-veth)",
        {
            param("name", &NetworkProfile::name, "the profile's name").required(),
            param("source", &NetworkProfile::source, "where its numbers come from"),
            link_keys("wan", &NetworkProfile::wan, "each site's link to the hub"),
            link_keys("uplink", &NetworkProfile::uplink, "the controller's WAN interface"),
            link_keys("internal", &NetworkProfile::internal, "the controller and its database (default: 20us, 10Gbps)"),
        }};
    return t;
}

const sim::ParamTable<Deployment>& deployment_table() {
    static const sim::ParamTable<Deployment> t{
        "deployment (the cloud's shape)",
        {
            // Read first, by read_deployment(), so that the keys below change its values.
            sim::custom_param<Deployment>(
                "network", "name or path", "network profile the links start from: embedded (study-b-vpn, capture-veth) or a file",
                [](const sim::ConfigNode&, Deployment&) {}, [](const Deployment& d) { return d.network; }),
            param("servers", &Deployment::servers, "compute servers (0: the controller alone)", Check::non_negative),
            param("sites", &Deployment::sites, "sites; server i is at site i mod sites", Check::positive),
            param("vms_per_server", &Deployment::vms_per_server, "idle VMs on each server from the start", Check::non_negative),
            param("start_spread", &Deployment::start_spread,
                  "servers started together, within this spread: each task's first run is one draw for the whole plane, "
                  "each server later by a uniform draw below it (none: every server's phases its own)",
                  Check::non_negative),
            param("cpu_time_factor", &Deployment::cpu_time_factor,
                  "CPU times on the controller and the servers x this: a day the hosts ran slower than when the profile's CPU "
                  "times were measured (> 1); replaying a capture sets it from the capture's speed gauge",
                  Check::positive),
            section("server", &Deployment::hardware, hardware_table(), "each compute server's hardware"),
            section("controller", &Deployment::controller, controller_table(), "the controller's hardware"),
            link_keys("wan", &Deployment::wan, "each site's link to the hub (one per site), on top of the network profile"),
            link_keys("uplink", &Deployment::uplink, "the controller's WAN interface, on top of the network profile"),
            link_keys("internal", &Deployment::internal, "the controller's link to its own database, on top of the network profile"),
        }};
    return t;
}

void apply_network_profile(const std::string& name, const std::string& base_dir, const sim::ConfigNode& where, Deployment& d) {
    std::shared_ptr<sim::ConfigDocument> doc;
    if (const char* text = embedded_network_profile(name)) {
        doc = sim::ConfigDocument::from_text(text, fmt::format("<embedded network profile {}>", name));
    } else {
        std::filesystem::path path(name);
        if (path.is_relative() && !base_dir.empty()) path = std::filesystem::path(base_dir) / path;
        if (!sim::input_path_exists(path))
            where.fail(fmt::format("no network profile called '{}' (embedded: {}) and no file {}", name, embedded_network_profile_names(),
                                   path.string()));
        doc = sim::ConfigDocument::from_file(path.string());
    }
    NetworkProfile profile;
    profile.wan = d.wan;
    profile.uplink = d.uplink;
    profile.internal = d.internal;
    network_profile_table().read(doc->root(), profile);
    doc->check_unknown_keys();
    where.document().depend_on(*doc);
    d.network = name;
    d.wan = profile.wan;
    d.uplink = profile.uplink;
    d.internal = profile.internal;
}

}  // namespace

Deployment::Deployment() {
    // The controller and its database share a gigabit-class LAN: tens of microseconds.
    internal.latency = sim::Time::from_us(20);
    internal.bandwidth = sim::DataRate{10e9};
}

void read_deployment(const std::optional<sim::ConfigNode>& node, const sim::ConfigNode& where, const std::string& base_dir, Deployment& d) {
    const auto network = node ? node->child("network") : std::nullopt;
    apply_network_profile(network ? network->text() : d.network, base_dir, network ? *network : where, d);
    if (node) deployment_table().read(*node, d);
}

std::string server_name(std::int64_t i) { return fmt::format("server-{}", i); }

sim::net::TopologySpec build_topology(const Deployment& d) {
    sim::net::TopologySpec t;
    for (const char* n : {"controller", "controller-db", "hub"}) t.add_node(n);
    t.add_link("uplink", "hub", "controller", d.uplink);
    t.add_link("internal", "controller", "controller-db", d.internal);
    // Sites past the servers' count hold no server and carry nothing: only those in use are built
    // (a billion sites for five servers took gigabytes).
    for (std::int64_t k = 0; k < std::min(d.sites, d.servers); ++k) {
        const auto site = fmt::format("site-{}", k);
        t.add_node(site);
        t.add_link(fmt::format("wan-{}", k), site, "hub", d.wan);
    }
    return t;
}

std::string server_site(const Deployment& d, std::int64_t i) { return fmt::format("site-{}", i % d.sites); }

std::vector<sim::ParamSection> deployment_params() {
    return {deployment_table().section("deployment"), sim::net::link_param_table().section("deployment.<wan|uplink|internal>"),
            network_profile_table().section("")};
}

}  // namespace tbsim::models::openstack
