// A study's results: each point's replications pooled, the fits of the sweep, and, for a single
// point, its tables with every replication's rows. Fits are computed per replication (over that
// replication's points) and pooled like figures, so a slope has its own 95% half-width.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/scenario/pooling.hpp"
#include "sim/scenario/study_runner.hpp"

namespace tbsim::sim {

/// One fitted line: figure y over axis x, at one combination of the other axes' values.
struct FitLine {
    const FitSpec* spec = nullptr;
    std::vector<std::pair<std::size_t, std::size_t>> at;  // (axis, value index) of the other axes
    PooledFigures line;                                   // slope, intercept, r_squared
};

struct StudyResults {
    std::vector<PooledFigures> points;  // in point order
    std::vector<FitLine> fits;
    std::vector<CsvTable> tables;       // a single point's tables, replications one after the other
    std::uint64_t events = 0;           // all runs together
};

StudyResults summarize_study(const Study& study, const StudyRuns& runs);

}  // namespace tbsim::sim
