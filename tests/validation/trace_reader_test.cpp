// The testbed trace reader (validation/readers): a committed trace read back with its figures, and
// every kind of broken trace refused with FILE:LINE and what is wrong.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>

#include <lzma.h>
#include <zlib.h>

#include "sim/config/config_error.hpp"
#include "validation/readers/compressed_file.hpp"
#include "validation/readers/json_field.hpp"
#include "validation/readers/openstack_capture.hpp"
#include "validation/readers/testbed_trace.hpp"
#include "tests/support/within.hpp"

using tbsim::test::within;

namespace fs = std::filesystem;
using tbsim::validation::read_testbed_trace;

namespace {

const std::string kTraces = std::string(TBSIM_SOURCE_DIR) + "/validation/traces/mysqlrep/";

const char* const kGoodRows =
    "instance,phase,op,peer,rows,t_start_ns,t_end_ns,ok\n"
    "0,sync,connect,0,0,1000,2000,1\n"
    "0,main,local_insert,0,1,3000,4000,1\n"
    "1,sync,connect,1,0,1000,2500,1\n"
    "1,main,local_insert,1,1,3000,4200,1\n";

// A two-instance trace in a fresh folder: the committed n2-d3000-ag10's meta.json and bytes.csv,
// and `rows` as trace.csv.
std::string scratch_trace(const std::string& name, const std::string& rows) {
    const auto dir = fs::temp_directory_path() / ("tbsim-trace-reader-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(kTraces + "n2-d3000-ag10/meta.json", dir / "meta.json");
    fs::copy_file(kTraces + "n2-d3000-ag10/bytes.csv", dir / "bytes.csv");
    std::ofstream(dir / "trace.csv") << rows;
    return dir.string();
}

// The scratch trace `dir` with its meta.json (n2-d3000-ag10's) rewritten: the text `from` as `to`.
void rewrite_meta(const std::string& dir, const std::string& from, const std::string& to) {
    std::ifstream in(kTraces + "n2-d3000-ag10/meta.json");
    std::string meta((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = meta.find(from);
    REQUIRE(at != std::string::npos);
    std::ofstream(fs::path(dir) / "meta.json") << meta.replace(at, from.size(), to);
}

std::string error_of(const std::string& folder) {
    try {
        read_testbed_trace(folder);
    } catch (const tbsim::sim::ConfigError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a committed trace reads back with its conditions, operations and traffic") {
    const auto t = read_testbed_trace(kTraces + "n8-d12000-ag1");
    CHECK(t.instances == 8);
    CHECK(t.rate_per_minute == 12000.0);
    CHECK(t.aggregation == 1);
    CHECK(t.inserts == 2000);
    CHECK(t.cores == 2);
    REQUIRE(t.nodes.size() == 8);
    CHECK(t.nodes[0].master);
    CHECK(t.nodes[3].sent_bytes > 0);
    // validation/traces/mysqlrep/README.md: main loop 22.68 s, K/D 10.00 s, slowdown 2.268.
    CHECK(t.main_loop_s() == within(22.68, 0.001));
    CHECK(t.nominal_main_loop_s() == doctest::Approx(10.0));
    std::size_t local = 0;
    for (const auto& op : t.operations) local += op.op == tbsim::validation::BenchmarkOp::local_insert ? 1u : 0u;
    CHECK(local == 8u * 2000u);  // every instance inserts K rows, one per operation at AG = 1
}

TEST_CASE("the host's CPU outside the containers is its busy time less the containers' cpu_ns over the run") {
    // ladder-n8-ag10-d6000's meta.json: busy 0.47683 of 2 cores over run_s 8.6468 s, the eight
    // containers' cpu_ns 4.4 s in all: 0.9537 - 0.5134 = 0.440 cores (docs/mysqlrep.md).
    CHECK(read_testbed_trace(kTraces + "ladder-n8-ag10-d6000").foreign_cores() == within(0.4403, 0.002));
    // The first day's quietest: n2-d3000-ag10, 0.014 cores.
    CHECK(read_testbed_trace(kTraces + "n2-d3000-ag10").foreign_cores() == within(0.0140, 0.05));
}

TEST_CASE("how late the paced main loop woke is read from the trace: the host's wake-ups during the run") {
    // The application sleeps until the previous local insert's start plus the period; of the
    // inserts whose previous iteration ended 0.5 ms or more before that, the median lateness
    // (counted from trace.csv by a separate script, docs/mysqlrep.md): the first day's
    // n4-d3000-ag1 91.3 us over 7977 inserts, the same configuration at 03:54 on 2026-12-04 140.3 us
    // over 1187.
    CHECK(read_testbed_trace(kTraces + "n4-d3000-ag1").pacing_lateness_s().value() == within(91.27e-6, 0.001));
    CHECK(read_testbed_trace(kTraces + "repeat-n4-d3000-ag1-a").pacing_lateness_s().value() == within(140.27e-6, 0.001));
    // A loop that never waits (N = 4 at 48000/min, slowdown 3.8) gives no gauge.
    CHECK_FALSE(read_testbed_trace(kTraces + "ladder-n4-ag1-d48000").pacing_lateness_s().has_value());
}

TEST_CASE("the testbed's setup time is read from meta.json, and a setup that took no time is refused") {
    // n8-d12000-ag1's meta.json (2026-11-22): setup_s 3.419028488; the N = 8 ladders of 11-30 took 4.4 to 6.0 s.
    CHECK(read_testbed_trace(kTraces + "n8-d12000-ag1").setup_s.value() == doctest::Approx(3.419028488));
    const auto dir = scratch_trace("setup", kGoodRows);
    rewrite_meta(dir, "\"setup_s\": 1.974156225", "\"setup_s\": -1.5");
    CHECK(error_of(dir).find("meta.json: setup_s must be positive") != std::string::npos);
}

TEST_CASE("the servers' start is read from meta.json's setup phases where the launcher wrote them, and a start of no time is refused") {
    // n12-d1200-ag5's meta.json (2026-12-05): setup_phases_s.start 2.082275226; the first days' traces have no phases.
    CHECK(read_testbed_trace(kTraces + "n12-d1200-ag5").servers_start_s.value() == doctest::Approx(2.082275226));
    CHECK_FALSE(read_testbed_trace(kTraces + "n8-d12000-ag1").servers_start_s.has_value());
    const auto dir = scratch_trace("phases", kGoodRows);
    rewrite_meta(dir, "\"setup_s\": 1.974156225",
                 "\"setup_phases_s\": {\"links\": 0.3, \"install\": 1.2, \"start\": 0}, \"setup_s\": 1.974156225");
    CHECK(error_of(dir).find("meta.json: setup_phases_s.start must be positive") != std::string::npos);
}

TEST_CASE("the host probe is read from meta.json where the launcher wrote it, and a probe that took no time is refused") {
    // The first committed traces predate the probe (2026-12-05): none.
    const auto old = read_testbed_trace(kTraces + "n8-d12000-ag1");
    CHECK_FALSE(old.probe_fdatasync_us.has_value());
    CHECK_FALSE(old.probe_wake_round_trip_us.has_value());
    const std::string probe = "\"host_probe_us\": {\"samples\": 200, \"wake_round_trip\": {\"p50\": 7.5, \"p90\": 11.1}, "
                              "\"fdatasync\": {\"p50\": FLUSH, \"p90\": 284.2}}, \"setup_s\": 1.974156225";
    auto with_flush = [&](const std::string& name, const std::string& flush) {
        const auto dir = scratch_trace(name, kGoodRows);
        auto text = probe;
        text.replace(text.find("FLUSH"), 5, flush);
        rewrite_meta(dir, "\"setup_s\": 1.974156225", text);
        return dir;
    };
    const auto t = read_testbed_trace(with_flush("probe", "215.8"));
    CHECK(t.probe_fdatasync_us.value() == 215.8);
    CHECK(t.probe_wake_round_trip_us.value() == 7.5);
    // Its length: 200 samples of each kind, each after a 1 ms sleep (1.06 ms as it comes out):
    // 200 x (2 x 1.06 + 0.0075 + 0.2158) ms = 0.46866 s. The first traces have none.
    CHECK(t.probe_s().value() == doctest::Approx(0.46866));
    CHECK_FALSE(old.probe_s().has_value());
    const std::string expected = "meta.json: host_probe_us.fdatasync.p50: expected a positive number of microseconds";
    CHECK(error_of(with_flush("probe-zero", "0")).find(expected) != std::string::npos);
    CHECK(error_of(with_flush("probe-text", "\"fast\"")).find(expected) != std::string::npos);
    const auto none_taken = scratch_trace("probe-samples", kGoodRows);
    auto text = probe;
    text.replace(text.find("FLUSH"), 5, "215.8");
    text.replace(text.find("\"samples\": 200"), 14, "\"samples\": 0");
    rewrite_meta(none_taken, "\"setup_s\": 1.974156225", text);
    CHECK(error_of(none_taken).find("meta.json: host_probe_us.samples must be positive") != std::string::npos);
}

TEST_CASE("the host's disks over the run are read from meta.json where the launcher wrote them, and a negative count is refused") {
    // The committed traces predate host_load.disk (2026-12-06, night): none, and no foreign writes.
    const auto old = read_testbed_trace(kTraces + "n2-d3000-ag10");
    CHECK_FALSE(old.host_disk.has_value());
    CHECK_FALSE(old.foreign_write_bytes_per_s().has_value());
    const std::string disk = "\"cpu_busy_fraction\": 0.029822259334367173, \"disk\": {\"writes\": 12192, \"write_bytes\": WRITTEN, "
                             "\"flushes\": 2865, \"busy_fraction\": 0.137, \"servers_write_bytes\": 188919808}";
    auto with_written = [&](const std::string& name, const std::string& written) {
        const auto dir = scratch_trace(name, kGoodRows);
        auto text = disk;
        text.replace(text.find("WRITTEN"), 7, written);
        rewrite_meta(dir, "\"cpu_busy_fraction\": 0.029822259334367173", text);
        return dir;
    };
    const auto t = read_testbed_trace(with_written("disk", "199372800"));
    REQUIRE(t.host_disk.has_value());
    CHECK(t.host_disk->busy_fraction == 0.137);
    CHECK(t.host_disk->servers_write_bytes == 188919808);
    // What the servers did not write, over n2-d3000-ag10's run_s of 42.258 s:
    // (199372800 - 188919808) B / 42.257977790 s = 247359 B/s.
    CHECK(t.foreign_write_bytes_per_s().value() == within(247359.0, 1e-5));
    // The servers' own count above the device's (a write still in the page cache) is no foreign write.
    CHECK(read_testbed_trace(with_written("disk-less", "100000000")).foreign_write_bytes_per_s().value() == 0.0);
    CHECK(error_of(with_written("disk-negative", "-1")).find("host_load.disk: busy_fraction, write_bytes and servers_write_bytes "
                                                              "must not be negative") != std::string::npos);
    CHECK(error_of(with_written("disk-text", "\"many\"")).find("write_bytes") != std::string::npos);
}

TEST_CASE("a well-formed scratch trace reads") {
    const auto t = read_testbed_trace(scratch_trace("good", kGoodRows));
    CHECK(t.operations.size() == 4);
    CHECK(t.operations[3].latency_ms() == doctest::Approx(0.0012));
}

TEST_CASE("a trace without a column is refused at line 1, naming the column") {
    const auto e = error_of(scratch_trace("column", "instance,phase,op,peer,rows,t_start_ns,ok\n0,sync,connect,0,0,1000,1\n"));
    CHECK(e.find("trace.csv:1: no column 't_end_ns'") != std::string::npos);
}

TEST_CASE("a cell that is not a number is refused at its line") {
    const auto e = error_of(scratch_trace("number", "instance,phase,op,peer,rows,t_start_ns,t_end_ns,ok\n0,sync,connect,0,0,1000,2000,1\n"
                                                    "0,main,local_insert,0,one,3000,4000,1\n"));
    CHECK(e.find("trace.csv:3: column rows: expected a whole number, got \"one\"") != std::string::npos);
}

TEST_CASE("an operation that ends before it starts is refused at its line") {
    const auto e = error_of(scratch_trace("order", "instance,phase,op,peer,rows,t_start_ns,t_end_ns,ok\n0,sync,connect,0,0,1000,900,1\n"));
    CHECK(e.find("trace.csv:2: ends (900 ns) before it starts (1000 ns)") != std::string::npos);
}

TEST_CASE("an instance's operations out of order are refused at the later line") {
    const auto e = error_of(scratch_trace("sequence", "instance,phase,op,peer,rows,t_start_ns,t_end_ns,ok\n0,sync,connect,0,0,5000,6000,1\n"
                                                      "0,main,local_insert,0,1,3000,4000,1\n"));
    CHECK(e.find("trace.csv:3: instance 0: starts at 3000 ns, before its previous operation") != std::string::npos);
}

TEST_CASE("rows of an instance the metadata does not have are refused") {
    const auto e = error_of(scratch_trace("instance", std::string(kGoodRows) + "2,main,local_insert,2,1,3000,4000,1\n"));
    CHECK(e.find("trace.csv:6: instance 2: meta.json has instances 0..1") != std::string::npos);
}

// The committed trace n2-d3000-ag10's text, and the same text compressed as gzip (zlib) or xz
// (liblzma) in memory.
std::string committed_text() { return tbsim::validation::read_possibly_compressed(kTraces + "n2-d3000-ag10/trace.csv.xz"); }

std::string gzip_of(const std::string& text) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);  // +16: a gzip header
    std::string out(deflateBound(&z, text.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string xz_of(const std::string& text) {
    std::string out(lzma_stream_buffer_bound(text.size()), '\0');
    std::size_t size = 0;
    REQUIRE(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                    reinterpret_cast<std::uint8_t*>(out.data()), &size, out.size()) == LZMA_OK);
    out.resize(size);
    return out;
}

// A scratch copy of n2-d3000-ag10 whose trace.csv is `file` (trace.csv.gz or trace.csv.xz) with `bytes`.
std::string scratch_compressed(const std::string& name, const std::string& file, const std::string& bytes) {
    const auto dir = scratch_trace(name, "");
    fs::remove(fs::path(dir) / "trace.csv");
    std::ofstream(fs::path(dir) / file, std::ios::binary) << bytes;
    return dir;
}

TEST_CASE("a trace reads the same from trace.csv, trace.csv.gz and trace.csv.xz") {
    const std::string text = committed_text();
    REQUIRE(text.size() > 100000);
    const auto plain = read_testbed_trace(scratch_trace("plain", text));
    const auto gz = read_testbed_trace(scratch_compressed("gz", "trace.csv.gz", gzip_of(text)));
    const auto xz = read_testbed_trace(scratch_compressed("xz", "trace.csv.xz", xz_of(text)));
    REQUIRE(plain.operations.size() > 1000);
    for (const auto* other : {&gz, &xz}) {
        REQUIRE(other->operations.size() == plain.operations.size());
        CHECK(other->operations.back().end_ns == plain.operations.back().end_ns);
        CHECK(other->operations[plain.operations.size() / 2].start_ns == plain.operations[plain.operations.size() / 2].start_ns);
    }
}

TEST_CASE("a truncated gzip or xz file is refused at the line where its text stops, not read as a shorter trace") {
    const std::string text = committed_text();
    for (const auto& [file, bytes] : {std::pair{std::string("trace.csv.gz"), gzip_of(text)}, std::pair{std::string("trace.csv.xz"), xz_of(text)}}) {
        CAPTURE(file);
        REQUIRE(bytes.size() > 1000);
        const auto e = error_of(scratch_compressed("cut", file, bytes.substr(0, bytes.size() / 2)));
        CHECK(e.find(file + ":") != std::string::npos);
        CHECK(e.find(file.ends_with(".gz") ? "damaged or truncated gzip data" : "damaged or truncated xz data (unexpected end of the stream)") !=
              std::string::npos);
        // About half the text was readable: the line named is past the first quarter, before the end.
        const auto line = std::stol(e.substr(e.find(file + ":") + file.size() + 1));
        const auto lines = std::count(text.begin(), text.end(), '\n');
        CHECK(line > lines / 4);
        CHECK(line < lines);
    }
}

TEST_CASE("traces read on several threads come in the order given, and of two broken ones the first is named") {
    const auto good = scratch_trace("order-good", kGoodRows);
    const auto first = scratch_trace("order-first", "instance,phase,op\n");
    const auto second = scratch_trace("order-second", "nothing\n");
    const auto traces = tbsim::validation::read_testbed_traces({kTraces + "n2-d3000-ag10", good}, 2);
    REQUIRE(traces.size() == 2);
    CHECK(traces[0].name == "n2-d3000-ag10");
    CHECK(traces[1].name == "tbsim-trace-reader-order-good");
    for (int run = 0; run < 5; ++run) {
        std::string e = "no error";
        try {
            tbsim::validation::read_testbed_traces({good, first, second, good}, 3);
        } catch (const tbsim::sim::ConfigError& error) {
            e = error.what();
        }
        CHECK(e.find("order-first/trace.csv:1") != std::string::npos);
    }
}

TEST_CASE("a trace without trace.csv in any of its three forms is refused, naming them") {
    const auto dir = scratch_trace("no-operations-file", kGoodRows);
    fs::remove(fs::path(dir) / "trace.csv");
    CHECK(error_of(dir).find("trace.csv: no such file (nor trace.csv.xz, trace.csv.gz)") != std::string::npos);
}

TEST_CASE("a file named .xz that is not xz is refused, naming the file") {
    const auto e = error_of(scratch_compressed("not-xz", "trace.csv.xz", std::string(kGoodRows)));
    CHECK(e.find("trace.csv.xz:1: damaged or truncated xz data (not in the xz format)") != std::string::npos);
}

TEST_CASE("a file whose text is longer than the reader's limit is refused as it decompresses, not read into memory whole") {
    // The committed trace's text is 218 kB; under a limit of 100 kB each form is refused,
    // the compressed ones before their stream ends (a gzip of zeros grows a thousandfold).
    const std::string text = committed_text();
    REQUIRE(text.size() > 200000);
    const std::uint64_t limit = 100000;
    for (const auto& [file, bytes] : {std::pair{std::string("trace.csv"), text}, std::pair{std::string("trace.csv.gz"), gzip_of(text)},
                                      std::pair{std::string("trace.csv.xz"), xz_of(text)}}) {
        CAPTURE(file);
        const auto dir = scratch_compressed("too-long", file, bytes);
        std::string e = "no error";
        try {
            tbsim::validation::read_possibly_compressed(dir + "/" + file, limit);
        } catch (const tbsim::sim::ConfigError& error) {
            e = error.what();
        }
        CHECK(e.find(file + ": holds more than 100000 bytes of text") != std::string::npos);
        // The default limit (2 GiB) reads it whole.
        CHECK(tbsim::validation::read_possibly_compressed(dir + "/" + file) == text);
    }
}

TEST_CASE("a meta.json without a key the replay needs is refused, naming the key") {
    const auto dir = scratch_trace("meta", kGoodRows);
    rewrite_meta(dir, "\"aggregation\"", "\"aggregatoin\"");
    CHECK(error_of(dir).find("meta.json: missing key 'aggregation'") != std::string::npos);
}

TEST_CASE("a meta.json with a number too large for a double is refused, not a crash (found by fuzz_testbed_trace)") {
    const auto dir = scratch_trace("huge-number", kGoodRows);
    rewrite_meta(dir, "3000.0", "99.99999999999999999979999999E99999999999");
    CHECK(error_of(dir).find("meta.json: not valid JSON") != std::string::npos);
}

TEST_CASE("a count in meta.json that is not a whole number of its type is refused, not cast (found by fuzz_testbed_trace)") {
    const auto dir = scratch_trace("huge-count", kGoodRows);
    auto with_period = [&](const std::string& value) {
        rewrite_meta(dir, "\"cpu_period_us\": 100000", "\"cpu_period_us\": " + value);
        return error_of(dir);
    };
    CHECK(with_period("1.01111e+38").find("meta.json: key 'cpu_period_us': expected a whole number, got 1.01111e+38") != std::string::npos);
    CHECK(with_period("2.5").find("key 'cpu_period_us': expected a whole number") != std::string::npos);
    CHECK(with_period("18446744073709551615").find("key 'cpu_period_us': 18446744073709551615 is too large") != std::string::npos);
    CHECK(with_period("100000.0") == "no error");  // a whole number written with a point is one
}

namespace {

// The error reading idle-c1-i0's capture with its meta.json changed by `edit` (a copy in a
// scratch folder "tbsim-trace-reader-capture-NAME"), or "no error".
template <class Edit>
std::string capture_error_with_meta(const std::string& name, Edit edit) {
    const auto from = std::string(TBSIM_SOURCE_DIR) + "/validation/traces/openstack-zed/idle-c1-i0/";
    const auto dir = fs::temp_directory_path() / ("tbsim-trace-reader-capture-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy_file(from + "series.csv.gz", dir / "series.csv.gz");
    std::ifstream in(from + "meta.json");
    std::string meta((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    edit(meta);
    std::ofstream(dir / "meta.json") << meta;
    try {
        tbsim::validation::read_openstack_capture(dir.string());
    } catch (const tbsim::sim::ConfigError& x) {
        return x.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("a capture whose meta.json has a number too large for a double is refused (found by fuzz_openstack_capture)") {
    const auto e = capture_error_with_meta("huge", [](std::string& meta) {
        meta.replace(meta.find("\"duration_s\": 600"), 17, "\"duration_s\": 4e99999999");
    });
    CHECK(e.find("meta.json: not valid JSON") != std::string::npos);
}

TEST_CASE("both readers' meta.json: text that is not JSON is refused at its line, counts only within their type") {
    // The capture reader shares the testbed's (validation/readers/json_field.hpp): a syntax error
    // names the line, as trace.csv's errors do.
    long line = 0;
    const auto e = capture_error_with_meta("syntax", [&](std::string& meta) {
        meta.replace(meta.find("\"computes\": 1,"), 14, "\"computes\": 1,,");
        line = 1 + std::count(meta.begin(), meta.begin() + static_cast<std::ptrdiff_t>(meta.find(",,")), '\n');
    });
    CHECK(e == (fs::temp_directory_path() / "tbsim-trace-reader-capture-syntax" / "meta.json").string() + ":" + std::to_string(line) +
                   ": not valid JSON");

    // An unsigned count: its whole range, nothing negative, nothing beyond.
    auto read_u32 = [](const std::string& text) {
        try {
            return std::to_string(tbsim::validation::json_field<std::uint32_t>(nlohmann::json::parse(text), "n", "m.json"));
        } catch (const tbsim::sim::ConfigError& x) {
            return std::string(x.what());
        }
    };
    CHECK(read_u32(R"({"n": 4294967295.0})") == "4294967295");
    CHECK(read_u32(R"({"n": 4294967296.0})") == "m.json: key 'n': expected a whole number, got 4294967296.0");
    CHECK(read_u32(R"({"n": 4294967296})") == "m.json: key 'n': 4294967296 is too large");
    CHECK(read_u32(R"({"n": -1})") == "m.json: key 'n': -1 is negative");
}
