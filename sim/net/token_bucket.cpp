#include "sim/net/token_bucket.hpp"

#include <algorithm>

#include "sim/core/check.hpp"

namespace tbsim::sim::net {

TokenBucket::TokenBucket(DataRate rate, double burst_bytes, Time queue_limit)
    : bytes_per_second_(rate.bits_per_second / 8.0), burst_(burst_bytes), queue_limit_(queue_limit), tokens_(burst_bytes) {
    TBSIM_CHECK(bytes_per_second_ > 0.0 && burst_bytes > 0.0, "a token bucket needs a positive rate and size");
}

Time TokenBucket::depart(Time arrival, double bytes) {
    // FIFO: a message starts waiting for tokens when the one before it has left.
    const Time head = std::max(arrival, at_);
    double tokens = std::min(burst_, tokens_ + (head - at_).seconds() * bytes_per_second_);
    Time leave = head;
    if (tokens >= bytes) {
        tokens -= bytes;
    } else {
        leave = head + Time::from_seconds((bytes - tokens) / bytes_per_second_);
        tokens = 0.0;
    }
    if (leave - arrival > queue_limit_) ++overlimits_;
    at_ = leave;
    tokens_ = tokens;
    return leave;
}

}  // namespace tbsim::sim::net
