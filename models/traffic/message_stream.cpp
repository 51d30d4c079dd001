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

void check_node(const sim::ConfigNode& n, const std::vector<std::string>& nodes) {
    if (std::find(nodes.begin(), nodes.end(), n.text()) == nodes.end()) n.fail(fmt::format("no node is called '{}'", n.text()));
}

}  // namespace

MessageStreamSpec read_message_stream(const sim::ConfigNode& node, const std::vector<std::string>& nodes) {
    MessageStreamSpec s;
    s.name = node.required("name").text();
    for (const auto& f : node.required("from").items(true)) {
        check_node(f, nodes);
        s.from.push_back(f.text());
    }
    const auto to = node.required("to");
    check_node(to, nodes);
    s.to = to.text();
    if (auto p = node.child("pattern")) {
        const std::string text = p->text();
        if (text == "periodic") s.pattern = MessageStreamSpec::Pattern::periodic;
        else if (text == "poisson") s.pattern = MessageStreamSpec::Pattern::poisson;
        else p->fail(fmt::format("expected periodic or poisson, got \"{}\"", text));
    }
    if (s.pattern == MessageStreamSpec::Pattern::periodic) {
        const auto period = node.required("period");
        s.period = period.duration();
        if (s.period <= Time::zero()) period.fail("must be greater than zero");
        if (auto j = node.child("jitter")) s.jitter = j->fraction();
        if (auto ph = node.child("phase")) {
            if (ph->is_scalar() && ph->text() == "random") s.phase.reset();
            else {
                s.phase = ph->duration();
                if (*s.phase < Time::zero()) ph->fail("must not be negative");
            }
        }
    } else {
        const auto rate = node.required("rate");
        s.rate = rate.frequency();
        if (s.rate.per_second <= 0) rate.fail("must be greater than zero");
    }
    if (auto stop = node.child("stop")) s.stop = stop->duration();
    if (auto size = node.child("size")) s.size = sim::ValueDistribution::read_data_size(*size);
    if (auto reply = node.child("reply_size")) s.reply_size = sim::ValueDistribution::read_data_size(*reply);
    if (auto tag = node.child("tag")) s.tag = tag->text();
    return s;
}

MessageStream::MessageStream(sim::Simulation& sim, sim::net::Network& net, const MessageStreamSpec& spec) {
    for (const auto& source : spec.from) generators_.push_back(std::make_unique<Generator>(sim, net, spec, source));
}

MessageStream::~MessageStream() = default;

void MessageStream::start() {
    for (auto& g : generators_) g->start();
}

std::string describe_message_stream_keys() {
    return "workload (message stream), one entry of `workloads:`\n"
           "  name                     string      (required)   names the stream and its random streams\n"
           "  from                     node names  (required)   one generator per source node\n"
           "  to                       node name   (required)   destination node\n"
           "  pattern                  string      periodic     periodic or poisson\n"
           "  period                   duration    10s          periodic: time between messages\n"
           "  jitter                   fraction    0%           periodic: each interval x (1 +/- U(0, jitter))\n"
           "  phase                    duration    random       periodic: first message time, or random in [0, period)\n"
           "  rate                     frequency   (poisson)    poisson: mean messages per unit of time\n"
           "  stop                     duration    never        no message starts at or after this time\n"
           "  size                     data size   1000B        message payload, or a distribution\n"
           "  reply_size               data size   none         payload of the reply from `to`, or a distribution\n"
           "  tag                      string      app          protocol tag the bytes are counted under\n";
}

}  // namespace tbsim::models::traffic
