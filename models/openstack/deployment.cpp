#include "models/openstack/deployment.hpp"

#include <fmt/format.h>

#include "sim/config/param_table.hpp"

namespace tbsim::models::openstack {
namespace {

const sim::ParamTable<ServerHardware>& hardware_table() {
    using sim::Check;
    static const sim::ParamTable<ServerHardware> t{
        "deployment.server (each compute server)",
        {
            sim::param("cores", &ServerHardware::cores, "cores shared by the VM builds in progress", Check::positive),
            sim::param("spawn_work", &ServerHardware::spawn_work, "CPU time of one VM spawn on one core", Check::non_negative),
            sim::param("spawn_time", &ServerHardware::spawn_time, "non-CPU part of a spawn (disk, hypervisor)", Check::non_negative),
            sim::param("destroy_time", &ServerHardware::destroy_time, "hypervisor teardown of a VM", Check::non_negative),
            sim::param("agent_cores", &ServerHardware::agent_cores, "cores of the nova-compute process (its Python work)",
                       Check::positive),
        }};
    return t;
}

const sim::ParamTable<ControllerHardware>& controller_table() {
    static const sim::ParamTable<ControllerHardware> t{
        "deployment.controller",
        {sim::param("cores", &ControllerHardware::cores, "cores shared by API, scheduler and conductor work", sim::Check::positive)}};
    return t;
}

std::int64_t positive_count(const sim::ConfigNode& n, bool allow_zero) {
    const auto v = n.integer();
    if (v < 0 || (!allow_zero && v == 0)) n.fail(allow_zero ? "must not be negative" : "must be at least 1");
    return v;
}

}  // namespace

Deployment::Deployment() {
    // Study B: all sites on one LAN, still through the VPN: a few ms, 100 Mb/s, OpenVPN-like
    // encapsulation (outer IPv4 20 + UDP 8 + OpenVPN header and HMAC about 13 B = 41 B per packet).
    wan.latency = sim::Time::from_ms(2);
    wan.bandwidth = sim::DataRate{100e6};
    wan.tunnel_overhead = sim::DataSize{41};
    uplink.latency = sim::Time::from_us(100);
    uplink.bandwidth = sim::DataRate{100e6};
    uplink.tunnel_overhead = sim::DataSize{41};
    internal.latency = sim::Time::from_us(20);
    internal.bandwidth = sim::DataRate{10e9};
}

void read_deployment(const sim::ConfigNode& node, Deployment& d) {
    if (auto n = node.child("servers")) d.servers = positive_count(*n, true);
    if (auto n = node.child("sites")) d.sites = positive_count(*n, false);
    if (auto n = node.child("vms_per_server")) d.vms_per_server = positive_count(*n, true);
    if (auto n = node.child("server")) hardware_table().read(*n, d.hardware);
    if (auto n = node.child("controller")) controller_table().read(*n, d.controller);
    const auto& links = sim::net::link_param_table();
    if (auto n = node.child("wan")) links.read(*n, d.wan);
    if (auto n = node.child("uplink")) links.read(*n, d.uplink);
    if (auto n = node.child("internal")) links.read(*n, d.internal);
}

std::string server_name(std::int64_t i) { return fmt::format("server-{}", i); }

sim::net::TopologySpec build_topology(const Deployment& d) {
    sim::net::TopologySpec t;
    for (const char* n : {"controller", "controller-db", "hub"}) t.add_node(n);
    t.add_link("uplink", "hub", "controller", d.uplink);
    t.add_link("internal", "controller", "controller-db", d.internal);
    for (std::int64_t k = 0; k < d.sites; ++k) {
        const auto site = fmt::format("site-{}", k);
        t.add_node(site);
        t.add_link(fmt::format("wan-{}", k), site, "hub", d.wan);
    }
    return t;
}

std::string server_site(const Deployment& d, std::int64_t i) { return fmt::format("site-{}", i % d.sites); }

std::string describe_deployment_keys() {
    return "deployment\n"
           "  servers                  count       1            compute servers\n"
           "  sites                    count       1            sites; server i is at site i mod sites\n"
           "  vms_per_server           count       0            idle VMs on each server from the start\n"
           "  wan, uplink, internal    link        (see link)   site-hub (VPN, one per site), hub-controller (the\n"
           "                                                    controller's WAN interface), controller-database\n"
           "                                                    defaults: wan 2ms 100Mbps 41B tunnel; uplink 0.1ms 100Mbps 41B tunnel\n\n" +
           hardware_table().describe() + "\n" + controller_table().describe();
}

}  // namespace tbsim::models::openstack
