#include "sim/scenario/run_store.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/config/config_error.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/figure_json.hpp"

namespace tbsim::sim {

ResumeFolder::ResumeFolder(const std::string& out_dir) : root_((std::filesystem::path(out_dir) / ".tbsim-resume").string()) {
    std::error_code error;
    if (std::filesystem::exists(root_, error) && !std::filesystem::is_directory(root_, error))
        throw ConfigError(fmt::format("{}: in the way: tbsim keeps a run's finished replications in a folder of that name "
                                      "until its results are written; remove it, or give another --out",
                                      root_));
}

std::string ResumeFolder::path(const std::string& identity, std::uint64_t replication) const {
    return (std::filesystem::path(root_) / identity / fmt::format("replication-{}.json", replication)).string();
}

std::optional<RunResult> ResumeFolder::load(const std::string& identity, std::uint64_t replication) const {
    std::ifstream in(path(identity, replication), std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    try {
        const Json j = Json::parse(text.str());
        RunResult r;
        r.figures = figures_from_json(j.at("figures"));
        r.events = j.at("events").get<std::uint64_t>();
        for (const auto& t : j.at("tables"))
            r.tables.push_back(CsvTable::restore(t.at("file").get<std::string>(), t.at("columns").get<std::vector<std::string>>(),
                                                 t.at("body").get<std::string>(), t.at("rows").get<std::size_t>()));
        return r;
    } catch (const Json::exception&) {
        return std::nullopt;  // unreadable: run it again
    }
}

void ResumeFolder::save(const std::string& identity, std::uint64_t replication, const RunResult& result) {
    Json j;
    j["figures"] = figures_to_json(result.figures);
    j["events"] = result.events;
    j["tables"] = Json::array();
    for (const auto& t : result.tables)
        j["tables"].push_back({{"file", t.file_name()}, {"columns", t.columns()}, {"body", t.body()}, {"rows", t.rows()}});
    write_file_atomically(path(identity, replication), j.dump());
}

void ResumeFolder::clear() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
}

}  // namespace tbsim::sim
