#include "sim/config/param_doc.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace tbsim::sim {
namespace {

std::string full_key(const ParamSection& s, const ParamDoc& row) {
    if (s.path.empty()) return row.key;
    return row.key.empty() ? s.path : s.path + "." + row.key;
}

}  // namespace

std::string markdown_cell(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else out += c;
    }
    return out;
}

namespace {

}  // namespace

std::string params_as_text(const std::vector<ParamSection>& sections) {
    std::string out;
    for (const auto& s : sections) {
        if (!out.empty()) out += "\n";
        out += s.title + "\n";
        std::size_t width = 24;
        for (const auto& row : s.rows) width = std::max(width, full_key(s, row).size() + 1);
        for (const auto& row : s.rows)
            out += fmt::format("  {:<{}} {:<11} {:<12} {}\n", full_key(s, row), width, row.kind, row.default_text, row.meaning);
    }
    return out;
}

std::string params_as_markdown(const std::vector<ParamSection>& sections) {
    std::string out;
    for (const auto& s : sections) {
        if (!out.empty()) out += "\n";
        out += fmt::format("#### {}\n\n| key | kind | default | meaning |\n|---|---|---|---|\n", s.title);
        for (const auto& row : s.rows) {
            const std::string dflt = row.default_text.empty() ? "" : fmt::format("`{}`", row.default_text);
            out += fmt::format("| `{}` | {} | {} | {} |\n", full_key(s, row), markdown_cell(row.kind),
                               row.default_text == "(required)" ? "required" : dflt, markdown_cell(row.meaning));
        }
    }
    return out;
}

}  // namespace tbsim::sim
