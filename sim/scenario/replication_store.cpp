#include "sim/scenario/replication_store.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "sim/output/atomic_file.hpp"

namespace tbsim::sim {

FileReplicationStore::FileReplicationStore(const std::string& out_dir, std::string identity)
    : root_((std::filesystem::path(out_dir) / ".tbsim-resume").string()),
      dir_((std::filesystem::path(root_) / identity).string()) {}

std::string FileReplicationStore::path(std::uint64_t replication) const {
    return (std::filesystem::path(dir_) / fmt::format("replication-{}.json", replication)).string();
}

std::optional<RunResult> FileReplicationStore::load(std::uint64_t replication) const {
    std::ifstream in(path(replication), std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    try {
        const Json j = Json::parse(text.str());
        RunResult r;
        r.summary = j.at("summary");
        r.events = j.at("events").get<std::uint64_t>();
        for (const auto& t : j.at("tables"))
            r.tables.push_back(CsvTable::restore(t.at("file").get<std::string>(), t.at("columns").get<std::vector<std::string>>(),
                                                 t.at("body").get<std::string>(), t.at("rows").get<std::size_t>()));
        return r;
    } catch (const Json::exception&) {
        return std::nullopt;  // unreadable: run it again
    }
}

void FileReplicationStore::save(std::uint64_t replication, const RunResult& result) {
    Json j;
    j["summary"] = result.summary;
    j["events"] = result.events;
    j["tables"] = Json::array();
    for (const auto& t : result.tables)
        j["tables"].push_back({{"file", t.file_name()}, {"columns", t.columns()}, {"body", t.body()}, {"rows", t.rows()}});
    write_file_atomically(path(replication), j.dump());
}

void FileReplicationStore::clear() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
}

}  // namespace tbsim::sim
