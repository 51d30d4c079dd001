#include "sim/scenario/key_search.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "sim/core/units.hpp"
#include "sim/scenario/study_results.hpp"
#include "sim/scenario/study_runner.hpp"

namespace tbsim::sim {
namespace {

// The bound in the figure's unit: a plain number as it is, a quantity of the figure's kind converted.
std::optional<double> bound_in(const std::string& text, const std::string& unit) {
    if (const auto q = parse_quantity(text); q && q->unit.empty()) return q->number;
    if (unit == "kb/s")
        if (const auto r = parse_data_rate(text)) return r->bits_per_second / 1000.0;
    if (unit == "s" || unit == "ms")
        if (const auto d = parse_duration(text)) return unit == "s" ? d->seconds() : d->seconds() * 1e3;
    if (unit == "B")
        if (const auto b = parse_data_size(text)) return b->bytes;
    if (unit == "fraction")
        if (const auto f = parse_fraction(text)) return f->value;
    return std::nullopt;
}

}  // namespace

bool SearchBound::holds(double value) const {
    switch (op) {
        case Op::at_most: return value <= bound;
        case Op::below: return value < bound;
        case Op::at_least: return value >= bound;
        case Op::above: return value > bound;
    }
    return false;
}

std::string SearchBound::text() const {
    const char* ops[] = {"<=", "<", ">=", ">"};
    return fmt::format("{} {} {}", figure, ops[static_cast<int>(op)], bound);
}

SearchBound parse_search_bound(const std::string& text, const std::vector<FigureDoc>& declared, const std::string& option) {
    const auto fail = [&](const std::string& why) { throw ConfigError(fmt::format("{} {}: {}", option, text, why)); };
    SearchBound b;
    std::size_t at = std::string::npos, width = 0;
    for (const auto& [symbol, op] : {std::pair{"<=", SearchBound::Op::at_most}, std::pair{">=", SearchBound::Op::at_least},
                                     std::pair{"<", SearchBound::Op::below}, std::pair{">", SearchBound::Op::above}}) {
        at = text.find(symbol);
        if (at != std::string::npos) {
            b.op = op;
            width = std::string_view(symbol).size();
            break;
        }
    }
    if (at == std::string::npos || at == 0) fail("expected FIGURE<=BOUND, such as p99_kbps<=10Mbps (or <, >=, >)");
    b.figure = text.substr(0, at);
    const std::string bound = text.substr(at + width);
    const FigureDoc* doc = nullptr;
    for (const auto& d : declared)
        if (is_declared_figure({d}, b.figure)) doc = &d;
    if (doc == nullptr) fail(fmt::format("the model has no figure '{}' (`tbsim params --figures MODEL` lists them)", b.figure));
    if (doc->unit == "boolean" || doc->unit == "text") fail(fmt::format("the figure '{}' is not a number", b.figure));
    const auto value = bound_in(bound, doc->unit);
    if (!value) fail(fmt::format("expected a number, or a value with a unit of the figure's ({}), got \"{}\"", doc->unit, bound));
    b.bound = *value;
    return b;
}

void show_search_steps(SearchRequest& request) {
    request.on_evaluation = [key = request.key, figure_name = request.until.figure](std::int64_t value, double figure, const char* verdict) {
        fmt::print(stderr, "search: {} = {}: {} {:g}, {}\n", key, value, figure_name, figure, verdict);
        std::fflush(stderr);
    };
}

SearchOutcome search_largest(const ScenarioText& file, const std::vector<Override>& overrides, const SearchRequest& request,
                             const StudyContext& context) {
    SearchOutcome out;
    const OverrideOrigin origin{request.option, request.option, true};
    double last_figure = 0.0;
    bool saturated = false;  // the last candidate kept the bound but reached request.saturation
    bool high_saturated = false;
    auto fits = [&](std::int64_t value) {
        auto all = overrides;
        all.push_back({fmt::format("{}={}", request.key, value), origin});
        auto study = load_study(file, all, context);
        if (study.is_sweep()) throw ConfigError(fmt::format("{}: a search runs one point at a time: remove the scenario's sweep", request.option));
        const auto runs = run_study(study, request.jobs);
        const auto results = summarize_study(study, runs);
        ++out.evaluations;
        out.events += results.events;
        const auto figure = results.points.front().mean.number(request.until.figure);
        if (!figure) throw ConfigError(fmt::format("{}: the run has no figure '{}'", request.option, request.until.figure));
        last_figure = *figure;
        bool holds = request.until.holds(*figure);
        saturated = false;
        if (holds && request.saturation) {
            const auto level = results.points.front().mean.number(request.saturation->figure);
            saturated = level && *level >= request.saturation->threshold;
            holds = !saturated;
        }
        if (request.on_evaluation) request.on_evaluation(value, *figure, holds ? "holds" : saturated ? "saturated" : "breaks");
        return holds;
    };
    std::int64_t good = request.first - 1, high = request.first;
    const bool upper_bound = request.until.op == SearchBound::Op::at_most || request.until.op == SearchBound::Op::below;
    while (true) {
        if (!fits(high)) {
            high_saturated = saturated;
            break;
        }
        good = high;
        if (request.grows_at_most_in_proportion && upper_bound && good > 0 && last_figure > 0.0) {
            const double at_limit = last_figure * static_cast<double>(request.limit) / static_cast<double>(good);
            if (request.until.holds(at_limit))
                throw ConfigError(fmt::format("{}: {} would still hold at the limit, {} = {}: {} is {:g} at {} and grows at most in "
                                              "proportion to it (at most {:g} at the limit); ask a tighter bound",
                                              request.option, request.until.text(), request.key, request.limit, request.until.figure,
                                              last_figure, good, at_limit));
        }
        high = high < 1 ? 1 : high * 2;
        if (high > request.limit)
            throw ConfigError(fmt::format("{}: {} still holds at {} = {}, below the limit of {}", request.option, request.until.text(),
                                          request.key, good, request.limit));
    }
    while (high - good > 1) {
        const std::int64_t mid = good + (high - good) / 2;
        if (fits(mid)) {
            good = mid;
        } else {
            high = mid;
            high_saturated = saturated;
        }
    }
    out.largest = good;
    out.saturated_next = high_saturated;
    return out;
}

}  // namespace tbsim::sim
