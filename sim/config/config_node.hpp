// One node of a configuration document, with its key path, and typed readers that turn YAML
// values into tbsim's quantities or stop with a ConfigError naming FILE:LINE:COL and the key path.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "sim/config/config_error.hpp"
#include "sim/core/time.hpp"
#include "sim/core/units.hpp"

namespace tbsim::sim {

class ConfigDocument;

class ConfigNode {
public:
    ConfigNode(YAML::Node node, std::string path, std::shared_ptr<ConfigDocument> doc);

    const std::string& path() const { return path_; }
    /// The file (or "<embedded ...>" name) the node comes from.
    const std::string& source() const;
    /// The document the node belongs to.
    ConfigDocument& document() const { return *doc_; }
    bool is_map() const { return node_.IsMap(); }
    bool is_sequence() const { return node_.IsSequence(); }
    bool is_scalar() const { return node_.IsScalar(); }
    bool is_null() const { return !node_ || node_.IsNull(); }
    const YAML::Node& yaml() const { return node_; }

    /// "file:line:col: key.path: message" as a ConfigError.
    [[noreturn]] void fail(std::string_view message) const;
    /// "FILE:LINE:COL: key.path" of this node (or where the override that wrote it came from).
    std::string where() const;
    /// "FILE:LINE:COL" of this node in its document (the document's name if it has no position).
    std::string position() const;

    // --- mappings -------------------------------------------------------------------------
    /// The value of `key` if present; records `key` as known either way.
    std::optional<ConfigNode> child(std::string_view key) const;
    /// The value of `key`; a ConfigError if it is missing.
    ConfigNode required(std::string_view key) const;
    bool has(std::string_view key) const;
    /// Keys of a mapping in file order.
    std::vector<std::string> keys() const;
    /// Marks this subtree as read whole (no unknown-key check below it).
    void mark_opaque() const;

    // --- sequences ------------------------------------------------------------------------
    /// Items of a sequence; a single scalar is read as a one-item list when `allow_scalar`.
    std::vector<ConfigNode> items(bool allow_scalar = false) const;

    // --- scalars --------------------------------------------------------------------------
    std::string text() const;
    bool boolean() const;
    double number() const;
    /// A whole number (a count); fails on fractions.
    std::int64_t integer() const;
    Time duration() const;
    DataSize data_size() const;
    DataRate data_rate() const;
    Frequency frequency() const;
    Fraction fraction() const;

private:
    std::string scalar_for(std::string_view what) const;
    YAML::Node node_;
    std::string path_;
    std::shared_ptr<ConfigDocument> doc_;
};

/// Joins a key path and a key ("topology.links" + "0" -> "topology.links[0]" for indices).
std::string join_path(const std::string& path, std::string_view key);
std::string index_path(const std::string& path, std::size_t index);

}  // namespace tbsim::sim
