// How far one run has got, for a progress display and never for its results: a run adds
// thousandths of itself as its simulated clock advances (from any of its threads), and whoever ran
// it tops the count up to a thousand when it ends. A run that says nothing jumps from 0 to 1000.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>

namespace tbsim::sim {

class RunTicker {
public:
    static constexpr std::uint64_t kWhole = 1000;  // a whole run, in thousandths

    /// Counts nowhere.
    RunTicker() = default;
    /// Adds to `total`, which may sum several runs' thousandths.
    explicit RunTicker(std::atomic<std::uint64_t>& total) : total_(&total) {}
    RunTicker(const RunTicker&) = delete;
    RunTicker& operator=(const RunTicker&) = delete;

    /// The run has done `thousandths` more of itself.
    void add(std::uint64_t thousandths) {
        if (total_ == nullptr) return;
        const std::uint64_t before = mine_.fetch_add(thousandths);
        // Never past a whole run, whatever the run reports.
        const std::uint64_t counted = std::min(thousandths, kWhole - std::min(kWhole, before));
        total_->fetch_add(counted);
    }
    /// The run is over: counts what it did not report.
    void finish() { add(kWhole); }

private:
    std::atomic<std::uint64_t>* total_ = nullptr;
    std::atomic<std::uint64_t> mine_{0};
};

}  // namespace tbsim::sim
