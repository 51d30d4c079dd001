// The validation report: one self-contained index.html (inline SVG, no scripts, nothing fetched)
// that reads without the terminal. In order: the verdict; measured against simulated latency CDFs
// per operation kind for each held-out trace; the main loop's progress for traces that fall
// behind; the limit curve D*(N) measured and predicted; the fitted parameters with their standard
// errors; every trace's figures; the inputs (the validation file, versions, the traces' dates).
// The same inputs give the same bytes (no clock in it).
#pragma once

#include <string>

#include "validation/validate/openstack_validation.hpp"
#include "validation/validate/testbed_validation.hpp"

namespace tbsim::validation {

std::string validation_report_html(const TestbedValidation& validation, const std::string& version);

/// The same for OpenStack captures: the verdict, the per-second traffic of each held-out capture
/// measured and simulated, the fitted parameters, per-capture tables, the inputs.
std::string openstack_report_html(const OpenStackValidation& validation, const std::string& version);

}  // namespace tbsim::validation
