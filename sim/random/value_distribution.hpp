// A random quantity as a scenario writes it: a plain value, or a distribution of values of the
// same kind (bytes, seconds, ...), all in the quantity's base unit once read.
//
//   size: 1200B                                       # always 1200 bytes
//   size: {uniform: [1KiB, 2KiB]}                     # uniform between the two
//   boot_time: {exponential: 2s}                      # exponential with that mean
//   boot_time: {normal: {mean: 20s, stddev: 2s}}      # normal, truncated at zero
//   size: {lognormal: {median: 2KiB, sigma: 0.5}}     # exp(N(ln median, sigma))
//   size: {empirical: [[806B, 0], [2450B, 0.5], [11292B, 1]]}   # (value, cumulative probability)
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "sim/config/config_node.hpp"
#include "sim/config/param_table.hpp"
#include "sim/random/distributions.hpp"

namespace tbsim::sim {

/// What a random quantity measures: its unit in YAML and in docs.
enum class ValueKind { data_size, duration };

class ValueDistribution {
public:
    enum class Kind { constant, uniform, exponential, normal, lognormal, empirical };

    static ValueDistribution constant(double value);
    static ValueDistribution uniform(double low, double high);
    static ValueDistribution exponential(double mean);
    static ValueDistribution normal(double mean, double stddev);
    static ValueDistribution lognormal(double median, double sigma);
    static ValueDistribution empirical(EmpiricalDistribution table);

    /// Reads one of the forms above; `read_value` turns a scalar into the base unit (e.g. bytes).
    static ValueDistribution read(const ConfigNode& node, const std::function<double(const ConfigNode&)>& read_value);
    static ValueDistribution read_duration(const ConfigNode& node);   // seconds
    static ValueDistribution read_data_size(const ConfigNode& node);  // bytes

    double draw(RandomStream& rs) const;
    double mean() const;
    Kind kind() const { return kind_; }
    bool is_random() const { return kind_ != Kind::constant; }
    /// A constant zero: every draw is 0 (and draws nothing from the stream, as any constant).
    bool is_zero() const { return kind_ == Kind::constant && a_ == 0.0; }
    std::string describe() const;
    /// As a scenario would write it, the values in `kind`'s unit ("1500B", "uniform[0, 60]").
    std::string show(ValueKind kind) const;

private:
    Kind kind_ = Kind::constant;
    double a_ = 0.0;  // constant, low, mean, median
    double b_ = 0.0;  // high, stddev, sigma
    double log_a_ = 0.0;  // lognormal: log(median), the normal's mean, taken once rather than at every draw
    std::optional<EmpiricalDistribution> table_;
};

/// A parameter whose value is a plain value or a distribution of `kind` (member: a ValueDistribution,
/// or a std::optional of one that stays empty unless given).
template <class T, class D>
Param<T> distribution_param(std::string name, D T::*member, ValueKind kind, std::string doc) {
    return custom_param<T>(
        std::move(name), kind == ValueKind::data_size ? "data size or distribution" : "duration or distribution", std::move(doc),
        [member, kind](const ConfigNode& n, T& target) {
            target.*member = kind == ValueKind::data_size ? ValueDistribution::read_data_size(n) : ValueDistribution::read_duration(n);
        },
        [member, kind](const T& target) -> std::string {
            if constexpr (std::is_same_v<D, ValueDistribution>) return (target.*member).show(kind);
            else return target.*member ? (target.*member)->show(kind) : "none";
        });
}

}  // namespace tbsim::sim
