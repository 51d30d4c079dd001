#include "sim/output/csv_table.hpp"

#include <fmt/format.h>

#include "sim/core/check.hpp"

namespace tbsim::sim {

CsvTable::CsvTable(std::string file_name, std::vector<std::string> columns)
    : file_name_(std::move(file_name)), columns_(std::move(columns)) {}

CsvTable CsvTable::restore(std::string file_name, std::vector<std::string> columns, std::string body, std::size_t rows) {
    CsvTable t(std::move(file_name), std::move(columns));
    t.body_ = std::move(body);
    t.rows_ = rows;
    t.cells_in_row_ = rows > 0 ? t.columns_.size() : 0;
    return t;
}

CsvTable& CsvTable::row() {
    TBSIM_CHECK(rows_ == 0 || cells_in_row_ == columns_.size(), "CSV row has missing cells");
    if (rows_ > 0) body_ += '\n';
    ++rows_;
    cells_in_row_ = 0;
    return *this;
}

void CsvTable::next_cell() {
    TBSIM_CHECK(rows_ > 0 && cells_in_row_ < columns_.size(), "CSV row has too many cells");
    if (cells_in_row_ > 0) body_ += ',';
    ++cells_in_row_;
}

CsvTable& CsvTable::cell(const std::string& text) {
    next_cell();
    if (text.find_first_of(",\"\n") == std::string::npos) {
        body_ += text;
    } else {
        body_ += '"';
        for (const char c : text) {
            if (c == '"') body_ += '"';
            body_ += c;
        }
        body_ += '"';
    }
    return *this;
}

CsvTable& CsvTable::cell(double value, int decimals) {
    next_cell();
    body_ += fmt::format("{:.{}f}", value, decimals);
    return *this;
}

CsvTable& CsvTable::cell(long long value) {
    next_cell();
    body_ += fmt::format("{}", value);
    return *this;
}

CsvTable& CsvTable::cell(unsigned long long value) {
    next_cell();
    body_ += fmt::format("{}", value);
    return *this;
}

std::string CsvTable::text() const {
    TBSIM_CHECK(rows_ == 0 || cells_in_row_ == columns_.size(), "CSV row has missing cells");
    std::string out;
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (i > 0) out += ',';
        out += columns_[i];
    }
    out += '\n';
    out += body_;
    if (rows_ > 0) out += '\n';
    return out;
}

void CsvTable::append(const CsvTable& other) {
    TBSIM_CHECK(other.columns_ == columns_, "appending a CSV table with other columns");
    if (other.rows_ == 0) return;
    if (rows_ > 0) body_ += '\n';
    body_ += other.body_;
    rows_ += other.rows_;
    cells_in_row_ = other.cells_in_row_;
}

}  // namespace tbsim::sim
