#include "sim/scenario/study_results.hpp"

#include <algorithm>
#include <map>

#include "sim/stats/linear_fit.hpp"

namespace tbsim::sim {
namespace {

std::vector<FitLine> fit_lines(const Study& study, const StudyRuns& runs) {
    std::vector<FitLine> out;
    const auto& axes = study.sweep.axes;
    for (const auto& spec : study.sweep.fits) {
        std::size_t x_axis = 0;
        while (axes[x_axis].key != spec.x) ++x_axis;
        // Points grouped by the values of the other axes, in point order.
        std::map<std::vector<std::size_t>, std::vector<std::size_t>> groups;
        std::vector<std::vector<std::size_t>> order;
        for (std::size_t p = 0; p < study.points.size(); ++p) {
            auto key = study.points[p].at;
            key[x_axis] = 0;
            auto [it, fresh] = groups.try_emplace(key);
            if (fresh) order.push_back(key);
            it->second.push_back(p);
        }
        for (const auto& key : order) {
            const auto& members = groups[key];
            std::size_t replications = SIZE_MAX;
            for (const auto p : members) replications = std::min(replications, runs[p].size());
            std::vector<FigureRecord> per_replication;
            for (std::size_t r = 0; r < replications; ++r) {
                std::vector<double> xs, ys;
                for (const auto p : members) {
                    const auto y = runs[p][r].figures.number(spec.y);
                    if (!y) continue;
                    xs.push_back(*axes[x_axis].values[study.points[p].at[x_axis]].number);
                    ys.push_back(*y);
                }
                if (xs.size() < 2 || std::all_of(xs.begin(), xs.end(), [&](double x) { return x == xs.front(); })) continue;
                const auto fit = fit_line(xs, ys);
                FigureRecord line;
                line.add("slope", fit.slope);
                line.add("intercept", fit.intercept);
                line.add("r_squared", fit.r_squared);
                per_replication.push_back(std::move(line));
            }
            if (per_replication.empty()) continue;
            std::vector<const FigureRecord*> records;
            for (const auto& l : per_replication) records.push_back(&l);
            FitLine fl;
            fl.spec = &spec;
            for (std::size_t a = 0; a < axes.size(); ++a)
                if (a != x_axis) fl.at.emplace_back(a, key[a]);
            fl.line = pool_figures(records);
            out.push_back(std::move(fl));
        }
    }
    return out;
}

}  // namespace

StudyResults summarize_study(const Study& study, const StudyRuns& runs) {
    StudyResults results;
    for (const auto& point_runs : runs) {
        std::vector<const FigureRecord*> records;
        for (const auto& r : point_runs) {
            records.push_back(&r.figures);
            results.events += r.events;
        }
        results.points.push_back(pool_figures(records));
    }
    if (!study.is_sweep() && !runs.empty() && !runs.front().empty()) {
        results.tables = runs.front().front().tables;
        for (std::size_t r = 1; r < runs.front().size(); ++r)
            for (std::size_t t = 0; t < results.tables.size() && t < runs.front()[r].tables.size(); ++t)
                results.tables[t].append(runs.front()[r].tables[t]);
    }
    results.fits = fit_lines(study, runs);
    return results;
}

}  // namespace tbsim::sim
