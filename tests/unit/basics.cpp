//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// fixed_string.hpp, error.hpp and config.hpp.

#include <llmap/config.hpp>
#include <llmap/error.hpp>
#include <llmap/fixed_string.hpp>

#include <boost/system/result.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>
#include <type_traits>

namespace {

template <llmap::fixed_string S>
constexpr std::size_t size_of_parameter() {
    return S.size();
}

} // namespace

static_assert(llmap::fixed_string("abc").size() == 3);
static_assert(llmap::fixed_string("").empty());
static_assert(llmap::fixed_string("abc").view() == "abc");
static_assert(llmap::fixed_string("abc") == llmap::fixed_string("abc"));
static_assert(!(llmap::fixed_string("abc") == llmap::fixed_string("abd")));
static_assert(!(llmap::fixed_string("abc") == llmap::fixed_string("ab")));
static_assert(size_of_parameter<"hello">() == 5);
static_assert(llmap::fixed_string<2>(std::string_view("xyz")).view() == "xy");
static_assert(llmap::fixed_string("a\0b").size() == 3);
static_assert(boost::system::is_error_code_enum<llmap::errc>::value);

BOOST_AUTO_TEST_SUITE(basics)

BOOST_AUTO_TEST_CASE(fixed_string_is_nul_terminated) {
    constexpr llmap::fixed_string s = "model";
    BOOST_TEST(std::string(s.c_str()) == "model");
    BOOST_TEST(s[4] == 'l');
}

BOOST_AUTO_TEST_CASE(error_codes_have_their_own_category) {
    boost::system::error_code ec = llmap::errc::unknown_provider;
    BOOST_TEST(ec.category().name() == std::string("llmap"));
    BOOST_TEST(ec.message() == "unknown provider");
    BOOST_TEST((ec == llmap::errc::unknown_provider));
    BOOST_TEST((ec != llmap::errc::invalid_model_id));
    for (int v = 1; v <= static_cast<int>(llmap::errc::empty_model); ++v)
        BOOST_TEST(boost::system::error_code(v, llmap::error_category()).message() !=
                   "unknown llmap error");
    BOOST_TEST(boost::system::error_code(999, llmap::error_category()).message() ==
               "unknown llmap error");
    // Usable as the error of a boost::system::result.
    boost::system::result<int> r = ec;
    BOOST_TEST((r.error() == llmap::errc::unknown_provider));
}

BOOST_AUTO_TEST_CASE(error_carries_message_and_provider_details) {
    llmap::error e(llmap::errc::missing_api_key, "llmap: no API key for 'openai'");
    BOOST_TEST(e.what() == std::string("llmap: no API key for 'openai'"));
    BOOST_TEST((e.code() == llmap::errc::missing_api_key));
    BOOST_TEST(e.http_status() == 0);
    // The library attaches a provider's details when it builds the error (no public setter).
    e = llmap::detail::error_access::make(e.code(), e.what(), 429, "rate_limit_error", "req_123");
    BOOST_TEST(e.http_status() == 429);
    BOOST_TEST(e.provider_error_type() == "rate_limit_error");
    BOOST_TEST(e.request_id() == "req_123");
    // Catchable as the standard exception types.
    try {
        throw e;
    } catch (const std::exception& x) {
        BOOST_TEST(std::string(x.what()) == "llmap: no API key for 'openai'");
    }
}

BOOST_AUTO_TEST_CASE(env_prefix_and_from_env) {
    BOOST_TEST(llmap::env_prefix("openai") == "OPENAI");
    BOOST_TEST(llmap::env_prefix("llama-cpp") == "LLAMA_CPP");
    BOOST_TEST(llmap::env_prefix("lm.studio_2") == "LM_STUDIO_2");
    ::setenv("LLMAP_CFG_TEST_API_KEY", "k", 1);
    ::unsetenv("LLMAP_CFG_TEST_BASE_URL");
    auto c = llmap::config_from_env("llmap-cfg-test");
    BOOST_TEST(c.api_key == "k");
    BOOST_TEST(c.base_url.empty());
    ::unsetenv("LLMAP_CFG_TEST_API_KEY");
    BOOST_TEST(llmap::config_from_env("llmap-cfg-test").api_key.empty());
}

BOOST_AUTO_TEST_CASE(config_builders_copy) {
    llmap::provider_config const base;
    auto c = base.with_base_url("https://gw.corp/v1").with_api_key("k").with_header("a", "b");
    BOOST_TEST(base.base_url.empty());
    BOOST_TEST(c.base_url == "https://gw.corp/v1");
    BOOST_TEST(c.api_key == "k");
    BOOST_REQUIRE(c.headers.size() == 1u);
    BOOST_TEST(c.headers[0].first == "a");
}

BOOST_AUTO_TEST_SUITE_END()
