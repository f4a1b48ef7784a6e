//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The provider and model concepts: a user's own type registers exactly when it has the
// documented shape, and each missing piece is what stops it.

#include "../support/test_providers.hpp"

#include <llmap/concepts.hpp>

#include <boost/test/unit_test.hpp>

// A named namespace, not an anonymous one: Clang warns about the unused static members of
// types with internal linkage, and these types exist to be inspected, not used.
namespace concepts_test {

struct no_default_model {
    static constexpr llmap::fixed_string name = "x";
    explicit no_default_model(const llmap::provider_config&) {}
    test::chat_only_model model(std::string_view m) const { return {m}; }
};

struct not_configurable {
    static constexpr llmap::fixed_string name = "x";
    static constexpr std::string_view default_model = "m";
    test::chat_only_model model(std::string_view m) const { return {m}; }
};

struct model_is_not_a_model {
    static constexpr llmap::fixed_string name = "x";
    static constexpr std::string_view default_model = "m";
    explicit model_is_not_a_model(const llmap::provider_config&) {}
    int model(std::string_view) const { return 0; }
};

struct name_is_a_plain_string {
    static constexpr std::string_view name = "x";
    static constexpr std::string_view default_model = "m";
    explicit name_is_a_plain_string(const llmap::provider_config&) {}
    test::chat_only_model model(std::string_view m) const { return {m}; }
};

// complete() with the wrong result type is not chat.
struct wrong_result_model {
    std::string complete(const llmap::request&) { return {}; }
};

} // namespace concepts_test

using namespace concepts_test;

static_assert(llmap::provider<test::echo_provider>);
static_assert(llmap::provider<test::generated_provider<12>>);
static_assert(!llmap::provider<no_default_model>);
static_assert(!llmap::provider<not_configurable>);
static_assert(!llmap::provider<model_is_not_a_model>);
static_assert(!llmap::provider<name_is_a_plain_string>);
// Without a name of its own it can still be registered under one with llmap::as.
static_assert(llmap::provider_implementation<name_is_a_plain_string>);
static_assert(llmap::registry<llmap::as<"named", name_is_a_plain_string>>::contains("named"));

static_assert(llmap::chat_model<test::chat_only_model>);
static_assert(!llmap::streaming_model<test::chat_only_model>);
static_assert(!llmap::embedding_model<test::chat_only_model>);
static_assert(llmap::embedding_model<test::embed_only_model>);
static_assert(!llmap::chat_model<test::embed_only_model>);
static_assert(llmap::streaming_model<test::echo_model>);
static_assert(!llmap::chat_model<wrong_result_model>);
static_assert(!llmap::model<wrong_result_model>);
static_assert(std::is_same_v<llmap::model_type_t<test::special_provider>, test::special_model>);

BOOST_AUTO_TEST_SUITE(concepts)

BOOST_AUTO_TEST_CASE(capability_sets) {
    constexpr auto s = llmap::capability::chat | llmap::capability::tools;
    static_assert(s.contains(llmap::capability::chat));
    static_assert(!s.contains(llmap::capability::embeddings));
    static_assert((s & llmap::capability::tools) == llmap::capability::tools);
    BOOST_TEST(s.bits() == 0b1001u);
    BOOST_TEST(llmap::capability_set{}.empty());

    // Declared features are added to the type's; a declaration cannot claim a member
    // function the type lacks.
    struct claims_too_much {
        std::string_view model_name;
        llmap::response complete(const llmap::request&) { return {}; }
        llmap::capability_set capabilities() const {
            return llmap::capability::embeddings | llmap::capability::reasoning;
        }
    };
    auto const caps = llmap::capabilities_of(claims_too_much{});
    BOOST_TEST(caps.contains(llmap::capability::chat));
    BOOST_TEST(caps.contains(llmap::capability::reasoning));
    BOOST_TEST(!caps.contains(llmap::capability::embeddings));
}

BOOST_AUTO_TEST_SUITE_END()
