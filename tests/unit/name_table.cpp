//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include <llmap/detail/name_table.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <random>
#include <set>
#include <string>
#include <string_view>

namespace {

// Names built to collide on everything the table samples (length, first, middle and last
// characters): the lookup must still tell them apart by comparing whole names.
constexpr std::array<std::string_view, 8> colliding = {"ab0cd0a", "ab1cd0a", "ab2cd0a", "ab3cd0a",
                                                       "a0bcd1a", "a1bcd1a", "a2bcd1a", "a3bcd1a"};

constexpr std::array<std::string_view, 20> builtins = {
    "openai",    "openai-chat", "deepseek", "groq",      "xai",       "openrouter", "together",
    "fireworks", "perplexity",  "cerebras", "deepinfra", "llama-cpp", "vllm",       "lm-studio",
    "azure",     "anthropic",   "gemini",   "ollama",    "cohere",    "mistral"};

constexpr auto colliding_table = llmap::detail::make_name_table(colliding);
constexpr auto builtin_table = llmap::detail::make_name_table(builtins);
constexpr auto empty_table = llmap::detail::make_name_table(std::array<std::string_view, 0>{});

template <std::size_t N>
void check_exact(const llmap::detail::name_table<N>& t,
                 const std::array<std::string_view, N>& names) {
    std::set<std::string> set(names.begin(), names.end());
    for (std::size_t i = 0; i != N; ++i)
        BOOST_TEST(t.find(names[i]) == static_cast<int>(i), names[i]);
    // Random near misses and random strings are found only if they are names.
    std::mt19937 rng(7);
    for (int k = 0; k != 20000; ++k) {
        std::string s(names[rng() % N]);
        switch (rng() % 4) {
        case 0:
            s[rng() % s.size()] = static_cast<char>(rng() % 256);
            break;
        case 1:
            s.resize(rng() % (s.size() + 1));
            break;
        case 2:
            s.push_back(static_cast<char>(rng() % 256));
            break;
        default:
            s.assign(rng() % 12, static_cast<char>('a' + rng() % 26));
            break;
        }
        int const expected =
            set.count(s)
                ? static_cast<int>(std::find(names.begin(), names.end(), s) - names.begin())
                : -1;
        BOOST_TEST(t.find(s) == expected, s);
    }
}

} // namespace

// Usable in constant expressions.
static_assert(builtin_table.find("ollama") == 17);
static_assert(builtin_table.find("ollam") == -1);
static_assert(builtin_table.find("") == -1);
static_assert(colliding_table.find("a3bcd1a") == 7);
static_assert(empty_table.find("x") == -1);

BOOST_AUTO_TEST_SUITE(name_table)

BOOST_AUTO_TEST_CASE(finds_exactly_the_names) {
    check_exact(builtin_table, builtins);
    check_exact(colliding_table, colliding);
}

BOOST_AUTO_TEST_CASE(spreads_distinct_samples_into_distinct_buckets) {
    // The built-in names differ in their sampled characters, so the chosen multiplier should
    // leave (almost) every bucket with a single candidate: a lookup is one comparison.
    std::size_t longest = 0;
    for (std::size_t b = 0; b != builtin_table.bucket_count; ++b)
        longest =
            std::max<std::size_t>(longest, builtin_table.first[b + 1] - builtin_table.first[b]);
    BOOST_TEST(longest <= 2u);
}

BOOST_AUTO_TEST_SUITE_END()
