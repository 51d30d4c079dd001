#include "sim/output/figures.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "sim/config/param_doc.hpp"

namespace tbsim::sim {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Splits "a.<link>.b" into its segments.
std::vector<std::string_view> segments(std::string_view key) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= key.size(); ++i) {
        if (i == key.size() || key[i] == '.') {
            out.push_back(key.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

}  // namespace

const FigureValue* FigureRecord::find(std::string_view key) const {
    for (const auto& [k, v] : entries_)
        if (k == key) return &v;
    return nullptr;
}

std::optional<double> FigureRecord::number(std::string_view key) const {
    const FigureValue* v = find(key);
    if (v == nullptr || !std::holds_alternative<double>(*v)) return std::nullopt;
    return std::get<double>(*v);
}

bool is_declared_figure(const std::vector<FigureDoc>& declared, std::string_view key) {
    const auto wanted = segments(key);
    for (const auto& d : declared) {
        const auto pattern = segments(d.key);
        if (pattern.size() != wanted.size()) continue;
        bool match = true;
        for (std::size_t i = 0; i < pattern.size() && match; ++i) {
            const auto p = pattern[i];
            const bool placeholder = !p.empty() && p.front() == '<' && p.back() == '>';
            if (p.size() > 2 && p.substr(p.size() - 2) == "[]") {
                // numbers[]: matches "numbers[3]"
                const auto base = p.substr(0, p.size() - 2);
                match = starts_with(wanted[i], base) && wanted[i].size() > base.size() + 2 && wanted[i][base.size()] == '[' &&
                        wanted[i].back() == ']';
            } else {
                match = placeholder || p == wanted[i];
            }
        }
        if (match) return true;
    }
    return false;
}

void FigureRestorer::number(std::string_view name, double& value, const char*, const char*) {
    if (const auto v = in_.number(path_.key(name))) value = *v;
}

void FigureRestorer::number(std::string_view name, std::optional<double>& value, const char*, const char*) {
    value = in_.number(path_.key(name));
}

void FigureRestorer::flag(std::string_view name, bool& value, const char*) {
    if (const FigureValue* v = in_.find(path_.key(name)); v != nullptr && std::holds_alternative<bool>(*v)) value = std::get<bool>(*v);
}

void FigureRestorer::text(std::string_view name, std::string& value, const char*) {
    if (const FigureValue* v = in_.find(path_.key(name)); v != nullptr && std::holds_alternative<std::string>(*v))
        value = std::get<std::string>(*v);
}

void FigureRestorer::numbers(std::string_view name, std::vector<double>& values, const char*, const char*) {
    values.clear();
    const std::string base = path_.key(name);
    for (std::size_t i = 0;; ++i) {
        const auto v = in_.number(fmt::format("{}[{}]", base, i));
        if (!v) break;
        values.push_back(*v);
    }
}

bool FigureRestorer::has_keys_below(const std::string& prefix) const {
    return std::any_of(in_.entries().begin(), in_.entries().end(), [&](const auto& e) { return starts_with(e.first, prefix); });
}

std::vector<std::string> FigureRestorer::names_below(const std::string& prefix) const {
    std::vector<std::string> names;
    for (const auto& [key, value] : in_.entries()) {
        if (!starts_with(key, prefix)) continue;
        const auto rest = std::string_view(key).substr(prefix.size());
        const auto name = std::string(rest.substr(0, rest.find('.')));
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
}

std::string figures_as_text(const std::vector<FigureDoc>& figures) {
    std::size_t width = 24;
    for (const auto& f : figures) width = std::max(width, f.key.size() + 1);
    std::string out;
    for (const auto& f : figures) out += fmt::format("  {:<{}} {:<9} {}\n", f.key, width, f.unit, f.meaning);
    return out;
}

std::string figures_as_markdown(const std::vector<FigureDoc>& figures) {
    std::string out = "| key | unit | meaning |\n|---|---|---|\n";
    for (const auto& f : figures) out += fmt::format("| `{}` | {} | {} |\n", f.key, markdown_cell(f.unit), markdown_cell(f.meaning));
    return out;
}

}  // namespace tbsim::sim
