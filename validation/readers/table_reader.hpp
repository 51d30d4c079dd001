// A CSV table of a trace read strictly: the columns it must have, found by name, and typed cells
// whose errors name FILE:LINE and the column (a missing column, a non-number, a negative count).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/output/csv_reader.hpp"

namespace tbsim::validation {

class TableReader {
public:
    /// Parses `text` (the content of `source`) and requires `columns`.
    TableReader(const std::string& text, std::string source, const std::vector<std::string>& columns);

    std::size_t rows() const { return data_.rows.size(); }
    /// The file line of row `row` (the header is line 1).
    std::size_t line(std::size_t row) const { return row + 2; }

    const std::string& text(std::size_t row, std::size_t column) const;
    std::int64_t integer(std::size_t row, std::size_t column) const;
    double number(std::size_t row, std::size_t column) const;
    /// The index of a required column (as given to the constructor: 0, 1, ...).
    [[noreturn]] void fail(std::size_t row, const std::string& message) const;

private:
    sim::CsvData data_;
    std::string source_;
    std::vector<std::string> names_;
    std::vector<std::size_t> index_;  // required column -> position in the file
};

}  // namespace tbsim::validation
