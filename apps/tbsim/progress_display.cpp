#include "apps/tbsim/progress_display.hpp"

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

ProgressDisplay::ProgressDisplay(const sim::RunProgress& progress, std::string label, bool quiet)
    : progress_(progress), label_(std::move(label)), terminal_(::isatty(2) == 1), quiet_(quiet) {
    if (quiet_) return;
    thread_ = std::thread([this] {
        auto last_line = std::chrono::steady_clock::now();
        while (!stop_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            if (terminal_) {
                fmt::print(stderr, "\r{}\x1b[K", line(true));
                std::fflush(stderr);
            } else if (std::chrono::steady_clock::now() - last_line >= std::chrono::seconds(10)) {
                fmt::print(stderr, "{}\n", line(false));
                last_line = std::chrono::steady_clock::now();
            }
        }
    });
}

ProgressDisplay::~ProgressDisplay() { finish(); }

void ProgressDisplay::finish() {
    if (quiet_ || stop_.exchange(true)) return;
    thread_.join();
    fmt::print(stderr, "{}{}\n", terminal_ ? "\r" : "", line(terminal_));
    if (terminal_) fmt::print(stderr, "\x1b[K");
}

std::string ProgressDisplay::line(bool bar) const {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - progress_.started).count();
    const std::size_t known = progress_.known, finished = progress_.finished, kept = progress_.kept;
    const std::size_t ran = finished - std::min(finished, kept);
    const double rate = elapsed > 0 ? static_cast<double>(ran) / elapsed : 0.0;
    const double left = rate > 0 ? static_cast<double>(known - std::min(known, finished)) / rate : 0.0;
    std::string out = label_ + " ";
    if (bar) {
        constexpr int kWidth = 28;
        const int full = known > 0 ? static_cast<int>(kWidth * static_cast<double>(finished) / static_cast<double>(known)) : 0;
        out += "[" + std::string(static_cast<std::size_t>(full), '#') + std::string(static_cast<std::size_t>(kWidth - full), '.') + "] ";
    }
    out += fmt::format("{}/{} runs", finished, known);
    if (kept > 0) out += fmt::format(" ({} kept)", kept);
    out += fmt::format(", {:.1f} runs/s, elapsed {}", rate, clock_text(elapsed));
    if (finished < known && rate > 0) out += fmt::format(", ETA {}", clock_text(left));
    out += fmt::format(", {} failed", static_cast<std::size_t>(progress_.failed));
    return out;
}

}  // namespace tbsim::app
