#include "models/mysqlrep/mysqlrep_scenario.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "models/mysqlrep/cpu_layout.hpp"
#include "models/mysqlrep/replication_benchmark.hpp"

namespace tbsim::models::mysqlrep {
namespace {

namespace fs = std::filesystem;

// The scenario's keys as read: the spec, and where the virtualization profiles are.
struct MysqlRepInput {
    BenchmarkSpec spec;
    std::string profiles = "../profiles/virt";
};

std::string here(const sim::ConfigNode& n) { return fs::path(n.source()).parent_path().string(); }

const sim::ParamTable<Placement>& placement_table() {
    using sim::Check;
    static const sim::ParamTable<Placement> t{
        "placement (where instances run)",
        {
            sim::param("profile", &Placement::profile, "virtualization profile from `profiles` (bare-metal, kvm-vm, esxi-vm, docker-native, docker-in-vm, ...)")
                .required(),
            sim::param("shared_node", &Placement::shared_node, "all instances in one node (containers in one VM)"),
            sim::param("node_cores", &Placement::node_cores, "cores of the shared node (Study A: a 24-core VM)", Check::positive),
            sim::param("instance_cores", &Placement::instance_cores, "cores of each per-instance node; a fair share of the host when overcommitted",
                       Check::positive),
            sim::custom_param<Placement>(
                "cpu", "string",
                "dedicated: each node has its own cores (instance_cores); host: the nodes' processes share the host's cores, "
                "one core at most per thread (containers without a CPU reservation)",
                [](const sim::ConfigNode& n, Placement& p) {
                    p.cpu = n.text();
                    if (p.cpu != "dedicated" && p.cpu != "host") n.fail(fmt::format("expected dedicated or host, got \"{}\"", p.cpu));
                },
                [](const Placement& p) { return p.cpu; }),
        }};
    return t;
}

// Refuses the scenario at `section_key` (its section if the key is not written, the root if not
// even that), where the reader should change it.
[[noreturn]] void fail_at(const sim::ConfigNode& root, const std::string& section_key, const std::string& reason) {
    const auto dot = section_key.find('.');
    const auto section = root.child(section_key.substr(0, dot));
    const auto key = section_key.substr(dot + 1);
    if (!section) root.fail(reason);
    (section->has(key) ? section->required(key) : *section).fail(reason);
}

// Every node must keep some CPU once its OS's idle load is paid (the model would otherwise have to
// invent some): refused here, at the key to change.
void check_cpu_left(const sim::ConfigNode& root, const BenchmarkSpec& spec) {
    if (const auto shortage = cpu_shortage(spec)) fail_at(root, shortage->key, shortage->reason);
}

// A key that asks for a mechanism another key leaves without effect is refused, at the key that
// asks: the run would silently be the run without it.
void check_mechanisms_take_effect(const sim::ConfigNode& root, const BenchmarkSpec& spec) {
    const auto& h = spec.hosts;
    const auto& db = spec.database;
    if (h.page_flush_latches && !(db.row_latch_share > 0.0 && h.page_flush_writes()))
        fail_at(root, "hosts.page_flush_latches",
                "true has no effect without database.row_latch_share above 0 (the latch), hosts.disk_queue and a page "
                "flush's disk time (hosts.page_flush_fixed or page_flush_per_row): set those, or false");
    if (h.page_flush_cpu_latches && !(db.row_latch_share > 0.0 && h.page_flush_cpu_per_commit > sim::Time::zero()))
        fail_at(root, "hosts.page_flush_cpu_latches",
                "true has no effect without database.row_latch_share above 0 (the latch) and hosts.page_flush_cpu_per_commit "
                "(the pieces): set those, or false");
    if (!db.first_statement_io.is_zero() && !h.disk_queue)
        fail_at(root, "database.first_statement_io",
                "a write queued on the host's disk has no effect without hosts.disk_queue: set it true, or this to 0");
}

const sim::ParamTable<MysqlRepInput>& scenario_table() {
    using sim::section;
    static const sim::ParamTable<MysqlRepInput> t{
        "mysqlrep scenario keys",
        {
            sim::param("profiles", &MysqlRepInput::profiles, "folder of the virtualization profiles, relative to the scenario"),
            sim::custom_param<MysqlRepInput>(
                "hosts", "mapping", "the physical machines: the `hosts` section below",
                [](const sim::ConfigNode& n, MysqlRepInput& in) { hosts_table().read(n, in.spec.hosts); },
                [](const MysqlRepInput&) { return std::string(); }),
            sim::custom_param<MysqlRepInput>(
                "placement", "mapping", "where instances run: the `placement` section below",
                [](const sim::ConfigNode& n, MysqlRepInput& in) { placement_table().read(n, in.spec.placement); },
                [](const MysqlRepInput&) { return std::string(); })
                .required(),
            sim::custom_param<MysqlRepInput>(
                "workload", "mapping", "Study A's parameters: the `workload` section below",
                [](const sim::ConfigNode& n, MysqlRepInput& in) { workload_table().read(n, in.spec.workload); },
                [](const MysqlRepInput&) { return std::string(); }),
            sim::custom_param<MysqlRepInput>(
                "database", "mapping", "native cost of each MySQL operation: the `database` section below",
                [](const sim::ConfigNode& n, MysqlRepInput& in) { database_table().read(n, in.spec.database); },
                [](const MysqlRepInput&) { return std::string(); }),
            sim::custom_param<MysqlRepInput>(
                "network", "mapping", "the switch between nodes: the `network` section below",
                [](const sim::ConfigNode& n, MysqlRepInput& in) { network_table().read(n, in.spec.network); },
                [](const MysqlRepInput&) { return std::string(); }),
            sim::custom_param<MysqlRepInput>(
                "limits", "mapping", "the testbed's limits (CPU quota, bandwidth, delay): the `limits` section below",
                [](const sim::ConfigNode& n, MysqlRepInput& in) { limits_table().read(n, in.spec.limits); },
                [](const MysqlRepInput&) { return std::string(); }),
        },
        [](const sim::ConfigNode& root, MysqlRepInput& in) {
            // The profile, found where `profiles` says, relative to this scenario.
            const fs::path dir(in.profiles);
            const auto folder = dir.is_relative() ? (fs::path(here(root)) / dir).string() : dir.string();
            const auto profile = root.required("placement").required("profile");
            in.spec.profile = virt::load_virt_profile(in.spec.placement.profile, folder, profile);
            check_cpu_left(root, in.spec);
            check_mechanisms_take_effect(root, in.spec);
        }};
    return t;
}

class MysqlRepScenario final : public sim::ModelScenario<MysqlRepFigures> {
public:
    MysqlRepScenario(sim::ScenarioHeader header, BenchmarkSpec spec) : header_(std::move(header)), spec_(std::move(spec)) {}
    const sim::ScenarioHeader& header() const override { return header_; }

protected:
    Run simulate(std::uint64_t replication, sim::RunOutputs, unsigned, sim::RunTicker&) const override {
        sim::Simulation sim(header_.seed, replication);
        ReplicationBenchmark bench(sim, spec_);
        bench.start();
        sim.run_before(header_.duration);
        return Run{bench.figures(), {}, sim.events_processed()};
    }

    std::string account_of(const MysqlRepFigures& f) const override {
        std::string out = fmt::format("  {} instances on {}, D = {:g}/min, AG = {}, {} inserts each{}\n", f.instances, f.profile,
                                      f.rate_per_min, f.aggregation, f.inserts, f.remote_inserts ? "" : " (baseline: no remote batches)");
        if (!f.finished)
            out += "  NOT FINISHED within the scenario's duration: the figures are partial (a phase still running counts up to the end, "
                   "an unfinished main loop at least a period per insert left)\n";
        // Cut short, the main loop's span and so the slowdown are lower bounds: "keeps up" is not
        // known, "falls behind" is when the bound is already above the limit.
        const char* verdict = f.slowdown > kKeepsUpSlowdown ? ": falls behind"
                              : f.finished                   ? ": keeps up"
                                                             : ", whether it keeps up not known";
        out += fmt::format("  sync {:.2f} s, main loop {:.2f} s (nominal {:.2f} s, slowdown {}{:.3f}{}), desync {:.2f} s\n", f.sync_s,
                           f.main_loop_s, f.nominal_main_loop_s, f.finished ? "" : "at least ", f.slowdown, verdict, f.desync_s);
        auto lat = [&](const LatencyFigures& x, const char* label) {
            out += fmt::format("  {:<20} mean {:>8.3f}  p50 {:>8.3f}  p95 {:>8.3f}  p99 {:>8.3f} ms\n", label, x.mean, x.p50, x.p95, x.p99);
        };
        lat(f.insert_latency_ms, "local insert");
        lat(f.batch_latency_ms, "batch to a peer");
        lat(f.replication_lag_ms, "replication lag");
        out += fmt::format("  host CPU utilisation {:.1f}%, {:.2f} MB on the network\n",
                           100.0 * (f.host_cpu_utilisation.empty() ? 0.0 : f.host_cpu_utilisation.front()), f.network_bytes / 1e6);
        return out;
    }

    std::string headline_of(const MysqlRepFigures& f) const override {
        return fmt::format("main loop {:.2f} s (nominal {:.2f} s, slowdown {:.3f}: {}), local insert p50 {:.3f} ms, batch p50 {:.3f} ms",
                           f.main_loop_s, f.nominal_main_loop_s, f.slowdown, f.slowdown <= kKeepsUpSlowdown ? "keeps up" : "falls behind",
                           f.insert_latency_ms.p50, f.batch_latency_ms.p50);
    }

private:
    sim::ScenarioHeader header_;
    BenchmarkSpec spec_;
};

}  // namespace

std::unique_ptr<sim::PreparedScenario> read_mysqlrep_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    return std::make_unique<MysqlRepScenario>(header, read_benchmark_spec(root));
}

BenchmarkSpec read_benchmark_spec(const sim::ConfigNode& root) {
    MysqlRepInput in;
    scenario_table().read(root, in);
    return std::move(in.spec);
}

std::vector<sim::ParamSection> mysqlrep_params() {
    return {scenario_table().section(""),         hosts_table().section("hosts"),       placement_table().section("placement"),
            workload_table().section("workload"), database_table().section("database"), network_table().section("network"),
            limits_table().section("limits"),     virt::virt_profile_params()};
}

std::vector<sim::FigureDoc> mysqlrep_figures() { return sim::declared_figures<MysqlRepFigures>(); }

}  // namespace tbsim::models::mysqlrep
