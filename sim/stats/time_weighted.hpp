// The time average of a piecewise-constant quantity (queue length, VMs booting, link busy or idle):
// the integral of the value over time divided by the elapsed time.
#pragma once

#include "sim/core/time.hpp"

namespace tbsim::sim {

class TimeWeighted {
public:
    explicit TimeWeighted(Time start = Time::zero(), double initial = 0.0) : last_(start), start_(start), value_(initial) {}

    /// The quantity changes to `value` at time `at` (not before the previous change).
    void set(Time at, double value);
    double value() const { return value_; }
    double max() const { return max_; }
    /// Time average over [start, at].
    double mean(Time at) const;

private:
    Time last_;
    Time start_;
    double value_;
    double max_ = value_;
    double area_ = 0.0;  // value x seconds
};

}  // namespace tbsim::sim
