//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_COHERE_HPP
#define LLMAP_PROVIDERS_COHERE_HPP

/** @file
    Cohere, through its native API v2: chat (`/v2/chat`, answers and streams) and embeddings
    (`/v2/embed`).
*/

#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/providers/cohere/chat_wire.hpp>
#include <llmap/providers/cohere/embed_wire.hpp>
#include <llmap/providers/detail/model_base.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::cohere_api {

/** A Cohere model: chat through `/v2/chat`, embeddings through `/v2/embed`.

    The request maps onto Cohere's as `chat_wire.hpp` says (tool plans as text, thinking as
    reasoning, citations as sources, `request::reasoning` as a thinking budget); raw options
    under the key `"cohere"` are merged last into the body. Embeddings ask for float vectors
    with `input_type: search_document` unless the raw options say otherwise (see
    `wire::embed_request_body`).

    @par Example
    @code
    llmap::registry<llmap::cohere> reg{llmap::from_env};
    llmap::cohere::chat_model m = reg.model<"cohere:command-a-03-2025">();
    auto r = m.complete({.system = "Be brief.", .prompt = "Hi"});
    @endcode
*/
class chat_model
    : public llmap::detail::chat_calls<chat_model, llmap::detail::embedding_calls<chat_model>> {
public:
    using chat_calls::chat_calls;

    /// Tools, structured output, reasoning (on Cohere's reasoning models), image input and
    /// embeddings.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input | capability::embeddings;
    }

private:
    friend struct llmap::detail::call_access;

    static response parse_chat(boost::json::value v, std::string_view provider) {
        return wire::parse_chat_response(std::move(v), provider);
    }

    // The answer must pair one vector with each input.
    struct embed_parser {
        std::size_t inputs;

        embedding_response operator()(boost::json::value v, std::string_view provider) const {
            auto r = wire::parse_embed_response(std::move(v), provider);
            if (r.vectors.size() != inputs)
                llmap::detail::throw_malformed(
                    provider, "the answer has " + std::to_string(r.vectors.size()) +
                                  " embeddings for " + std::to_string(inputs) + " inputs");
            return r;
        }
    };

    auto chat_call(const request& req, bool stream) const {
        llmap::detail::wire_call<decltype(&parse_chat), wire::chat_stream_decoder> c{
            "/v2/chat", {}, {}, parse_chat, wire::chat_stream_decoder(provider())};
        c.body = wire::chat_request_body(req, name(), stream, c.warnings, provider());
        return c;
    }

    auto embed_call(const embedding_request& req) const {
        llmap::detail::wire_call<embed_parser> c{"/v2/embed", {}, {}, {req.inputs.size()}};
        c.body = wire::embed_request_body(req, name(), c.warnings, provider());
        return c;
    }
};

static_assert(
    llmap::detail::any_model_in_place<chat_model>,
    "llmap: a built-in model must fit any_model's in-place buffer (any_model::buffer_size)");

} // namespace llmap::cohere_api

namespace llmap {

/** Cohere (registry name `cohere`), through its native API v2.

    Configuration: `COHERE_API_KEY` (or Cohere's own `CO_API_KEY` when it is unset), sent as a
    bearer token; `COHERE_BASE_URL` (default `https://api.cohere.com`, without `/v2`).

    @par Example
    @code
    llmap::registry<llmap::cohere> reg{llmap::from_env};
    auto m = reg.model<"cohere">(); // command-a-03-2025
    auto v = m.embed({.inputs = {"hello"}});
    @endcode
*/
class cohere {
public:
    using chat_model = cohere_api::chat_model;

    static constexpr fixed_string name = "cohere";
    static constexpr std::string_view default_model = "command-a-03-2025";

    explicit cohere(const provider_config& c)
        : endpoint_(std::make_shared<const detail::endpoint>(
              detail::endpoint_options{.provider = std::string(name.view()),
                                       .base_url = c.base_url.empty() ? "https://api.cohere.com"
                                                                      : c.base_url,
                                       .auth = bearer(c.api_key),
                                       .key = c.api_key},
              c)) {}

    /// Reads `CO_API_KEY`, the Cohere SDKs' variable, when `COHERE_API_KEY` gave no key.
    static void apply_env(provider_config& c) {
        if (c.api_key.empty())
            c.api_key = detail::getenv_or_empty("CO_API_KEY");
    }

    chat_model model(std::string_view id) const { return {endpoint_, std::string(id)}; }

private:
    static std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) {
        std::vector<std::pair<std::string, std::string>> h;
        if (!key.empty())
            h.emplace_back("authorization", "Bearer " + key);
        return h;
    }

    std::shared_ptr<const detail::endpoint> endpoint_;
};

} // namespace llmap

#endif
