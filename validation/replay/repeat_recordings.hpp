// How much a measured figure moves between two recordings of the same configuration: the floor
// under any model that knows only the configuration (docs/replay.md, "Recorded more than once").
//
// The host of the committed traces is a virtual machine whose speed wanders from day to day and
// within a day (docs/mysqlrep.md): the same N, D, AG and limits recorded twice can differ by a
// factor of two in the local insert median. When `tbsim replay` is given several recordings of one
// configuration, it predicts each by the other and reports how far off that is, beside the
// model's own error on the same traces.
#pragma once

#include <string>
#include <vector>

#include "validation/replay/testbed_replay.hpp"

namespace tbsim::validation {

/// One figure: the mean over the pairs of how far one recording predicts the other, and the
/// model's mean |error| over the same traces. Relative figures are (|a - b| / a + |a - b| / b) / 2,
/// the error of predicting each recording by the other, averaged over both directions, so that it
/// reads like the model's (simulated - measured) / measured; a KS distance is between the two
/// recordings' samples.
struct RepeatFigure {
    std::string name;        // as in mean_abs_error: "local_insert.p50_ms", "slowdown", ...
    double between = 0.0;    // mean over the pairs
    double model = 0.0;      // the model's mean |error| over the traces of those pairs
    std::size_t pairs = 0;   // pairs where both recordings have the figure
    // The same over the pairs recorded on the same day (NaN when there is none): how much the
    // host wanders within a day, which the setup gauge does not see (the pacing gauge in part).
    double between_same_day = 0.0;
    std::size_t pairs_same_day = 0;
};

struct RepeatGroup {
    std::string configuration;         // TraceReplay::configuration
    std::vector<std::string> traces;   // the recordings, in the replays' order
};

struct RepeatRecordings {
    std::vector<RepeatGroup> groups;   // configurations recorded more than once
    std::size_t pairs = 0;
    std::vector<RepeatFigure> figures;
};

/// The configurations recorded more than once among `replays` (the same TraceReplay::
/// configuration) and, over all their pairs, how far one recording is from another. Empty when no
/// configuration is recorded twice.
RepeatRecordings repeat_recordings(const std::vector<TraceReplay>& replays);

}  // namespace tbsim::validation
