#include "sim/scenario/study.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/config/param_table.hpp"

namespace tbsim::sim {
namespace {

namespace fs = std::filesystem;

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
                "sweep", "mapping", "the axes and fits, as a scenario's own `sweep:` section",
                [](const ConfigNode& n, SweepFile& f) { f.sweep = read_sweep(n); }, [](const SweepFile&) { return std::string(); })
                .required(),
        }};
    return t;
}

std::string directory_of(const std::string& source) { return fs::path(source).parent_path().string(); }

std::vector<Override> with_axis_values(const std::vector<Override>& overrides, const SweepSpec& sweep, const std::vector<std::size_t>& at) {
    std::vector<Override> all = overrides;
    for (std::size_t a = 0; a < at.size(); ++a) {
        const auto& axis = sweep.axes[a];
        const auto& value = axis.values[at[a]];
        all.push_back({axis.key + "=" + value.text, OverrideOrigin{value.position, axis.position, true}});
    }
    return all;
}

void check_fits(const SweepSpec& sweep, const ModelEntry& model) {
    const auto declared = model.figures();
    for (const auto& fit : sweep.fits) {
        bool numeric = false;
        for (const auto& d : declared)
            if (is_declared_figure({d}, fit.y)) numeric = d.unit != "boolean" && d.unit != "text";
        if (!is_declared_figure(declared, fit.y))
            throw ConfigError(fmt::format("{}: sweep.fit: model {} has no figure '{}' (`tbsim params --figures {}` lists them)", fit.position,
                                          model.name, fit.y, model.name));
        if (!numeric) throw ConfigError(fmt::format("{}: sweep.fit: the figure '{}' is not a number", fit.position, fit.y));
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

ScenarioText read_scenario_text(const std::string& path, const StudyContext& context) {
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

std::unique_ptr<PreparedScenario> prepare_scenario(const ScenarioText& file, const std::vector<Override>& overrides,
                                                   const StudyContext& context, std::string* identity) {
    auto doc = ConfigDocument::from_text(file.text, file.source);
    for (const auto& o : overrides) doc->apply_override(o.assignment, o.origin);
    const auto root = doc->root();
    const auto header = read_scenario_header(root);
    const ModelEntry& model = find_model(*context.models, root, header.model);
    if (auto s = root.child("sweep")) s->mark_opaque();  // read by load_study, not by the model
    auto scenario = model.read(root, header);
    doc->check_unknown_keys();
    if (identity != nullptr) *identity = doc->identity() + "-" + context.version;
    return scenario;
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
        if (fs::exists(base_path)) base = read_scenario_text(base_path.string(), context);
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
    for (const auto& at : study.sweep.points()) {
        StudyPoint point;
        point.at = at;
        point.scenario = prepare_scenario(base, with_axis_values(overrides, study.sweep, at), context, &point.identity);
        study.points.push_back(std::move(point));
    }
    const auto& header = study.header();
    if (study.name.empty()) study.name = header.name;
    if (study.description.empty()) study.description = header.description;
    for (const auto& m : *context.models)
        if (m.name == header.model) study.model = &m;
    check_fits(study.sweep, *study.model);
    return study;
}

}  // namespace tbsim::sim
