// Release profiles compiled into the binary, so that `tbsim plan` works from any directory.
#pragma once

#include <string>

namespace tbsim::models::openstack {

/// The YAML text of the embedded profile `name` ("juno", "zed"), or nullptr.
const char* embedded_profile(const std::string& name);
/// "juno, ..." for messages.
std::string embedded_profile_names();

}  // namespace tbsim::models::openstack
