#include "sim/config/config_node.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "sim/config/config_document.hpp"

namespace tbsim::sim {

std::string join_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}

std::string index_path(const std::string& path, std::size_t index) { return fmt::format("{}[{}]", path, index); }

ConfigNode::ConfigNode(YAML::Node node, std::string path, std::shared_ptr<ConfigDocument> doc)
    : node_(std::move(node)), path_(std::move(path)), doc_(std::move(doc)) {}

const std::string& ConfigNode::source() const { return doc_->source(); }

std::string ConfigNode::where() const { return doc_->where(node_, path_); }

std::string ConfigNode::position() const {
    const YAML::Mark mark = node_ ? node_.Mark() : YAML::Mark::null_mark();
    if (mark.line < 0) return source();
    return fmt::format("{}:{}:{}", source(), mark.line + 1, mark.column + 1);
}

void ConfigNode::fail(std::string_view message) const { throw ConfigError(fmt::format("{}: {}", where(), message)); }

std::optional<ConfigNode> ConfigNode::child(std::string_view key) const {
    const std::string k(key);
    doc_->note_known_key(path_, k);
    if (!node_.IsMap()) {
        if (is_null()) return std::nullopt;
        fail(fmt::format("expected a mapping with key '{}'", key));
    }
    YAML::Node value = node_[k];
    if (!value) return std::nullopt;
    return ConfigNode(value, join_path(path_, key), doc_);
}

ConfigNode ConfigNode::required(std::string_view key) const {
    auto value = child(key);
    if (!value) fail(fmt::format("missing required key '{}'", key));
    return *value;
}

bool ConfigNode::has(std::string_view key) const { return node_.IsMap() && node_[std::string(key)]; }

std::vector<std::string> ConfigNode::keys() const {
    std::vector<std::string> out;
    if (!node_.IsMap()) return out;
    for (const auto& item : node_) {
        if (!item.first.IsScalar()) fail("a key must be a plain name, not a list, a map or nothing");
        out.push_back(item.first.Scalar());
    }
    return out;
}

void ConfigNode::mark_opaque() const { doc_->note_opaque(path_); }

std::vector<ConfigNode> ConfigNode::items(bool allow_scalar) const {
    std::vector<ConfigNode> out;
    if (node_.IsSequence()) {
        for (std::size_t i = 0; i < node_.size(); ++i) out.emplace_back(node_[i], index_path(path_, i), doc_);
        return out;
    }
    if (is_null()) return out;  // `key: null` (or `--set key=null`) is an empty list
    if (allow_scalar && node_.IsScalar()) {
        out.push_back(*this);
        return out;
    }
    fail("expected a list");
}

std::string ConfigNode::scalar_for(std::string_view what) const {
    if (!node_.IsScalar()) fail(fmt::format("expected {}, got a {}", what, node_.IsMap() ? "mapping" : node_.IsSequence() ? "list" : "null"));
    return node_.Scalar();
}

std::string ConfigNode::text() const { return scalar_for("a string"); }

bool ConfigNode::boolean() const {
    const std::string s = scalar_for("true or false");
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail(fmt::format("expected true or false, got \"{}\"", s));
}

double ConfigNode::number() const {
    const std::string s = scalar_for("a number");
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(value))
        fail(fmt::format("expected a plain number, got \"{}\"", s));
    return value;
}

std::int64_t ConfigNode::integer() const {
    const std::string s = scalar_for("a whole number");
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || ptr != s.data() + s.size()) fail(fmt::format("expected a whole number (a count), got \"{}\"", s));
    return value;
}

Time ConfigNode::duration() const {
    const std::string s = scalar_for("a duration such as \"10s\"");
    const auto v = parse_duration(s);
    if (!v && parse_duration_seconds(s)) fail(fmt::format("\"{}\" is longer than tbsim's clock holds (about 292 years)", s));
    if (!v) fail(fmt::format("expected a duration with a unit (ns, us, ms, s, min, h) such as \"10s\", got \"{}\"", s));
    return *v;
}

DataSize ConfigNode::data_size() const {
    const std::string s = scalar_for("a data size such as \"1500B\"");
    const auto v = parse_data_size(s);
    if (!v) fail(fmt::format("expected a data size with a unit (B, kB, KiB, MB, MiB, GB, GiB) such as \"1500B\", got \"{}\"", s));
    return *v;
}

DataRate ConfigNode::data_rate() const {
    const std::string s = scalar_for("a data rate such as \"10Mbps\"");
    const auto v = parse_data_rate(s);
    if (!v) fail(fmt::format("expected a data rate with a unit (bps, kbps, Mbps, Gbps) such as \"10Mbps\", got \"{}\"", s));
    return *v;
}

Frequency ConfigNode::frequency() const {
    const std::string s = scalar_for("a frequency such as \"600/min\"");
    const auto v = parse_frequency(s);
    if (!v) fail(fmt::format("expected a frequency such as \"600/min\" or \"10/s\", got \"{}\"", s));
    // One period must fit in the clock (about 292 years of nanoseconds), as a duration must...
    if (v->per_second > 0.0 && !Time::holds_seconds(1.0 / v->per_second))
        fail(fmt::format("\"{}\" is so low that one period is longer than tbsim's clock holds (about 292 years)", s));
    // And be no shorter than its tick: faster, every event would fall on the same nanosecond.
    if (!(v->per_second <= 1e9))
        fail(fmt::format("\"{}\" is so high that one period is shorter than tbsim's clock's tick (1 ns)", s));
    return *v;
}

Fraction ConfigNode::fraction() const {
    const std::string s = scalar_for("a fraction such as \"0.1%\"");
    const auto v = parse_fraction(s);
    if (!v) fail(fmt::format("expected a fraction such as \"0.1%\" or \"0.001\", got \"{}\"", s));
    if (v->value < 0.0 || v->value > 1.0) fail(fmt::format("expected a fraction between 0 and 100%, got \"{}\"", s));
    return *v;
}

}  // namespace tbsim::sim
