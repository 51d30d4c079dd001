#include "scenario_loading.hpp"

#include "models/mysqlrep/mysqlrep_scenario.hpp"
#include "models/openstack/openstack_scenario.hpp"
#include "models/traffic/traffic_scenario.hpp"
#include "sim/config/config_document.hpp"

std::unique_ptr<tbsim::sim::PreparedScenario> load_shipped(const std::string& relative_path, const std::vector<std::string>& overrides) {
    using namespace tbsim;
    auto doc = sim::ConfigDocument::from_file(std::string(TBSIM_SOURCE_DIR) + "/" + relative_path);
    for (const auto& o : overrides) doc->apply_override(o);
    auto root = doc->root();
    const auto header = sim::read_scenario_header(root);
    std::unique_ptr<sim::PreparedScenario> s;
    if (header.model == "openstack") s = models::openstack::read_openstack_scenario(root, header);
    else if (header.model == "mysqlrep") s = models::mysqlrep::read_mysqlrep_scenario(root, header);
    else s = models::traffic::read_traffic_scenario(root, header);
    doc->check_unknown_keys();
    return s;
}
