#include "models/mysqlrep/replication_benchmark.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace tbsim::models::mysqlrep {

using sim::Time;

ReplicationBenchmark::ReplicationBenchmark(sim::Simulation& sim, const BenchmarkSpec& spec)
    : sim_(sim), spec_(spec), query_profile_(spec.profile) {
    if (spec.placement.shared_node) query_profile_.packet_cost = spec.profile.local_packet_cost;
    const auto n = static_cast<std::size_t>(spec.workload.instances);
    const auto& profile = spec.profile;
    const bool shared = spec.placement.shared_node;
    // A star: every instance's node on its own link to a switch. Between nodes of their own, the
    // packets cross the physical switch and every layer of the profile (vNIC and hypervisor switch,
    // veth and bridge); instances sharing one node (containers in one VM) only cross that node's
    // bridge, the innermost layer.
    sim::net::TopologySpec topo;
    topo.add_node("switch");
    sim::net::LinkParams link;
    link.latency = shared ? profile.local_packet_latency : spec.network.latency + profile.packet_latency;
    link.bandwidth = spec.network.bandwidth;
    for (std::size_t i = 0; i < n; ++i) {
        topo.add_node(fmt::format("instance-{}", i));
        topo.add_link(fmt::format("link-{}", i), fmt::format("instance-{}", i), "switch", link);
    }
    net_ = std::make_unique<sim::net::Network>(sim, topo);
    tag_ = net_->tag("mysql");

    // CPUs: a shared node gets its cores (at most the host's) less its OS's idle load. A node per
    // instance gets its own cores, or its fair share of the host's when the host is overcommitted,
    // each less its OS's idle load.
    const auto hosts = static_cast<std::size_t>(spec.hosts.count);
    host_cores_.assign(hosts, spec.hosts.capacity());
    std::vector<double> requested(hosts, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        Instance inst;
        inst.host = shared ? 0 : i % hosts;
        inst.node = net_->node(fmt::format("instance-{}", i));
        instances_.push_back(inst);
        requested[inst.host] += spec.placement.instance_cores;
    }
    if (shared) {
        const double cores = std::min(spec.hosts.capacity(), spec.placement.node_cores) - profile.idle_load;
        cpus_.push_back(std::make_unique<sim::ProcessorSharing>(sim, std::max(0.05, cores)));
        for (auto& inst : instances_) inst.cpu = 0;
    } else {
        for (auto& inst : instances_) {
            const double share = std::min(1.0, spec.hosts.capacity() / requested[inst.host]);
            const double cores = spec.placement.instance_cores * share - profile.idle_load;
            inst.cpu = cpus_.size();
            cpus_.push_back(std::make_unique<sim::ProcessorSharing>(sim, std::max(0.05, cores)));
        }
    }
}

ReplicationBenchmark::~ReplicationBenchmark() = default;

void ReplicationBenchmark::start() {
    for (std::size_t i = 0; i < instances_.size(); ++i) sim_.start(application(i));
}

sim::Process ReplicationBenchmark::query(std::size_t client, std::size_t server, double request_bytes, Time work, bool commit,
                                         Time* done) {
    const auto& path = query_profile_;
    const auto& db = spec_.database;
    const int syscalls = static_cast<int>(db.syscalls_per_query);
    const bool local = client == server;  // a local socket: no network packets
    const int packets = local ? 0 : 2;
    co_await cpus_[instances_[client].cpu]->run(path.cpu_time(db.client_work, 2, packets).seconds());
    if (!local) co_await sim_.until(net_->transfer(instances_[client].node, instances_[server].node, request_bytes, tag_, sim_.now()));
    co_await cpus_[instances_[server].cpu]->run(path.cpu_time(work + (commit ? db.commit_work : Time::zero()), syscalls, packets).seconds());
    if (commit) co_await sim_.timeout(db.commit_io + path.disk_write_cost);
    if (done != nullptr) *done = sim_.now();  // committed at the server
    if (!local) co_await sim_.until(net_->transfer(instances_[server].node, instances_[client].node, db.reply_bytes.bytes, tag_, sim_.now()));
}

sim::Process ReplicationBenchmark::connect(std::size_t client, std::size_t server) {
    const auto& db = spec_.database;
    // The server looks the client's address up (a timeout where name resolution is broken).
    co_await sim_.timeout(spec_.profile.name_resolution);
    const auto a = instances_[client].node, b = instances_[server].node;
    // TCP handshake, server greeting, authentication: three round trips of small packets.
    for (int round = 0; round < 3; ++round) {
        co_await sim_.until(net_->transfer(a, b, round == 0 ? 0.0 : 100.0, tag_, sim_.now()));
        co_await sim_.until(net_->transfer(b, a, 100.0, tag_, sim_.now()));
    }
    co_await cpus_[instances_[server].cpu]->run(spec_.profile.cpu_time(db.connect_work, 20, 6).seconds());
}

sim::Process ReplicationBenchmark::application(std::size_t i) {
    const auto& w = spec_.workload;
    const auto& db = spec_.database;
    const auto n = instances_.size();
    Instance& me = instances_[i];
    constexpr std::size_t kMaster = 0;  // the lowest address

    // 0. Boot: the node starts (a VM boots its OS; a container in a running VM starts its process).
    auto boot_rng = sim_.rng(fmt::format("mysqlrep/boot/{}", i));
    co_await sim_.timeout(Time::from_seconds(spec_.profile.boot_time.draw(boot_rng)));

    // 1. Sync.
    me.sync_start = sim_.now();
    for (std::size_t peer = 0; peer < n; ++peer)
        if (peer != i) co_await connect(i, peer);
    co_await query(i, kMaster, db.query_bytes.bytes, db.insert_work, true, nullptr);
    ++sync_rows_;
    while (sync_rows_ < w.instances) {
        co_await sim_.timeout(w.poll_period);
        co_await query(i, kMaster, db.query_bytes.bytes, db.select_work, false, nullptr);
    }

    // 2. Main loop.
    me.main_start = sim_.now();
    const Time period = Time::from_seconds(1.0 / w.rate.per_second);
    const auto ag = static_cast<std::size_t>(w.aggregation);
    std::vector<Time> pending;  // local commit times of the rows not yet sent
    Time next_start = sim_.now();
    for (std::int64_t k = 0; k < w.inserts; ++k) {
        co_await sim_.until(next_start);
        const Time started = sim_.now();
        Time committed;
        co_await query(i, i, db.query_bytes.bytes + db.row_bytes.bytes, db.insert_work, true, &committed);
        insert_ms_.add((sim_.now() - started).milliseconds());
        pending.push_back(committed);
        if (w.remote_inserts && pending.size() == ag) {
            const double bytes = db.query_bytes.bytes + db.row_bytes.bytes * static_cast<double>(ag);
            const Time work = db.batch_fixed_work + db.batch_row_work * static_cast<std::int64_t>(ag);
            for (std::size_t peer = 0; peer < n; ++peer) {
                if (peer == i) continue;
                const Time sent = sim_.now();
                Time at_peer;
                co_await query(i, peer, bytes, work, true, &at_peer);
                batch_ms_.add((sim_.now() - sent).milliseconds());
                for (const Time t : pending) lag_ms_.add((at_peer - t).milliseconds());
            }
            pending.clear();
        } else if (!w.remote_inserts) {
            pending.clear();
        }
        // The next insert starts a period after this one started, or now if the work overran.
        next_start = std::max(started + period, sim_.now());
    }
    me.main_end = sim_.now();

    // 3. Desync.
    co_await query(i, kMaster, db.query_bytes.bytes, db.insert_work, true, nullptr);
    --sync_rows_;
    while (sync_rows_ > 0) {
        co_await sim_.timeout(w.poll_period);
        co_await query(i, kMaster, db.query_bytes.bytes, db.select_work, false, nullptr);
    }
    me.desync_end = sim_.now();
    ++finished_;
}

MysqlRepFigures ReplicationBenchmark::figures() const {
    const auto& w = spec_.workload;
    sim::Tally boot, sync, main, desync;
    for (const auto& inst : instances_) {
        boot.add(inst.sync_start.seconds());
        sync.add((inst.main_start - inst.sync_start).seconds());
        main.add((inst.main_end - inst.main_start).seconds());
        desync.add((inst.desync_end - inst.main_end).seconds());
    }
    const double nominal = static_cast<double>(w.inserts) / w.rate.per_second;
    auto dist = [](const sim::Tally& t) { return LatencyFigures{t.mean(), t.percentile(0.5), t.percentile(0.95), t.percentile(0.99)}; };
    MysqlRepFigures f;
    f.profile = spec_.profile.name;
    f.instances = static_cast<double>(w.instances);
    f.rate_per_min = w.rate.per_second * 60.0;
    f.aggregation = static_cast<double>(w.aggregation);
    f.inserts = static_cast<double>(w.inserts);
    f.remote_inserts = w.remote_inserts;
    f.finished = finished();
    // The benchmark's figure of merit is its slowest instance's main loop.
    f.boot_s = boot.max();
    f.sync_s = sync.max();
    f.main_loop_s = main.max();
    f.main_loop_mean_s = main.mean();
    f.desync_s = desync.max();
    f.nominal_main_loop_s = nominal;
    f.slowdown = main.max() / nominal;
    f.keeps_up = f.slowdown <= kKeepsUpSlowdown;
    f.insert_latency_ms = dist(insert_ms_);
    f.batch_latency_ms = dist(batch_ms_);
    f.replication_lag_ms = {lag_ms_.mean(), lag_ms_.percentile(0.5), lag_ms_.percentile(0.95), lag_ms_.percentile(0.99)};
    // Host CPU utilisation over the benchmark (time zero to the last instance's end): the work its
    // nodes did, their OS's idle load included, over its cores.
    Time end;
    for (const auto& inst : instances_) end = std::max(end, inst.desync_end);
    for (std::size_t h = 0; h < host_cores_.size(); ++h) {
        double work = 0.0;
        std::size_t nodes = 0;
        for (std::size_t c = 0; c < cpus_.size(); ++c) {
            const bool on_host = spec_.placement.shared_node ? h == 0 : c % host_cores_.size() == h;
            if (!on_host) continue;
            work += cpus_[c]->work_done();
            ++nodes;
        }
        work += spec_.profile.idle_load * static_cast<double>(nodes) * end.seconds();
        f.host_cpu_utilisation.push_back(end > Time::zero() ? work / (host_cores_[h] * end.seconds()) : 0.0);
    }
    double bytes = 0.0;
    for (sim::net::DirectionId d = 0; d < net_->topology().direction_count(); ++d) bytes += net_->stats(d).by_tag[tag_].wire_bytes;
    f.network_bytes = bytes / 2.0;  // each message crosses two links (node -> switch -> node)
    return f;
}

}  // namespace tbsim::models::mysqlrep
