#include "sim/core/time.hpp"

#include <fmt/format.h>

namespace tbsim::sim {

void Time::overflow_seconds(double s) {
    throw TimeOverflow(fmt::format("a simulated time of {:g} s is beyond tbsim's clock (about 292 years of nanoseconds): "
                                   "a rate, size, bandwidth or duration of the scenario is out of proportion",
                                   s));
}

void Time::overflow_sum() {
    throw TimeOverflow(
        "a simulated time beyond tbsim's clock (about 292 years of nanoseconds): a duration of the scenario is out of proportion");
}

}  // namespace tbsim::sim
