// tbsim-testbed-app: one instance of Study A's MySQL replication benchmark (../shared/mission/BRIEF.md),
// the real application that the mysqlrep model simulates. It runs inside its instance's container,
// beside that instance's MariaDB server, and writes one trace record per database operation:
//   1. sync: connect to its own database (Unix socket) and to every peer (TCP), insert its number into
//      the master's (instance 0's) sync table, list that table every poll period until it has N rows;
//   2. main: at rate D, insert a (random 0-100 integer, random string) tuple into the local table; after
//      every AG local inserts, insert those AG tuples as one statement into each peer in turn. An
//      insert starts one period after the previous one started, or when the previous work ends if
//      that is later: an application that falls behind stays behind (as the model does);
//   3. desync: take its row out of the master's sync table, list the table until it is empty. The row
//      is marked done rather than deleted: with a deletion, an instance that finishes its main loop
//      before a slower one has listed N rows would leave that one waiting forever (seen here with
//      short runs); sync lists every row, desync the rows not yet done;
//   4. verify: once every instance is past its main loop, count the local rows by origin.
#include "validation/testbed/app/database_connection.hpp"
#include "validation/testbed/operation_trace.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <thread>

namespace tbsim::testbed {
namespace {

struct AppOptions {
    int instance = 0;
    std::vector<std::string> addresses;  // every instance's IPv4 address, in instance order
    std::string socket;                  // this instance's own server
    double rate_per_minute = 600;        // D
    int aggregation = 10;                // AG
    long long inserts = 1000;            // local inserts of the main loop
    bool remote_inserts = true;          // false: Study A's baseline, no batches to the peers
    int poll_ms = 1000;                  // period of listing the sync table
    std::int64_t epoch_ns = 0;           // the launcher's CLOCK_MONOTONIC origin of the run
    int timeout_s = 600;                 // give up waiting (connections, polls) after this long
    std::uint64_t seed = 1;
    std::string trace_path;
    Credentials credentials{"bench", "bench", "bench"};
};

void sleep_until_ns(std::int64_t at) {
    timespec ts{static_cast<time_t>(at / 1'000'000'000), static_cast<long>(at % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
    }
}

struct Tuple {
    int value;
    std::string text;
};

class BenchmarkInstance {
public:
    explicit BenchmarkInstance(AppOptions options)
        : o_(std::move(options)), n_(static_cast<int>(o_.addresses.size())),
          rng_(o_.seed * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(o_.instance)),
          deadline_ns_(trace_clock_ns() + std::int64_t{o_.timeout_s} * 1'000'000'000) {}

    /// Runs the four phases; returns false when some operation failed (the trace says which).
    bool run() {
        if (!synchronize()) return false;
        main_loop();
        desynchronize();
        verify();
        return failures_ == 0;
    }

    void write_trace() const {
        const std::string tmp = o_.trace_path + ".tmp";
        {
            std::ofstream out(tmp, std::ios::binary);
            for (const auto& r : records_) out << format_trace_line(r);
            if (!out) throw std::runtime_error("cannot write " + tmp);
        }
        if (std::rename(tmp.c_str(), o_.trace_path.c_str()) != 0)
            throw std::runtime_error("cannot rename " + tmp + " to " + o_.trace_path);
    }

private:
    // Times one operation and records it; `act` returns the rows it affected or nothing on failure.
    template <typename Act>
    bool timed(std::string_view phase, std::string_view op, int peer, Act&& act) {
        OperationRecord r{o_.instance, phase, op, peer, 0, trace_clock_ns() - o_.epoch_ns, 0, true};
        const std::optional<long long> rows = act();
        r.t_end_ns = trace_clock_ns() - o_.epoch_ns;
        r.ok = rows.has_value();
        r.rows = rows.value_or(0);
        records_.push_back(r);
        if (!r.ok) ++failures_;
        return r.ok;
    }

    void complain(std::string_view what, int peer, const DatabaseConnection& c) const {
        fmt::print(stderr, "instance {}: {} with instance {} failed: {}\n", o_.instance, what, peer, c.error());
    }

    bool past_deadline() const { return trace_clock_ns() > deadline_ns_; }

    bool connect_to(int peer) {
        ServerAddress address;
        if (peer == o_.instance)
            address.socket = o_.socket;
        else
            address.host = o_.addresses[static_cast<std::size_t>(peer)];
        auto& c = connections_[static_cast<std::size_t>(peer)];
        // A peer's server may still be starting: retry, recording only the attempt that succeeds
        // (its duration is the connection set-up that Study A's VMs spent minutes on).
        while (true) {
            if (timed("sync", "connect", peer, [&]() -> std::optional<long long> {
                    if (c.open(address, o_.credentials, std::chrono::seconds(30))) return 0;
                    return std::nullopt;
                }))
                return true;
            if (past_deadline()) {
                complain("connect", peer, c);
                return false;
            }
            records_.pop_back();
            --failures_;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

    DatabaseConnection& master() { return connections_[0]; }

    // Lists the master's sync table until `done(rows)`; every listing is a record.
    void poll_sync_table(std::string_view phase, std::string_view op, const std::string& query, auto done) {
        while (!past_deadline()) {
            long long seen = -1;
            timed(phase, op, 0, [&]() -> std::optional<long long> {
                auto rows = master().count_rows(query);
                if (rows) seen = *rows;
                return rows;
            });
            if (seen >= 0 && done(seen)) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(o_.poll_ms));
        }
        fmt::print(stderr, "instance {}: gave up polling the sync table after {} s\n", o_.instance, o_.timeout_s);
        ++failures_;
    }

    bool synchronize() {
        connections_.resize(static_cast<std::size_t>(n_));
        if (!connect_to(o_.instance)) return false;
        for (int peer = 0; peer < n_; ++peer)
            if (peer != o_.instance && !connect_to(peer)) return false;
        const bool inserted = timed("sync", "sync_insert", 0, [&]() -> std::optional<long long> {
            if (master().execute(fmt::format("INSERT INTO sync (instance) VALUES ({})", o_.instance))) return 1;
            return std::nullopt;
        });
        if (!inserted) {
            complain("sync insert", 0, master());
            return false;
        }
        poll_sync_table("sync", "sync_poll", "SELECT instance FROM sync", [&](long long rows) { return rows >= n_; });
        return true;
    }

    Tuple draw_tuple() {
        static constexpr std::string_view kLetters = "abcdefghijklmnopqrstuvwxyz";
        Tuple t{static_cast<int>(rng_() % 101), std::string(kTextLength, 'a')};
        for (auto& ch : t.text) ch = kLetters[rng_() % kLetters.size()];
        return t;
    }

    // "(origin, seq, value, 'text')" rows for an INSERT.
    void append_row(fmt::memory_buffer& sql, long long seq, const Tuple& t) const {
        fmt::format_to(std::back_inserter(sql), "({},{},{},'{}')", o_.instance, seq, t.value, t.text);
    }

    void main_loop() {
        const auto period_ns = static_cast<std::int64_t>(60e9 / o_.rate_per_minute);
        std::vector<std::pair<long long, Tuple>> pending;
        pending.reserve(static_cast<std::size_t>(o_.aggregation));
        auto& local = connections_[static_cast<std::size_t>(o_.instance)];
        std::int64_t next = trace_clock_ns();
        for (long long k = 0; k < o_.inserts; ++k) {
            sleep_until_ns(next);
            const std::int64_t start = trace_clock_ns();
            Tuple tuple = draw_tuple();
            fmt::memory_buffer sql;
            fmt::format_to(std::back_inserter(sql), "INSERT INTO data (origin, seq, value, text) VALUES ");
            append_row(sql, k, tuple);
            if (!timed("main", "local_insert", o_.instance, [&]() -> std::optional<long long> {
                    if (local.execute(fmt::to_string(sql))) return 1;
                    return std::nullopt;
                }))
                complain("local insert", o_.instance, local);
            pending.emplace_back(k, std::move(tuple));
            if (static_cast<int>(pending.size()) == o_.aggregation) {
                if (o_.remote_inserts) send_batch(pending);
                pending.clear();
            }
            next = std::max(start + period_ns, trace_clock_ns());
        }
    }

    void send_batch(const std::vector<std::pair<long long, Tuple>>& batch) {
        fmt::memory_buffer sql;
        fmt::format_to(std::back_inserter(sql), "INSERT INTO data (origin, seq, value, text) VALUES ");
        for (std::size_t r = 0; r < batch.size(); ++r) {
            if (r) sql.push_back(',');
            append_row(sql, batch[r].first, batch[r].second);
        }
        const std::string statement = fmt::to_string(sql);
        for (int peer = 0; peer < n_; ++peer) {
            if (peer == o_.instance) continue;
            auto& c = connections_[static_cast<std::size_t>(peer)];
            if (!timed("main", "batch_send", peer, [&]() -> std::optional<long long> {
                    if (c.execute(statement)) return static_cast<long long>(batch.size());
                    return std::nullopt;
                }))
                complain("batch insert", peer, c);
        }
    }

    void desynchronize() {
        if (!timed("desync", "desync_leave", 0, [&]() -> std::optional<long long> {
                if (master().execute(fmt::format("UPDATE sync SET done = 1 WHERE instance = {}", o_.instance))) return 1;
                return std::nullopt;
            }))
            complain("desync", 0, master());
        poll_sync_table("desync", "desync_poll", "SELECT instance FROM sync WHERE done = 0",
                        [](long long rows) { return rows == 0; });
    }

    // Every instance has left its main loop once no sync row is left undone: the local table is final.
    void verify() {
        auto& local = connections_[static_cast<std::size_t>(o_.instance)];
        const std::int64_t start = trace_clock_ns() - o_.epoch_ns;
        std::vector<std::pair<long long, long long>> counts;
        const bool ok = local.for_each_pair("SELECT origin, COUNT(*) FROM data GROUP BY origin ORDER BY origin",
                                            [&](long long origin, long long count) { counts.emplace_back(origin, count); });
        const std::int64_t end = trace_clock_ns() - o_.epoch_ns;
        if (!ok) {
            complain("row count", o_.instance, local);
            records_.push_back({o_.instance, "verify", "count_rows", o_.instance, 0, start, end, false});
            ++failures_;
            return;
        }
        for (const auto& [origin, count] : counts)
            records_.push_back({o_.instance, "verify", "count_rows", static_cast<int>(origin), count, start, end, true});
    }

    static constexpr std::size_t kTextLength = 16;

    AppOptions o_;
    int n_;
    std::mt19937_64 rng_;
    std::int64_t deadline_ns_;
    std::vector<DatabaseConnection> connections_;
    std::vector<OperationRecord> records_;
    int failures_ = 0;
};

}  // namespace
}  // namespace tbsim::testbed

int main(int argc, char** argv) {
    using namespace tbsim::testbed;
    AppOptions o;
    CLI::App app{"One instance of the MySQL replication benchmark (Study A); started by tbsim-testbed run."};
    app.add_option("--instance", o.instance, "this instance's number; 0 is the master")->required();
    app.add_option("--addresses", o.addresses, "every instance's IPv4 address, in instance order")
        ->required()->delimiter(',');
    app.add_option("--socket", o.socket, "Unix socket of this instance's own server")->required();
    app.add_option("--rate", o.rate_per_minute, "D: local inserts per minute")->required()->check(CLI::PositiveNumber);
    app.add_option("--ag", o.aggregation, "AG: local inserts per batch sent to every peer")
        ->required()->check(CLI::PositiveNumber);
    app.add_option("--inserts", o.inserts, "local inserts of the main loop")->required()->check(CLI::PositiveNumber);
    app.add_flag("!--no-remote-inserts", o.remote_inserts, "the baseline: no batches to the peers");
    app.add_option("--poll-ms", o.poll_ms, "period of listing the sync table, ms")->check(CLI::PositiveNumber);
    app.add_option("--epoch-ns", o.epoch_ns, "CLOCK_MONOTONIC origin of the trace's times, ns");
    app.add_option("--timeout", o.timeout_s, "give up waiting after this many seconds")->check(CLI::PositiveNumber);
    app.add_option("--seed", o.seed, "seed of the random tuples");
    app.add_option("--trace", o.trace_path, "where to write this instance's trace (CSV without header)")->required();
    CLI11_PARSE(app, argc, argv);
    if (o.instance < 0 || o.instance >= static_cast<int>(o.addresses.size())) {
        fmt::print(stderr, "--instance {} is not one of the {} addresses\n", o.instance, o.addresses.size());
        return 2;
    }
    try {
        BenchmarkInstance bench(std::move(o));
        const bool ok = bench.run();
        bench.write_trace();
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "tbsim-testbed-app: {}\n", e.what());
        return 1;
    }
}
