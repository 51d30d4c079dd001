#include "validation/readers/table_reader.hpp"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"

namespace tbsim::validation {

TableReader::TableReader(const std::string& text, std::string source, const std::vector<std::string>& columns)
    : data_(sim::parse_csv(text, source)), source_(std::move(source)), names_(columns) {
    for (const auto& c : columns) {
        const auto i = data_.column(c);
        if (!i) throw sim::ConfigError(fmt::format("{}:1: no column '{}' (the header has: {})", source_, c, fmt::join(data_.columns, ", ")));
        index_.push_back(*i);
    }
}

void TableReader::fail(std::size_t row, const std::string& message) const {
    throw sim::ConfigError(fmt::format("{}:{}: {}", source_, line(row), message));
}

const std::string& TableReader::text(std::size_t row, std::size_t column) const { return data_.rows[row][index_[column]]; }

std::int64_t TableReader::integer(std::size_t row, std::size_t column) const {
    const std::string& s = text(row, column);
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size())
        fail(row, fmt::format("column {}: expected a whole number, got \"{}\"", names_[column], s));
    return v;
}

double TableReader::number(std::size_t row, std::size_t column) const {
    const std::string& s = text(row, column);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
        fail(row, fmt::format("column {}: expected a number, got \"{}\"", names_[column], s));
    return v;
}

}  // namespace tbsim::validation
