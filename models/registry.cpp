#include "models/registry.hpp"

#include "models/mysqlrep/mysqlrep_scenario.hpp"
#include "models/openstack/openstack_scenario.hpp"
#include "models/traffic/traffic_scenario.hpp"

namespace tbsim::models {

const std::vector<sim::ModelEntry>& registry() {
    static const std::vector<sim::ModelEntry> entries{
        {"traffic", "message streams over a topology of links (the engine's own scenario kind)", traffic::read_traffic_scenario,
         traffic::traffic_params, traffic::traffic_figures},
        {"openstack", "OpenStack control traffic between compute servers and a central controller (Study B)",
         openstack::read_openstack_scenario, openstack::openstack_params, openstack::openstack_figures},
        {"mysqlrep", "Study A's MySQL replication benchmark on VMs, containers or bare metal", mysqlrep::read_mysqlrep_scenario,
         mysqlrep::mysqlrep_params, mysqlrep::mysqlrep_figures},
    };
    return entries;
}

}  // namespace tbsim::models
