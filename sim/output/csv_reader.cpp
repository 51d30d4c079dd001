#include "sim/output/csv_reader.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"

namespace tbsim::sim {

std::optional<std::size_t> CsvData::column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    return std::nullopt;
}

CsvData parse_csv(const std::string& text, const std::string& source) {
    CsvData data;
    std::vector<std::string> row;
    std::string cell;
    bool quoted = false, in_quotes = false;
    std::size_t line = 1;
    auto end_cell = [&] {
        row.push_back(cell);
        cell.clear();
        quoted = false;
    };
    auto end_row = [&] {
        end_cell();
        if (data.columns.empty()) {
            data.columns = std::move(row);
        } else {
            if (row.size() != data.columns.size())
                throw ConfigError(fmt::format("{}:{}: {} cells where the header has {}", source, line, row.size(), data.columns.size()));
            data.rows.push_back(std::move(row));
        }
        row.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_quotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                in_quotes = false;
            } else {
                if (c == '\n') ++line;
                cell += c;
            }
        } else if (c == '"' && cell.empty() && !quoted) {
            in_quotes = quoted = true;
        } else if (c == ',') {
            end_cell();
        } else if (c == '\n') {
            end_row();
            ++line;
        } else if (c != '\r') {
            cell += c;
        }
    }
    if (in_quotes) throw ConfigError(fmt::format("{}:{}: a quoted cell is not closed", source, line));
    if (!cell.empty() || !row.empty()) end_row();
    if (data.columns.empty()) throw ConfigError(fmt::format("{}:1: no header", source));
    return data;
}

CsvData read_csv_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(fmt::format("{}: cannot open the table", path));
    std::stringstream text;
    text << in.rdbuf();
    return parse_csv(text.str(), path);
}

}  // namespace tbsim::sim
