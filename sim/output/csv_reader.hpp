// Reading back a CSV table tbsim wrote (points.csv, runs.csv): a header and rows of cells, quoted
// cells as csv_table.hpp writes them. Errors name the file and line.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tbsim::sim {

struct CsvData {
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
    /// The index of `column`, or nothing.
    std::optional<std::size_t> column(const std::string& name) const;
};

/// Parses CSV text; `source` names it in errors (a ConfigError "FILE:LINE: message").
CsvData parse_csv(const std::string& text, const std::string& source);

/// Reads and parses a file.
CsvData read_csv_file(const std::string& path);

}  // namespace tbsim::sim
