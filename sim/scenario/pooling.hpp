// Pooling independent replications of one point: each numeric figure becomes the mean over the
// replications, with its sample standard deviation and Student-t 95% half-width; flags and texts
// come from the first replication.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/output/figures.hpp"

namespace tbsim::sim {

struct PooledFigures {
    FigureRecord mean;        // every figure; numbers are means
    FigureRecord half_width;  // numeric figures only: Student-t 95% half-width (0 with one replication)
    FigureRecord stddev;      // numeric figures only: sample standard deviation (0 with one replication)
    FigureRecord count;       // numeric figures only: replications that had it
    std::size_t runs = 0;     // replications pooled
};

/// Pools the records of a point's replications (in replication order), keys in the first's order.
PooledFigures pool_figures(const std::vector<const FigureRecord*>& runs);

}  // namespace tbsim::sim
