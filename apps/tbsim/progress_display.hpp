// What a long run shows while it goes on, on stderr: on a terminal a progress bar redrawn a few
// times a second (runs done / known and the share of the work, rate, elapsed, estimated time left,
// failures); otherwise a plain line every ten seconds, for logs; nothing when quiet. With
// `show_after`, nothing at all for work that ends sooner (a quick `tbsim run` stays quiet).
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "sim/scenario/study.hpp"
#include "sim/scenario/study_runner.hpp"

namespace tbsim::app {

class ProgressDisplay {
public:
    ProgressDisplay(const sim::RunProgress& progress, std::string label, bool quiet,
                    std::chrono::milliseconds show_after = std::chrono::milliseconds(0));
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
    std::chrono::milliseconds show_after_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> shown_{false};  // something was drawn
    std::thread thread_;
};

/// Runs `study` as `options` say (their progress is set here) and, when `show`, draws its progress
/// as "LABEL [###...] ..." on stderr once the runs have lasted 1.5 s (`tbsim run`, `tbsim plan`).
sim::StudyRuns run_with_progress(const sim::Study& study, sim::RunOptions options, const std::string& label, bool show);

}  // namespace tbsim::app
