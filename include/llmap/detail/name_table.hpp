//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_NAME_TABLE_HPP
#define LLMAP_DETAIL_NAME_TABLE_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace llmap::detail {

/** A lookup table from a fixed set of names to their indices, built at compile time.

    The registry's runtime path turns a provider name into the index of its provider with
    this table. A lookup reads the length and three characters of the name (first, middle,
    last), mixes them with a multiplier chosen at compile time so that the names spread
    over the buckets as evenly as possible, and compares the name with the few candidates
    of its bucket (usually one). It never allocates and never hashes the whole string,
    which is why it beats `std::unordered_map<std::string_view, int>`.

    Names that agree on length and on all three sampled characters share a bucket; the
    lookup stays correct (it compares whole names), it is only a little slower.
*/
template <std::size_t N>
struct name_table {
    static constexpr std::size_t bucket_bits = [] {
        std::size_t b = 1;
        while ((std::size_t{1} << b) < 2 * N)
            ++b;
        return b;
    }();
    static constexpr std::size_t bucket_count = std::size_t{1} << bucket_bits;

    std::array<std::string_view, N> names{};
    std::uint32_t multiplier = 0;
    // Candidates of bucket b are order[first[b]] .. order[first[b + 1] - 1].
    std::array<std::uint16_t, bucket_count + 1> first{};
    std::array<std::uint16_t, N> order{};

    static constexpr std::uint32_t sample(std::string_view s) noexcept {
        auto const at = [&](std::size_t i) {
            return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i]));
        };
        std::size_t const n = s.size();
        return static_cast<std::uint32_t>(n) ^ (at(0) << 8) ^ (at(n - 1) << 16) ^
               (at(n / 2) << 24) ^ (at(n - 1) * 0x9e37u);
    }

    static constexpr std::size_t bucket(std::string_view s, std::uint32_t mult) noexcept {
        return static_cast<std::size_t>((sample(s) * mult) >> (32 - bucket_bits));
    }

    /// The index of `s` among the names, or -1. `s` may be any string, empty included.
    constexpr int find(std::string_view s) const noexcept {
        if constexpr (N == 0) {
            return -1;
        } else {
            if (s.empty())
                return -1;
            std::size_t const b = bucket(s, multiplier);
            for (std::size_t i = first[b]; i != first[b + 1]; ++i)
                if (names[order[i]] == s)
                    return order[i];
            return -1;
        }
    }
};

/// Build the table for `names` (which must be distinct and non-empty).
template <std::size_t N>
consteval name_table<N> make_name_table(const std::array<std::string_view, N>& names) {
    static_assert(N < 65535, "llmap: too many providers in one registry");
    using table = name_table<N>;
    table t;
    t.names = names;
    if constexpr (N > 0) {
        // Try a few odd multipliers; keep the one with the fewest colliding pairs.
        std::uint64_t best_cost = ~std::uint64_t{0};
        std::uint32_t candidate = 0x9e3779b1u;
        for (int attempt = 0; attempt != 24 && best_cost != 0; ++attempt) {
            std::array<std::uint16_t, table::bucket_count> count{};
            for (auto const& n : names)
                ++count[table::bucket(n, candidate)];
            std::uint64_t cost = 0;
            for (auto c : count)
                cost += std::uint64_t{c} * (c > 0 ? c - 1u : 0u);
            if (cost < best_cost) {
                best_cost = cost;
                t.multiplier = candidate;
            }
            candidate = candidate * 0x2c1b3c6du + 0x297a2d39u;
            candidate |= 1u;
        }
        // Counting sort of the indices by bucket.
        std::array<std::uint16_t, table::bucket_count + 1> start{};
        for (auto const& n : names)
            ++start[table::bucket(n, t.multiplier) + 1];
        for (std::size_t b = 0; b != table::bucket_count; ++b)
            start[b + 1] = static_cast<std::uint16_t>(start[b + 1] + start[b]);
        t.first = start;
        for (std::size_t i = 0; i != N; ++i) {
            std::size_t const b = table::bucket(names[i], t.multiplier);
            t.order[start[b]++] = static_cast<std::uint16_t>(i);
        }
    }
    return t;
}

} // namespace llmap::detail

#endif
