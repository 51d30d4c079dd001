#include "models/virt/virt_profile.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "models/virt/embedded_virt_profiles.hpp"
#include "sim/config/config_document.hpp"
#include "sim/config/input_path.hpp"
#include "sim/config/param_table.hpp"

namespace tbsim::models::virt {
namespace {

// One file's values: a layer, on top of its `base` if it names one (absent optional: not set).
struct Layer {
    std::string name;
    std::string base;
    std::string source;
    double cpu_factor = 1.0;
    sim::Time syscall_cost, packet_cost, packet_latency, disk_write_cost;
    std::optional<double> idle_load;
    std::optional<sim::DataSize> memory;
    std::optional<sim::Time> name_resolution;
    std::optional<sim::ValueDistribution> boot_time;
    std::optional<bool> cpu_group;
};

const sim::ParamTable<Layer>& layer_table() {
    using sim::Check;
    using sim::param;
    static const sim::ParamTable<Layer> t{
        "virtualization profile (scenarios/profiles/virt/<name>.yaml)",
        {
            param("name", &Layer::name, "the profile's name").required(),
            param("base", &Layer::base, "a profile this one is layered on: costs add, CPU factors multiply"),
            param("source", &Layer::source, "where the numbers come from"),
            param("cpu_factor", &Layer::cpu_factor, "guest CPU work over native (multiplies across layers)", Check::positive),
            param("syscall_cost", &Layer::syscall_cost, "CPU time added per system call", Check::non_negative),
            param("packet_cost", &Layer::packet_cost, "CPU time added per packet (vNIC, vSwitch, veth, bridge)", Check::non_negative),
            param("packet_latency", &Layer::packet_latency, "one-way latency added per packet path", Check::non_negative),
            param("disk_write_cost", &Layer::disk_write_cost, "time added per synchronous disk write", Check::non_negative),
            param("idle_load", &Layer::idle_load, "cores consumed by the node's OS when idle (default: the base's, else 0)",
                  Check::non_negative),
            param("memory", &Layer::memory, "memory footprint beyond the application (default: the base's, else 0B)", Check::non_negative),
            param("name_resolution", &Layer::name_resolution, "delay per new connection, name lookups (default: the base's, else 0s)",
                  Check::non_negative),
            sim::distribution_param("boot_time", &Layer::boot_time, sim::ValueKind::duration,
                                    "boot time, or a distribution (default: the base's, else 0s)"),
            param("cpu_group", &Layer::cpu_group,
                  "each node is a cgroup with the CPU controller: nodes that share a host's cores get equal shares of them, "
                  "then their threads (default: the base's, else false)"),
        }};
    return t;
}

}  // namespace

sim::Time VirtProfile::cpu_time(sim::Time native_work, int syscalls, int packets) const {
    return native_work.scaled(cpu_factor) + syscall_cost * syscalls + packet_cost * packets;
}

VirtProfile load_virt_profile(const std::string& name, const std::string& directory, const sim::ConfigNode& where) {
    // The folder's file, or the profile compiled in under that name (scenarios/profiles/virt).
    const auto path = std::filesystem::path(directory) / (name + ".yaml");
    const bool plain_name = !name.empty() && name.find('/') == std::string::npos;
    std::shared_ptr<sim::ConfigDocument> doc;
    if (plain_name && sim::input_path_exists(path)) {
        doc = sim::ConfigDocument::from_file(path.string());
    } else if (const char* text = plain_name ? embedded_virt_profile(name) : nullptr) {
        doc = sim::ConfigDocument::from_text(text, fmt::format("<embedded virtualization profile {}>", name));
    } else {
        std::string known;
        if (sim::input_path_is_folder(directory))
            for (const auto& e : std::filesystem::directory_iterator(directory))
                if (e.path().extension() == ".yaml") known += " " + e.path().stem().string();
        where.fail(fmt::format("no virtualization profile '{}' in {} (known:{}) nor compiled in ({})", name, directory, known,
                               embedded_virt_profile_names()));
    }
    auto profile = read_virt_profile(doc->root(), directory);
    doc->check_unknown_keys();
    where.document().depend_on(*doc);
    return profile;
}

VirtProfile read_virt_profile(const sim::ConfigNode& node, const std::string& directory) {
    Layer layer;
    layer_table().read(node, layer);
    VirtProfile p;
    if (!layer.base.empty()) p = load_virt_profile(layer.base, directory, node.required("base"));
    p.name = layer.name;
    // Costs add across layers; CPU factors multiply; the rest is this layer's if it sets it.
    p.cpu_factor *= layer.cpu_factor;
    p.syscall_cost += layer.syscall_cost;
    p.packet_cost += layer.packet_cost;
    p.packet_latency += layer.packet_latency;
    p.disk_write_cost += layer.disk_write_cost;
    p.local_packet_cost = layer.packet_cost;
    p.local_packet_latency = layer.packet_latency;
    if (layer.idle_load) p.idle_load = *layer.idle_load;
    if (layer.memory) p.memory = *layer.memory;
    if (layer.name_resolution) p.name_resolution = *layer.name_resolution;
    if (layer.boot_time) p.boot_time = *layer.boot_time;
    if (layer.cpu_group) p.cpu_group = *layer.cpu_group;
    return p;
}

sim::ParamSection virt_profile_params() { return layer_table().section(""); }

}  // namespace tbsim::models::virt
