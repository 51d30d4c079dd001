#include "validation/testbed/launcher/testbed_run.hpp"

#include "validation/testbed/launcher/child_process.hpp"
#include "validation/testbed/launcher/container_cgroup.hpp"
#include "validation/testbed/launcher/flow_capture.hpp"
#include "validation/testbed/launcher/host_load.hpp"
#include "validation/testbed/launcher/host_probe.hpp"
#include "validation/testbed/launcher/interrupt_flag.hpp"
#include "validation/testbed/launcher/log_files.hpp"
#include "validation/testbed/launcher/mariadb_server.hpp"
#include "validation/testbed/launcher/packet_delay.hpp"
#include "validation/testbed/launcher/teardown_ledger.hpp"
#include "validation/testbed/launcher/testbed_error.hpp"
#include "validation/testbed/launcher/testbed_network.hpp"
#include "validation/testbed/operation_trace.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

namespace tbsim::testbed {
namespace fs = std::filesystem;
namespace {

constexpr auto kServerReadyTimeout = std::chrono::seconds(60);
constexpr auto kInstallTimeout = std::chrono::seconds(120);
constexpr auto kStopGrace = std::chrono::seconds(20);

/// Seconds from `from` to `to`.
double seconds_between(Clock::time_point from, Clock::time_point to) { return std::chrono::duration<double>(to - from).count(); }

std::string own_folder() { return fs::read_symlink("/proc/self/exe").parent_path().string(); }

std::string application_path() { return own_folder() + "/tbsim-testbed-app"; }

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", tm);
}

std::string kernel_release() {
    utsname u{};
    uname(&u);
    return u.release;
}

// Everything one instance is made of.
struct Instance {
    int number = 0;
    std::string folder;
    NodeLink link;
    std::unique_ptr<ContainerCgroup> cgroup;
    std::unique_ptr<MariadbServer> server;
    pid_t application = -1;
    LinkCounters counters_before, counters_after;
    CgroupCpu cpu_before, cpu_after;
    std::uint64_t server_writes_before = 0, server_writes_after = 0;  // bytes its mariadbd wrote to storage
};

class TestbedRun {
public:
    explicit TestbedRun(const RunRequest& request) : r_(request) {}

    void run() {
        const auto started = Clock::now();
        build();
        const double setup_s = seconds_between(started, Clock::now());
        probe_ = probe_host(work_);
        say("testbed up in {:.1f} s (host probe: wake round trip {:.0f} us, fdatasync {:.0f} us, medians); running the benchmark "
            "(timeout {} s)",
            setup_s, probe_.wake_round_trip.p50_us, probe_.fdatasync.p50_us, r_.timeout_s);
        run_applications();
        collect_and_write(setup_s);
    }

private:
    template <typename... Args>
    void say(fmt::format_string<Args...> format, Args&&... args) const {
        if (!r_.quiet) fmt::print(stderr, "tbsim-testbed: {}\n", fmt::format(format, std::forward<Args>(args)...));
    }

    std::string name(std::string_view what, int k) const { return fmt::format("{}{}{}", ledger_.run_id(), what, k); }

    void build() {
        const auto build_started = Clock::now();
        work_ = fmt::format("/tmp/tbsim-testbed-{}", ledger_.run_id());
        fs::create_directories(work_);
        ledger_.made_directory(work_);
        bridge_ = ledger_.run_id() + "br";
        create_bridge(bridge_, ledger_);
        instances_.resize(static_cast<std::size_t>(r_.instances));
        for (int k = 0; k < r_.instances; ++k) {
            throw_if_interrupted();
            auto& in = instances_[static_cast<std::size_t>(k)];
            in.number = k;
            in.folder = fmt::format("{}/node{}", work_, k);
            fs::create_directories(in.folder);
            in.link = create_node_link(name("-n", k), name("h", k), bridge_, fmt::format("10.200.0.{}", k + 1), ledger_);
            if (r_.bandwidth_bps) limit_bandwidth(in.link, *r_.bandwidth_bps);
            in.cgroup = std::make_unique<ContainerCgroup>(name("-c", k), r_.cpu_quota, ledger_);
            in.server = std::make_unique<MariadbServer>(
                ServerLayout{in.folder, in.link.namespace_name, fmt::format("node{}", k), in.link.address});
        }
        if (r_.delay_s) {
            for (auto& in : instances_)
                start_packet_delay(in.link.namespace_name, *r_.delay_s, in.folder + "/delay.log", ledger_);
        }
        const auto installing = Clock::now();
        setup_phases_.links_s = seconds_between(build_started, installing);
        say("initializing {} MariaDB data directories", r_.instances);
        std::vector<pid_t> installers;
        for (auto& in : instances_) {
            installers.push_back(in.server->begin_initialize());
            ledger_.made_process(installers.back());
        }
        const auto install_deadline = Clock::now() + kInstallTimeout;
        for (std::size_t k = 0; k < instances_.size(); ++k) {
            const auto status = wait_for_exit(installers[k], install_deadline);
            throw_if_interrupted();
            if (!status) throw RunError("mariadb-install-db did not finish in time");
            ledger_.process_ended(installers[k]);
            instances_[k].server->finish_initialize(*status);
        }
        const auto starting = Clock::now();
        setup_phases_.install_s = seconds_between(installing, starting);
        for (auto& in : instances_) in.server->start(in.cgroup->procs_files(), ledger_);
        const auto ready_deadline = Clock::now() + kServerReadyTimeout;
        for (auto& in : instances_) in.server->wait_ready(ready_deadline);
        setup_phases_.start_s = seconds_between(starting, Clock::now());
    }

    void run_applications() {
        std::vector<std::string> addresses;
        for (const auto& in : instances_) addresses.push_back(in.link.address);
        std::string address_list;
        for (const auto& a : addresses) address_list += (address_list.empty() ? "" : ",") + a;
        if (r_.capture_flows) capture_ = std::make_unique<FlowCapture>(bridge_, work_ + "/bridge.pcapng", ledger_);
        load_before_ = load_averages();
        cpu_before_ = host_cpu_times();
        disk_before_ = host_disk_counters();
        for (auto& in : instances_) {
            in.counters_before = read_counters(in.link.host_side);
            in.cpu_before = in.cgroup->read_cpu();
            in.server_writes_before = process_write_bytes(in.server->server_pid());
        }
        epoch_ns_ = trace_clock_ns();
        const auto app_timeout = static_cast<int>(r_.timeout_s) + 1;
        for (auto& in : instances_) {
            std::vector<std::string> argv{"nsenter", "--target", std::to_string(in.server->server_pid()),
                                          "--net", "--pid", "--uts", "--ipc", "--mount", "--",
                                          application_path(),
                                          "--instance", std::to_string(in.number),
                                          "--addresses", address_list,
                                          "--socket", in.server->socket_path(),
                                          "--rate", fmt::format("{}", r_.rate_per_minute),
                                          "--ag", std::to_string(r_.aggregation),
                                          "--inserts", std::to_string(r_.inserts),
                                          "--poll-ms", std::to_string(r_.poll_ms),
                                          "--epoch-ns", std::to_string(epoch_ns_),
                                          "--timeout", std::to_string(app_timeout),
                                          "--seed", std::to_string(r_.seed),
                                          "--trace", in.folder + "/trace.csv"};
            if (!r_.remote_inserts) argv.emplace_back("--no-remote-inserts");
            in.application = spawn_process(argv, {in.cgroup->procs_files(), in.folder + "/application.log"});
            ledger_.made_process(in.application);
        }
        const auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(r_.timeout_s * 1000));
        for (auto& in : instances_) {
            const auto status = wait_for_exit(in.application, deadline);
            throw_if_interrupted();
            if (!status)
                throw RunError(fmt::format("the applications did not finish within the timeout ({} s); "
                                           "raise --timeout or lower --inserts",
                                           r_.timeout_s));
            ledger_.process_ended(in.application);
            if (*status != 0)
                throw RunError(fmt::format("the application of node{} failed (exit {}):\n{}", in.number, *status,
                                           tail_of_file(in.folder + "/application.log")));
        }
        run_seconds_ = static_cast<double>(trace_clock_ns() - epoch_ns_) * 1e-9;
        cpu_after_ = host_cpu_times();
        disk_after_ = host_disk_counters();
        load_after_ = load_averages();
        for (auto& in : instances_) {
            in.counters_after = read_counters(in.link.host_side);
            in.cpu_after = in.cgroup->read_cpu();
            in.server_writes_after = process_write_bytes(in.server->server_pid());
        }
        if (capture_) capture_->stop();
        say("benchmark done in {:.1f} s", run_seconds_);
    }

    std::string merged_trace() const {
        std::string csv(kTraceHeader);
        csv += '\n';
        for (const auto& in : instances_) csv += read_text_file(in.folder + "/trace.csv");
        return csv;
    }

    std::string bytes_table() const {
        std::string csv = "instance,address,direction,bytes,packets\n";
        for (const auto& in : instances_) {
            const auto& a = in.counters_after;
            const auto& b = in.counters_before;
            csv += fmt::format("{},{},sent,{},{}\n", in.number, in.link.address, a.rx_bytes - b.rx_bytes,
                               a.rx_packets - b.rx_packets);
            csv += fmt::format("{},{},received,{},{}\n", in.number, in.link.address, a.tx_bytes - b.tx_bytes,
                               a.tx_packets - b.tx_packets);
        }
        return csv;
    }

    // The host's disks over the run (meta.json host_load.disk): what every process wrote, and what
    // the servers wrote themselves; the rest is the kernel's journal and foreign processes.
    nlohmann::ordered_json disk_load() const {
        std::uint64_t servers = 0;
        for (const auto& in : instances_) servers += in.server_writes_after - in.server_writes_before;
        const double run_ms = run_seconds_ * 1e3;
        return {{"writes", disk_after_.writes - disk_before_.writes},
                {"write_bytes", (disk_after_.write_sectors - disk_before_.write_sectors) * 512},
                {"flushes", disk_after_.flushes - disk_before_.flushes},
                {"busy_fraction", run_ms > 0 ? static_cast<double>(disk_after_.busy_ms - disk_before_.busy_ms) / run_ms : 0.0},
                {"servers_write_bytes", servers}};
    }

    nlohmann::ordered_json meta(double setup_s) const {
        using nlohmann::ordered_json;
        ordered_json nodes = ordered_json::array();
        for (const auto& in : instances_)
            nodes.push_back({{"instance", in.number},
                             {"hostname", fmt::format("node{}", in.number)},
                             {"address", in.link.address},
                             {"master", in.number == 0},
                             {"cpu_ns", in.cpu_after.usage_ns - in.cpu_before.usage_ns},
                             {"throttled_ns", in.cpu_after.throttled_ns - in.cpu_before.throttled_ns},
                             {"throttled_periods", in.cpu_after.throttled_periods - in.cpu_before.throttled_periods}});
        auto optional_number = [](const std::optional<double>& v) { return v ? ordered_json(*v) : ordered_json(); };
        return {
            {"format", "tbsim-testbed trace 1"},
            {"environment", "netns-container"},
            {"benchmark", "MySQL replication benchmark (Study A)"},
            {"instances", r_.instances},
            {"rate_per_minute", r_.rate_per_minute},
            {"aggregation", r_.aggregation},
            {"inserts", r_.inserts},
            {"remote_inserts", r_.remote_inserts},
            {"poll_period_ms", r_.poll_ms},
            {"seed", r_.seed},
            {"limits",
             {{"cpu_quota_cores", optional_number(r_.cpu_quota)},
              {"cpu_period_us", 100000},
              {"bandwidth", r_.bandwidth_text.empty() ? ordered_json() : ordered_json(r_.bandwidth_text)},
              {"bandwidth_bps", optional_number(r_.bandwidth_bps)},
              {"delay", r_.delay_text.empty() ? ordered_json() : ordered_json(r_.delay_text)}}},
            {"nodes", nodes},
            {"mariadb", MariadbServer::installed_version()},
            {"kernel", kernel_release()},
            {"cores", sysconf(_SC_NPROCESSORS_ONLN)},
            {"host_load",
             {{"loadavg_before", load_before_},
              {"loadavg_after", load_after_},
              {"cpu_busy_fraction", busy_fraction(cpu_before_, cpu_after_)},
              {"disk", disk_load()}}},
            {"setup_s", setup_s},
            {"setup_phases_s",
             {{"links", setup_phases_.links_s}, {"install", setup_phases_.install_s}, {"start", setup_phases_.start_s}}},
            {"host_probe_us",
             {{"samples", probe_.samples},
              {"wake_round_trip", {{"p50", probe_.wake_round_trip.p50_us}, {"p90", probe_.wake_round_trip.p90_us}}},
              {"fdatasync", {{"p50", probe_.fdatasync.p50_us}, {"p90", probe_.fdatasync.p90_us}}}}},
            {"run_s", run_seconds_},
            {"date", utc_now()},
            {"files",
             {{"trace.csv", "one row per database operation; times in ns since the start of the applications"},
              {"bytes.csv", "bytes and packets per node and direction, from the host-side veth counters"},
              {"flows.csv", r_.capture_flows ? "bytes and frames per node pair, from tshark on the bridge" : "absent"}}}};
    }

    void collect_and_write(double setup_s) {
        const std::string tmp = r_.out_dir + ".tmp";
        fs::remove_all(tmp);
        fs::create_directories(tmp);
        auto write = [&](const std::string& file, const std::string& content) {
            std::ofstream out(tmp + "/" + file, std::ios::binary);
            out << content;
            if (!out) throw RunError("cannot write " + tmp + "/" + file);
        };
        write("trace.csv", merged_trace());
        write("bytes.csv", bytes_table());
        if (capture_) {
            std::vector<std::string> addresses;
            for (const auto& in : instances_) addresses.push_back(in.link.address);
            write("flows.csv", capture_->reduce_to_flows(addresses));
        }
        write("meta.json", meta(setup_s).dump(2) + "\n");
        if (fs::exists(r_.out_dir)) fs::remove_all(r_.out_dir);  // allowed: --overwrite was checked
        fs::rename(tmp, r_.out_dir);
        say("wrote {}/{{trace.csv,bytes.csv,meta.json{}}}", r_.out_dir, capture_ ? ",flows.csv" : "");
    }

    const RunRequest& r_;
    TeardownLedger ledger_;
    // Where the setup's time went (meta.json setup_phases_s): the bridge, links, cgroups and delay
    // daemons; mariadb-install-db for every data directory (side by side); the servers' start until
    // each accepts connections. setup_s gauges the host's speed, and at small N its reading moves
    // by a second between runs (docs/mysqlrep.md): the phases say which part moved.
    struct {
        double links_s = 0.0, install_s = 0.0, start_s = 0.0;
    } setup_phases_;
    HostProbe probe_;  // meta.json host_probe_us: taken after the setup, before the applications
    std::string work_, bridge_;
    std::vector<Instance> instances_;
    std::unique_ptr<FlowCapture> capture_;
    std::int64_t epoch_ns_ = 0;
    double run_seconds_ = 0;
    std::array<double, 3> load_before_{}, load_after_{};
    HostCpuTimes cpu_before_, cpu_after_;
    HostDiskCounters disk_before_, disk_after_;
};

}  // namespace

void check_prerequisites(const RunRequest& r) {
    if (geteuid() != 0)
        throw RequestError("tbsim-testbed run needs root: it creates network namespaces, a bridge, cgroups and "
                           "traffic-control queues (run it with sudo)");
    for (const char* tool : {"mariadbd", "mariadb-install-db"})
        if (!executable_in_path(tool))
            throw RequestError(fmt::format("MariaDB is missing ({} not found): apt-get install mariadb-server", tool));
    for (const char* tool : {"ip", "tc", "unshare", "nsenter"})
        if (!executable_in_path(tool)) throw RequestError(fmt::format("{} not found: apt-get install iproute2 util-linux", tool));
    if (r.capture_flows && !executable_in_path("tshark"))
        throw RequestError("--capture-flows needs tshark: apt-get install tshark");
    if (r.delay_s) check_packet_delay_prerequisites();
    if (const auto reason = ContainerCgroup::unavailable_reason()) throw RequestError(*reason);
    if (access(application_path().c_str(), X_OK) != 0)
        throw RequestError(fmt::format("the benchmark application {} is missing: build the project", application_path()));
    if (r.instances < 2 || r.instances > 200)
        throw RequestError(fmt::format("--instances {}: expected 2 to 200", r.instances));
    if (r.out_dir.empty()) throw RequestError("--out is empty");
    if (fs::exists(r.out_dir) && !r.overwrite)
        throw RequestError(fmt::format("{} exists already: choose another --out or add --overwrite", r.out_dir));
}

void run_testbed(const RunRequest& request) {
    check_prerequisites(request);
    for (const auto& run : TeardownLedger::clean_up_abandoned_runs())
        fmt::print(stderr, "tbsim-testbed: removed what the abandoned run {} had left\n", run);
    TestbedRun run(request);
    run.run();
}

}  // namespace tbsim::testbed
