#include "models/mysqlrep/replication_benchmark.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "models/mysqlrep/cpu_layout.hpp"
#include "sim/core/check.hpp"
#include "sim/random/distributions.hpp"

namespace tbsim::models::mysqlrep {

using sim::Time;

ReplicationBenchmark::ReplicationBenchmark(sim::Simulation& sim, const BenchmarkSpec& spec, std::vector<OperationRecord>* log,
                                           const DrivenStarts* driven)
    : sim_(sim), spec_(spec), query_profile_(spec.profile), log_(log), driven_(driven) {
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
    link.header = spec.network.header;
    link.ack_every = spec.network.ack_every;
    for (std::size_t i = 0; i < n; ++i) {
        topo.add_node(fmt::format("instance-{}", i));
        topo.add_link(fmt::format("link-{}", i), fmt::format("instance-{}", i), "switch", link);
    }
    net_ = std::make_unique<sim::net::Network>(sim, topo);
    tag_ = net_->tag("mysql");

    // CPUs (cpu_layout): nodes that share the host's cores (containers) run on one processor per
    // host, each thread on at most one core.
    const CpuLayout layout = cpu_layout(spec);
    host_cores_.assign(layout.hosts, spec.hosts.capacity());
    disks_.assign(layout.hosts, sim::FifoDevice(static_cast<std::size_t>(spec.hosts.disk_channels)));
    stall_episode_end_.assign(layout.hosts, Time::zero());
    for (const double cores : layout.cores) {
        TBSIM_CHECK(cores > 0.0, "a node without CPU once its idle load is paid (refused when the scenario is read)");
        cpus_.push_back(Cpu{std::make_unique<sim::ProcessorSharing>(sim, cores), 0.0});
    }
    for (std::size_t i = 0; i < n; ++i) {
        Instance inst;
        inst.host = layout.host_of[i];
        inst.cpu = layout.of_instance[i];
        // Its own group on a processor its cgroup shares with other nodes (virt profile cpu_group).
        inst.cpu_group = spec.profile.cpu_group ? i : 0;
        inst.round_group = n + inst.cpu_group;
        if (spec.hosts.page_flush_cpu_background) cpus_[inst.cpu].cores->set_background(inst.round_group);
        inst.node = net_->node(fmt::format("instance-{}", i));
        inst.reply_ack_due.assign(n, Time::from_ns(-1));
        inst.queried.assign(n, false);
        instances_.push_back(std::move(inst));
    }

    // The testbed's limits and the host's behaviour, where the scenario sets them.
    const auto& limits = spec.limits;
    for (std::size_t i = 0; i < n; ++i) {
        Instance& inst = instances_[i];
        if (limits.cpu_quota) {
            // Each cgroup's period timer runs on its own clock: a random phase within the period.
            auto rng = sim.rng(fmt::format("mysqlrep/quota-phase/{}", i));
            const auto phase = Time::from_ns(static_cast<std::int64_t>(rng.uniform01() * static_cast<double>(limits.cpu_period.ns())));
            inst.quota = std::make_unique<sim::CpuQuota>(sim, *limits.cpu_quota, limits.cpu_period, std::min(phase, limits.cpu_period - Time::from_ns(1)));
            // The host's cores each take the quota in slices (sim/resources/cpu_quota.hpp).
            if (limits.cfs_bandwidth_slice > Time::zero())
                inst.quota->use_run_queues(static_cast<std::size_t>(std::max(1.0, std::round(spec.hosts.cores))), limits.cfs_bandwidth_slice,
                                           sim.rng(fmt::format("mysqlrep/quota-cpu/{}", i)));
        }
        if (limits.bandwidth) {
            inst.egress = std::make_unique<sim::net::TokenBucket>(*limits.bandwidth, limits.burst_bytes(), limits.tbf_latency);
            inst.ingress = std::make_unique<sim::net::TokenBucket>(*limits.bandwidth, limits.burst_bytes(), limits.tbf_latency);
        }
    }
    direct_cpu_ = !limits.cpu_quota && spec.hosts.wake_up == Time::zero() && spec.hosts.wake_latency == Time::zero() &&
                  !spec.hosts.foreign_load();
    cpu_slowness_ = spec.hosts.cpu_slowness(spec.workload.instances);
    if (limits.cpu_quota) cpu_slowness_ *= spec.hosts.quota_cpu_factor;
    wait_slowness_ = spec.hosts.wait_slowness(spec.workload.instances);
    start_slowness_ = spec.hosts.start_slowness(spec.workload.instances);
    stall_probability_ = spec.hosts.stall_probability(spec.workload.instances);
    wake_latency_ = spec.hosts.wake_latency_on_the_day(spec.workload.instances);
    direct_net_ = !limits.bandwidth && limits.receive_delay == Time::zero();
    for (std::size_t i = 0; i < n; ++i) {
        service_rng_.push_back(sim.rng(fmt::format("mysqlrep/service/{}", i)));
        sleep_rng_.push_back(sim.rng(fmt::format("mysqlrep/sleep/{}", i)));
        flush_rng_.push_back(sim.rng(fmt::format("mysqlrep/flush/{}", i)));
        foreign_rng_.push_back(sim.rng(fmt::format("mysqlrep/foreign/{}", i)));
        delay_rng_.push_back(sim.rng(fmt::format("mysqlrep/delay/{}", i)));
        page_rng_.push_back(sim.rng(fmt::format("mysqlrep/page/{}", i)));
    }
    log_flush_.resize(n);
    if (spec.database.row_latch_share > 0.0)
        for (std::size_t i = 0; i < n; ++i) row_latch_.push_back(std::make_unique<sim::Resource>(sim, 1));
}

ReplicationBenchmark::~ReplicationBenchmark() = default;

void ReplicationBenchmark::start() {
    if (spec_.database.launch_work > Time::zero()) sim_.start(launcher());
    else for (std::size_t i = 0; i < instances_.size(); ++i) sim_.start(application(i));
    const auto& h = spec_.hosts;
    if (h.page_flush_writes() || h.page_flush_computes() || spec_.database.reads_pages())
        for (std::size_t i = 0; i < instances_.size(); ++i) sim_.start(page_flusher(i));
}

sim::Process ReplicationBenchmark::launcher() {
    // Fork, enter the node's namespaces, exec: in the node's cgroup, sharing the host with the
    // applications already started; the next waits until this one has exec'd.
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        co_await compute(i, spec_.database.launch_work.seconds() * start_slowness_, false);
        sim_.start(application(i));
    }
}

sim::Process ReplicationBenchmark::page_flusher(std::size_t i) {
    const auto& h = spec_.hosts;
    // Each server's background thread runs on its own clock: a random phase within the period;
    // or, servers started together, the host's phase and a spread.
    Instance& inst = instances_[i];
    auto rng = sim_.rng(fmt::format("mysqlrep/page-flush/{}", i));
    const double period = h.page_flush_period.seconds();
    if (h.page_flush_together) {
        // The servers started lead (and the probe) before the origin: their rounds come at whole
        // periods from then.
        const double since_start = h.page_flush_lead.seconds() + (h.host_probe ? h.host_probe->seconds() : 0.0);
        const double spread = h.page_flush_spread_per_instance.seconds() * static_cast<double>(spec_.workload.instances);
        const double phase = std::fmod(period - std::fmod(since_start, period) + rng.uniform01() * spread, period);
        co_await sim_.timeout(Time::from_seconds(phase));
    } else {
        co_await sim_.timeout(Time::from_seconds(rng.uniform01() * period));
    }
    const bool writes = h.page_flush_writes();
    const auto& db = spec_.database;
    while (finished_ < spec_.workload.instances) {
        if (db.reads_pages()) {
            // The pool holds buffer_pool_commits transactions' pages: of a round's commits beyond
            // it, the pages are gone by the time they are needed again.
            const auto committed = static_cast<double>(inst.commits);
            inst.page_miss = committed > 0.0 ? std::max(0.0, 1.0 - db.buffer_pool_commits / committed) : 0.0;
            if (inst.page_miss > 0.0) {
                const std::int64_t pages = pages_missed(i, db.purge_pages_per_commit * committed, 1.0);
                const std::int64_t threads = std::max<std::int64_t>(1, db.purge_read_threads);
                for (std::int64_t t = 0; t < threads; ++t)
                    if (const std::int64_t share = pages / threads + (t < pages % threads ? 1 : 0); share > 0) sim_.start(purge_reader(i, share));
            }
        }
        const std::int64_t rows = inst.dirty_rows;
        if (writes && rows > 0) {
            const Time written = disks_[inst.host].serve(sim_.now(), h.page_flush_fixed + h.page_flush_per_row * rows);
            if (h.page_flush_latches && !row_latch_.empty()) sim_.start(hold_row_latch_until(i, written));
        }
        inst.dirty_rows = 0;
        const bool latched = h.page_flush_cpu_latches && !row_latch_.empty();
        const Time cpu = h.page_flush_cpu_fixed + h.page_flush_cpu_per_row * rows + (latched ? Time::zero() : h.page_flush_cpu_per_commit * inst.commits);
        if (latched && inst.commits > 0) sim_.start(purge_under_latch(i, inst.commits, h.page_flush_cpu_per_commit.seconds()));
        inst.commits = 0;
        // Its own thread: the round's clock does not wait for its CPU.
        if (cpu > Time::zero()) {
            if (h.page_flush_cpu_background) sim_.start(compute_in_background(i, cpu.seconds()));
            else sim_.start(compute(i, cpu.seconds(), true));
        }
        co_await sim_.timeout(h.page_flush_period);
    }
}

sim::Process ReplicationBenchmark::purge_under_latch(std::size_t i, std::int64_t commits, double work) {
    sim::Resource& latch = *row_latch_[i];
    for (std::int64_t c = 0; c < commits; ++c) {
        co_await latch.acquire();
        if (spec_.hosts.page_flush_cpu_background) co_await compute_in_background(i, work);
        else co_await keep_computing(i, work, std::nullopt);
        latch.release();
    }
}

sim::Process ReplicationBenchmark::purge_reader(std::size_t i, std::int64_t pages) {
    for (std::int64_t p = 0; p < pages; ++p) co_await sim_.until(page_read_end(i));
}

Time ReplicationBenchmark::page_read_end(std::size_t i) {
    const auto& read = spec_.database.page_read;
    const Time t = Time::from_seconds(read.draw(page_rng_[i]) * wait_slowness_);
    return spec_.hosts.disk_queue ? disks_[instances_[i].host].serve(sim_.now(), t) : sim_.now() + t;
}

std::int64_t ReplicationBenchmark::pages_missed(std::size_t i, double pages, double miss) {
    // Each whole page is missed with probability `miss`, the fraction of a page with its share of it.
    auto& rng = page_rng_[i];
    const double whole = std::floor(pages);
    std::int64_t missed = 0;
    if (miss >= 1.0) missed = static_cast<std::int64_t>(whole);
    else for (double p = 0.0; p < whole; p += 1.0) missed += rng.uniform01() < miss;
    missed += rng.uniform01() < miss * (pages - whole);
    return missed;
}

sim::Process ReplicationBenchmark::hold_row_latch_until(std::size_t i, Time until) {
    sim::Resource& latch = *row_latch_[i];
    co_await latch.acquire();
    if (until > sim_.now()) co_await sim_.until(until);
    latch.release();
}

double ReplicationBenchmark::wire_bytes(double payload) const {
    // What the token buckets count: the payload in segments, each with its headers.
    const double segment = 1500.0 - spec_.network.header.bytes;
    const double packets = std::max(1.0, std::ceil(payload / std::max(1.0, segment)));
    return payload + packets * spec_.network.header.bytes;
}

ReplicationBenchmark::ServiceTime ReplicationBenchmark::service(std::size_t server, Time work) {
    const double sigma = spec_.database.service_sigma;
    if (sigma <= 0.0 || work == Time::zero()) return {work, Time::zero()};
    const double factor = sim::draw_lognormal(service_rng_[server], 0.0, sigma);
    if (factor <= 1.0) return {Time::from_seconds(work.seconds() * factor), Time::zero()};
    // Above the median, a share of the extra time is waiting (a lock, a page read), not work.
    const double extra = work.seconds() * (factor - 1.0);
    const double waiting = std::min(1.0, spec_.database.service_wait_share) * extra;
    return {Time::from_seconds(work.seconds() + extra - waiting), Time::from_seconds(waiting * wait_slowness_)};
}

sim::Process ReplicationBenchmark::compute(std::size_t i, double work, bool database, std::optional<std::size_t> run_queue) {
    Instance& inst = instances_[i];
    work *= cpu_slowness_;
    inst.cpu_s += work;
    Cpu& cpu = cpus_[inst.cpu];
    if (direct_cpu_) {
        co_await cpu.cores->run(work, inst.cpu_group);
        co_return;
    }
    // The host's cores sink deeper the longer they stay idle: work arriving after an idle gap g
    // leaves the first database thread to wake owing wake_up * (1 - exp(-g / time constant)),
    // times the day's wait factor (hosts.setup_wait_elasticity).
    const auto& hosts = spec_.hosts;
    if (hosts.wake_up > Time::zero()) {
        if (cpu.cores->jobs() == 0) {
            const double gap = (sim_.now() - cpu.cores->idle_since()).seconds();
            const double owed = hosts.wake_up.seconds() * wait_slowness_ * (1.0 - std::exp(-gap / hosts.wake_up_time_constant.seconds()));
            cpu.owed_wake_s = std::max(cpu.owed_wake_s, owed);
        }
        if (database && cpu.owed_wake_s > 0.0) {
            const double wait = cpu.owed_wake_s;
            cpu.owed_wake_s = 0.0;
            co_await sim_.timeout(Time::from_seconds(wait));
        }
    }
    if (const Time held = wake_delay(i, database); held > Time::zero()) co_await sim_.timeout(held);
    // Here rather than through keep_computing: one coroutine frame less on the hottest path (4%).
    if (inst.quota && run_queue) co_await inst.quota->run_on_cpu(*run_queue, *cpu.cores, work, inst.cpu_group);
    else if (inst.quota) co_await inst.quota->run(*cpu.cores, work, inst.cpu_group);
    else co_await cpu.cores->run(work, inst.cpu_group);
}

sim::Process ReplicationBenchmark::keep_computing(std::size_t i, double work, std::optional<std::size_t> run_queue) {
    Instance& inst = instances_[i];
    work *= cpu_slowness_;
    inst.cpu_s += work;
    sim::ProcessorSharing& cores = *cpus_[inst.cpu].cores;
    if (inst.quota && run_queue) co_await inst.quota->run_on_cpu(*run_queue, cores, work, inst.cpu_group);
    else if (inst.quota) co_await inst.quota->run(cores, work, inst.cpu_group);
    else co_await cores.run(work, inst.cpu_group);
}

sim::Process ReplicationBenchmark::compute_in_background(std::size_t i, double work) {
    Instance& inst = instances_[i];
    work *= cpu_slowness_;
    inst.cpu_s += work;
    sim::ProcessorSharing& cores = *cpus_[inst.cpu].cores;
    if (inst.quota) co_await inst.quota->run(cores, work, inst.round_group);
    else co_await cores.run(work, inst.round_group);
}

Time ReplicationBenchmark::foreign_delay(std::size_t i) {
    // A foreign process holding the core the thread wakes on: it runs once that one's slice ends.
    const auto& hosts = spec_.hosts;
    if (!hosts.foreign_load()) return Time::zero();
    auto& rng = foreign_rng_[i];
    if (rng.uniform01() >= hosts.foreign_wait_share()) return Time::zero();
    return Time::from_seconds(hosts.foreign_wait.draw(rng));
}

sim::Process ReplicationBenchmark::send(std::size_t a, std::size_t b, double bytes, sim::net::Acks acks) {
    const auto from = instances_[a].node, to = instances_[b].node;
    if (direct_net_) {
        co_await sim_.until(net_->transfer(from, to, bytes, tag_, sim_.now(), acks));
        co_return;
    }
    const double wire = wire_bytes(bytes);
    if (instances_[a].egress) co_await sim_.until(instances_[a].egress->depart(sim_.now(), wire));
    co_await sim_.until(net_->transfer(from, to, bytes, tag_, sim_.now(), acks));
    if (instances_[b].ingress) co_await sim_.until(instances_[b].ingress->depart(sim_.now(), wire));
    // The delay daemon holds the message and sleeps until it is due: it wakes as late as any sleeper.
    if (spec_.limits.receive_delay > Time::zero()) co_await sim_.timeout(spec_.limits.receive_delay + lateness(delay_rng_[b]));
}

Time ReplicationBenchmark::lateness(sim::RandomStream& rng) {
    const auto& overshoot = spec_.hosts.timer_overshoot;
    return Time::from_seconds(overshoot.draw(rng));
}

sim::Process ReplicationBenchmark::sleep_until(std::size_t i, Time at) {
    if (at <= sim_.now()) co_return;  // a deadline already past returns at once
    co_await sim_.until(at + lateness(sleep_rng_[i]));
}

void ReplicationBenchmark::log(BenchmarkOp op, std::size_t i, std::size_t peer, Time start, std::int64_t copies, std::int64_t rows) {
    if (log_ == nullptr) return;
    for (std::int64_t c = 0; c < copies; ++c)
        log_->push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(peer), op, start, sim_.now(), static_cast<std::uint32_t>(rows)});
}

sim::Process ReplicationBenchmark::query(std::size_t client, std::size_t server, double request_bytes, Time work, bool commit,
                                         Time* done, std::int64_t rows_inserted, double reply_bytes) {
    const auto& path = query_profile_;
    const auto& db = spec_.database;
    const int syscalls = static_cast<int>(db.syscalls_per_query);
    const bool local = client == server;  // a local socket: no network packets
    const int packets = local ? 0 : 2;
    // A local query's two threads wake each other over the server's socket (a synchronous
    // wake-up): the kernel runs each on the other's CPU (wake-affine), so under a quota with
    // per-CPU run queues they take their runtime from one run queue, not two drawn apart.
    std::optional<std::size_t> run_queue;
    if (const auto& quota = instances_[client].quota; local && quota) run_queue = quota->draw_run_queue();
    co_await compute(client, path.cpu_time(db.client_work, 2, packets).seconds(), false, run_queue);
    // The request's ACK rides on the reply. The reply's: on its own, or with delayed ACK on this
    // request if it leaves in time, else as a header-only packet when the timer fired.
    if (!local && spec_.network.delayed_ack) {
        auto& due = instances_[client].reply_ack_due[server];
        if (due >= Time::zero() && sim_.now() > due)
            net_->transfer_control(instances_[client].node, instances_[server].node, 1.0, tag_, sim_.now());
        due = Time::from_ns(-1);
    }
    if (!local) co_await send(client, server, request_bytes, sim::net::Acks::piggybacked);
    const auto served = service(server, work);
    const Time server_work = served.cpu + (commit ? db.commit_work : Time::zero());
    // A connection's first statement: the server builds its table handle and transaction object.
    Time first_wait = Time::zero();
    bool first_commit = false;
    if (!instances_[client].queried[server]) {
        instances_[client].queried[server] = true;
        first_wait = db.first_statement_wait;
        first_commit = commit;
    }
    const double background = commit ? db.background_share : 0.0;
    const Time statement_cpu = server_work.scaled(1.0 - background);
    // The rows go into the data table's last page (its AUTO_INCREMENT key): writing them holds
    // that page's latch, so the server's inserting statements write one at a time, and a
    // statement's waits above its median (page reads inside the write) hold it too.
    const double latched = rows_inserted > 0 && !row_latch_.empty() ? db.row_latch_share : 0.0;
    co_await compute(server, path.cpu_time(statement_cpu.scaled(1.0 - latched), syscalls, packets).seconds(), true, run_queue);
    if (first_wait > Time::zero()) co_await sim_.timeout(Time::from_seconds(first_wait.seconds() * wait_slowness_));
    if (latched > 0.0) {
        sim::Resource& latch = *row_latch_[server];
        co_await latch.acquire();
        co_await keep_computing(server, path.cpu_time(statement_cpu.scaled(latched), 0, 0).seconds(), run_queue);
        if (served.wait > Time::zero()) co_await sim_.timeout(served.wait);
        latch.release();
    } else if (served.wait > Time::zero()) {
        co_await sim_.timeout(served.wait);
    }
    // The pages it needs that the buffer pool no longer holds, read back one after the other.
    if (rows_inserted > 0 && instances_[server].page_miss > 0.0) {
        const std::int64_t reads = pages_missed(server, db.statement_pages, instances_[server].page_miss);
        for (std::int64_t r = 0; r < reads; ++r) co_await sim_.until(page_read_end(server));
    }
    instances_[server].dirty_rows += rows_inserted;
    if (commit) ++instances_[server].commits;
    if (first_commit) queue_first_write(server);
    if (commit) {
        if (db.group_commit) co_await group_commit(server);
        else co_await sim_.until(log_flush(server).end);
        // The server thread wakes when the flush is done.
        if (const Time held = wake_delay(server); held > Time::zero()) co_await sim_.timeout(held);
    }
    if (background > 0.0) sim_.start(compute(server, path.cpu_time(server_work.scaled(background), 0, 0).seconds(), true));
    if (done != nullptr) *done = sim_.now();  // committed at the server
    if (!local && spec_.network.delayed_ack) {
        co_await send(server, client, reply_bytes, sim::net::Acks::piggybacked);
        instances_[client].reply_ack_due[server] = sim_.now() + *spec_.network.delayed_ack;
    } else if (!local) {
        co_await send(server, client, reply_bytes, sim::net::Acks::separate);
    }
    // The client thread wakes when the reply is in.
    if (const Time held = wake_delay(client); held > Time::zero()) co_await sim_.timeout(held);
}

ReplicationBenchmark::LogFlush ReplicationBenchmark::log_flush(std::size_t server) {
    const auto& path = query_profile_;
    const auto& db = spec_.database;
    auto& rng = flush_rng_[server];
    double draw = db.commit_io.draw(rng) * wait_slowness_;  // a constant draws nothing from the stream
    const Time unstalled_end = sim_.now() + Time::from_seconds(draw) + path.disk_write_cost;
    const auto& h = spec_.hosts;
    // A stall holds the disk (every flush behind it waits) and may open an episode, within which
    // each flush of the host stalls too, side by side: the disk is slow for all, not blocked.
    Time& episode_end = stall_episode_end_[instances_[server].host];
    const auto stall_s = [&] { return h.disk_stall.draw(rng) * wait_slowness_; };  // on the day
    Time episode_stall = Time::zero();
    if (sim_.now() < episode_end) {
        episode_stall = Time::from_seconds(stall_s());
        if (h.disk_stall_renewal > 0.0 && rng.uniform01() < h.disk_stall_renewal)
            episode_end = std::max(episode_end, sim_.now() + Time::from_seconds(h.disk_stall_episode.draw(rng)));
    } else if (stall_probability_ > 0.0 && rng.uniform01() < stall_probability_) {
        draw += stall_s();
        if (h.disk_stall_episode.mean() > 0.0) episode_end = sim_.now() + Time::from_seconds(h.disk_stall_episode.draw(rng));
    }
    const Time flush = Time::from_seconds(draw) + path.disk_write_cost;
    // The log flush: alone, or in the host's disk queue behind every flush before it.
    const Time flushed = spec_.hosts.disk_queue ? disks_[instances_[server].host].serve(sim_.now(), flush) : sim_.now() + flush;
    return {flushed + episode_stall, unstalled_end};
}

void ReplicationBenchmark::queue_first_write(std::size_t server) {
    const auto& write = spec_.database.first_statement_io;
    if (!spec_.hosts.disk_queue || write.is_zero()) return;
    // A constant draws nothing from the stream.
    disks_[instances_[server].host].serve(sim_.now(), Time::from_seconds(write.draw(flush_rng_[server]) * wait_slowness_));
}

sim::Process ReplicationBenchmark::group_commit(std::size_t server) {
    auto& under_way = log_flush_[server];
    if (under_way) {
        // A flush began before this commit's log record: wait for it; the first to wake leads the
        // next flush, which covers every commit waiting; the others wait for that one.
        const auto began_before = under_way;
        co_await began_before->wait();
        if (under_way) {
            const auto covering = under_way;
            co_await covering->wait();
            co_return;
        }
    }
    const auto mine = std::make_shared<sim::Trigger>(sim_);
    under_way = mine;
    const LogFlush flush = log_flush(server);
    if (!spec_.database.group_commit_waits_stalls && flush.without_stall < flush.end) {
        // The stall is this commit's own: the commits waiting for the flush go when it would
        // have ended without it.
        co_await sim_.until(flush.without_stall);
        if (under_way == mine) under_way.reset();
        mine->fire();
        co_await sim_.until(flush.end);
        co_return;
    }
    co_await sim_.until(flush.end);
    under_way.reset();
    mine->fire();
}

sim::Process ReplicationBenchmark::logged_query(BenchmarkOp op, std::size_t client, std::size_t server, double request_bytes, Time work,
                                                bool commit, Time* done, std::int64_t rows, std::int64_t copies) {
    const Time start = sim_.now();
    const auto& db = spec_.database;
    const bool lists = op == BenchmarkOp::sync_poll || op == BenchmarkOp::desync_poll;
    const bool updates = op == BenchmarkOp::desync_leave;  // UPDATE sync SET done = 1 WHERE instance = i
    const double reply_bytes = lists ? db.result_bytes_for(rows) : updates ? db.update_reply_bytes() : db.reply_bytes_for(rows);
    co_await query(client, server, request_bytes, work, commit, done, lists ? 0 : rows, reply_bytes);
    log(op, client, server, start, copies, rows);
}

sim::Process ReplicationBenchmark::connect(std::size_t client, std::size_t server) {
    const auto& db = spec_.database;
    const Time start = sim_.now();
    if (client == server) {
        // Its own database, through the server's local socket: the application's first connection,
        // which initialises the client library.
        if (db.client_start_work > Time::zero()) co_await compute(client, db.client_start_work.seconds() * start_slowness_, false);
        co_await compute(server, spec_.profile.cpu_time(db.connect_work, 20, 0).seconds(), true);
        log(BenchmarkOp::connect, client, server, start);
        co_return;
    }
    // The server looks the client's address up (a timeout where name resolution is broken).
    co_await sim_.timeout(spec_.profile.name_resolution);
    // TCP handshake, server greeting, authentication: three round trips of small packets.
    for (int round = 0; round < 3; ++round) {
        co_await send(client, server, round == 0 ? 0.0 : 100.0, sim::net::Acks::separate);
        co_await send(server, client, 100.0, sim::net::Acks::separate);
    }
    co_await compute(server, spec_.profile.cpu_time(db.connect_work, 20, 6).seconds(), true);
    log(BenchmarkOp::connect, client, server, start);
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

    // The process's start (launched by the testbed's launcher), before its first operation.
    if (db.application_start_work > Time::zero()) co_await compute(i, db.application_start_work.seconds() * start_slowness_, false);

    // 1. Sync: connect to its own database and to every peer's, join the sync table, list it until
    // every instance has joined (at once, then every poll period).
    me.sync_start = sim_.now();
    ++me.phase_bounds;
    co_await connect(i, i);
    for (std::size_t peer = 0; peer < n; ++peer)
        if (peer != i) co_await connect(i, peer);
    co_await logged_query(BenchmarkOp::sync_insert, i, kMaster, db.query_bytes.bytes, db.insert_work, true, nullptr, 1);
    ++sync_rows_;
    ++sync_rows_not_done_;
    while (true) {
        co_await logged_query(BenchmarkOp::sync_poll, i, kMaster, db.query_bytes.bytes, db.select_work, false, nullptr, sync_rows_);
        if (sync_rows_ >= w.instances) break;
        co_await sleep_until(i, sim_.now() + w.poll_period);
    }

    // 2. Main loop.
    me.main_start = sim_.now();
    ++me.phase_bounds;
    const Time period = Time::from_seconds(1.0 / w.rate.per_second);
    const auto ag = static_cast<std::size_t>(w.aggregation);
    const std::vector<Time>* schedule = driven_ != nullptr && i < driven_->size() ? &(*driven_)[i] : nullptr;
    std::size_t next_op = 0;  // in the driven schedule
    // Driven: the next main-loop operation waits for its recorded start.
    auto driven_start = [&]() -> std::optional<Time> {
        if (schedule == nullptr || next_op >= schedule->size()) return std::nullopt;
        return me.main_start + (*schedule)[next_op++];
    };
    std::vector<Time> pending;  // local commit times of the rows not yet sent
    Time next_start = sim_.now();
    for (std::int64_t k = 0; k < w.inserts; ++k) {
        const auto recorded = driven_start();
        me.insert_at = k;
        me.insert_at_start = recorded ? *recorded : next_start;
        co_await sleep_until(i, recorded ? *recorded : next_start);
        const Time started = sim_.now();
        me.insert_at_start = started;
        // The application builds the statement (and records the last operation).
        if (db.loop_work > Time::zero()) co_await compute(i, db.loop_work.seconds(), false);
        const Time sent_local = sim_.now();
        Time committed;
        co_await logged_query(BenchmarkOp::local_insert, i, i, db.query_bytes.bytes + db.row_bytes.bytes, db.insert_work, true,
                              &committed, 1);
        if (keep_figures_) insert_ms_.add((sim_.now() - sent_local).milliseconds());
        pending.push_back(committed);
        if (w.remote_inserts && pending.size() == ag) {
            const double bytes = db.query_bytes.bytes + db.row_bytes.bytes * static_cast<double>(ag);
            const Time work = db.batch_fixed_work + db.batch_row_work * static_cast<std::int64_t>(ag);
            if (db.loop_work > Time::zero()) co_await compute(i, db.loop_work.seconds(), false);
            for (std::size_t peer = 0; peer < n; ++peer) {
                if (peer == i) continue;
                if (const auto at = driven_start()) co_await sim_.until(*at);
                const Time sent = sim_.now();
                Time at_peer;
                co_await logged_query(BenchmarkOp::batch_send, i, peer, bytes, work, true, &at_peer, static_cast<std::int64_t>(ag));
                if (keep_figures_) {
                    batch_ms_.add((sim_.now() - sent).milliseconds());
                    for (const Time t : pending) lag_ms_.add((at_peer - t).milliseconds());
                }
            }
            pending.clear();
        } else if (!w.remote_inserts) {
            pending.clear();
        }
        // The next insert starts a period after this one started, or now if the work overran.
        next_start = std::max(started + period, sim_.now());
    }
    me.main_end = sim_.now();
    ++me.phase_bounds;

    // 3. Desync: mark its sync row done, list the undone rows until there are none.
    co_await logged_query(BenchmarkOp::desync_leave, i, kMaster, db.query_bytes.bytes, db.insert_work, true, nullptr);
    --sync_rows_not_done_;
    while (true) {
        co_await logged_query(BenchmarkOp::desync_poll, i, kMaster, db.query_bytes.bytes, db.select_work, false, nullptr,
                              sync_rows_not_done_);
        if (sync_rows_not_done_ <= 0) break;
        co_await sleep_until(i, sim_.now() + w.poll_period);
    }
    me.desync_end = sim_.now();
    ++me.phase_bounds;

    // 4. Verify: count the local table's rows per origin (every instance's, or its own in the baseline).
    const std::int64_t origins = w.remote_inserts ? w.instances : 1;
    const Time count_work = db.select_work + db.count_row_work * (origins * w.inserts);
    co_await logged_query(BenchmarkOp::count_rows, i, i, db.query_bytes.bytes, count_work, false, nullptr, 0, origins);
    ++finished_;
}

NodeActivity ReplicationBenchmark::activity(std::size_t i) const {
    const auto& inst = instances_[i];
    NodeActivity a;
    a.cpu_s = inst.cpu_s + spec_.database.server_start_work.seconds() * cpu_slowness_;
    // Link i: direction 2i leaves the node, 2i + 1 reaches it.
    const auto& out = net_->stats(static_cast<sim::net::DirectionId>(2 * i)).by_tag[tag_];
    const auto& in = net_->stats(static_cast<sim::net::DirectionId>(2 * i + 1)).by_tag[tag_];
    a.sent_bytes = out.wire_bytes;
    a.sent_packets = static_cast<double>(out.packets);
    a.received_bytes = in.wire_bytes;
    a.received_packets = static_cast<double>(in.packets);
    if (inst.quota) {
        a.throttled = inst.quota->throttled_time();
        a.throttled_periods = inst.quota->throttled_periods();
    }
    return a;
}

MysqlRepFigures ReplicationBenchmark::figures() const {
    TBSIM_CHECK(keep_figures_, "ReplicationBenchmark::figures after skip_figures");
    const auto& w = spec_.workload;
    sim::Tally boot, sync, main, desync;
    const double nominal = static_cast<double>(w.inserts) / w.rate.per_second;
    const double period = 1.0 / w.rate.per_second;
    // A run cut short by its duration leaves an instance's phase unfinished: it lasts until the end.
    auto bound = [this](const Instance& inst, int k, Time t) { return inst.phase_bounds > k ? t : sim_.now(); };
    for (std::size_t i = 0; i < instances_.size(); ++i) {
        const auto& inst = instances_[i];
        const Time sync_start = bound(inst, 0, inst.sync_start), main_start = bound(inst, 1, inst.main_start);
        const Time main_end = bound(inst, 2, inst.main_end), desync_end = bound(inst, 3, inst.desync_end);
        boot.add(sync_start.seconds());
        sync.add((main_start - sync_start).seconds());
        double main_s = (main_end - main_start).seconds();
        // An unfinished main loop paces itself (model mode): its last insert starts at least a period
        // per insert after the one in progress or waited for, (K - 1) periods after its start if it
        // has not started.
        const bool paced = driven_ == nullptr || i >= driven_->size();
        if (paced && inst.phase_bounds < 3) {
            const double left = static_cast<double>(w.inserts - 1 - inst.insert_at) * period;
            main_s = std::max(main_s, inst.phase_bounds < 2 ? static_cast<double>(w.inserts - 1) * period
                                                              : (inst.insert_at_start - main_start).seconds() + left);
        }
        main.add(main_s);
        desync.add((desync_end - main_end).seconds());
    }
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
    f.keeps_up = f.finished && f.slowdown <= kKeepsUpSlowdown;  // a run cut short has only a lower bound of its slowdown
    f.insert_latency_ms = dist(insert_ms_);
    f.batch_latency_ms = dist(batch_ms_);
    f.replication_lag_ms = {lag_ms_.mean(), lag_ms_.percentile(0.5), lag_ms_.percentile(0.95), lag_ms_.percentile(0.99)};
    // Host CPU utilisation over the benchmark (time zero to the last instance's end): the work its
    // nodes did, their OS's idle load included, over its cores.
    Time end;
    for (const auto& inst : instances_) end = std::max(end, bound(inst, 3, inst.desync_end));
    for (std::size_t h = 0; h < host_cores_.size(); ++h) {
        double work = 0.0;
        std::size_t nodes = 0;
        for (std::size_t c = 0; c < cpus_.size(); ++c) {
            const bool on_host = spec_.placement.shared_node ? h == 0 : c % host_cores_.size() == h;
            if (!on_host) continue;
            work += cpus_[c].cores->work_done();
            ++nodes;
        }
        if (spec_.placement.shares_host_cpu()) nodes = static_cast<std::size_t>(std::count_if(
            instances_.begin(), instances_.end(), [h](const Instance& inst) { return inst.host == h; }));
        work += spec_.profile.idle_load * static_cast<double>(nodes) * end.seconds();
        f.host_cpu_utilisation.push_back(end > Time::zero() ? work / (host_cores_[h] * end.seconds()) : 0.0);
    }
    double bytes = 0.0;
    for (sim::net::DirectionId d = 0; d < net_->topology().direction_count(); ++d) bytes += net_->stats(d).by_tag[tag_].wire_bytes;
    f.network_bytes = bytes / 2.0;  // each message crosses two links (node -> switch -> node)
    return f;
}

}  // namespace tbsim::models::mysqlrep
