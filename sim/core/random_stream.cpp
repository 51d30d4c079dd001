#include "sim/core/random_stream.hpp"

#include "sim/core/hash.hpp"

namespace tbsim::sim {

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

RandomStream::RandomStream(std::uint64_t seed, std::string_view name, std::uint64_t replication) {
    // Mix the three coordinates through splitmix64 so that neighbouring seeds, similar names and
    // consecutive replications give unrelated states.
    std::uint64_t state = seed;
    std::uint64_t mixed = splitmix64(state) ^ fnv1a64(name);
    state = mixed;
    mixed = splitmix64(state) ^ (replication * 0xd1342543de82ef95ull);
    state = mixed;
    for (auto& word : s_) word = splitmix64(state);
}

__extension__ typedef unsigned __int128 Uint128;  // GCC and Clang; the product of two 64-bit words

std::uint64_t RandomStream::below(std::uint64_t n) {
    Uint128 m = static_cast<Uint128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<Uint128>(next_u64()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

}  // namespace tbsim::sim
