// Prints the hold-model figures at 1e3, 1e5 and 1e6 pending events (the foundation issue's
// target: engine >= 0.5 x a bare 4-ary heap at each size). Usage: engine_bench [EVENTS]
#include <cstdlib>

#include <fmt/format.h>

#include "bench/hold_model.hpp"

int main(int argc, char** argv) {
    const std::uint64_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
    fmt::print("{:>9} {:>10} {:>14} {:>14} {:>7}\n", "pending", "events", "engine ev/s", "bare heap ev/s", "ratio");
    for (const std::uint64_t pending : {1'000ull, 100'000ull, 1'000'000ull}) {
        const auto f = tbsim::bench::run_hold_model(pending, events);
        fmt::print("{:>9} {:>10} {:>14.0f} {:>14.0f} {:>7.3f}{}\n", f.pending, f.events, f.events_per_sec,
                   f.reference_events_per_sec, f.ratio, f.checksum == f.reference_checksum ? "" : "  CHECKSUM MISMATCH");
    }
}
