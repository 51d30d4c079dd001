// What a calibration on testbed traces minimises: for each trace, the log-ratios of simulated to
// measured figures that `tbsim replay` compares, weighted (docs/calibration.md):
//   main loop span                                  log(sim / meas), weight 3
//   slowdown's excess over 1                        log((sim - 1 + 0.01) / (meas - 1 + 0.01)), weight 1
//   local_insert and batch_send p50, p95            log(sim / meas), weight 1 each
//   local_insert and batch_send p99 (the stalls)    log(sim / meas), weight 0.5 each
//   local_insert and batch_send KS distance         the distance itself, weight 1
//   bytes sent per node                             log(sim / meas), weight 5
//   CPU per node                                    log(sim / meas), weight 0.5
// A log-ratio treats "twice too slow" and "twice too fast" alike and is about the relative error
// when small. The loss is the sum of squares.
#pragma once

#include <string>
#include <vector>

#include "validation/replay/testbed_replay.hpp"

namespace tbsim::validation {

struct Residuals {
    std::vector<double> values;
    std::vector<std::string> names;  // "n4-d3000-ag10 local_insert.p95"
    double loss() const;             // sum of squares
};

Residuals replay_residuals(const std::vector<TraceReplay>& replays);

/// The residuals of a robust (soft L1) loss with scale s: each r becomes
/// sign(r) s sqrt(2 (sqrt(1 + (r/s)^2) - 1)), whose square is about r^2 where |r| is well below s
/// and grows as 2 s |r| beyond it. A few traces far off (a slow hour the traces do not gauge) then
/// pull the fit as much as their distance, not its square, and the many within about s of their
/// measurement decide it: what matters when each trace is judged by a tolerance.
Residuals soft_l1(Residuals residuals, double scale);

/// log(simulated / measured), each side floored at 1e-9 and the result bounded to [-5, 5], so that
/// a zero on one side does not dominate a loss.
double bounded_log_ratio(const Comparison& c);

}  // namespace tbsim::validation
