// The committed captures of the real OpenStack Zed plane (validation/traces/openstack-zed,
// docs/traces.md), read with the validation library's reader for the tests that hold the Zed
// profile against them.
#pragma once

#include <string>

#include "validation/readers/openstack_capture.hpp"

using tbsim::validation::OpenStackCapture;

/// validation/traces/openstack-zed/<name>.
OpenStackCapture committed_capture(const std::string& name);
