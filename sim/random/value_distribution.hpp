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
#include "sim/random/distributions.hpp"

namespace tbsim::sim {

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
    std::string describe() const;

private:
    Kind kind_ = Kind::constant;
    double a_ = 0.0;  // constant, low, mean, median
    double b_ = 0.0;  // high, stddev, sigma
    std::optional<EmpiricalDistribution> table_;
};

}  // namespace tbsim::sim
