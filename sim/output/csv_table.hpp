// A result table written as CSV: a fixed column order, numbers at fixed precision, so that the same
// run gives byte-identical files.
#pragma once

#include <string>
#include <vector>

namespace tbsim::sim {

class CsvTable {
public:
    CsvTable(std::string file_name, std::vector<std::string> columns);
    /// A table from what body() and rows() returned (a kept replication being reused).
    static CsvTable restore(std::string file_name, std::vector<std::string> columns, std::string body, std::size_t rows);

    const std::string& file_name() const { return file_name_; }
    const std::vector<std::string>& columns() const { return columns_; }

    /// Starts a row; then append one cell per column, in order.
    CsvTable& row();
    CsvTable& cell(const std::string& text);
    CsvTable& cell(double value, int decimals = 6);
    CsvTable& cell(long long value);
    CsvTable& cell(unsigned long long value);
    CsvTable& cell(int value) { return cell(static_cast<long long>(value)); }
    CsvTable& cell(std::size_t value) { return cell(static_cast<unsigned long long>(value)); }

    std::size_t rows() const { return rows_; }
    /// The rows without the header, as written.
    const std::string& body() const { return body_; }
    /// The whole CSV text, header first; checks every row is complete.
    std::string text() const;
    /// Appends the rows of `other` (same columns), e.g. to pool replications.
    void append(const CsvTable& other);

private:
    void next_cell();
    std::string file_name_;
    std::vector<std::string> columns_;
    std::string body_;
    std::size_t rows_ = 0;
    std::size_t cells_in_row_ = 0;
};

}  // namespace tbsim::sim
