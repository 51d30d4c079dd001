// A relative tolerance for the tests' figures.
//
// doctest's `Approx(x).epsilon(e)` passes when |a - x| < e * (1 + max(|a|, |x|)): for a figure well
// below 1 (a latency in seconds, a standard error, a utilisation) that is an absolute band of about
// e, far looser than "within e". `within(x, e)` is the band the tests mean: |a - x| < e * max(|a|, |x|),
// so `within(0.24, 0.1)` accepts 0.216 to 0.267, where `Approx(0.24).epsilon(0.1)` accepted 0.116 to
// 0.364.
#pragma once

#include <doctest/doctest.h>

namespace tbsim::test {

inline doctest::Approx within(double expected, double relative) { return doctest::Approx(expected).epsilon(relative).scale(0.0); }

}  // namespace tbsim::test
