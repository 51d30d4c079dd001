#include <doctest/doctest.h>

#include "sim/core/units.hpp"

using namespace tbsim::sim;
using namespace tbsim::sim::time_literals;

TEST_CASE("durations carry their unit") {
    CHECK(parse_duration("10s") == 10_s);
    CHECK(parse_duration("2ms") == 2_ms);
    CHECK(parse_duration("1.5 s") == 1500_ms);
    CHECK(parse_duration("1h") == 3600_s);
    CHECK(parse_duration("10min") == 600_s);
    CHECK(parse_duration("250us") == 250_us);
    CHECK_FALSE(parse_duration("10"));
    CHECK_FALSE(parse_duration("ten"));
    CHECK_FALSE(parse_duration("10 parsecs"));
    // What a signed 64-bit count of nanoseconds holds: about 292 years.
    CHECK(parse_duration("1000000h") == 3600_s * 1000000);
    CHECK_FALSE(parse_duration("3000000h"));
    CHECK(parse_duration_seconds("3000000h") == 1.08e10);
}

TEST_CASE("durations print in the largest unit that keeps them readable, whole where they are") {
    CHECK(format_duration(1_us) == "1us");  // 1e-6 s x 1e6 printed 1.0000000000000002us
    CHECK(format_duration(1500_ns) == "1.5us");
    CHECK(format_duration(1_ms) == "1ms");
    CHECK(format_duration(250_us) == "250us");
    CHECK(format_duration(90_s) == "90s");
    CHECK(format_duration(600_s) == "10min");
    CHECK(format_duration(7200_s) == "2h");
    CHECK(format_duration(Time::zero() - 3_ms) == "-3ms");
    CHECK(format_duration(7_ns) == "7ns");
}

TEST_CASE("data sizes distinguish decimal and binary prefixes") {
    CHECK(parse_data_size("1500B")->bytes == 1500.0);
    CHECK(parse_data_size("4KiB")->bytes == 4096.0);
    CHECK(parse_data_size("4kB")->bytes == 4000.0);
    CHECK(parse_data_size("4GiB")->bytes == 4294967296.0);
    CHECK_FALSE(parse_data_size("4"));
    CHECK_FALSE(parse_data_size("4Mbps"));
}

TEST_CASE("data rates are in bits per second") {
    CHECK(parse_data_rate("10Mbps")->bits_per_second == 1e7);
    CHECK(parse_data_rate("9.7224kb/s")->bits_per_second == doctest::Approx(9722.4));
    CHECK(parse_data_rate("1MBps")->bits_per_second == 8e6);
    CHECK(parse_data_rate("10mbit")->bits_per_second == 1e7);  // tc's spelling, as tbsim-testbed takes it
    CHECK(parse_data_rate("512kbit")->bits_per_second == 512e3);
    CHECK_FALSE(parse_data_rate("10MiB"));
    CHECK(parse_data_rate("8Mbps")->transmission_time(1000.0) == 1_ms);
}

TEST_CASE("frequencies and fractions") {
    CHECK(parse_frequency("600/min")->per_second == doctest::Approx(10.0));
    CHECK(parse_frequency("2/s")->per_second == 2.0);
    CHECK_FALSE(parse_frequency("600"));
    CHECK(parse_fraction("0.1%")->value == doctest::Approx(0.001));
    CHECK(parse_fraction("0.25")->value == 0.25);
    CHECK_FALSE(parse_fraction("5 percent"));
}
