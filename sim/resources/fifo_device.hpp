// A device that serves requests in order of arrival on a fixed number of channels: a disk's
// write-and-flush requests (fsync), shared by every process of the host that writes to it. One
// channel is a disk that completes one flush at a time; several are a device that works on as
// many at once (a multi-queue SSD or virtio disk), each flush still taking its own time.
//
// Model: request i arriving at a_i with service s_i starts on the channel that frees first, at
// max(a_i, that channel's completion of its previous request), and completes s_i later. Computed
// on arrival: no events. Requests must arrive in time order (a simulation's do).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "sim/core/time.hpp"

namespace tbsim::sim {

class FifoDevice {
public:
    explicit FifoDevice(std::size_t channels = 1) : free_at_(std::max<std::size_t>(channels, 1)) {}

    /// When a request of `service` arriving at `arrival` completes.
    Time serve(Time arrival, Time service) {
        auto channel = std::min_element(free_at_.begin(), free_at_.end());
        *channel = std::max(arrival, *channel) + service;
        busy_ += service;
        return *channel;
    }
    /// Total service time so far, over every channel.
    Time busy_time() const { return busy_; }
    std::size_t channels() const { return free_at_.size(); }

private:
    std::vector<Time> free_at_;  // when each channel finishes its last request
    Time busy_;
};

}  // namespace tbsim::sim
