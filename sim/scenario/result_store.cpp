#include "sim/scenario/result_store.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "sim/config/input_path.hpp"
#include "sim/output/figure_json.hpp"

namespace tbsim::sim {

namespace fs = std::filesystem;

ResultStore::ResultStore(const std::vector<std::string>& dirs, const std::string& writer) {
    for (const auto& d : dirs) read_folder(d);
    if (writer.empty()) return;
    const fs::path folder = fs::path(dirs.front()) / "store";
    fs::create_directories(folder);
    path_ = (folder / (writer + ".jsonl")).string();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(fmt::format("{}: cannot open the result store: {}", path_, std::strerror(errno)));
    // A line cut by a crash stays a line of its own (and is ignored), never the start of the next.
    std::ifstream tail(path_, std::ios::binary | std::ios::ate);
    if (tail && tail.tellg() > 0) {
        tail.seekg(-1, std::ios::end);
        if (tail.get() != '\n' && ::write(fd_, "\n", 1) != 1)
            throw std::runtime_error(fmt::format("{}: cannot append: {}", path_, std::strerror(errno)));
    }
    synced_ = std::chrono::steady_clock::now();
}

ResultStore::~ResultStore() {
    if (fd_ >= 0) {
        ::fdatasync(fd_);
        ::close(fd_);
    }
}

void ResultStore::read_folder(const std::string& dir) {
    const fs::path folder = fs::path(dir) / "store";
    if (!sim::input_path_is_folder(folder)) return;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(folder))
        if (e.path().extension() == ".jsonl") files.push_back(e.path());
    std::sort(files.begin(), files.end());  // the same runs whatever the directory order
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        for (std::string line; std::getline(in, line);)
            if (auto run = from_line(line)) runs_.emplace(std::move(run->first), std::move(run->second));
    }
}

std::string ResultStore::to_line(const std::string& identity, std::uint64_t replication, const RunResult& result) {
    Json j;
    j["id"] = identity;
    j["r"] = replication;
    j["events"] = result.events;
    j["figures"] = figures_to_json(result.figures);
    return j.dump() + "\n";
}

std::optional<std::pair<std::pair<std::string, std::uint64_t>, RunResult>> ResultStore::from_line(const std::string& line) {
    try {
        const Json j = Json::parse(line);
        RunResult r;
        r.events = j.at("events").get<std::uint64_t>();
        r.figures = figures_from_json(j.at("figures"));
        return std::pair{std::pair{j.at("id").get<std::string>(), j.at("r").get<std::uint64_t>()}, std::move(r)};
    } catch (const Json::exception&) {
        return std::nullopt;  // a line cut by a crash: that run is simply run again
    }
}

std::optional<RunResult> ResultStore::load(const std::string& identity, std::uint64_t replication) const {
    const auto it = runs_.find({identity, replication});
    if (it == runs_.end()) return std::nullopt;
    return it->second;
}

void ResultStore::save(const std::string& identity, std::uint64_t replication, const RunResult& result) {
    RunResult figures_only{result.figures, {}, result.events};
    if (fd_ < 0) {
        runs_.insert_or_assign({identity, replication}, std::move(figures_only));
        return;
    }
    const std::string line = to_line(identity, replication, result);
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(fmt::format("{}: cannot append: {}", path_, std::strerror(errno)));
        }
        written += static_cast<std::size_t>(n);
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - synced_ > std::chrono::seconds(1)) {
        ::fdatasync(fd_);
        synced_ = now;
    }
    runs_.insert_or_assign({identity, replication}, std::move(figures_only));
}

}  // namespace tbsim::sim
