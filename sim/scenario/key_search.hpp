// The largest value of one whole-number key whose figure stays within a bound: "how many servers
// fit in 10 Mb/s" as a search over `deployment.servers` until `p99_kbps<=10000`, on any scenario.
// Each candidate is the scenario with the key overridden (the same path as `--set`), run for its
// replications; the figure is their mean. The search doubles from the first value until the bound
// breaks, then bisects: it assumes the figure grows with the key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/study.hpp"

namespace tbsim::sim {

/// `figure OP bound`, the condition a value must keep.
struct SearchBound {
    enum class Op { at_most, below, at_least, above };
    std::string figure;
    Op op = Op::at_most;
    double bound = 0.0;  // in the figure's unit
    bool holds(double value) const;
    std::string text() const;  // "p99_kbps <= 10000"
};

/// Parses "p99_kbps<=10000" (also <, >=, >); the bound may carry a unit that converts to the
/// figure's ("10Mbps" for a kb/s figure, "2s" for one in ms). `option` names the origin in errors.
SearchBound parse_search_bound(const std::string& text, const std::vector<FigureDoc>& declared, const std::string& option);

struct SearchRequest {
    std::string key;            // a whole-number key, e.g. deployment.servers
    SearchBound until;
    std::int64_t first = 1;     // the smallest value tried
    std::int64_t limit = 10'000'000;
    std::string option = "--search";  // names the search in errors
    unsigned jobs = 1;          // threads running a candidate's replications
    // The figure at k times a value is at most k times the figure there (k >= 1): true of traffic
    // summed over independent servers, whose quantiles grow no faster than their sum. With an upper
    // bound (<=, <), a bound that the figure would keep even at the limit by that measure is refused
    // as soon as a candidate shows it, not after running candidates up to the limit.
    bool grows_at_most_in_proportion = false;
    // A figure at or above which a value does not fit whatever the bound says: a link busy all the
    // time carries no more however many servers queue behind it, so its p99 levels off and a
    // bound just under the link's most would hold up to the limit, at values where the queue grows
    // through the run. The outcome says whether this or the bound stopped the search.
    struct Saturation {
        std::string figure;  // e.g. utilisation
        double threshold = 0.0;
    };
    std::optional<Saturation> saturation;
    // Called after each candidate with its value, its figure and its verdict ("holds", "breaks",
    // or "saturated": kept the bound but reached `saturation`): a search of millions of servers
    // takes minutes, and says how far it has got.
    std::function<void(std::int64_t value, double figure, const char* verdict)> on_evaluation;
};

/// Sets `request.on_evaluation` to print "search: deployment.servers = 4096: p99_kbps 1520.3,
/// holds" on stderr, one line per candidate: what the commands show on a terminal while a search
/// goes on. Set the key and the bound first.
void show_search_steps(SearchRequest& request);

struct SearchOutcome {
    std::int64_t largest = 0;   // first - 1 when even `first` breaks the bound
    bool saturated_next = false;  // largest + 1 kept the bound but reached the saturation figure
    std::size_t evaluations = 0;
    std::uint64_t events = 0;
};

/// Throws ConfigError on bad input (an unknown key, a figure that is not a number, a bound never
/// reached below the limit).
SearchOutcome search_largest(const ScenarioText& file, const std::vector<Override>& overrides, const SearchRequest& request,
                             const StudyContext& context);

}  // namespace tbsim::sim
