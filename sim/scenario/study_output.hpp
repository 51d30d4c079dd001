// A study's results as files and text, at the output edge: summary.json (the pooled figures of a
// single point, or every point of a sweep with its fits), the model's tables for a single point
// (series.csv, ...), runs.csv and points.csv for a sweep, and the readable account of the terminal.
// Columns and keys: docs/outputs.md.
#pragma once

#include <string>
#include <vector>

#include "sim/output/figure_json.hpp"
#include "sim/scenario/study_results.hpp"

namespace tbsim::sim {

struct StudyFiles {
    Json summary;                  // as written to summary.json (with its fingerprint)
    std::vector<CsvTable> tables;  // the CSV files beside it
};

/// summary.json and the tables of a study, not yet written.
StudyFiles study_files(const Study& study, const StudyRuns& runs, const StudyResults& results);

/// Writes every file into `dir` atomically, the summary (named `summary_name`) last; returns their
/// paths, the summary first.
std::vector<std::string> write_study_files(const StudyFiles& files, const std::string& dir, const std::string& summary_name = "summary.json");

/// The readable account: the model's for a single point; one line per point and the fits for a sweep.
std::string study_account(const Study& study, const StudyResults& results);

}  // namespace tbsim::sim
