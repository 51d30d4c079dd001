#include "sim/scenario/study.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/config/input_path.hpp"
#include "sim/config/param_table.hpp"
#include "sim/core/hash.hpp"
#include "sim/core/random_stream.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {
namespace {

namespace fs = std::filesystem;

// Keys that never change a run's results: they stay out of a point's identity, so that a kept run
// is reused whatever the scenario is called and however many replications are asked for.
const std::vector<std::string> kNotInIdentity{"name", "description", "replications", "sweep", "calibration"};

// A sweep file: a base scenario and the sweep over it.
struct SweepFile {
    std::string name;
    std::string description;
    std::string base;
    SweepSpec sweep;
};

const ParamTable<SweepFile>& sweep_file_table() {
    static const ParamTable<SweepFile> t{
        "sweep file (scenarios/sweeps/)",
        {
            param("name", &SweepFile::name, "names the output folder (default: the file's name)"),
            param("description", &SweepFile::description, "one line for people"),
            param("base", &SweepFile::base, "the scenario swept: a file relative to this one, or an embedded scenario").required(),
            custom_param<SweepFile>(
                "sweep", "mapping", "the axes and the rest, as a scenario's own `sweep:` section",
                [](const ConfigNode& n, SweepFile& f) { f.sweep = read_sweep(n); }, [](const SweepFile&) { return std::string(); })
                .required(),
        }};
    return t;
}

std::string directory_of(const std::string& source) { return fs::path(source).parent_path().string(); }

// Whether a named figure is declared and a number.
void check_figure(const std::vector<FigureDoc>& declared, const std::string& model, const std::string& figure, const std::string& where) {
    const FigureDoc* doc = nullptr;
    for (const auto& d : declared)
        if (is_declared_figure({d}, figure)) doc = &d;
    if (doc == nullptr)
        throw ConfigError(fmt::format("{}: model {} has no figure '{}' (`tbsim params --figures {}` lists them)", where, model, figure, model));
    if (doc->unit == "boolean" || doc->unit == "text") throw ConfigError(fmt::format("{}: the figure '{}' is not a number", where, figure));
}

// The value of one side of a constraint at a point: a key of the resolved scenario, or a literal.
Quantity side_value(const ConfigDocument& doc, const std::string& side, const Constraint& c) {
    const bool looks_like_key = !side.empty() && (std::isalpha(static_cast<unsigned char>(side.front())) || side.front() == '_');
    if (looks_like_key) {
        const auto text = doc.scalar_at(side);
        if (!text) throw ConfigError(fmt::format("{}: sweep.when: the scenario has no value at '{}' (give it in the scenario or as an axis)", c.position, side));
        const auto q = parse_quantity(*text);
        if (!q) throw ConfigError(fmt::format("{}: sweep.when: '{}' is \"{}\", not a number", c.position, side, *text));
        return *q;
    }
    const auto q = parse_quantity(side);
    if (!q) throw ConfigError(fmt::format("{}: sweep.when: \"{}\" is neither a key nor a number", c.position, side));
    return *q;
}

bool constraint_holds(const ConfigDocument& doc, const Constraint& c) {
    const Quantity l = side_value(doc, c.left, c), r = side_value(doc, c.right, c);
    double a = l.number, b = r.number;
    if (l.unit != r.unit) {
        const auto lb = to_base_unit(l), rb = to_base_unit(r);
        if (!lb || !rb || lb->second != rb->second)
            throw ConfigError(fmt::format("{}: sweep.when: cannot compare {}{} with {}{}", c.position, l.number, l.unit, r.number, r.unit));
        a = lb->first;
        b = rb->first;
    }
    if (c.op == "<=") return a <= b;
    if (c.op == "<") return a < b;
    if (c.op == ">=") return a >= b;
    if (c.op == ">") return a > b;
    if (c.op == "==") return a == b;
    return a != b;
}

// A point ready to run, or nothing when a constraint drops it.
std::optional<StudyPoint> prepare_point(const ScenarioText& base, const std::vector<Override>& overrides, const SweepSpec& sweep,
                                        const std::vector<std::size_t>& at, const StudyContext& context) {
    auto doc = ConfigDocument::from_text(base.text, base.source);
    for (const auto& o : overrides) doc->apply_override(o.assignment, o.origin);
    for (std::size_t a = 0; a < at.size(); ++a) {
        const auto& axis = sweep.axes[a];
        const auto& value = axis.values[at[a]];
        doc->apply_override(axis.key + "=" + value.text, OverrideOrigin{value.position, axis.position, true});
    }
    for (const auto& c : sweep.when)
        if (!constraint_holds(*doc, c)) return std::nullopt;
    if (sweep.replications)
        doc->apply_override(fmt::format("replications={}", *sweep.replications),
                            OverrideOrigin{sweep.replications_position, sweep.replications_position, true});
    if (sweep.seeds == SweepSpec::Seeds::independent) {
        // A seed of its own, from the scenario's seed and everything else the point resolves to.
        const auto base_seed = doc->scalar_at("seed").value_or("0");
        std::uint64_t state = fnv1a64(base_seed + "\n" + doc->identity({"name", "description", "replications", "sweep", "seed", "calibration"}));
        doc->apply_override(fmt::format("seed={}", splitmix64(state) >> 1), OverrideOrigin{"sweep.seeds", "sweep.seeds", true});
    }
    const auto root = doc->root();
    const auto header = read_scenario_header(root);
    const ModelEntry& model = find_model(*context.models, root, header.model);
    if (auto s = root.child("sweep")) s->mark_opaque();  // read by load_study, not by the model
    StudyPoint point;
    point.at = at;
    point.scenario = model.read(root, header);
    doc->check_unknown_keys();
    point.identity = doc->identity(kNotInIdentity) + "-" + context.version;
    point.replications = sweep.precision.active() ? std::max<std::uint64_t>(sweep.precision.min, 2) : header.replications;
    return point;
}

// A command-line override of a key the sweep varies would be replaced at every point without a
// word: refuse it, and say how to get what was meant.
void refuse_overrides_of_axes(const std::vector<Override>& overrides, const SweepSpec& sweep, bool sweep_file) {
    for (const auto& o : overrides) {
        const std::string key = o.assignment.substr(0, o.assignment.find('='));
        for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
            const std::string& axis = sweep.axes[a].key;
            if (key != axis && !key.starts_with(axis + ".")) continue;
            const std::string where = o.origin ? o.origin->value_at : "--set " + o.assignment;
            const std::string remedy = sweep_file ? "run the base scenario with it, or change the axis in the sweep file"
                                                  : fmt::format("set the axis's values instead (--set sweep.axes.{}.values=[...]) "
                                                                "or leave the sweep out (--set sweep=null)", a);
            throw ConfigError(fmt::format("{}: {} is an axis of the sweep ({}), whose values would replace it at every point; {}",
                                          where, key, sweep.axes[a].position, remedy));
        }
    }
}

}  // namespace

std::string Study::label(const StudyPoint& point) const {
    std::string out;
    for (std::size_t a = 0; a < point.at.size(); ++a) {
        if (!out.empty()) out += ' ';
        out += sweep.axes[a].key + "=" + sweep.axes[a].values[point.at[a]].text;
    }
    return out;
}

std::vector<std::string> Study::collected(const FigureRecord& record) const {
    if (!sweep.collect.empty()) return sweep.collect;
    std::vector<std::string> keys;
    for (const auto& [k, v] : record.entries())
        if (std::holds_alternative<double>(v)) keys.push_back(k);
    return keys;
}

ScenarioText read_scenario_text(const std::string& path, const StudyContext& context) {
    if (std::filesystem::is_directory(path)) throw ConfigError(fmt::format("{}: is a folder, not a scenario file", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (context.embedded)
            if (auto text = context.embedded(path)) return *text;
        throw ConfigError(fmt::format("{}: cannot open the scenario file", path));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    return {buffer.str(), path};
}

const ModelEntry& find_model(const std::vector<ModelEntry>& models, const ConfigNode& root, const std::string& name) {
    for (const auto& m : models)
        if (m.name == name) return m;
    std::string known;
    for (const auto& m : models) known += " " + m.name;
    if (auto node = root.child("model")) node->fail(fmt::format("unknown model '{}'; known models:{}", name, known));
    root.fail(fmt::format("unknown model '{}'; known models:{}", name, known));
}

Study load_study(const ScenarioText& file, const std::vector<Override>& overrides, const StudyContext& context) {
    Study study;
    ScenarioText base = file;
    auto doc = ConfigDocument::from_text(file.text, file.source);
    const auto root = doc->root();
    if (root.is_map() && root.has("base")) {
        // A sweep file: its base scenario, swept.
        SweepFile sweep_file;
        sweep_file_table().read(root, sweep_file);
        doc->check_unknown_keys();
        const auto base_node = root.required("base");
        fs::path base_path(sweep_file.base);
        if (base_path.is_relative()) base_path = fs::path(directory_of(file.source)) / base_path;
        if (sim::input_path_exists(base_path)) base = read_scenario_text(base_path.string(), context);
        else if (auto text = context.embedded ? context.embedded(sweep_file.base) : std::nullopt) base = *text;
        else base_node.fail(fmt::format("no scenario file {} and no embedded scenario '{}'", base_path.string(), sweep_file.base));
        study.name = sweep_file.name.empty() ? fs::path(file.source).stem().string() : sweep_file.name;
        study.description = sweep_file.description;
        study.sweep = std::move(sweep_file.sweep);
    } else {
        // A scenario, with its own `sweep:` section or none; overrides may change or remove it.
        for (const auto& o : overrides) doc->apply_override(o.assignment, o.origin);
        if (auto s = doc->root().child("sweep"); s && !s->is_null()) study.sweep = read_sweep(*s);
    }
    refuse_overrides_of_axes(overrides, study.sweep, base.source != file.source);
    for (const auto& at : study.sweep.points())
        if (auto point = prepare_point(base, overrides, study.sweep, at, context)) study.points.push_back(std::move(*point));
    if (study.points.empty()) {
        const auto& c = study.sweep.when.front();
        throw ConfigError(fmt::format("{}: sweep.when: no point of the sweep keeps every condition", c.position));
    }
    study.header = study.points.front().scenario->header();
    if (study.name.empty()) study.name = study.header.name;
    if (study.description.empty()) study.description = study.header.description;
    study.model = study.header.model;
    const auto& model = find_model(*context.models, root, study.model);
    study.figures = model.figures();
    for (const auto& fit : study.sweep.fits) check_figure(study.figures, model.name, fit.y, fit.position + ": sweep.fit");
    for (const auto& figure : study.sweep.collect) check_figure(study.figures, model.name, figure, study.sweep.collect_position + ": sweep.collect");
    return study;
}

}  // namespace tbsim::sim
