// The reference of a model's parameters as data: one row per key path, with its kind, its default
// and its meaning, grouped in sections. `tbsim params` prints it as text, and docs/scenarios.md
// holds the same rows as Markdown tables (generated from these declarations, and checked by a test).
#pragma once

#include <string>
#include <vector>

namespace tbsim::sim {

struct ParamDoc {
    std::string key;           // key path below the section ("latency", "server.cores", "calls[].name")
    std::string kind;          // "duration", "data rate", "count", "mapping", ...
    std::string default_text;  // as a scenario would write it; "(required)" or "" when there is none
    std::string meaning;
};

struct ParamSection {
    std::string title;  // e.g. "deployment (the cloud's shape)"
    std::string path;   // where the keys live in a scenario ("deployment", "" for the top level)
    std::vector<ParamDoc> rows;
};

/// The sections as aligned text, for the terminal.
std::string params_as_text(const std::vector<ParamSection>& sections);

/// Text safe in a Markdown table cell (pipes and angle brackets escaped).
std::string markdown_cell(const std::string& text);

/// The sections as Markdown tables (one heading and table per section), for docs/scenarios.md.
std::string params_as_markdown(const std::vector<ParamSection>& sections);

}  // namespace tbsim::sim
