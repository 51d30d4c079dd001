// Named, independent random streams.
//
// Every random draw in tbsim comes from a RandomStream derived from (seed, stream name, replication)
// (ns-3 AssignStreams, ROSS one stream per entity): adding a model or an entity never changes the
// draws of another. The generator is xoshiro256** (Blackman and Vigna), seeded through splitmix64;
// both are fixed algorithms, so a seed gives the same numbers with every compiler and library.
// Distributions are ours (distributions.hpp), never std::*_distribution, whose output differs
// between standard libraries.
#pragma once

#include <cstdint>
#include <string_view>

namespace tbsim::sim {

class RandomStream {
public:
    /// The stream named `name` of replication `replication` of a run with master seed `seed`.
    RandomStream(std::uint64_t seed, std::string_view name, std::uint64_t replication = 0);

    /// 64 uniformly distributed bits.
    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform on [0, 1), 53 bits of resolution.
    double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    /// Uniform integer on [0, n), n > 0, without modulo bias (Lemire's method).
    std::uint64_t below(std::uint64_t n);

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

/// One step of splitmix64: a good 64-bit mixer, used to spread seeds.
std::uint64_t splitmix64(std::uint64_t& state);

}  // namespace tbsim::sim
