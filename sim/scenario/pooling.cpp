#include "sim/scenario/pooling.hpp"

#include "sim/stats/confidence.hpp"

namespace tbsim::sim {

PooledFigures pool_figures(const std::vector<const FigureRecord*>& runs) {
    PooledFigures pooled;
    pooled.runs = runs.size();
    if (runs.empty()) return pooled;
    for (const auto& [key, first] : runs.front()->entries()) {
        if (!std::holds_alternative<double>(first)) {
            pooled.mean.add(key, first);
            continue;
        }
        std::vector<double> values;
        for (const FigureRecord* r : runs)
            if (const auto v = r->number(key)) values.push_back(*v);
        const auto ci = confidence_95(values);
        pooled.mean.add(key, values.size() == 1 ? values.front() : ci.mean);
        pooled.half_width.add(key, ci.half_width);
        pooled.stddev.add(key, ci.stddev);
        pooled.count.add(key, static_cast<double>(values.size()));
    }
    return pooled;
}

}  // namespace tbsim::sim
