// What one run can hold: at most 2^24 events pending at once and 2^38 events scheduled in all
// (sim/core/event_queue.hpp). A scenario that outgrows them (a workload far beyond what its links
// or servers serve, piling up messages) has magnitudes out of proportion: tbsim reports it as bad
// input (exit 2), as it does a time beyond the clock (TimeOverflow), not as a bug.
#pragma once

#include <stdexcept>

namespace tbsim::sim {

class EngineLimit : public std::length_error {
public:
    using std::length_error::length_error;
};

}  // namespace tbsim::sim
