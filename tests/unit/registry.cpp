//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#include "../support/test_providers.hpp"

#include <llmap/registry.hpp>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <type_traits>

namespace {

using providers = llmap::registry<test::echo_provider, test::special_provider,
                                  test::chat_only_provider, test::embed_only_provider,
                                  test::big_provider, llmap::as<"my-alias", test::echo_provider>>;

// The model types the registry's providers hand out, and the tag visit reports for each.
template <class M>
constexpr int tag_of() {
    if constexpr (std::is_same_v<M, test::echo_model>)
        return 1;
    else if constexpr (std::is_same_v<M, test::special_model>)
        return 2;
    else if constexpr (std::is_same_v<M, test::chat_only_model>)
        return 3;
    else if constexpr (std::is_same_v<M, test::embed_only_model>)
        return 4;
    else if constexpr (std::is_same_v<M, test::big_model>)
        return 5;
    else if constexpr (std::is_same_v<M, llmap::any_model>)
        return 6;
    else
        return 0;
}

// Reports which type visit passed, and proves at compile time that it is a concrete model type
// (or any_model), passed as a non-const lvalue.
struct type_probe {
    template <class M>
    int operator()(M& m) const {
        static_assert(!std::is_const_v<M>);
        static_assert(tag_of<M>() != 0, "visit passed a type that is not a model of the registry");
        static_assert(std::is_same_v<M, llmap::any_model> || !std::is_same_v<M, llmap::any_model>);
        (void)m;
        return tag_of<M>();
    }
};

struct env_var {
    std::string name;
    env_var(std::string n, const char* value) : name(std::move(n)) {
        ::setenv(name.c_str(), value, 1);
    }
    ~env_var() { ::unsetenv(name.c_str()); }
};

llmap::request hi() {
    return llmap::request{.system = "Be brief.", .prompt = "Hi"};
}

} // namespace

// Compile-time properties: usable in constant expressions.
static_assert(providers::size() == 6);
static_assert(providers::contains("echo"));
static_assert(providers::contains("my-alias"));
static_assert(!providers::contains("Echo"));
static_assert(!providers::contains(""));
static_assert(!providers::contains("echo:x"));
static_assert(providers::names()[0] == "echo");
static_assert(providers::names()[5] == "my-alias");
static_assert(llmap::provider<test::echo_provider>);
static_assert(!llmap::provider<int>);
static_assert(std::is_same_v<providers::variant,
                             std::variant<test::echo_model, test::special_model,
                                          test::chat_only_model, test::embed_only_model,
                                          test::big_model, test::echo_model, llmap::any_model>>);

BOOST_AUTO_TEST_SUITE(registry)

BOOST_AUTO_TEST_CASE(static_path_returns_the_concrete_type) {
    providers reg;
    auto special = reg.model<"special:deep-1">();
    static_assert(std::is_same_v<decltype(special), test::special_model>);
    special.thinking_budget(2048); // provider-specific API, still there
    BOOST_TEST(special.complete(hi()).text() == "deep-1 budget=2048");

    auto echo = reg.model<"echo:e-2">();
    static_assert(std::is_same_v<decltype(echo), test::echo_model>);
    BOOST_TEST(echo.complete(hi()).text() == "e-2: Hi");

    static_assert(std::is_same_v<decltype(reg.provider<"big">()), test::big_provider&>);
    providers const& cref = reg;
    static_assert(std::is_same_v<decltype(cref.provider<"big">()), const test::big_provider&>);
}

BOOST_AUTO_TEST_CASE(static_path_id_rules) {
    providers reg;
    // The provider alone means its default model.
    BOOST_TEST(reg.model<"special">().model_name == "special-default");
    // Split on the first colon; the model part is passed untouched.
    BOOST_TEST(reg.model<"echo:llama3:8b">().model_name == "llama3:8b");
    BOOST_TEST(reg.model<"echo::">().model_name == ":");
    BOOST_TEST(reg.model<"echo:caf\xc3\xa9/v1@x">().model_name == "caf\xc3\xa9/v1@x");
    // An alias is its own provider, with its own configuration.
    static_assert(std::is_same_v<decltype(reg.model<"my-alias:m">()), test::echo_model>);
    BOOST_TEST(reg.model<"my-alias">().model_name == "echo-1");
}

BOOST_AUTO_TEST_CASE(visit_passes_the_concrete_type) {
    providers reg;
    reg.add("runtime", [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    });
    struct {
        std::string_view id;
        int tag;
    } const cases[] = {{"echo:x", 1},     {"special", 2}, {"chat-only:y", 3},
                       {"embed-only", 4}, {"big:b", 5},   {"my-alias:q", 1},
                       {"runtime:m1", 6}, {"runtime", 6}, {"echo:a:b:c", 1}};
    for (auto const& c : cases)
        BOOST_TEST(reg.visit(c.id, type_probe{}) == c.tag, c.id);

    // The model part reaches the model; the default model is used when absent.
    std::string seen;
    reg.visit("echo:llama3:8b", [&](auto& m) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(m)>, test::echo_model>)
            seen = m.model_name;
    });
    BOOST_TEST(seen == "llama3:8b");
    reg.visit("special", [&](auto& m) {
        if constexpr (requires { m.thinking_budget(1); }) {
            m.thinking_budget(7);
            seen = m.complete(hi()).text();
        }
    });
    BOOST_TEST(seen == "special-default budget=7");
    // A runtime provider receives the model part untouched, and empty for the default.
    std::string got = "unset";
    reg.add("rt2", [&](std::string_view m, const llmap::provider_config&) {
        got = std::string(m);
        return llmap::any_model{test::chat_only_model{"fixed"}};
    });
    reg.visit("rt2:a:b", [](auto&) {});
    BOOST_TEST(got == "a:b");
    reg.visit("rt2", [](auto&) {});
    BOOST_TEST(got == "");
}

BOOST_AUTO_TEST_CASE(visit_returns_references_and_values) {
    providers reg;
    int counter = 0;
    int& r = reg.visit("echo", [&](auto&) -> int& { return counter; });
    BOOST_TEST(&r == &counter);
    auto text = reg.visit("echo:m", [](auto& m) -> std::string {
        if constexpr (llmap::chat_model<std::remove_cvref_t<decltype(m)>>)
            return "chat";
        else
            return "no chat";
    });
    BOOST_TEST(text == "chat");
    BOOST_TEST(reg.visit("embed-only", [](auto& m) -> std::string {
        if constexpr (llmap::chat_model<std::remove_cvref_t<decltype(m)>>)
            return "chat";
        else
            return "no chat";
    }) == "no chat");
}

BOOST_AUTO_TEST_CASE(make_erases_the_type) {
    providers reg;
    llmap::any_model m = reg.make("echo:e-9");
    BOOST_REQUIRE(m.target<test::echo_model>() != nullptr);
    BOOST_TEST(m.target<test::echo_model>()->model_name == "e-9");
    BOOST_TEST(m.complete(hi()).text() == "e-9: Hi");
    BOOST_TEST(m.supports(llmap::capability::embeddings));

    llmap::any_model big = reg.make("big");
    BOOST_REQUIRE(big.target<test::big_model>() != nullptr);
    BOOST_TEST(big.complete(hi()).text() == "b1!");

    auto ok = reg.try_make("chat-only:c7");
    BOOST_REQUIRE(ok.has_value());
    BOOST_TEST(ok->complete(hi()).text() == "c7");
    BOOST_CHECK_EXCEPTION(ok->embed({}), llmap::error, [](const llmap::error& e) {
        return e.code() == llmap::errc::unsupported_capability;
    });
}

BOOST_AUTO_TEST_CASE(runtime_errors_are_typed) {
    providers reg;
    reg.add("corp-gateway", [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    });
    struct {
        std::string_view id;
        llmap::errc code;
    } const cases[] = {
        {"", llmap::errc::invalid_model_id},
        {":x", llmap::errc::invalid_model_id},
        {"echo:", llmap::errc::invalid_model_id},
        {":", llmap::errc::invalid_model_id},
        {"ec ho:x", llmap::errc::invalid_model_id},
        {"echo:a\nb", llmap::errc::invalid_model_id},
        {"anthropik:x", llmap::errc::unknown_provider},
        {"ECHO:x", llmap::errc::unknown_provider},
        {"echo-:x", llmap::errc::unknown_provider},
        {"e", llmap::errc::unknown_provider},
    };
    for (auto const& c : cases) {
        auto r = reg.try_make(c.id);
        BOOST_TEST(r.has_error(), c.id);
        if (r.has_error())
            BOOST_TEST((r.error() == c.code), c.id);
        BOOST_CHECK_EXCEPTION(reg.make(c.id), llmap::error,
                              [&](const llmap::error& e) { return e.code() == c.code; });
        BOOST_CHECK_EXCEPTION(reg.visit(c.id, [](auto&) {}), llmap::error,
                              [&](const llmap::error& e) { return e.code() == c.code; });
        BOOST_CHECK_EXCEPTION(reg.make_variant(c.id), llmap::error,
                              [&](const llmap::error& e) { return e.code() == c.code; });
    }
}

BOOST_AUTO_TEST_CASE(unknown_provider_message_lists_the_names) {
    providers reg;
    reg.add("corp-gateway", [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    });
    try {
        (void)reg.make("anthropik:claude");
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        std::string const what = e.what();
        BOOST_TEST(what.find("'anthropik'") != std::string::npos, what);
        for (auto n : reg.all_names())
            BOOST_TEST(what.find(std::string(n)) != std::string::npos, what << " lacks " << n);
        BOOST_TEST(what.find("corp-gateway") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(try_make_keeps_the_message) {
    providers reg;
    reg.add("corp-gateway", [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    });
    for (std::string_view const id : {"anthropik:claude", "ec ho:x"}) {
        std::string thrown;
        try {
            (void)reg.make(id);
        } catch (const llmap::error& e) {
            thrown = e.what();
        }
        BOOST_REQUIRE(!thrown.empty());

        auto r = reg.try_make(id);
        BOOST_REQUIRE(r.has_error());
        // The error is the one make throws: its code, and its whole message.
        BOOST_TEST(r.error().what() == thrown);
        BOOST_TEST(r.error().message() == thrown);
        // value() throws it, as an llmap::error.
        BOOST_CHECK_EXCEPTION((void)r.value(), llmap::error, [&](const llmap::error& e) {
            return e.what() == thrown && e.code() == r.error().code();
        });
    }

    auto unknown = reg.try_make("anthropik:claude");
    BOOST_TEST((unknown.error() == llmap::errc::unknown_provider));
    BOOST_TEST((unknown.error().code() == llmap::errc::unknown_provider));
    std::string const what = unknown.error().what();
    BOOST_TEST(what.find("'anthropik'") != std::string::npos, what);
    for (auto n : reg.all_names())
        BOOST_TEST(what.find(std::string(n)) != std::string::npos, what << " lacks " << n);

    auto malformed = reg.try_make("echo:");
    BOOST_TEST((malformed.error() != llmap::errc::unknown_provider));
    BOOST_TEST((malformed.error() == llmap::errc::invalid_model_id));
    BOOST_TEST(std::string_view(malformed.error().what()).find("'echo:'") != std::string::npos,
               malformed.error().what());

    // A result holding a model reports the empty error, as one with an error_code would.
    auto ok = reg.try_make("echo:e1");
    BOOST_REQUIRE(ok.has_value());
    BOOST_TEST(!ok.error().code());
    BOOST_TEST(ok.value().complete(hi()).text() == "e1: Hi");
}

BOOST_AUTO_TEST_CASE(an_empty_registry_holds_providers_added_at_run_time) {
    llmap::registry<> reg; // compiles without warnings (-Werror)
    static_assert(llmap::registry<>::size() == 0);
    auto r = reg.try_make("corp:x");
    BOOST_TEST((r.error() == llmap::errc::unknown_provider));
    BOOST_TEST(std::string_view(r.error().what()).find("(none)") != std::string_view::npos,
               r.error().what());
    reg.add("corp", [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    });
    BOOST_TEST(reg.make("corp:x").complete(hi()).text() == "x");
}

BOOST_AUTO_TEST_CASE(hostile_ids_give_bounded_messages) {
    providers reg;
    std::string huge(1 << 20, 'a');
    huge += ":x";
    try {
        (void)reg.make(huge);
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::unknown_provider));
        BOOST_TEST(std::string_view(e.what()).size() < 1000);
    }
    std::string ctrl = "echo:\x1b[2Jx";
    try {
        (void)reg.make(ctrl);
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST(std::string_view(e.what()).find('\x1b') == std::string_view::npos);
        BOOST_TEST(std::string_view(e.what()).find("\\x1b") != std::string_view::npos);
    }
}

BOOST_AUTO_TEST_CASE(make_variant_picks_the_alternative) {
    providers reg;
    reg.add("runtime", [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    });
    BOOST_TEST(reg.make_variant("echo:x").index() == 0u);
    BOOST_TEST(reg.make_variant("special").index() == 1u);
    BOOST_TEST(reg.make_variant("big:q").index() == 4u);
    BOOST_TEST(reg.make_variant("my-alias:q").index() == 5u); // same type as echo, own slot
    BOOST_TEST(reg.make_variant("runtime:r").index() == 6u);
    auto v = reg.make_variant("chat-only:v1");
    auto text = std::visit(
        [](auto& m) -> std::string {
            if constexpr (llmap::chat_model<std::remove_cvref_t<decltype(m)>>)
                return m.complete(hi()).text();
            else
                return "";
        },
        v);
    BOOST_TEST(text == "v1");
}

BOOST_AUTO_TEST_CASE(add_rejects_bad_and_shadowing_names) {
    providers reg;
    auto factory = [](std::string_view m, const llmap::provider_config&) {
        return llmap::any_model{test::chat_only_model{m}};
    };
    auto code_of = [&](std::string_view name) {
        try {
            reg.add(name, factory);
        } catch (const llmap::error& e) {
            return e.code();
        }
        return boost::system::error_code{};
    };
    BOOST_TEST((code_of("echo") == llmap::errc::duplicate_provider));
    BOOST_TEST((code_of("my-alias") == llmap::errc::duplicate_provider));
    BOOST_TEST((code_of("") == llmap::errc::invalid_model_id));
    BOOST_TEST((code_of("a:b") == llmap::errc::invalid_model_id));
    BOOST_TEST((code_of("sp ace") == llmap::errc::invalid_model_id));
    BOOST_TEST(!code_of("fresh"));
    BOOST_TEST((code_of("fresh") == llmap::errc::duplicate_provider));
    BOOST_TEST(reg.knows("fresh"));
    BOOST_TEST(!providers::contains("fresh"));
    BOOST_CHECK_EXCEPTION(
        reg.add("empty-factory", llmap::model_factory{}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::invalid_model_id; });
}

BOOST_AUTO_TEST_CASE(configuration_from_env) {
    env_var k("ECHO_API_KEY", "sk-echo");
    env_var u("ECHO_BASE_URL", "http://127.0.0.1:9/v1");
    env_var a("MY_ALIAS_API_KEY", "sk-alias");
    env_var h("LLMAP_TEST_HOOKED_HOST", "127.0.0.1:11434");
    env_var g("CORP_GATEWAY_API_KEY", "sk-corp");
    llmap::registry<test::echo_provider, llmap::as<"my-alias", test::echo_provider>,
                    test::env_hook_provider>
        reg{llmap::from_env};
    BOOST_TEST(reg.provider<"echo">().config.api_key == "sk-echo");
    BOOST_TEST(reg.provider<"echo">().config.base_url == "http://127.0.0.1:9/v1");
    BOOST_TEST(reg.provider<"my-alias">().config.api_key == "sk-alias");
    BOOST_TEST(reg.provider<"my-alias">().config.base_url == "");
    BOOST_TEST(reg.provider<"hooked">().config.base_url == "http://127.0.0.1:11434");
    // The models see their provider's configuration.
    BOOST_TEST(reg.model<"echo:m">().config.api_key == "sk-echo");
    // A provider added at run time to a from_env registry reads its own variables.
    std::string key;
    reg.add("corp-gateway", [&](std::string_view m, const llmap::provider_config& c) {
        key = c.api_key;
        return llmap::any_model{test::chat_only_model{m}};
    });
    (void)reg.make("corp-gateway:m");
    BOOST_TEST(key == "sk-corp");
}

BOOST_AUTO_TEST_CASE(explicit_configuration) {
    using two = llmap::registry<test::echo_provider, llmap::as<"other", test::echo_provider>>;
    two reg{{"other", llmap::provider_config{}.with_api_key("k2").with_base_url("http://h")}};
    BOOST_TEST(reg.provider<"other">().config.api_key == "k2");
    BOOST_TEST(reg.provider<"other">().config.base_url == "http://h");
    BOOST_TEST((reg.provider<"echo">().config == llmap::provider_config{}));

    BOOST_CHECK_EXCEPTION((two{{"typo", {}}}), llmap::error, [](const llmap::error& e) {
        return e.code() == llmap::errc::unknown_provider &&
               std::string_view(e.what()).find("echo, other") != std::string_view::npos;
    });
    BOOST_CHECK_EXCEPTION(
        (two{{"echo", {}}, {"echo", {}}}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::duplicate_provider; });
    // A runtime provider with an explicit configuration.
    std::string base;
    reg.add(
        "gw",
        [&](std::string_view m, const llmap::provider_config& c) {
            base = c.base_url;
            return llmap::any_model{test::chat_only_model{m}};
        },
        llmap::provider_config{}.with_base_url("https://gw.corp/v1"));
    (void)reg.make("gw:x");
    BOOST_TEST(base == "https://gw.corp/v1");
}

BOOST_AUTO_TEST_CASE(many_providers_resolve_exactly) {
    using big_registry = test::generated_registry<64>;
    static_assert(big_registry::contains("gen-0") && big_registry::contains("gen-63"));
    static_assert(!big_registry::contains("gen-64") && !big_registry::contains("gen-"));
    big_registry reg;
    for (std::size_t i = 0; i != 64; ++i) {
        std::string const id = "gen-" + std::to_string(i) + ":m";
        BOOST_TEST(reg.make(id).complete({}).id == std::to_string(i), id);
        BOOST_TEST(reg.make_variant(id).index() == i);
    }
    // Near misses: every name with one byte changed, cut or extended.
    std::set<std::string> names;
    for (auto n : big_registry::names())
        names.emplace(n);
    std::mt19937 rng(42);
    for (auto n : big_registry::names()) {
        for (int k = 0; k != 50; ++k) {
            std::string s(n);
            switch (rng() % 3) {
            case 0:
                s[rng() % s.size()] = static_cast<char>('0' + rng() % 75);
                break;
            case 1:
                s.pop_back();
                break;
            default:
                s.push_back(static_cast<char>('0' + rng() % 10));
                break;
            }
            BOOST_TEST(big_registry::contains(s) == (names.count(s) == 1), s);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
