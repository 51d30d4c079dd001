// Profiles compiled into the binary, so that `tbsim plan` and scenarios naming them work from any
// directory: release profiles (scenarios/profiles/openstack-*.yaml) and network profiles
// (scenarios/profiles/network/*.yaml). Generated from those files by CMake (tbsim_embed_yaml).
#pragma once

#include <string>
#include <string_view>

namespace tbsim::models::openstack {

/// The YAML text of the embedded release profile `name` ("juno", "zed"), or nullptr.
const char* embedded_release_profile(std::string_view name);
std::string embedded_release_profile_names();

/// The YAML text of the embedded network profile `name` ("study-b-vpn", ...), or nullptr.
const char* embedded_network_profile(std::string_view name);
std::string embedded_network_profile_names();

}  // namespace tbsim::models::openstack
