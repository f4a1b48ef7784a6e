//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include "../support/test_providers.hpp"

#include <llmap/any_model.hpp>

#include <boost/test/unit_test.hpp>

#include <string>
#include <type_traits>
#include <utility>

namespace {

// Counts live objects, so moves and destruction are checked to be exact (no double destroy,
// no leak) for both storage modes.
template <std::size_t Padding>
struct counted_model {
    static inline int live = 0;
    std::array<char, Padding> pad{};
    int value = 0;
    explicit counted_model(int v) : value(v) { ++live; }
    counted_model(counted_model&& o) noexcept : pad(o.pad), value(o.value) { ++live; }
    ~counted_model() { --live; }
    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.id = std::to_string(value);
        return r;
    }
};
using small_counted = counted_model<8>;
using large_counted = counted_model<200>;

// Movable only by a constructor that may throw: must go to the heap, so that moving the
// any_model stays noexcept.
struct throwing_move_model {
    throwing_move_model() = default;
    throwing_move_model(throwing_move_model&&) noexcept(false) {}
    llmap::response complete(const llmap::request&) { return {}; }
};

template <class E>
bool has_code(const llmap::error& e, E code) {
    return e.code() == code;
}

} // namespace

static_assert(!std::is_copy_constructible_v<llmap::any_model>);
static_assert(std::is_nothrow_move_constructible_v<llmap::any_model>);
static_assert(std::is_nothrow_move_assignable_v<llmap::any_model>);
static_assert(!llmap::any_model::stored_in_place<test::echo_model>); // 120 bytes: on the heap
static_assert(llmap::any_model::stored_in_place<small_counted>);
static_assert(!llmap::any_model::stored_in_place<large_counted>);
static_assert(!llmap::any_model::stored_in_place<throwing_move_model>);
static_assert(!llmap::any_model::stored_in_place<test::big_model>);
static_assert(!std::is_constructible_v<llmap::any_model, int>);
static_assert(llmap::type_capabilities<test::chat_only_model>() == llmap::capability::chat);
static_assert(llmap::type_capabilities<test::echo_model>() ==
              (llmap::capability::chat | llmap::capability::streaming |
               llmap::capability::embeddings));

BOOST_AUTO_TEST_SUITE(any_model)

BOOST_AUTO_TEST_CASE(capabilities_follow_the_type) {
    llmap::any_model echo = test::echo_model{"e", {}};
    BOOST_TEST(echo.supports(llmap::capability::chat));
    BOOST_TEST(echo.supports(llmap::capability::streaming));
    BOOST_TEST(echo.supports(llmap::capability::embeddings));
    BOOST_TEST(echo.supports(llmap::capability::tools));       // declared
    BOOST_TEST(echo.supports(llmap::capability::image_input)); // declared
    BOOST_TEST(!echo.supports(llmap::capability::reasoning));

    llmap::any_model chat = test::chat_only_model{"c"};
    BOOST_TEST((chat.capabilities() == llmap::capability::chat));
    llmap::any_model emb = test::embed_only_model{"e"};
    BOOST_TEST((emb.capabilities() == llmap::capability::embeddings));
}

BOOST_AUTO_TEST_CASE(calls_reach_the_model) {
    llmap::any_model m = test::echo_model{"e-1", {}};
    llmap::request req{.prompt = "one two three"};
    BOOST_TEST(m.complete(req).text() == "e-1: one two three");
    std::string streamed;
    int events = 0;
    auto r = m.stream(req, [&](const llmap::stream_event& e) {
        ++events;
        if (auto* d = std::get_if<llmap::text_delta>(&e.data))
            streamed += d->text;
    });
    BOOST_TEST(streamed == "e-1: one two three");
    BOOST_TEST(r.text() == streamed);
    BOOST_TEST(events == 5); // four words and the finish
    BOOST_TEST((r.finish == llmap::finish_reason::stop));
    auto emb = m.embed({.inputs = {"abc", ""}});
    BOOST_REQUIRE(emb.vectors.size() == 2u);
    BOOST_TEST(emb.vectors[0][0] == 3.0f);
    BOOST_TEST(emb.vectors[0][1] == static_cast<float>('a'));
}

BOOST_AUTO_TEST_CASE(missing_capabilities_throw_typed_errors) {
    llmap::any_model chat = test::chat_only_model{"c"};
    BOOST_CHECK_EXCEPTION(chat.embed({.inputs = {"x"}}), llmap::error, [](const llmap::error& e) {
        return has_code(e, llmap::errc::unsupported_capability) &&
               std::string_view(e.what()).find("embeddings") != std::string_view::npos;
    });
    BOOST_CHECK_EXCEPTION(
        chat.stream({}, [](const llmap::stream_event&) {}), llmap::error,
        [](const llmap::error& e) { return has_code(e, llmap::errc::unsupported_capability); });
    llmap::any_model emb = test::embed_only_model{"e"};
    BOOST_CHECK_EXCEPTION(emb.complete({}), llmap::error, [](const llmap::error& e) {
        return has_code(e, llmap::errc::unsupported_capability);
    });
    // The free functions take any_model too, and throw the same way.
    BOOST_CHECK_EXCEPTION(llmap::embed(chat, {}), llmap::error, [](const llmap::error& e) {
        return has_code(e, llmap::errc::unsupported_capability);
    });
}

BOOST_AUTO_TEST_CASE(empty_models_throw) {
    llmap::any_model none;
    BOOST_TEST(!none);
    BOOST_TEST(none.capabilities().empty());
    BOOST_CHECK_EXCEPTION(none.complete({}), llmap::error, [](const llmap::error& e) {
        return has_code(e, llmap::errc::empty_model);
    });
    llmap::any_model a = test::chat_only_model{"c"};
    llmap::any_model b = std::move(a);
    BOOST_TEST(!a); // NOLINT(bugprone-use-after-move): the moved-from state is specified
    BOOST_TEST(b.has_value());
    BOOST_CHECK_EXCEPTION(a.complete({}), llmap::error, [](const llmap::error& e) {
        return has_code(e, llmap::errc::empty_model);
    });
}

BOOST_AUTO_TEST_CASE(moves_and_destruction_are_exact) {
    BOOST_REQUIRE(small_counted::live == 0 && large_counted::live == 0);
    {
        llmap::any_model s = small_counted{1};
        llmap::any_model l = large_counted{2};
        BOOST_TEST(small_counted::live == 1);
        BOOST_TEST(large_counted::live == 1);
        llmap::any_model s2 = std::move(s);
        llmap::any_model l2 = std::move(l);
        BOOST_TEST(small_counted::live == 1);
        BOOST_TEST(large_counted::live == 1);
        BOOST_TEST(s2.complete({}).id == "1");
        BOOST_TEST(l2.complete({}).id == "2");
        s2 = std::move(l2); // destroys the small one, takes the large one
        BOOST_TEST(small_counted::live == 0);
        BOOST_TEST(large_counted::live == 1);
        BOOST_TEST(s2.complete({}).id == "2");
        auto& self = s2;
        s2 = std::move(self); // self-move leaves it intact
        BOOST_TEST(s2.complete({}).id == "2");
        s2.reset();
        BOOST_TEST(large_counted::live == 0);
        llmap::any_model t = throwing_move_model{};
        llmap::any_model t2 = std::move(t);
        BOOST_TEST(t2.target<throwing_move_model>() != nullptr);
    }
    BOOST_TEST(small_counted::live == 0);
    BOOST_TEST(large_counted::live == 0);
}

BOOST_AUTO_TEST_CASE(target_recovers_the_type) {
    llmap::any_model m = test::special_model{"s"};
    BOOST_TEST(m.target<test::echo_model>() == nullptr);
    BOOST_REQUIRE(m.target<test::special_model>() != nullptr);
    m.target<test::special_model>()->thinking_budget(5);
    BOOST_TEST(m.complete({}).text() == "s budget=5");
    llmap::any_model const& c = m;
    BOOST_TEST(c.target<test::special_model>()->budget == 5);
    llmap::any_model big = test::big_model{};
    BOOST_TEST(big.target<test::big_model>() != nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
