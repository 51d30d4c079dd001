// What a long run shows while it goes on, on stderr: on a terminal a progress bar redrawn a few
// times a second (runs done / known, rate, elapsed, estimated time left, failures); otherwise a
// plain line every ten seconds, for logs; nothing when quiet.
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "sim/scenario/study_runner.hpp"

namespace tbsim::app {

class ProgressDisplay {
public:
    ProgressDisplay(const sim::RunProgress& progress, std::string label, bool quiet);
    ~ProgressDisplay();
    ProgressDisplay(const ProgressDisplay&) = delete;
    ProgressDisplay& operator=(const ProgressDisplay&) = delete;
    /// Stops drawing and leaves the final state on its own line.
    void finish();

private:
    std::string line(bool bar) const;
    const sim::RunProgress& progress_;
    std::string label_;
    bool terminal_ = false;
    bool quiet_ = false;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace tbsim::app
