#include "apps/tbsim/progress_display.hpp"

#include <algorithm>
#include <cstdio>

#include <unistd.h>

#include <fmt/format.h>

namespace tbsim::app {
namespace {

std::string clock_text(double seconds) {
    const auto s = static_cast<long long>(seconds + 0.5);
    if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s / 60) % 60);
    if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
    return fmt::format("{}s", s);
}

}  // namespace

ProgressDisplay::ProgressDisplay(const sim::RunProgress& progress, std::string label, bool quiet, std::chrono::milliseconds show_after)
    : progress_(progress), label_(std::move(label)), terminal_(::isatty(2) == 1), quiet_(quiet), show_after_(show_after) {
    if (quiet_) return;
    thread_ = std::thread([this] {
        const auto begin = std::chrono::steady_clock::now();
        auto last_line = begin;
        while (!stop_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (stop_ || std::chrono::steady_clock::now() - begin < show_after_) continue;
            if (terminal_) {
                fmt::print(stderr, "\r{}\x1b[K", line(true));
                std::fflush(stderr);
                shown_ = true;
            } else if (std::chrono::steady_clock::now() - last_line >= std::chrono::seconds(10)) {
                fmt::print(stderr, "{}\n", line(false));
                last_line = std::chrono::steady_clock::now();
                shown_ = true;
            }
        }
    });
}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::finish() {
    if (quiet_ || stop_.exchange(true)) return;
    thread_.join();
    if (show_after_.count() > 0 && !shown_) return;  // it ended before the display began
    fmt::print(stderr, "{}{}\n", terminal_ ? "\r" : "", line(terminal_));
    if (terminal_) fmt::print(stderr, "\x1b[K");
}

std::string ProgressDisplay::line(bool bar) const {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - progress_.started).count();
    const std::size_t known = progress_.known, finished = progress_.finished, kept = progress_.kept;
    // Work in thousandths of a run: runs in progress count the part they have done (run_ticker.hpp).
    constexpr double kWhole = sim::RunTicker::kWhole;
    const double whole = kWhole * static_cast<double>(known);
    const double done = std::min(whole, std::max(static_cast<double>(progress_.thousandths), kWhole * static_cast<double>(finished)));
    const double fraction = whole > 0 ? done / whole : 0.0;
    const double rate = elapsed > 0 ? (done - std::min(done, kWhole * static_cast<double>(kept))) / kWhole / elapsed : 0.0;  // runs/s
    const double left = rate > 0 ? (whole - done) / kWhole / rate : 0.0;
    std::string out = label_ + " ";
    if (bar) {
        constexpr int kWidth = 28;
        const int full = static_cast<int>(kWidth * fraction);
        out += "[" + std::string(static_cast<std::size_t>(full), '#') + std::string(static_cast<std::size_t>(kWidth - full), '.') + "] ";
    }
    out += fmt::format("{}/{} runs", finished, known);
    if (kept > 0) out += fmt::format(" ({} kept)", kept);
    out += fmt::format(", {:.0f}% done", 100.0 * fraction);
    const bool several = known > 1;  // a single run or plan: its share is the news, not runs per second
    if (several) out += rate >= 1 ? fmt::format(", {:.1f} runs/s", rate) : fmt::format(", {:.2g} runs/s", rate);
    out += fmt::format(", elapsed {}", clock_text(elapsed));
    if (finished < known && rate > 0) out += fmt::format(", ETA {}", clock_text(left));
    if (several || progress_.failed > 0) out += fmt::format(", {} failed", static_cast<std::size_t>(progress_.failed));
    return out;
}

sim::StudyRuns run_with_progress(const sim::Study& study, sim::RunOptions options, const std::string& label, bool show) {
    sim::RunProgress progress;
    options.progress = &progress;
    ProgressDisplay display(progress, label, !show, std::chrono::milliseconds(1500));
    return sim::run_study(study, options).runs;
}

}  // namespace tbsim::app
