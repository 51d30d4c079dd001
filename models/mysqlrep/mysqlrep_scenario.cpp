#include "models/mysqlrep/mysqlrep_scenario.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "models/mysqlrep/replication_benchmark.hpp"

namespace tbsim::models::mysqlrep {
namespace {

class MysqlRepScenario final : public sim::PreparedScenario {
public:
    MysqlRepScenario(sim::ScenarioHeader header, BenchmarkSpec spec) : header_(std::move(header)), spec_(std::move(spec)) {}
    const sim::ScenarioHeader& header() const override { return header_; }

    sim::RunResult run(std::uint64_t replication) const override {
        sim::Simulation sim(header_.seed, replication);
        ReplicationBenchmark bench(sim, spec_);
        bench.start();
        sim.run_before(header_.duration);
        sim::RunResult r;
        r.summary = bench.figures();
        r.summary["instances"] = spec_.workload.instances;
        r.summary["rate_per_min"] = spec_.workload.rate.per_second * 60.0;
        r.summary["aggregation"] = spec_.workload.aggregation;
        r.summary["inserts"] = spec_.workload.inserts;
        r.summary["remote_inserts"] = spec_.workload.remote_inserts;
        r.events = sim.events_processed();
        return r;
    }

    std::string describe(const sim::Json& s) const override {
        std::string out = fmt::format("  {} instances on {}, D = {:.0f}/min, AG = {}, {} inserts each{}\n", s["instances"].get<double>(),
                                      s["profile"].get<std::string>(), s["rate_per_min"].get<double>(), s["aggregation"].get<double>(),
                                      s["inserts"].get<double>(), s["remote_inserts"].get<bool>() ? "" : " (baseline: no remote batches)");
        if (!s["finished"].get<bool>()) out += "  NOT FINISHED within the scenario's duration: the figures are partial\n";
        out += fmt::format("  sync {:.2f} s, main loop {:.2f} s (nominal {:.2f} s, slowdown {:.3f}: {}), desync {:.2f} s\n",
                           s["sync_s"].get<double>(), s["main_loop_s"].get<double>(), s["nominal_main_loop_s"].get<double>(),
                           s["slowdown"].get<double>(), s["slowdown"].get<double>() <= 1.05 ? "keeps up" : "falls behind",
                           s["desync_s"].get<double>());
        auto lat = [&](const char* key, const char* label) {
            const auto& x = s[key];
            out += fmt::format("  {:<20} mean {:>8.3f}  p50 {:>8.3f}  p95 {:>8.3f}  p99 {:>8.3f} ms\n", label, x["mean"].get<double>(),
                               x["p50"].get<double>(), x["p95"].get<double>(), x["p99"].get<double>());
        };
        lat("insert_latency_ms", "local insert");
        lat("batch_latency_ms", "batch to a peer");
        lat("replication_lag_ms", "replication lag");
        out += fmt::format("  host CPU utilisation {:.1f}%, {:.2f} MB on the network\n",
                           100.0 * s["host_cpu_utilisation"][0].get<double>(), s["network_bytes"].get<double>() / 1e6);
        return out;
    }

private:
    sim::ScenarioHeader header_;
    BenchmarkSpec spec_;
};

}  // namespace

std::unique_ptr<sim::PreparedScenario> read_mysqlrep_scenario(const sim::ConfigNode& root, const sim::ScenarioHeader& header) {
    BenchmarkSpec spec;
    const std::string here = std::filesystem::path(root.source()).parent_path().string();
    std::string profiles = (std::filesystem::path(here) / ".." / "profiles" / "virt").string();
    if (auto p = root.child("profiles")) {
        const std::filesystem::path dir(p->text());
        profiles = dir.is_relative() ? (std::filesystem::path(here) / dir).string() : dir.string();
    }
    if (auto h = root.child("hosts")) hosts_table().read(*h, spec.hosts);
    const auto placement = root.required("placement");
    const auto profile = placement.required("profile");
    spec.placement.profile = profile.text();
    spec.profile = virt::load_virt_profile(spec.placement.profile, profiles, profile);
    if (auto s = placement.child("shared_node")) spec.placement.shared_node = s->boolean();
    if (auto c = placement.child("node_cores")) {
        spec.placement.node_cores = c->number();
        if (spec.placement.node_cores <= 0) c->fail("must be greater than zero");
    }
    if (auto c = placement.child("instance_cores")) {
        spec.placement.instance_cores = c->number();
        if (spec.placement.instance_cores <= 0) c->fail("must be greater than zero");
    }
    if (auto w = root.child("workload")) workload_table().read(*w, spec.workload);
    if (auto d = root.child("database")) database_table().read(*d, spec.database);
    if (auto n = root.child("network")) network_table().read(*n, spec.network);
    return std::make_unique<MysqlRepScenario>(header, std::move(spec));
}

std::string mysqlrep_params() {
    return workload_table().describe() + "\n" + database_table().describe() + "\n" + hosts_table().describe() + "\n" +
           network_table().describe() +
           "\nplacement\n"
           "  profile                  name        (required)   virtualization profile from `profiles` (bare-metal,\n"
           "                                                    kvm-vm, esxi-vm, docker-native, docker-in-vm, ...)\n"
           "  shared_node              boolean     false        all instances in one node (containers in one VM)\n"
           "  node_cores               number      24           cores of the shared node\n"
           "  instance_cores           number      2            cores of each per-instance node\n"
           "profiles                   path        ../profiles/virt   folder of the profiles, relative to the scenario\n\n" +
           virt::describe_virt_profile_keys();
}

}  // namespace tbsim::models::mysqlrep
