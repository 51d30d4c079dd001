#include "sim/random/value_distribution.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace tbsim::sim {

ValueDistribution ValueDistribution::constant(double value) {
    ValueDistribution d;
    d.kind_ = Kind::constant;
    d.a_ = value;
    return d;
}
ValueDistribution ValueDistribution::uniform(double low, double high) {
    ValueDistribution d;
    d.kind_ = Kind::uniform;
    d.a_ = low;
    d.b_ = high;
    return d;
}
ValueDistribution ValueDistribution::exponential(double mean) {
    ValueDistribution d;
    d.kind_ = Kind::exponential;
    d.a_ = mean;
    return d;
}
ValueDistribution ValueDistribution::normal(double mean, double stddev) {
    ValueDistribution d;
    d.kind_ = Kind::normal;
    d.a_ = mean;
    d.b_ = stddev;
    return d;
}
ValueDistribution ValueDistribution::lognormal(double median, double sigma) {
    ValueDistribution d;
    d.kind_ = Kind::lognormal;
    d.a_ = median;
    d.b_ = sigma;
    d.log_a_ = std::log(median);
    return d;
}
ValueDistribution ValueDistribution::empirical(EmpiricalDistribution table) {
    ValueDistribution d;
    d.kind_ = Kind::empirical;
    d.table_ = std::move(table);
    return d;
}

ValueDistribution ValueDistribution::read(const ConfigNode& node, const std::function<double(const ConfigNode&)>& read_value) {
    auto non_negative = [&](const ConfigNode& n) {
        const double v = read_value(n);
        if (v < 0) n.fail("must not be negative");
        return v;
    };
    if (node.is_scalar()) return constant(non_negative(node));
    if (!node.is_map() || node.keys().size() != 1)
        node.fail("expected a value, or a mapping with one of: uniform, exponential, normal, lognormal, empirical");
    const std::string kind = node.keys().front();
    const ConfigNode body = *node.child(kind);
    if (kind == "uniform") {
        const auto ends = body.items();
        if (ends.size() != 2) body.fail("expected [low, high]");
        const double lo = non_negative(ends[0]), hi = non_negative(ends[1]);
        if (hi < lo) body.fail("high must not be below low");
        return uniform(lo, hi);
    }
    if (kind == "exponential") return exponential(non_negative(body));
    if (kind == "normal") {
        const double mean = non_negative(body.required("mean"));
        const double sd = non_negative(body.required("stddev"));
        return normal(mean, sd);
    }
    if (kind == "lognormal") {
        const auto median_node = body.required("median");
        const double median = non_negative(median_node);
        if (median <= 0) median_node.fail("must be greater than zero");
        const auto sigma_node = body.required("sigma");
        const double sigma = sigma_node.number();
        if (sigma < 0) sigma_node.fail("must not be negative");
        return lognormal(median, sigma);
    }
    if (kind == "empirical") {
        std::vector<EmpiricalDistribution::Point> points;
        for (const auto& item : body.items()) {
            const auto pair = item.items();
            if (pair.size() != 2) item.fail("expected [value, cumulative probability]");
            points.push_back({non_negative(pair[0]), pair[1].number()});
        }
        try {
            return empirical(EmpiricalDistribution(std::move(points)));
        } catch (const std::invalid_argument& e) {
            body.fail(e.what());
        }
    }
    node.fail(fmt::format("unknown distribution '{}'; expected uniform, exponential, normal, lognormal or empirical", kind));
}

ValueDistribution ValueDistribution::read_duration(const ConfigNode& node) {
    return read(node, [](const ConfigNode& n) { return n.duration().seconds(); });
}

ValueDistribution ValueDistribution::read_data_size(const ConfigNode& node) {
    return read(node, [](const ConfigNode& n) { return n.data_size().bytes; });
}

double ValueDistribution::draw(RandomStream& rs) const {
    switch (kind_) {
        case Kind::constant: return a_;
        case Kind::uniform: return draw_uniform(rs, a_, b_);
        case Kind::exponential: return draw_exponential(rs, a_);
        case Kind::normal: return std::max(0.0, draw_normal(rs, a_, b_));
        case Kind::lognormal: return draw_lognormal(rs, log_a_, b_);
        case Kind::empirical: return table_->draw(rs);
    }
    return a_;
}

double ValueDistribution::mean() const {
    switch (kind_) {
        case Kind::constant: return a_;
        case Kind::uniform: return 0.5 * (a_ + b_);
        case Kind::exponential: return a_;
        case Kind::normal: return a_;  // before truncation
        case Kind::lognormal: return a_ * std::exp(0.5 * b_ * b_);
        case Kind::empirical: return table_->mean();
    }
    return a_;
}

std::string ValueDistribution::describe() const {
    switch (kind_) {
        case Kind::constant: return fmt::format("{}", a_);
        case Kind::uniform: return fmt::format("uniform[{}, {}]", a_, b_);
        case Kind::exponential: return fmt::format("exponential(mean {})", a_);
        case Kind::normal: return fmt::format("normal({}, {})", a_, b_);
        case Kind::lognormal: return fmt::format("lognormal(median {}, sigma {})", a_, b_);
        case Kind::empirical: return fmt::format("empirical({} points)", table_->points().size());
    }
    return {};
}

std::string ValueDistribution::show(ValueKind kind) const {
    if (kind_ != Kind::constant) return describe();
    return kind == ValueKind::data_size ? format_data_size(DataSize{a_}) : format_duration(Time::from_seconds(a_));
}

}  // namespace tbsim::sim
