// A YAML configuration document with strict validation.
//
// The document remembers, for every mapping, which keys the readers asked for (present or not).
// After reading, check_unknown_keys() walks the whole tree: a key nobody asked for is an error,
// with a suggestion when it is close to a known one. Overrides (`--set key.path=value` on the
// command line, an option of `tbsim plan`, a value of a sweep axis) replace or add nodes before
// reading, and errors in them name where the override came from instead of a file position.
#pragma once

#include <map>
#include <optional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/config_node.hpp"

namespace tbsim::sim {

/// Where an override comes from, as its error messages name it.
struct OverrideOrigin {
    std::string value_at;  // errors in the value: "--set a.b=3", "--servers", "sweep.yaml:14:22"
    std::string key_at;    // an unknown key: where the key is written (the same for the command line)
    bool names_key = true; // messages give the key path after the origin (false: the origin names it, as `--servers`)
};

class ConfigDocument : public std::enable_shared_from_this<ConfigDocument> {
public:
    /// Parses `text`, naming it `source` (a file path, or "<embedded default>") in messages.
    static std::shared_ptr<ConfigDocument> from_text(const std::string& text, std::string source);
    /// Reads and parses a file; a missing file or a YAML syntax error is a ConfigError.
    static std::shared_ptr<ConfigDocument> from_file(const std::string& path);

    /// Applies `key.path=value` (list items by index: `links.0.bandwidth=5Mbps`); the value is
    /// parsed as YAML. Creates missing mapping keys. Throws ConfigError if the path crosses a scalar.
    /// Errors later found in the value name `origin` (default: `--set key.path=value`).
    void apply_override(const std::string& assignment, const std::optional<OverrideOrigin>& origin = std::nullopt);

    ConfigNode root();
    const std::string& source() const { return source_; }

    /// Throws ConfigError at the first key that no reader asked for.
    void check_unknown_keys() const;

    /// Records that this document's meaning depends on `other` (a profile it names).
    void depend_on(const ConfigDocument& other) { dependencies_.push_back(other.identity()); }
    /// A hash of the document as resolved (overrides applied) and of everything it depends on,
    /// leaving out the top-level keys `ignored` (those that cannot change a run's results):
    /// equal identities, equal inputs.
    std::string identity(const std::vector<std::string>& ignored = {}) const;

    /// The scalar at a key path as written (list items by index: "links.0.bandwidth"), or nothing
    /// when the document has no such key or the value is not a scalar.
    std::optional<std::string> scalar_at(const std::string& key_path) const;
    /// Where that scalar is written in the source text: 0-based line and column (nothing for a
    /// value an override wrote, or no such scalar).
    std::optional<std::pair<int, int>> scalar_position(const std::string& key_path) const;

    // Used by ConfigNode.
    void note_known_key(const std::string& map_path, const std::string& key);
    void note_opaque(const std::string& path);
    /// "FILE:LINE:COL: key.path" of a node, or the origin of the override that wrote it.
    std::string where(const YAML::Node& node, const std::string& path) const;

private:
    ConfigDocument(YAML::Node root, std::string source) : root_(std::move(root)), source_(std::move(source)) {}
    void check_node(const YAML::Node& node, const std::string& path) const;
    // The override that wrote `path`, or one below it (an unknown key it created on the way).
    const OverrideOrigin* override_at(const std::string& path) const;

    YAML::Node root_;
    std::string source_;
    std::map<std::string, std::set<std::string>> known_keys_;
    std::set<std::string> opaque_;
    std::map<std::string, OverrideOrigin> overrides_;  // key path -> where the override that wrote it came from
    std::vector<std::string> dependencies_;         // identities of the documents this one names
};

}  // namespace tbsim::sim
