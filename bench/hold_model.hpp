// The classic hold model (Vaucher and Duval 1975; Jones 1986): P events pending; each fired event
// schedules one more at now + Exp(1 s). It measures the cost of the future event list alone.
// The same loop runs through tbsim's engine and through a bare hand-written 4-ary heap of
// (time, id), the reference, with the same random draws, so the ratio is the engine's overhead.
#pragma once

#include <cstdint>

namespace tbsim::bench {

struct HoldFigures {
    std::uint64_t pending = 0;
    std::uint64_t events = 0;
    double events_per_sec = 0.0;            // tbsim's Simulation (callbacks, cancellable handles)
    double reference_events_per_sec = 0.0;  // bare 4-ary heap of (time, id), pop then push
    double ratio = 0.0;                     // events_per_sec / reference_events_per_sec
    std::uint64_t checksum = 0;             // sum of fired times modulo 2^64: both loops must agree
    std::uint64_t reference_checksum = 0;
};

/// Runs `events` hold events with `pending` pending, through the engine then the reference.
HoldFigures run_hold_model(std::uint64_t pending, std::uint64_t events, std::uint64_t seed = 1);

}  // namespace tbsim::bench
