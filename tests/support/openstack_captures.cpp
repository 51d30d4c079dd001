#include "tests/support/openstack_captures.hpp"

OpenStackCapture committed_capture(const std::string& name) {
    return tbsim::validation::read_openstack_capture(std::string(TBSIM_SOURCE_DIR) + "/validation/traces/openstack-zed/" + name);
}
