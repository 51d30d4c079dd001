// Simulated time: an exact integer count of nanoseconds in a strong type.
//
// The same type is used for instants (time since the start of the simulation) and for durations.
// Integer nanoseconds give an exact total order of events and identical results on every platform;
// convert to double seconds only inside a formula and round back once when scheduling.
//
// The count holds about 292 years either way. A time beyond it (a rate so low, a message so large
// or a link so slow that one step outlasts the clock) throws TimeOverflow instead of wrapping
// around: the scenario asked for something the clock cannot hold, and says so.
#pragma once

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace tbsim::sim {

/// A simulated time beyond the clock's range (about 292 years of nanoseconds).
class TimeOverflow : public std::range_error {
public:
    using std::range_error::range_error;
};

class Time {
public:
    constexpr Time() = default;

    static constexpr Time from_ns(std::int64_t ns) { return Time{ns}; }
    static constexpr Time from_us(std::int64_t us) { return Time{us * 1'000}; }
    static constexpr Time from_ms(std::int64_t ms) { return Time{ms * 1'000'000}; }
    static constexpr Time from_s(std::int64_t s) { return Time{s * 1'000'000'000}; }
    /// Rounds a duration in seconds to the nearest nanosecond (the one place doubles become time).
    static Time from_seconds(double s) {
        const double ns = s * 1e9;  // round half away from zero, as llround, without the libm call
        if (!holds_seconds(s)) [[unlikely]] overflow_seconds(s);
        return Time{static_cast<std::int64_t>(ns >= 0 ? ns + 0.5 : ns - 0.5)};
    }
    /// A count of nanoseconds worked out in a double (rounded by the caller), truncated toward zero.
    static Time from_ns_count(double ns) {
        if (!(std::fabs(ns) < kLargestNs)) [[unlikely]] overflow_seconds(ns * 1e-9);
        return Time{static_cast<std::int64_t>(ns)};
    }
    /// Whether `s` seconds (either sign) fit the clock; false for NaN.
    static constexpr bool holds_seconds(double s) { return s * 1e9 < kLargestNs && s * 1e9 > -kLargestNs; }
    static constexpr Time max() { return Time{std::numeric_limits<std::int64_t>::max()}; }
    static constexpr Time zero() { return Time{0}; }

    constexpr std::int64_t ns() const { return ns_; }
    constexpr double seconds() const { return static_cast<double>(ns_) * 1e-9; }
    constexpr double milliseconds() const { return static_cast<double>(ns_) * 1e-6; }

    constexpr auto operator<=>(const Time&) const = default;
    constexpr Time operator+(Time o) const {
        std::int64_t sum = 0;
        if (__builtin_add_overflow(ns_, o.ns_, &sum)) [[unlikely]] overflow_sum();
        return Time{sum};
    }
    constexpr Time operator-(Time o) const {
        std::int64_t difference = 0;
        if (__builtin_sub_overflow(ns_, o.ns_, &difference)) [[unlikely]] overflow_sum();
        return Time{difference};
    }
    constexpr Time& operator+=(Time o) { return *this = *this + o; }
    constexpr Time& operator-=(Time o) { return *this = *this - o; }
    constexpr Time operator*(std::int64_t k) const {
        std::int64_t product = 0;
        if (__builtin_mul_overflow(ns_, k, &product)) [[unlikely]] overflow_sum();
        return Time{product};
    }
    constexpr std::int64_t operator/(Time o) const { return ns_ / o.ns_; }
    Time scaled(double factor) const { return from_seconds(seconds() * factor); }

private:
    // Below 2^63 ns by a margin that a double's rounding cannot cross.
    static constexpr double kLargestNs = 9.2e18;
    [[noreturn]] static void overflow_seconds(double s);
    [[noreturn]] static void overflow_sum();

    constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

namespace time_literals {
constexpr Time operator""_ns(unsigned long long v) { return Time::from_ns(static_cast<std::int64_t>(v)); }
constexpr Time operator""_us(unsigned long long v) { return Time::from_us(static_cast<std::int64_t>(v)); }
constexpr Time operator""_ms(unsigned long long v) { return Time::from_ms(static_cast<std::int64_t>(v)); }
constexpr Time operator""_s(unsigned long long v) { return Time::from_s(static_cast<std::int64_t>(v)); }
}  // namespace time_literals

}  // namespace tbsim::sim
