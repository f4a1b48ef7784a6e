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
#include <cstring>
#include <string_view>
#include <type_traits>

namespace llmap::detail {

/** True if the `n` bytes at `a` and `b` are equal.

    Compares with overlapping word loads (two 8-byte loads cover 8 to 16 bytes, two 4-byte
    loads 4 to 7), which the compiler inlines: an out-of-line `memcmp` call would cost more
    than the whole lookup.
*/
inline bool equal_bytes(const char* a, const char* b, std::size_t n) noexcept {
    auto const load8 = [](const char* p) {
        std::uint64_t v;
        std::memcpy(&v, p, 8);
        return v;
    };
    auto const load4 = [](const char* p) {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    };
    if (n >= 8) {
        for (; n > 16; n -= 8, a += 8, b += 8)
            if (load8(a) != load8(b))
                return false;
        return ((load8(a) ^ load8(b)) | (load8(a + n - 8) ^ load8(b + n - 8))) == 0;
    }
    if (n >= 4)
        return ((load4(a) ^ load4(b)) | (load4(a + n - 4) ^ load4(b + n - 4))) == 0;
    for (std::size_t i = 0; i != n; ++i)
        if (a[i] != b[i])
            return false;
    return true;
}

/** The index of the first name of `names` that repeats an earlier one, or N if they are
    distinct. Empty names are not compared (an entry without a name of its own).
*/
template <std::size_t N>
constexpr std::size_t first_duplicate(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i != N; ++i)
        for (std::size_t j = 0; j != i; ++j)
            if (!names[i].empty() && names[i] == names[j])
                return i;
    return N;
}

/** A lookup table from a fixed set of names to their indices, built at compile time.

    The registry's runtime path turns a provider name into the index of its provider with
    this table. A lookup mixes the length and five bytes of the name (the first two, the
    middle one and the last two) with a multiplier chosen at compile time so that the names
    spread over the buckets as evenly as possible, and compares the name with the few
    candidates of its bucket (usually one). It never allocates and never hashes the whole
    string, which is why it beats `std::unordered_map<std::string_view, int>`.

    Names that agree on length and on every sampled byte share a bucket; the lookup stays
    correct (it compares whole names), only a little slower.
*/
template <std::size_t N>
struct name_table {
    static constexpr std::size_t bucket_bits = [] {
        std::size_t b = 1;
        // Four buckets per name: with a well-chosen multiplier, every bucket of a registry of
        // a few dozen names usually holds at most one, so a lookup compares one name.
        while ((std::size_t{1} << b) < 4 * N)
            ++b;
        return b;
    }();
    static constexpr std::size_t bucket_count = std::size_t{1} << bucket_bits;

    std::array<std::string_view, N> names{};
    std::uint64_t multiplier = 0;
    bool perfect = false; // no bucket holds two names
    // Candidates of bucket b are order[first[b]] .. order[first[b + 1] - 1].
    std::array<std::uint16_t, bucket_count + 1> first{};
    std::array<std::uint16_t, N> order{};

    // For a non-empty s. Bytes are sampled from both ends because names of one family
    // tend to differ near the end ("gen-20", "gen-30") or in the middle.
    static constexpr std::uint64_t sample(std::string_view s) noexcept {
        auto const at = [&](std::size_t i) {
            return static_cast<std::uint64_t>(static_cast<unsigned char>(s[i]));
        };
        std::size_t const n = s.size();
        std::size_t const second = n > 1 ? 1 : 0;
        return static_cast<std::uint64_t>(n) | (at(0) << 8) | (at(second) << 16) |
               (at(n / 2) << 24) | (at(n - 1 - second) << 32) | (at(n - 1) << 40);
    }

    static constexpr std::size_t bucket(std::string_view s, std::uint64_t mult) noexcept {
        return static_cast<std::size_t>((sample(s) * mult) >> (64 - bucket_bits));
    }

    /// The index of `s` among the names, or -1. `s` may be any string, empty included.
    // Forced inline: the lookup is a few instructions, and a call around it costs more.
    [[gnu::always_inline]] constexpr int find(std::string_view s) const noexcept {
        if constexpr (N == 0) {
            return -1;
        } else {
            if (s.empty())
                return -1;
            std::size_t const b = bucket(s, multiplier);
            std::size_t i = first[b];
            if (perfect) {
                // At most one candidate: no loop, so one branch fewer to mispredict.
                if (i == first[b + 1])
                    return -1;
                std::string_view const name = names[order[i]];
                bool const same =
                    name.size() == s.size() &&
                    (std::is_constant_evaluated() ? name == s
                                                  : equal_bytes(name.data(), s.data(), s.size()));
                return same ? order[i] : -1;
            }
            for (; i != first[b + 1]; ++i) {
                std::string_view const name = names[order[i]];
                if (name.size() != s.size())
                    continue;
                if (std::is_constant_evaluated() ? name == s
                                                 : equal_bytes(name.data(), s.data(), s.size()))
                    return order[i];
            }
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
        std::uint64_t candidate = 0x9e3779b97f4a7c15u;
        for (int attempt = 0; attempt != 64 && best_cost != 0; ++attempt) {
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
            // The next odd candidate, from a 64-bit LCG.
            candidate = (candidate * 6364136223846793005u + 1442695040888963407u) | 1u;
        }
        t.perfect = best_cost == 0;
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
