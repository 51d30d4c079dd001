#include "sim/scenario/sweep_spec.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "sim/config/param_table.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {
namespace {

// A key whose default the reference shows as nothing (a key path, a list).
constexpr auto none_shown = [](const auto&) { return std::string(); };

// A value as YAML text an override can carry: scalars as written, mappings and lists in flow style.
std::string yaml_text(const ConfigNode& n) {
    if (n.is_scalar()) return n.yaml().Scalar();
    YAML::Emitter out;
    out << YAML::Flow << n.yaml();
    return out.c_str();
}

bool valid_key_path(const std::string& key) {
    if (key.empty() || key.front() == '.' || key.back() == '.') return false;
    return key.find("..") == std::string::npos && key.find_first_of(" \t=") == std::string::npos;
}

// Numbers for the axis's column: the unit every value is written in, or the kind's base unit when
// they mix units of one kind; nothing when a value is not a quantity.
void number_the_values(SweepAxis& axis) {
    std::vector<Quantity> quantities;
    for (const auto& v : axis.values) {
        const auto q = parse_quantity(v.text);
        if (!q) return;
        quantities.push_back(*q);
    }
    bool same_unit = true;
    for (const auto& q : quantities) same_unit = same_unit && q.unit == quantities.front().unit;
    std::string unit;
    if (same_unit) {
        unit = unit_suffix(quantities.front().unit);
        for (std::size_t i = 0; i < quantities.size(); ++i) axis.values[i].number = quantities[i].number;
    } else {
        std::vector<std::pair<double, std::string>> base;
        for (const auto& q : quantities) {
            const auto b = to_base_unit(q);
            if (!b || (!base.empty() && b->second != base.front().second)) return;
            base.push_back(*b);
        }
        unit = base.front().second;
        for (std::size_t i = 0; i < base.size(); ++i) axis.values[i].number = base[i].first;
    }
    if (!unit.empty()) axis.column = axis.key + "_" + unit;
}

// `range: {from: 600/min, to: 48000/min, steps: 12, scale: log}`: values between two ends of one unit.
void read_range(const ConfigNode& n, SweepAxis& axis) {
    const auto from_node = n.required("from");
    const auto to_node = n.required("to");
    const auto from = parse_quantity(from_node.text());
    const auto to = parse_quantity(to_node.text());
    if (!from) from_node.fail(fmt::format("expected a number, with its unit if it has one, got \"{}\"", from_node.text()));
    if (!to) to_node.fail(fmt::format("expected a number, with its unit if it has one, got \"{}\"", to_node.text()));
    if (to->unit != from->unit) to_node.fail(fmt::format("expected the unit of `from` ({}), got \"{}\"", from->unit.empty() ? "none" : from->unit, to_node.text()));
    const auto steps_node = n.required("steps");
    const auto steps = steps_node.integer();
    if (steps < 1) steps_node.fail("a range needs at least one step");
    if (static_cast<double>(steps) > kMostSweepPoints)
        steps_node.fail(fmt::format("more steps than a sweep runs points (at most {:.0f})", kMostSweepPoints));
    std::string scale = "linear";
    if (auto s = n.child("scale")) {
        scale = s->text();
        if (scale != "linear" && scale != "log") s->fail(fmt::format("expected linear or log, got \"{}\"", scale));
        if (scale == "log" && (from->number <= 0 || to->number <= 0)) s->fail("a log range needs ends greater than zero");
    }
    // Counts stay whole: a range of counts is rounded, and repeated values are kept once.
    const bool counts = from->unit.empty() && from->number == std::floor(from->number) && to->number == std::floor(to->number);
    std::vector<double> values;
    for (std::int64_t i = 0; i < steps; ++i) {
        const double t = steps == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(steps - 1);
        double v = scale == "log" ? from->number * std::pow(to->number / from->number, t) : from->number + t * (to->number - from->number);
        if (counts) v = std::round(v);
        if (values.empty() || values.back() != v) values.push_back(v);  // monotonic: a repeat follows its twin
    }
    // Counts print whole at any size (6 digits made 1000001 "1e+06"); other values to 6 digits.
    for (const double v : values)
        axis.values.push_back({counts ? fmt::format("{:.0f}", v) : fmt::format("{:.6g}{}", v, from->unit), n.position(), std::nullopt});
}

const ParamTable<SweepAxis>& axis_table() {
    static const ParamTable<SweepAxis> t{
        "sweep axis",
        {
            custom_param<SweepAxis>(
                "key", "key path", "the scenario key the axis varies, list items by index (topology.links.0.bandwidth)",
                [](const ConfigNode& n, SweepAxis& a) {
                    a.key = n.text();
                    a.position = n.position();
                    if (!valid_key_path(a.key)) n.fail(fmt::format("expected a key path such as workload.rate, got \"{}\"", a.key));
                },
                none_shown)
                .required(),
            custom_param<SweepAxis>(
                "values", "list", "the values, each as the key takes it (with its unit)",
                [](const ConfigNode& n, SweepAxis& a) {
                    for (const auto& item : n.items()) a.values.push_back({yaml_text(item), item.position(), std::nullopt});
                    if (a.values.empty()) n.fail("a sweep axis needs at least one value");
                },
                none_shown),
            custom_param<SweepAxis>("range", "mapping",
                                    "instead of values: {from, to, steps, scale: linear or log}, the ends in one unit; counts stay whole",
                                    read_range, none_shown),
        },
        [](const ConfigNode& map, SweepAxis& a) {
            if (map.has("values") == map.has("range")) map.fail("an axis has either `values` or a `range`");
            a.column = a.key;
            number_the_values(a);
        }};
    return t;
}

// The axes: each item an axis, or `{zip: [axis, ...]}` whose axes vary together.
Param<SweepSpec> axes_param() {
    Param<SweepSpec> p = custom_param<SweepSpec>(
        "axes", "list", "the axes (or {zip: [axes]} varying together); points are their product, first axis slowest",
        [](const ConfigNode& n, SweepSpec& s) {
            std::size_t group = 0;
            for (const auto& item : n.items()) {
                if (item.is_map() && item.has("zip")) {
                    const auto zip = item.required("zip");
                    std::size_t count = 0;
                    for (const auto& z : zip.items()) {
                        SweepAxis a;
                        axis_table().read(z, a);
                        if (count != 0 && a.values.size() != count)
                            z.fail(fmt::format("a zip group's axes need as many values each ({} here, {} before)", a.values.size(), count));
                        count = a.values.size();
                        a.group = group;
                        s.axes.push_back(std::move(a));
                    }
                    if (count == 0) zip.fail("a zip group needs at least one axis");
                } else {
                    SweepAxis a;
                    axis_table().read(item, a);
                    a.group = group;
                    s.axes.push_back(std::move(a));
                }
                ++group;
            }
        },
        none_shown);
    p.children = [](const SweepSpec&) {
        auto rows = axis_table().docs();
        for (auto& r : rows) r.key = "[]." + r.key;
        rows.push_back({"[].zip", "list", "", "axes that vary together (as many values each): one point per value index"});
        return rows;
    };
    return std::move(p).required();
}

const ParamTable<FitSpec>& fit_table() {
    static const ParamTable<FitSpec> t{
        "sweep fit",
        {
            custom_param<FitSpec>(
                "x", "axis key", "a numeric axis of the sweep",
                [](const ConfigNode& n, FitSpec& f) {
                    f.x = n.text();
                    f.position = n.position();
                },
                none_shown)
                .required(),
            param("y", &FitSpec::y, "a figure of the model (`tbsim params --figures MODEL`)").required(),
        }};
    return t;
}

Constraint read_constraint(const ConfigNode& n) {
    Constraint c;
    c.text = n.text();
    c.position = n.position();
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"}) {
        const auto at = c.text.find(op);
        if (at == std::string::npos) continue;
        auto trim = [](std::string s) {
            while (!s.empty() && s.front() == ' ') s.erase(s.begin());
            while (!s.empty() && s.back() == ' ') s.pop_back();
            return s;
        };
        c.left = trim(c.text.substr(0, at));
        c.op = op;
        c.right = trim(c.text.substr(at + std::string_view(op).size()));
        if (!c.left.empty() && !c.right.empty()) return c;
        break;
    }
    n.fail(fmt::format("expected KEY OP VALUE or KEY OP KEY with OP one of <= < >= > == !=, such as "
                       "\"workload.aggregation <= workload.inserts\", got \"{}\"",
                       c.text));
}

const ParamTable<SweepSpec>& sweep_table() {
    static const ParamTable<SweepSpec> t{
        "sweep (one run per point of the product of the axes)",
        {
            axes_param(),
            custom_param<SweepSpec>(
                "when", "list of conditions", "a point is run only where every `KEY OP VALUE` or `KEY OP KEY` holds (<= < >= > == !=)",
                [](const ConfigNode& n, SweepSpec& s) {
                    for (const auto& item : n.items(true)) s.when.push_back(read_constraint(item));
                },
                none_shown),
            custom_param<SweepSpec>(
                "collect", "figure names", "the figures of runs.csv and points.csv and of the precision target (default: every numeric figure)",
                [](const ConfigNode& n, SweepSpec& s) {
                    s.collect_position = n.position();
                    for (const auto& item : n.items(true)) s.collect.push_back(item.text());
                    if (s.collect.empty()) n.fail("collect at least one figure (or leave the key out for all)");
                },
                none_shown),
            list("fit", &SweepSpec::fits, fit_table(), "least-squares lines y = slope x + intercept, one per value of the other axes"),
            custom_param<SweepSpec>(
                "replications", "count", "replications of every point (default: the scenario's)",
                [](const ConfigNode& n, SweepSpec& s) {
                    const auto v = n.integer();
                    if (v < 1 || v > 100000) n.fail("expected a count between 1 and 100000");
                    s.replications = static_cast<std::uint64_t>(v);
                    s.replications_position = n.position();
                },
                [](const SweepSpec&) { return std::string("the scenario's"); }),
            custom_param<SweepSpec>(
                "precision", "fraction", "add replications to a point until every collected figure's 95% half-width is under this share of its mean",
                [](const ConfigNode& n, SweepSpec& s) {
                    s.precision.relative = n.fraction().value;
                    if (s.precision.relative <= 0) n.fail("must be greater than zero (leave the key out for a fixed count)");
                },
                [](const SweepSpec&) { return std::string("none"); }),
            custom_param<SweepSpec>(
                "min_replications", "count", "with precision: replications before the first check (at least 2)",
                [](const ConfigNode& n, SweepSpec& s) {
                    const auto v = n.integer();
                    if (v < 2) n.fail("must be at least 2 (a half-width needs two replications)");
                    s.precision.min = static_cast<std::uint64_t>(v);
                },
                [](const SweepSpec& s) { return std::to_string(s.precision.min); }),
            custom_param<SweepSpec>(
                "max_replications", "count", "with precision: no point runs more",
                [](const ConfigNode& n, SweepSpec& s) {
                    const auto v = n.integer();
                    if (v < 2 || v > 100000) n.fail("expected a count between 2 and 100000");
                    s.precision.max = static_cast<std::uint64_t>(v);
                },
                [](const SweepSpec& s) { return std::to_string(s.precision.max); }),
            custom_param<SweepSpec>(
                "seeds", "string",
                "common: every point runs with the scenario's seed (common random numbers); independent: a seed per point, "
                "from the seed and the point's scenario",
                [](const ConfigNode& n, SweepSpec& s) {
                    const auto v = n.text();
                    if (v == "common") s.seeds = SweepSpec::Seeds::common;
                    else if (v == "independent") s.seeds = SweepSpec::Seeds::independent;
                    else n.fail(fmt::format("expected common or independent, got \"{}\"", v));
                },
                [](const SweepSpec&) { return std::string("common"); }),
        },
        [](const ConfigNode& map, SweepSpec& s) {
            const auto axes = map.required("axes");
            if (s.axes.empty()) axes.fail("a sweep needs at least one axis");
            std::set<std::string> keys;
            for (const auto& a : s.axes)
                if (!keys.insert(a.key).second) throw ConfigError(fmt::format("{}: sweep.axes: the key '{}' is already an axis", a.position, a.key));
            double points = 1.0;  // the product of the groups' value counts (a zip group counts once)
            for (std::size_t i = 0; i < s.axes.size(); ++i)
                if (i == 0 || s.axes[i].group != s.axes[i - 1].group) points *= static_cast<double>(s.axes[i].values.size());
            if (points > kMostSweepPoints)
                axes.fail(fmt::format("{:.0f} points, more than a sweep runs (at most {:.0f})", points, kMostSweepPoints));
            if (s.precision.max < s.precision.min) map.required("max_replications").fail("must not be below min_replications");
            if (s.replications && s.precision.active()) map.required("replications").fail("give either replications or a precision");
            if (auto fits = map.child("fit")) {
                const auto items = fits->items();
                for (std::size_t i = 0; i < s.fits.size(); ++i) {
                    const SweepAxis* x = s.axis(s.fits[i].x);
                    if (x == nullptr) items[i].required("x").fail(fmt::format("'{}' is not an axis of this sweep", s.fits[i].x));
                    if (!x->numeric() || x->values.size() < 2)
                        items[i].required("x").fail(fmt::format("the axis '{}' needs two numeric values or more for a fit", x->key));
                }
            }
        }};
    return t;
}

}  // namespace

std::vector<std::vector<std::size_t>> SweepSpec::points() const {
    // The groups in order, with their value counts.
    std::vector<std::size_t> groups, counts;
    for (const auto& a : axes)
        if (groups.empty() || groups.back() != a.group) {
            groups.push_back(a.group);
            counts.push_back(a.values.size());
        }
    std::vector<std::vector<std::size_t>> out{{}};
    for (std::size_t g = 0; g < groups.size(); ++g) {
        std::vector<std::vector<std::size_t>> next;
        for (const auto& p : out)
            for (std::size_t v = 0; v < counts[g]; ++v) {
                next.push_back(p);
                next.back().push_back(v);
            }
        out = std::move(next);
    }
    // One value index per axis: an axis takes its group's.
    std::vector<std::vector<std::size_t>> per_axis;
    for (const auto& p : out) {
        std::vector<std::size_t> at;
        for (const auto& a : axes) at.push_back(p[static_cast<std::size_t>(std::find(groups.begin(), groups.end(), a.group) - groups.begin())]);
        per_axis.push_back(std::move(at));
    }
    return per_axis;
}

const SweepAxis* SweepSpec::axis(const std::string& key) const {
    for (const auto& a : axes)
        if (a.key == key) return &a;
    return nullptr;
}

SweepSpec read_sweep(const ConfigNode& node) {
    SweepSpec s;
    sweep_table().read(node, s);
    return s;
}

ParamSection sweep_params() { return sweep_table().section("sweep"); }

}  // namespace tbsim::sim
