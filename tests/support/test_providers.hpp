//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Providers that exist only for the tests: they need no network, and each has a shape the
// registry must handle (a provider-specific method, one capability only, a model too big for
// any_model's buffer, an environment hook, ...). Nothing here ships in include/.

#ifndef LLMAP_TESTS_SUPPORT_TEST_PROVIDERS_HPP
#define LLMAP_TESTS_SUPPORT_TEST_PROVIDERS_HPP

// The core only, not the umbrella: these tests need no transport, and Beast + OpenSSL would
// slow every test file that includes this.
#include <llmap/any_model.hpp>
#include <llmap/registry.hpp>
#include <llmap/types.hpp>

#include <array>
#include <cstdlib>
#include <string>
#include <string_view>

namespace test {

/// Answers with "<provider>/<model>: <last user text>"; streams it word by word; embeds each
/// input as {length, first byte}.
struct echo_model {
    std::string model_name;
    llmap::provider_config config;

    llmap::response complete(const llmap::request& req) {
        llmap::response r;
        r.model = model_name;
        r.content.emplace_back(llmap::text_part{answer(req)});
        r.finish = llmap::finish_reason::stop;
        return r;
    }

    llmap::response stream(const llmap::request& req, llmap::stream_handler on_event) {
        std::string const text = answer(req);
        llmap::stream_accumulator acc;
        std::size_t start = 0;
        while (start < text.size()) {
            std::size_t end = text.find(' ', start);
            end = end == std::string::npos ? text.size() : end + 1;
            llmap::stream_event e{llmap::text_delta{"t0", text.substr(start, end - start)}, {}};
            on_event(e);
            acc.add(e);
            start = end;
        }
        llmap::stream_event fin{llmap::finish_event{llmap::finish_reason::stop, "stop"}, {}};
        on_event(fin);
        acc.add(fin);
        return std::move(acc).finish();
    }

    llmap::embedding_response embed(const llmap::embedding_request& req) {
        llmap::embedding_response r;
        r.model = model_name;
        for (auto const& in : req.inputs)
            r.vectors.push_back(
                {static_cast<float>(in.size()), in.empty() ? 0.0f : static_cast<float>(in[0])});
        return r;
    }

    llmap::capability_set capabilities() const {
        return llmap::capability::tools | llmap::capability::image_input;
    }

    std::string answer(const llmap::request& req) const {
        auto const msgs = req.all_messages();
        std::string last = msgs.empty() ? std::string() : msgs.back().text();
        return model_name + ": " + last;
    }
};

struct echo_provider {
    static constexpr llmap::fixed_string name = "echo";
    static constexpr std::string_view default_model = "echo-1";
    llmap::provider_config config;
    explicit echo_provider(const llmap::provider_config& c) : config(c) {}
    echo_model model(std::string_view m) const { return {std::string(m), config}; }
};

/// A model with a method of its own: the static path must keep it.
struct special_model {
    std::string model_name;
    int budget = 0;
    special_model& thinking_budget(int b) {
        budget = b;
        return *this;
    }
    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.content.emplace_back(llmap::text_part{model_name + " budget=" + std::to_string(budget)});
        return r;
    }
};

struct special_provider {
    static constexpr llmap::fixed_string name = "special";
    static constexpr std::string_view default_model = "special-default";
    explicit special_provider(const llmap::provider_config&) {}
    special_model model(std::string_view m) const { return {std::string(m)}; }
};

/// Chat only: no stream, no embed.
struct chat_only_model {
    std::string_view model_name;
    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.content.emplace_back(llmap::text_part{std::string(model_name)});
        return r;
    }
};

struct chat_only_provider {
    static constexpr llmap::fixed_string name = "chat-only";
    static constexpr std::string_view default_model = "c1";
    explicit chat_only_provider(const llmap::provider_config&) {}
    chat_only_model model(std::string_view m) const { return {m}; }
};

/// Embeddings only.
struct embed_only_model {
    std::string_view model_name;
    llmap::embedding_response embed(const llmap::embedding_request& req) {
        llmap::embedding_response r;
        r.vectors.assign(req.inputs.size(), std::vector<float>{1.0f});
        return r;
    }
};

struct embed_only_provider {
    static constexpr llmap::fixed_string name = "embed-only";
    static constexpr std::string_view default_model = "e1";
    explicit embed_only_provider(const llmap::provider_config&) {}
    embed_only_model model(std::string_view m) const { return {m}; }
};

/// A model larger than any_model's buffer: stored on the heap.
struct big_model {
    std::array<char, 256> payload{};
    std::string_view model_name;
    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.content.emplace_back(llmap::text_part{std::string(model_name) + payload.data()});
        return r;
    }
};

struct big_provider {
    static constexpr llmap::fixed_string name = "big";
    static constexpr std::string_view default_model = "b1";
    explicit big_provider(const llmap::provider_config&) {}
    big_model model(std::string_view m) const {
        big_model b;
        b.payload[0] = '!';
        b.model_name = m;
        return b;
    }
};

/// Reads a customary variable of its own, as Ollama reads OLLAMA_HOST.
struct env_hook_provider {
    static constexpr llmap::fixed_string name = "hooked";
    static constexpr std::string_view default_model = "h1";
    llmap::provider_config config;
    static void apply_env(llmap::provider_config& c) {
        if (const char* host = std::getenv("LLMAP_TEST_HOOKED_HOST"); host && c.base_url.empty())
            c.base_url = std::string("http://") + host;
    }
    explicit env_hook_provider(const llmap::provider_config& c) : config(c) {}
    echo_model model(std::string_view m) const { return {std::string(m), config}; }
};

/// The I-th of many generated providers (for registries of 4, 16, 64 names). Its name is
/// "gen-<I>" with I spelled in decimal.
template <std::size_t I>
struct generated_name {
    static constexpr auto value = [] {
        constexpr std::size_t digits = [] {
            std::size_t d = 1;
            for (std::size_t v = I; v >= 10; v /= 10)
                ++d;
            return d;
        }();
        char buf[4 + digits + 1] = {'g', 'e', 'n', '-'};
        std::size_t v = I;
        for (std::size_t k = 0; k != digits; ++k, v /= 10)
            buf[4 + digits - 1 - k] = static_cast<char>('0' + v % 10);
        buf[4 + digits] = '\0';
        return llmap::fixed_string<4 + digits>(buf);
    }();
};

struct indexed_model {
    std::size_t index;
    std::string_view model_name;
    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.id = std::to_string(index);
        return r;
    }
};

template <std::size_t I>
struct generated_provider {
    static constexpr llmap::fixed_string name = generated_name<I>::value;
    static constexpr std::string_view default_model = "default";
    explicit generated_provider(const llmap::provider_config&) {}
    indexed_model model(std::string_view m) const { return {I, m}; }
};

template <class Seq>
struct generated_registry_impl;
template <std::size_t... I>
struct generated_registry_impl<std::index_sequence<I...>> {
    using type = llmap::registry<generated_provider<I>...>;
};

/// A registry of N generated providers gen-0 ... gen-(N-1).
template <std::size_t N>
using generated_registry = typename generated_registry_impl<std::make_index_sequence<N>>::type;

} // namespace test

#endif
