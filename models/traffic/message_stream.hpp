// A stream of application messages between nodes: a generic workload (a service heartbeat, a
// telemetry feed, a bulk transfer) that needs no specific model. Each source node runs its own
// generator with its own random stream; a message may be answered by a reply.
//
//   workloads:
//     - name: heartbeat
//       from: [server-1, server-2]     # one generator per source
//       to: controller
//       pattern: periodic              # or poisson
//       period: 10s                    # periodic: time between messages; poisson: `rate: 6/min`
//       jitter: 5%                     # periodic: each interval scaled by 1 +/- U(0, jitter)
//       phase: random                  # first message at U(0, period) (or a duration, e.g. 2s)
//       size: 1200B                    # or a distribution (value_distribution.hpp)
//       reply_size: 300B               # optional answer from `to` to the source
//       tag: amqp                      # protocol tag the bytes are counted under
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/config/config_node.hpp"
#include "sim/config/param_table.hpp"
#include "sim/core/simulation.hpp"
#include "sim/core/units.hpp"
#include "sim/net/network.hpp"
#include "sim/random/value_distribution.hpp"

namespace tbsim::models::traffic {

struct MessageStreamSpec {
    enum class Pattern { periodic, poisson };
    std::string name;
    std::vector<std::string> from;
    std::string to;
    Pattern pattern = Pattern::periodic;
    sim::Time period = sim::Time::from_s(10);
    sim::Frequency rate{0.1};
    sim::Fraction jitter{0.0};
    std::optional<sim::Time> phase;  // fixed first offset; empty means random in [0, period)
    sim::Time stop = sim::Time::max();
    sim::ValueDistribution size = sim::ValueDistribution::constant(1000);
    std::optional<sim::ValueDistribution> reply_size;
    std::string tag = "app";
};

/// Reads one entry of `workloads:`; node names are checked against `nodes`.
MessageStreamSpec read_message_stream(const sim::ConfigNode& node, const std::vector<std::string>& nodes);

class Generator;

/// The running stream: one generator per source node, alive as long as the simulation runs.
class MessageStream {
public:
    MessageStream(sim::Simulation& sim, sim::net::Network& net, const MessageStreamSpec& spec);
    ~MessageStream();
    MessageStream(const MessageStream&) = delete;
    MessageStream& operator=(const MessageStream&) = delete;
    /// Schedules each generator's first message.
    void start();

private:
    std::vector<std::unique_ptr<Generator>> generators_;
};

/// The declarations of a `workloads:` entry.
const sim::ParamTable<MessageStreamSpec>& message_stream_table();

}  // namespace tbsim::models::traffic
