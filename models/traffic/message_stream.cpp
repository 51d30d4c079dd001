#include "models/traffic/message_stream.hpp"

#include <algorithm>
#include <memory>

#include <fmt/format.h>

#include "sim/random/distributions.hpp"

namespace tbsim::models::traffic {
using sim::Time;

// One source node of a stream: draws its next send time and message size from its own stream.
class Generator {
public:
    Generator(sim::Simulation& sim, sim::net::Network& net, const MessageStreamSpec& spec, std::string_view source)
        : sim_(sim),
          net_(net),
          spec_(spec),
          from_(net.node(source)),
          to_(net.node(spec.to)),
          tag_(net.tag(spec.tag)),
          rng_(sim.rng(fmt::format("traffic/{}/{}", spec.name, source))) {}

    void start() {
        Time first;
        if (spec_.pattern == MessageStreamSpec::Pattern::poisson) first = next_gap();
        else if (spec_.phase) first = *spec_.phase;
        else first = Time::from_seconds(sim::draw_uniform(rng_, 0.0, spec_.period.seconds()));
        schedule(first);
    }

private:
    Time next_gap() {
        if (spec_.pattern == MessageStreamSpec::Pattern::poisson)
            return Time::from_seconds(sim::draw_exponential(rng_, 1.0 / spec_.rate.per_second));
        const double j = spec_.jitter.value;
        return spec_.period.scaled(j > 0 ? 1.0 + sim::draw_uniform(rng_, -j, j) : 1.0);
    }

    void schedule(Time delay) {
        if (sim_.now() + delay >= spec_.stop) return;
        sim_.schedule_in(delay, [this] { fire(); });
    }

    void fire() {
        const double bytes = spec_.size.draw(rng_);
        if (spec_.reply_size) {
            const double reply = spec_.reply_size->draw(rng_);
            net_.send(from_, to_, bytes, tag_, [this, reply] { net_.send(to_, from_, reply, tag_); });
        } else {
            net_.send(from_, to_, bytes, tag_);
        }
        schedule(next_gap());
    }

    sim::Simulation& sim_;
    sim::net::Network& net_;
    const MessageStreamSpec& spec_;
    sim::net::NodeId from_;
    sim::net::NodeId to_;
    sim::net::TagId tag_;
    sim::RandomStream rng_;
};

namespace {

using Pattern = MessageStreamSpec::Pattern;

void check_node(const sim::ConfigNode& n, const std::vector<std::string>& nodes) {
    if (std::find(nodes.begin(), nodes.end(), n.text()) == nodes.end()) n.fail(fmt::format("no node is called '{}'", n.text()));
}

std::string none(const MessageStreamSpec&) { return {}; }

// The keys that only one pattern takes.
void check_pattern(const sim::ConfigNode& map, MessageStreamSpec& s) {
    const bool periodic = s.pattern == Pattern::periodic;
    for (const char* key : {"period", "jitter", "phase"})
        if (!periodic && map.has(key)) map.required(key).fail("only a periodic stream has this key (this one is poisson)");
    if (periodic && map.has("rate")) map.required("rate").fail("only a poisson stream has a rate (this one is periodic: give its period)");
    if (periodic && !map.has("period")) map.fail("missing required key 'period' (a periodic stream)");
    if (!periodic && !map.has("rate")) map.fail("missing required key 'rate' (a poisson stream)");
}

}  // namespace

const sim::ParamTable<MessageStreamSpec>& message_stream_table() {
    using sim::Check;
    using sim::param;
    static const sim::ParamTable<MessageStreamSpec> t{
        "workload (one message stream of `workloads:`)",
        {
            param("name", &MessageStreamSpec::name, "names the stream and its random streams traffic/<name>/<source>").required(),
            sim::custom_param<MessageStreamSpec>(
                "from", "node names", "source nodes, each with its own generator",
                [](const sim::ConfigNode& n, MessageStreamSpec& s) {
                    s.from.clear();
                    for (const auto& f : n.items(true)) s.from.push_back(f.text());
                },
                none)
                .required(),
            param("to", &MessageStreamSpec::to, "destination node").required(),
            sim::custom_param<MessageStreamSpec>(
                "pattern", "string", "periodic or poisson",
                [](const sim::ConfigNode& n, MessageStreamSpec& s) {
                    const std::string text = n.text();
                    if (text == "periodic") s.pattern = Pattern::periodic;
                    else if (text == "poisson") s.pattern = Pattern::poisson;
                    else n.fail(fmt::format("expected periodic or poisson, got \"{}\"", text));
                },
                [](const MessageStreamSpec& s) { return std::string(s.pattern == Pattern::periodic ? "periodic" : "poisson"); }),
            param("period", &MessageStreamSpec::period, "periodic (required): time between messages", Check::positive),
            param("jitter", &MessageStreamSpec::jitter, "periodic: each interval is period x (1 + U(-jitter, jitter))"),
            sim::custom_param<MessageStreamSpec>(
                "phase", "duration", "periodic: time of the first message, or `random`: uniform in [0, period)",
                [](const sim::ConfigNode& n, MessageStreamSpec& s) {
                    if (n.is_scalar() && n.text() == "random") {
                        s.phase.reset();
                        return;
                    }
                    s.phase = n.duration();
                    if (*s.phase < Time::zero()) n.fail("must not be negative");
                },
                [](const MessageStreamSpec& s) { return s.phase ? sim::format_duration(*s.phase) : std::string("random"); }),
            param("rate", &MessageStreamSpec::rate, "poisson (required): mean messages per unit of time", Check::positive),
            sim::custom_param<MessageStreamSpec>(
                "stop", "duration", "no message starts at or after this time",
                [](const sim::ConfigNode& n, MessageStreamSpec& s) { s.stop = n.duration(); },
                [](const MessageStreamSpec& s) { return s.stop == Time::max() ? std::string("never") : sim::format_duration(s.stop); }),
            sim::distribution_param("size", &MessageStreamSpec::size, sim::ValueKind::data_size, "payload of each message"),
            sim::distribution_param("reply_size", &MessageStreamSpec::reply_size, sim::ValueKind::data_size,
                                    "payload of the reply sent back when the message arrives"),
            param("tag", &MessageStreamSpec::tag, "protocol tag the bytes are counted under"),
        },
        check_pattern};
    return t;
}

MessageStreamSpec read_message_stream(const sim::ConfigNode& node, const std::vector<std::string>& nodes) {
    MessageStreamSpec s;
    message_stream_table().read(node, s);
    for (const auto& f : node.required("from").items(true)) check_node(f, nodes);
    check_node(node.required("to"), nodes);
    return s;
}

MessageStream::MessageStream(sim::Simulation& sim, sim::net::Network& net, const MessageStreamSpec& spec) {
    for (const auto& source : spec.from) generators_.push_back(std::make_unique<Generator>(sim, net, spec, source));
}

MessageStream::~MessageStream() = default;

void MessageStream::start() {
    for (auto& g : generators_) g->start();
}

}  // namespace tbsim::models::traffic
