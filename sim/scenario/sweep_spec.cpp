#include "sim/scenario/sweep_spec.hpp"

#include <set>

#include <fmt/format.h>

#include "sim/config/param_table.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {
namespace {

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
                [](const SweepAxis&) { return std::string(); })
                .required(),
            custom_param<SweepAxis>(
                "values", "list", "the values, each as the key takes it (with its unit)",
                [](const ConfigNode& n, SweepAxis& a) {
                    for (const auto& item : n.items()) a.values.push_back({yaml_text(item), item.position(), std::nullopt});
                    if (a.values.empty()) n.fail("a sweep axis needs at least one value");
                },
                [](const SweepAxis&) { return std::string(); })
                .required(),
        },
        [](const ConfigNode&, SweepAxis& a) {
            a.column = a.key;
            number_the_values(a);
        }};
    return t;
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
                [](const FitSpec&) { return std::string(); })
                .required(),
            param("y", &FitSpec::y, "a figure of the model (`tbsim params --figures MODEL`)").required(),
        }};
    return t;
}

const ParamTable<SweepSpec>& sweep_table() {
    static const ParamTable<SweepSpec> t{
        "sweep (one run per point of the product of the axes)",
        {
            list("axes", &SweepSpec::axes, axis_table(), "the axes; points are their product, first axis slowest").required(),
            list("fit", &SweepSpec::fits, fit_table(), "least-squares lines y = slope x + intercept, one per value of the other axes"),
        },
        [](const ConfigNode& map, SweepSpec& s) {
            const auto axes = map.required("axes");
            if (s.axes.empty()) axes.fail("a sweep needs at least one axis");
            std::set<std::string> keys;
            for (std::size_t i = 0; i < s.axes.size(); ++i)
                if (!keys.insert(s.axes[i].key).second)
                    axes.items()[i].required("key").fail(fmt::format("the key '{}' is already an axis", s.axes[i].key));
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
    std::vector<std::vector<std::size_t>> out{{}};
    for (const auto& axis : axes) {
        std::vector<std::vector<std::size_t>> next;
        for (const auto& p : out)
            for (std::size_t v = 0; v < axis.values.size(); ++v) {
                next.push_back(p);
                next.back().push_back(v);
            }
        out = std::move(next);
    }
    return out;
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
