#include "tests/support/openstack_captures.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

OpenStackCapture read_openstack_capture(const std::string& name) {
    const std::string folder = std::string(TBSIM_SOURCE_DIR) + "/validation/traces/openstack-zed/" + name;
    OpenStackCapture c;
    std::ifstream meta_file(folder + "/meta.json");
    REQUIRE_MESSAGE(meta_file.good(), "no capture " << name);
    const auto meta = nlohmann::json::parse(meta_file);
    c.computes = meta["computes"].get<std::int64_t>();
    c.instances = meta["instances"].get<std::int64_t>();
    c.duration_s = meta["duration_s"].get<double>();

    // series.csv.gz: second,compute,protocol,direction,bytes
    const std::string command = "gzip -dc '" + folder + "/series.csv.gz'";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    REQUIRE(pipe != nullptr);
    std::string text;
    char buffer[65536];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe.get())) > 0;) text.append(buffer, n);
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    REQUIRE(line == "second,compute,protocol,direction,bytes");
    std::map<std::string, double> bytes;
    std::map<long, double> bytes_by_second;
    double wan_bytes = 0;
    while (std::getline(lines, line)) {
        std::vector<std::string> cells;
        std::istringstream fields(line);
        for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
        if (cells.size() != 5) FAIL("series.csv of " << name << ": a row without 5 cells: " << line);
        if (cells[1] == "internal") continue;  // the controller's loopback, not the WAN
        const double b = std::stod(cells[4]);
        bytes[cells[2]] += b;
        bytes_by_second[std::stol(cells[0])] += b;
        wan_bytes += b;
    }
    REQUIRE(wan_bytes > 0);
    c.wan_kbps = wan_bytes * 8 / c.duration_s / 1000;
    for (const auto& [protocol, b] : bytes) c.kbps_by_protocol[protocol] = b * 8 / c.duration_s / 1000;
    for (const auto& [second, b] : bytes_by_second) c.busiest_second_kbps = std::max(c.busiest_second_kbps, b * 8 / 1000);
    return c;
}
