#include "models/virt/virt_profile.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"
#include "sim/config/param_table.hpp"

namespace tbsim::models::virt {
namespace {

// Layer values as read from one file (absent: not set).
struct Layer {
    double cpu_factor = 1.0;
    sim::Time syscall_cost, packet_cost, packet_latency, disk_write_cost, name_resolution;
    double idle_load = 0.0;
    sim::DataSize memory{0};
};

const sim::ParamTable<Layer>& layer_table() {
    using sim::Check;
    static const sim::ParamTable<Layer> t{
        "virtualization profile (scenarios/profiles/virt/<name>.yaml)",
        {
            sim::param("cpu_factor", &Layer::cpu_factor, "guest CPU work over native (multiplies across layers)", Check::positive),
            sim::param("syscall_cost", &Layer::syscall_cost, "CPU time added per system call", Check::non_negative),
            sim::param("packet_cost", &Layer::packet_cost, "CPU time added per packet (vNIC, vSwitch, veth, bridge)", Check::non_negative),
            sim::param("packet_latency", &Layer::packet_latency, "one-way latency added per packet path", Check::non_negative),
            sim::param("disk_write_cost", &Layer::disk_write_cost, "time added per synchronous disk write", Check::non_negative),
            sim::param("idle_load", &Layer::idle_load, "cores consumed by the node's OS when idle", Check::non_negative),
            sim::param("memory", &Layer::memory, "memory footprint beyond the application", Check::non_negative),
            sim::param("name_resolution", &Layer::name_resolution, "delay per new connection (name lookups)", Check::non_negative),
        }};
    return t;
}

}  // namespace

sim::Time VirtProfile::cpu_time(sim::Time native_work, int syscalls, int packets) const {
    return native_work.scaled(cpu_factor) + syscall_cost * syscalls + packet_cost * packets;
}

VirtProfile load_virt_profile(const std::string& name, const std::string& directory, const sim::ConfigNode& where) {
    const auto path = std::filesystem::path(directory) / (name + ".yaml");
    if (name.empty() || name.find('/') != std::string::npos || !std::filesystem::exists(path)) {
        std::string known;
        if (std::filesystem::is_directory(directory))
            for (const auto& e : std::filesystem::directory_iterator(directory))
                if (e.path().extension() == ".yaml") known += " " + e.path().stem().string();
        where.fail(fmt::format("no virtualization profile '{}' in {}; known:{}", name, directory, known));
    }
    auto doc = sim::ConfigDocument::from_file(path.string());
    auto profile = read_virt_profile(doc->root(), directory);
    doc->check_unknown_keys();
    where.document().depend_on(*doc);
    return profile;
}

VirtProfile read_virt_profile(const sim::ConfigNode& node, const std::string& directory) {
    VirtProfile p;
    if (auto base = node.child("base")) p = load_virt_profile(base->text(), directory, *base);
    if (auto s = node.child("source")) (void)s->text();
    p.name = node.required("name").text();
    Layer layer;
    layer_table().read(node, layer);
    // Costs add across layers; CPU factors multiply; the rest is this layer's if it sets it.
    p.cpu_factor *= layer.cpu_factor;
    p.syscall_cost += layer.syscall_cost;
    p.packet_cost += layer.packet_cost;
    p.packet_latency += layer.packet_latency;
    p.disk_write_cost += layer.disk_write_cost;
    p.local_packet_cost = layer.packet_cost;
    p.local_packet_latency = layer.packet_latency;
    if (node.has("idle_load")) p.idle_load = layer.idle_load;
    if (node.has("memory")) p.memory = layer.memory;
    if (node.has("name_resolution")) p.name_resolution = layer.name_resolution;
    if (auto b = node.child("boot_time")) p.boot_time = sim::ValueDistribution::read_duration(*b);
    return p;
}

std::string describe_virt_profile_keys() {
    return layer_table().describe() +
           "  name                     string      (required)   the profile's name\n"
           "  base                     profile     none         layer on top of another profile (costs add)\n"
           "  boot_time                duration    0s           boot time, or a distribution\n"
           "  source                   string                   where the numbers come from\n";
}

}  // namespace tbsim::models::virt
