#include "sim/scenario/run_schedule.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/scenario/pooling.hpp"

namespace tbsim::sim {

RunSchedule::RunSchedule(const Study& study, std::vector<std::size_t> points) : study_(study), points_(study.points.size()) {
    if (points.empty())
        for (std::size_t p = 0; p < study.points.size(); ++p) points.push_back(p);
    for (const auto p : points) {
        auto& s = points_[p];
        s.target = study.points[p].replications;
        s.runs.resize(s.target);
        for (std::uint64_t r = 0; r < s.target; ++r) queue_.push_back({p, r});
        known_ += s.target;
    }
}

RunSchedule::Next RunSchedule::next(Task& task) {
    if (!queue_.empty()) {
        task = queue_.front();
        queue_.pop_front();
        ++out_;
        return Next::run;
    }
    return out_ > 0 ? Next::wait : Next::done;
}

void RunSchedule::complete(const Task& task, RunResult result) {
    auto& s = points_[task.point];
    s.runs[task.replication] = std::move(result);
    ++s.done;
    --out_;
    ++finished_;
    if (s.done == s.target) point_done(task.point);
}

void RunSchedule::fail(const Task& task, const std::string& why) {
    auto& s = points_[task.point];
    s.failed = true;
    ++s.done;
    --out_;
    ++finished_;
    failures_.push_back(fmt::format("point {} ({}), replication {}: {}", task.point, study_.label(study_.points[task.point]),
                                    task.replication, why));
}

void RunSchedule::point_done(std::size_t point) {
    const auto& rule = study_.sweep.precision;
    auto& s = points_[point];
    if (!rule.active() || s.failed || s.target >= rule.max) return;
    std::vector<const FigureRecord*> records;
    for (const auto& r : s.runs) records.push_back(&r->figures);
    const auto pooled = pool_figures(records);
    bool precise = true;
    for (const auto& key : study_.collected(s.runs.front()->figures)) {
        const auto mean = pooled.mean.number(key), hw = pooled.half_width.number(key);
        if (mean && hw && *hw > rule.relative * std::abs(*mean)) precise = false;
    }
    if (precise) return;
    // Not precise enough yet: half as many replications again (at least two), up to the maximum.
    const std::uint64_t target = std::min(rule.max, s.target + std::max<std::uint64_t>(2, s.target / 2));
    for (std::uint64_t r = s.target; r < target; ++r) queue_.push_back({point, r});
    known_ += target - s.target;
    s.target = target;
    s.runs.resize(target);
}

StudyRuns RunSchedule::take_runs() {
    StudyRuns runs(points_.size());
    for (std::size_t p = 0; p < points_.size(); ++p)
        for (auto& r : points_[p].runs)
            if (r) runs[p].push_back(std::move(*r));
    return runs;
}

}  // namespace tbsim::sim
