#include "sim/config/config_document.hpp"

#include "sim/core/hash.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>

namespace tbsim::sim {
namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

bool is_index(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool within(const std::string& path, const std::string& prefix) {
    if (prefix.empty()) return true;
    if (path.compare(0, prefix.size(), prefix) != 0) return false;
    return path.size() == prefix.size() || path[prefix.size()] == '.' || path[prefix.size()] == '[';
}

// YAML wants a mapping's keys unique, but yaml-cpp keeps every pair and answers a lookup with the
// first: a key given twice (the second one silently ignored) is refused instead.
void reject_duplicate_keys(const YAML::Node& node, const std::string& source) {
    if (node.IsSequence()) {
        for (const auto& child : node) reject_duplicate_keys(child, source);
        return;
    }
    if (!node.IsMap()) return;
    std::map<std::string, YAML::Mark> seen;
    for (const auto& item : node) {
        if (item.first.IsScalar()) {
            const auto [first, fresh] = seen.emplace(item.first.Scalar(), item.first.Mark());
            if (!fresh) {
                const YAML::Mark again = item.first.Mark();
                throw ConfigError(fmt::format("{}:{}:{}: {}: the key is given twice in this mapping (first at line {})", source,
                                              again.line + 1, again.column + 1, item.first.Scalar(), first->second.line + 1));
            }
        }
        reject_duplicate_keys(item.second, source);
    }
}

}  // namespace

std::shared_ptr<ConfigDocument> ConfigDocument::from_text(const std::string& text, std::string source) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("{}:{}:{}: YAML syntax error: {}", source, e.mark.line + 1, e.mark.column + 1, e.msg));
    }
    reject_duplicate_keys(root, source);
    return std::shared_ptr<ConfigDocument>(new ConfigDocument(std::move(root), std::move(source)));
}

std::shared_ptr<ConfigDocument> ConfigDocument::from_file(const std::string& path) {
    if (std::filesystem::is_directory(path)) throw ConfigError(fmt::format("{}: is a folder, not a scenario file", path));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{}: cannot open the scenario file", path));
    std::stringstream buffer;
    buffer << in.rdbuf();
    return from_text(buffer.str(), path);
}

void ConfigDocument::apply_override(const std::string& assignment, const std::optional<OverrideOrigin>& origin) {
    const auto eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0)
        throw ConfigError(fmt::format("--set {}: expected key.path=value", assignment));
    const std::string key_path = assignment.substr(0, eq);
    const std::string value_text = assignment.substr(eq + 1);
    YAML::Node value;
    try {
        value = YAML::Load(value_text);
    } catch (const YAML::Exception& e) {
        throw ConfigError(fmt::format("--set {}: the value is not valid YAML: {}", assignment, e.msg));
    }
    reject_duplicate_keys(value, "--set " + assignment);
    if (!value) value = YAML::Node(YAML::NodeType::Null);

    std::vector<std::string> parts;
    std::stringstream ss(key_path);
    for (std::string part; std::getline(ss, part, '.');) {
        if (part.empty()) throw ConfigError(fmt::format("--set {}: empty key in the path", assignment));
        parts.push_back(part);
    }
    // yaml-cpp nodes are handles: walk down with copies that refer to the same tree.
    YAML::Node node = root_;
    if (!node.IsMap()) throw ConfigError(fmt::format("--set {}: the scenario is not a mapping", assignment));
    std::string path;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const bool last = i + 1 == parts.size();
        const std::string& part = parts[i];
        if (node.IsSequence()) {
            if (!is_index(part)) throw ConfigError(fmt::format("--set {}: '{}' is a list, expected an index", assignment, path));
            const auto index = std::stoul(part);
            if (index >= node.size())
                throw ConfigError(fmt::format("--set {}: '{}' has {} items, no index {}", assignment, path, node.size(), index));
            path = index_path(path, index);
            if (last) node[index] = value;
            else {
                YAML::Node next = node[index];
                node.reset(next);
            }
        } else if (node.IsMap() || node.IsNull()) {
            path = join_path(path, part);
            if (last) node[part] = value;
            else {
                if (!node[part]) node[part] = YAML::Node(YAML::NodeType::Map);
                YAML::Node next = node[part];
                node.reset(next);
            }
        } else {
            throw ConfigError(fmt::format("--set {}: '{}' is a value, it has no key '{}'", assignment, path, part));
        }
    }
    overrides_[path] = origin ? *origin : OverrideOrigin{"--set " + assignment, "--set " + assignment, true};
}

ConfigNode ConfigDocument::root() { return ConfigNode(root_, "", shared_from_this()); }

void ConfigDocument::note_known_key(const std::string& map_path, const std::string& key) { known_keys_[map_path].insert(key); }

void ConfigDocument::note_opaque(const std::string& path) { opaque_.insert(path); }

const OverrideOrigin* ConfigDocument::override_at(const std::string& path) const {
    for (const auto& [override_path, origin] : overrides_)
        if (within(path, override_path)) return &origin;
    if (!path.empty())
        for (const auto& [override_path, origin] : overrides_)
            if (within(override_path, path)) return &origin;
    return nullptr;
}

std::string ConfigDocument::where(const YAML::Node& node, const std::string& path) const {
    const std::string key = path.empty() ? "(top level)" : path;
    if (const OverrideOrigin* o = override_at(path)) return o->names_key ? fmt::format("{}: {}", o->value_at, key) : o->value_at;
    if (node) {
        const YAML::Mark mark = node.Mark();
        if (mark.line >= 0) return fmt::format("{}:{}:{}: {}", source_, mark.line + 1, mark.column + 1, key);
    }
    return fmt::format("{}: {}", source_, key);
}

void ConfigDocument::check_unknown_keys() const { check_node(root_, ""); }

std::optional<std::string> ConfigDocument::scalar_at(const std::string& key_path) const {
    YAML::Node node = YAML::Clone(root_);  // lookups never add keys to the document itself
    std::stringstream ss(key_path);
    for (std::string part; std::getline(ss, part, '.');) {
        const YAML::Node& here = node;
        YAML::Node next;
        if (here.IsSequence() && is_index(part) && std::stoul(part) < here.size()) next = here[std::stoul(part)];
        else if (here.IsMap() && here[part]) next = here[part];
        else return std::nullopt;
        node.reset(next);
    }
    if (!node.IsScalar()) return std::nullopt;
    return node.Scalar();
}

std::optional<std::pair<int, int>> ConfigDocument::scalar_position(const std::string& key_path) const {
    if (override_at(key_path) != nullptr) return std::nullopt;
    const YAML::Node& root = root_;
    std::vector<YAML::Node> chain{root};  // const lookups: nothing is added to the document
    std::stringstream ss(key_path);
    for (std::string part; std::getline(ss, part, '.');) {
        const YAML::Node& here = chain.back();
        if (here.IsSequence() && is_index(part) && std::stoul(part) < here.size()) chain.push_back(here[std::stoul(part)]);
        else if (here.IsMap() && here[part]) chain.push_back(here[part]);
        else return std::nullopt;
    }
    const YAML::Node& node = chain.back();
    if (!node.IsScalar() || node.Mark().is_null()) return std::nullopt;
    return std::pair{node.Mark().line, node.Mark().column};
}

std::string ConfigDocument::identity(const std::vector<std::string>& ignored) const {
    YAML::Node resolved = YAML::Clone(root_);
    if (resolved.IsMap())
        for (const auto& key : ignored) resolved.remove(key);
    YAML::Emitter out;
    out << resolved;
    std::string text = out.c_str();
    for (const auto& d : dependencies_) text += "\n" + d;
    return fingerprint(text);
}

void ConfigDocument::check_node(const YAML::Node& node, const std::string& path) const {
    if (opaque_.count(path) != 0) return;
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i) check_node(node[i], index_path(path, i));
        return;
    }
    if (!node.IsMap()) return;
    const auto found = known_keys_.find(path);
    static const std::set<std::string> kNone;
    const std::set<std::string>& known = found == known_keys_.end() ? kNone : found->second;
    for (const auto& item : node) {
        // YAML allows any node as a key ("? [a, b]: 1", "? : 1"); a scenario's keys are names.
        if (!item.first.IsScalar())
            throw ConfigError(fmt::format("{}: a key must be a plain name, not a list, a map or nothing", where(item.first, path)));
        const auto key = item.first.Scalar();
        const std::string child = join_path(path, key);
        if (known.count(key) == 0) {
            std::string hint;
            std::size_t best = 3;
            for (const auto& k : known) {
                const std::size_t d = edit_distance(key, k);
                if (d < best && d <= std::max<std::size_t>(1, k.size() / 3)) {
                    best = d;
                    hint = fmt::format(" (did you mean '{}'?)", k);
                }
            }
            std::string expected;
            if (!known.empty()) {
                expected = "; expected one of:";
                for (const auto& k : known) expected += " " + k;
            }
            std::string at;
            if (const OverrideOrigin* o = override_at(child)) at = o->names_key ? fmt::format("{}: {}", o->key_at, child) : o->key_at;
            else at = where(item.first, child);
            throw ConfigError(fmt::format("{}: unknown key{}{}", at, hint, expected));
        }
        check_node(item.second, child);
    }
}

}  // namespace tbsim::sim
