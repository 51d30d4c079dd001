// A device that serves one request at a time in order of arrival: a disk's write-and-flush
// requests (fsync), shared by every process of the host that writes to it.
//
// Model: request i arriving at a_i with service s_i completes at max(a_i, completion of i - 1) + s_i.
// Computed on arrival: no events. Requests must arrive in time order (a simulation's do).
#pragma once

#include <algorithm>

#include "sim/core/time.hpp"

namespace tbsim::sim {

class FifoDevice {
public:
    /// When a request of `service` arriving at `arrival` completes.
    Time serve(Time arrival, Time service) {
        free_at_ = std::max(arrival, free_at_) + service;
        busy_ += service;
        return free_at_;
    }
    /// Total service time so far.
    Time busy_time() const { return busy_; }

private:
    Time free_at_;
    Time busy_;
};

}  // namespace tbsim::sim
