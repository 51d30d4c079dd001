// tc's token bucket filter (`tc qdisc ... tbf rate R burst B latency L`) on one interface's egress.
//
// Real system: tokens (bytes) accumulate at rate R up to the bucket's size B; a packet leaves when
// the bucket holds its size, and packets leave in order of arrival. Traffic under R passes without
// delay (bursts up to B at once); traffic above R waits in the queue, which holds at most L's worth
// of bytes at R before the kernel drops. The testbed (tbsim-testbed --bandwidth) puts one on both
// ends of every veth, B = max(16 KiB, 10 ms at R), L = 100 ms.
//
// Model: a message is one unit (its wire bytes); a message that would wait longer than L is still
// delivered (TCP would resend it: the delay, not the loss, is what a benchmark sees), and counted.
#pragma once

#include <cstdint>

#include "sim/core/time.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim::net {

class TokenBucket {
public:
    TokenBucket(DataRate rate, double burst_bytes, Time queue_limit);

    /// When a message of `bytes` that reaches the interface at `arrival` leaves it. Arrivals come
    /// in time order.
    Time depart(Time arrival, double bytes);

    /// Messages that waited longer than the queue limit (the real qdisc would have dropped them).
    std::int64_t overlimits() const { return overlimits_; }

private:
    double bytes_per_second_;
    double burst_;
    Time queue_limit_;
    double tokens_;        // in the bucket at `at_`
    Time at_;              // the last departure
    std::int64_t overlimits_ = 0;
};

}  // namespace tbsim::sim::net
