#include "apps/tbsim/model_registry.hpp"

#include "models/mysqlrep/mysqlrep_scenario.hpp"
#include "models/openstack/openstack_scenario.hpp"
#include "models/traffic/traffic_scenario.hpp"

namespace tbsim::app {

const std::vector<sim::ModelEntry>& models() {
    static const std::vector<sim::ModelEntry> entries{
        {"traffic", "message streams over a topology of links (the engine's own scenario kind)",
         models::traffic::read_traffic_scenario, models::traffic::traffic_params},
        {"openstack", "OpenStack control traffic between compute servers and a central controller (Study B)",
         models::openstack::read_openstack_scenario, models::openstack::openstack_params},
        {"mysqlrep", "Study A's MySQL replication benchmark on VMs, containers or bare metal",
         models::mysqlrep::read_mysqlrep_scenario, models::mysqlrep::mysqlrep_params},
    };
    return entries;
}

const sim::ModelEntry* find_model(std::string_view name) {
    for (const auto& m : models())
        if (m.name == name) return &m;
    return nullptr;
}

}  // namespace tbsim::app
