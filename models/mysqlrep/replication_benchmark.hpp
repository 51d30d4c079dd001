// Study A's MySQL replication benchmark, run as processes over the hosts' CPUs and the network.
//
// N instances, each an application and its own MySQL database on a node (a VM, a container, ...).
// 1. Sync: connect to every peer (a handshake, and the profile's name-resolution delay per
//    connection), insert a row into the master's sync table (the master is instance 0, the lowest
//    address), list that table every poll period until it holds N rows.
// 2. Main loop (timed): at rate D, a local insert of a random tuple; after every AG local inserts,
//    those AG tuples as one batch into each of the other N-1 databases, one after the other. An
//    insert starts a period after the previous one started, or as soon as the previous work ends
//    if that is later: an application that falls behind stays behind.
// 3. Desync: delete its row from the master's sync table, list it until it is empty.
// 4. Verify: count the local table's rows per origin.
// Every database operation runs on the CPU of the database's node (processor sharing, reduced by
// the nodes' idle load), or of the host its containers share, with the node profile's per-call,
// per-packet and per-write costs; messages cross the network with the profile's added latency per
// packet path. The testbed's mechanisms (docs/mysqlrep.md) are there when the scenario sets them:
// a CPU quota per node (CFS bandwidth), a token bucket on both ends of each node's link, a delay on
// what a node receives, the wake-up of an idle host, the lateness of a sleeping application, and
// service times spread as distributions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "models/mysqlrep/benchmark_spec.hpp"
#include "models/mysqlrep/mysqlrep_figures.hpp"
#include "models/mysqlrep/operation_log.hpp"
#include "sim/core/process.hpp"
#include "sim/core/random_stream.hpp"
#include "sim/net/network.hpp"
#include "sim/net/token_bucket.hpp"
#include "sim/resources/cpu_quota.hpp"
#include "sim/resources/fifo_device.hpp"
#include "sim/resources/processor_sharing.hpp"
#include "sim/scenario/scenario_model.hpp"
#include "sim/stats/log_histogram.hpp"
#include "sim/stats/tally.hpp"

namespace tbsim::models::mysqlrep {

struct BenchmarkSpec {
    DatabaseCosts database;
    Workload workload;
    Hosts hosts;
    Placement placement;
    virt::VirtProfile profile;
    NetworkSpec network;
    Limits limits;
};

/// When each instance's main-loop operations start, relative to its main loop's start (a recorded
/// trace's, for `tbsim replay --mode driven`): an operation starts at its time or when the one
/// before it ends, whichever is later. Instances or operations past the end pace themselves.
using DrivenStarts = std::vector<std::vector<sim::Time>>;

/// What one node (an instance's container or VM) did over the run.
struct NodeActivity {
    double cpu_s = 0.0;           // CPU of its application and database
    double sent_bytes = 0.0;      // wire bytes it sent and received
    double received_bytes = 0.0;
    double sent_packets = 0.0, received_packets = 0.0;
    sim::Time throttled;          // time its CPU quota held it back
    std::int64_t throttled_periods = 0;
};

class ReplicationBenchmark {
public:
    /// `log`: if given, every operation is appended to it. `driven`: if given, main-loop
    /// operations start at those times instead of the benchmark's own pacing.
    ReplicationBenchmark(sim::Simulation& sim, const BenchmarkSpec& spec, std::vector<OperationRecord>* log = nullptr,
                         const DrivenStarts* driven = nullptr);
    ~ReplicationBenchmark();

    /// Starts every instance's application.
    void start();
    bool finished() const { return finished_ == spec_.workload.instances; }
    /// Figures after the run (docs/outputs.md, model mysqlrep); not after skip_figures().
    MysqlRepFigures figures() const;
    /// Keeps none of the latencies and lags that only figures() reads: a replay reads the
    /// operations' log and the nodes' activity, and a lag per row and peer costs a logarithm.
    void skip_figures() { keep_figures_ = false; }
    /// What instance `i`'s node did.
    NodeActivity activity(std::size_t i) const;

private:
    struct Instance {
        std::size_t host = 0;
        std::size_t cpu = 0;
        std::size_t cpu_group = 0;  // its threads' group on that processor
        std::size_t round_group = 0;  // its server's background round's group there (hosts.page_flush_cpu_background)
        sim::net::NodeId node = 0;
        sim::Time sync_start, main_start, main_end, desync_end;
        int phase_bounds = 0;  // how many of the four times above the instance has reached, in order
        // The main loop's insert in progress or waited for, and its start (once started) or the
        // earliest it can start: with the inserts after it at one period each, a lower bound of
        // the main loop's end for a run cut short (model mode).
        std::int64_t insert_at = 0;
        sim::Time insert_at_start;
        double cpu_s = 0.0;
        std::unique_ptr<sim::CpuQuota> quota;
        std::unique_ptr<sim::net::TokenBucket> egress, ingress;  // tc tbf inside the node, and on the host's end
        std::int64_t dirty_rows = 0;  // inserted into its database since its last page flush
        std::int64_t commits = 0;     // transactions its server committed since its last round
        double page_miss = 0.0;       // probability that a page its server needs was evicted (database.buffer_pool_commits)
        std::vector<bool> queried;  // per server: this instance's connection to it has run a statement
        // Per server: when the ACK of the last reply from it leaves on its own if no request has
        // carried it (delayed ACK); negative: none pending.
        std::vector<sim::Time> reply_ack_due;
    };
    // A processor, and the wake-up its next database work owes: work that arrives at an idle
    // processor sets it from the idle gap; the first database thread to run after pays it (the
    // thread is woken on a core that has been idle as long).
    struct Cpu {
        std::unique_ptr<sim::ProcessorSharing> cores;
        double owed_wake_s = 0.0;
    };

    sim::Process application(std::size_t i);
    /// A query from instance `client` to the database of instance `server`; returns when the client
    /// has the reply. `work` is the native CPU of the query at the server.
    /// `rows_inserted`: dirty pages for the server's next page flush; `reply_bytes`: what the server answers.
    sim::Process query(std::size_t client, std::size_t server, double request_bytes, sim::Time work, bool commit, sim::Time* done,
                       std::int64_t rows_inserted, double reply_bytes);
    /// The same, logged as `op` (a query of the application's own loop) with `rows`: the rows it
    /// inserts, or those it lists for a poll of the sync table (its reply is then a result set).
    sim::Process logged_query(BenchmarkOp op, std::size_t client, std::size_t server, double request_bytes, sim::Time work,
                              bool commit, sim::Time* done, std::int64_t rows = 0, std::int64_t copies = 1);
    /// The redo log's flush at a commit on instance `server`'s database, starting now: its draw of
    /// commit_io and the disk's stalls, alone or in the host's disk queue. `end`: when it ends;
    /// `without_stall`: when it would have ended without a stall, had it not queued.
    struct LogFlush {
        sim::Time end, without_stall;
    };
    LogFlush log_flush(std::size_t server);
    /// A connection's first commit on instance `server`'s database queues database.first_statement_io
    /// on the host's disk (hosts.disk_queue), without waiting for it.
    void queue_first_write(std::size_t server);
    /// A commit's wait for the log under database.group_commit: leads a flush, or waits for the one
    /// under way and then shares the next.
    sim::Process group_commit(std::size_t server);
    /// Instance `i`'s database server's background round every page_flush_period: its dirty pages
    /// written (disk_queue), its CPU, the pages its pool lost read back (database.page_read), the
    /// purge under the last-page latch (hosts.page_flush_cpu_latches).
    sim::Process page_flusher(std::size_t i);
    /// Server i's purge: `work` seconds of CPU for each of `commits` commits, each holding the
    /// server's last-page latch (hosts.page_flush_cpu_latches).
    sim::Process purge_under_latch(std::size_t i, std::int64_t commits, double work);
    /// One of server i's background round's threads reading back `pages` evicted pages.
    sim::Process purge_reader(std::size_t i, std::int64_t pages);
    /// A read of one page by server i, starting now (database.page_read): when it completes.
    sim::Time page_read_end(std::size_t i);
    /// How many of `pages` (a mean; its fraction drawn) a read of server i finds evicted.
    std::int64_t pages_missed(std::size_t i, double pages, double miss);
    /// The page cleaner writing back server i's last page of the data table: holds the page's
    /// latch (database.row_latch_share) from now until `until`, when the write completes.
    sim::Process hold_row_latch_until(std::size_t i, sim::Time until);
    /// The testbed's launcher: starts the applications one after the other (database.launch_work).
    sim::Process launcher();
    sim::Process connect(std::size_t client, std::size_t server);
    /// `work` seconds of native-scaled CPU of instance `i`'s node: for a database thread
    /// (`database`), the wake-up the processor owes; the node's quota; its share of the processor.
    /// `run_queue`: the CPU whose run queue of the node's quota the thread wakes on (drawn if none).
    sim::Process compute(std::size_t i, double work, bool database, std::optional<std::size_t> run_queue = std::nullopt);
    /// More CPU for a thread of instance `i` that is already running (no wake-up): its quota, its
    /// share of the processor.
    sim::Process keep_computing(std::size_t i, double work, std::optional<std::size_t> run_queue);
    /// The CPU of server i's background round, in the cores' idle time, under its quota.
    sim::Process compute_in_background(std::size_t i, double work);
    /// How long a thread of instance `i` that wakes now waits for a foreign process to leave its
    /// core (hosts.foreign_cores, foreign_wait); zero most of the time.
    sim::Time foreign_delay(std::size_t i);
    /// How long a thread of instance `i` that is woken takes to run: the foreign delay, plus the
    /// day's wake latency (hosts.wake_latency) where `pays_latency`.
    sim::Time wake_delay(std::size_t i, bool pays_latency = true) {
        return foreign_delay(i) + (pays_latency ? wake_latency_ : sim::Time::zero());
    }
    /// A message of `bytes` from instance `a`'s node to `b`'s, through the limits; returns on delivery.
    sim::Process send(std::size_t a, std::size_t b, double bytes, sim::net::Acks acks);
    /// How late a process that sleeps until a deadline wakes: a draw of hosts.timer_overshoot.
    sim::Time lateness(sim::RandomStream& rng);
    /// Sleeps until `at`, waking late by the host's timer overshoot.
    sim::Process sleep_until(std::size_t i, sim::Time at);
    /// A server's CPU work for one query: `work` spread by the service distribution.
    /// A query's server time drawn around `work`: what runs on the CPU and what waits off it.
    struct ServiceTime {
        sim::Time cpu, wait;
    };
    ServiceTime service(std::size_t server, sim::Time work);
    double wire_bytes(double payload) const;
    void log(BenchmarkOp op, std::size_t i, std::size_t peer, sim::Time start, std::int64_t copies = 1, std::int64_t rows = 0);

    sim::Simulation& sim_;
    const BenchmarkSpec& spec_;
    // The profile as the instances' queries see it: between separate nodes a packet pays every
    // layer; inside one shared node (containers in a VM) only the innermost layer's bridge.
    virt::VirtProfile query_profile_;
    std::unique_ptr<sim::net::Network> net_;
    sim::net::TagId tag_;
    std::vector<OperationRecord>* log_;
    const DrivenStarts* driven_;
    std::vector<Cpu> cpus_;             // one per node (VM, container, shared VM), or per host when nodes share it
    std::vector<double> host_cores_;    // physical cores of each host
    std::vector<sim::FifoDevice> disks_;  // one per host (disk_queue)
    std::vector<sim::Time> stall_episode_end_;  // per host: flushes starting before this stall (disk_stall_episode)
    // Per server, under database.group_commit: the log flush under way, fired when it ends (null: none).
    std::vector<std::shared_ptr<sim::Trigger>> log_flush_;
    // Per server, under database.row_latch_share: the latch of the data table's last page.
    std::vector<std::unique_ptr<sim::Resource>> row_latch_;
    std::vector<sim::RandomStream> service_rng_, sleep_rng_, flush_rng_, foreign_rng_;  // per instance
    std::vector<sim::RandomStream> page_rng_;   // per server: its page reads (database.page_read)
    std::vector<sim::RandomStream> delay_rng_;  // per receiving instance: the delay daemon's lateness
    double cpu_slowness_ = 1.0;         // the host's speed on the day (hosts.setup_time), and a quota's hosts.quota_cpu_factor: multiplies every CPU time
    double stall_probability_ = 0.0;    // of a log flush, on this host (hosts.stall_probability)
    double start_slowness_ = 1.0;       // the applications' start on the day (hosts.start_elasticity), on top of cpu_slowness_
    double wait_slowness_ = 1.0;        // the same gauge for the host's other times (wake-ups, waits, flushes, stalls)
    sim::Time wake_latency_;            // hosts.wake_latency on the day
    bool direct_cpu_ = true;            // no wake-up or wake latency, no quota, no foreign load: work goes straight to the processor
    bool direct_net_ = true;            // no token bucket and no delay
    std::vector<Instance> instances_;
    // The master's sync table, as the application uses it: a row per instance that joined, kept (sync
    // counts every row), and marked done when its instance leaves (desync counts the rows not done).
    // Deleting rows instead left an instance that had not yet seen all N rows waiting forever once a
    // faster one had finished its main loop (a short run: 200 inserts at 14528/min and up).
    std::int64_t sync_rows_ = 0;
    std::int64_t sync_rows_not_done_ = 0;
    std::int64_t finished_ = 0;
    sim::Tally insert_ms_;
    sim::Tally batch_ms_;
    sim::LogHistogram lag_ms_;
    bool keep_figures_ = true;  // insert_ms_, batch_ms_ and lag_ms_ (skip_figures)
};

}  // namespace tbsim::models::mysqlrep
