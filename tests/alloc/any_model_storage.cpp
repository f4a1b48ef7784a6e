//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Proves that any_model stores a model that fits without a heap allocation, and that the
// registry's runtime paths allocate nothing of their own: the global operator new is
// replaced by one that counts (this is why this test is its own executable).

#define BOOST_TEST_MODULE any_model_storage
#include <boost/test/unit_test.hpp>

#include "../support/test_providers.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<long> allocations{0};
}

void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n ? n : 1))
        return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

// Allocations made while running f.
template <class F>
long allocations_during(F&& f) {
    long const before = allocations.load();
    f();
    return allocations.load() - before;
}

using providers = llmap::registry<test::echo_provider, test::chat_only_provider, test::big_provider,
                                  test::embed_only_provider>;

} // namespace

BOOST_AUTO_TEST_CASE(counting_works) {
    // The counter is live: a plain new is seen (guards against a replacement that is not used).
    BOOST_TEST(allocations_during([] { delete new int(1); }) == 1);
}

BOOST_AUTO_TEST_CASE(a_model_that_fits_is_stored_in_place) {
    static_assert(llmap::any_model::stored_in_place<test::chat_only_model>);
    test::chat_only_model small{"m"};
    BOOST_TEST(allocations_during([&] {
                   llmap::any_model a = small;
                   llmap::any_model b = std::move(a);
                   a = std::move(b);
               }) == 0);
}

BOOST_AUTO_TEST_CASE(a_model_too_big_allocates_once) {
    static_assert(!llmap::any_model::stored_in_place<test::big_model>);
    test::big_model big;
    BOOST_TEST(allocations_during([&] {
                   llmap::any_model a = big;
                   llmap::any_model b = std::move(a); // moves the pointer only
               }) == 1);
}

BOOST_AUTO_TEST_CASE(runtime_paths_allocate_nothing_of_their_own) {
    providers reg;
    std::string const id = "chat-only:model-with-a-long-name-beyond-sso-size";
    std::string const embed_id = "embed-only:e";
    BOOST_TEST(allocations_during([&] { (void)reg.make(id); }) == 0);
    BOOST_TEST(allocations_during([&] { (void)reg.try_make(id); }) == 0);
    BOOST_TEST(allocations_during([&] { (void)reg.make_variant(embed_id); }) == 0);
    BOOST_TEST(allocations_during([&] { reg.visit(id, [](auto&) {}); }) == 0);
    // A failed try_make allocates: its error keeps the whole message (which id, which
    // providers exist), as make's exception does. The lookup itself allocates nothing.
    BOOST_TEST(allocations_during([&] { (void)providers::contains("no-such"); }) == 0);
    BOOST_TEST(allocations_during([&] { (void)providers::contains("chat-only"); }) == 0);
}
