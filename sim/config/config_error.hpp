// A configuration error: bad input found before time zero. Its message names the place
// ("fig6.yaml:12:5: openstack.report_period: expected a duration such as \"10s\", got \"ten\"");
// the command line prints it and exits with code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace tbsim::sim {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace tbsim::sim
