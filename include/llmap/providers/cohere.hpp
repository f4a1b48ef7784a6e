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
class chat_model : public llmap::detail::model_base {
public:
    using model_base::model_base;

    /** Answer a request.
        @throws llmap::error `http_error` (with the provider's status and message and its
        request id), `malformed_response`, `missing_api_key`, or a transport error.
    */
    response complete(const request& req) {
        std::vector<warning> warnings;
        auto const body = make_body(req, false, warnings);
        return post("/v2/chat", body, req, std::move(warnings), parse_chat);
    }

    /** Answer a request asynchronously.

        Completes with `void(std::exception_ptr, llmap::response)`, with any Asio completion
        token; the exception is what `complete` would have thrown. Runs on the provider's HTTP
        client; the request is copied, so it need not outlive the call.
    */
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, false, warnings);
        return async_post("/v2/chat", body, req, std::move(warnings), parse_chat,
                          std::forward<CompletionToken>(token));
    }

    /** Stream the answer to a request; `on_event` gets each event as it arrives (on another
        thread than the caller's, one at a time).
        @return the whole response, as `complete` would.
        @throws llmap::error as `complete`, and `http_error` for an error reported in the
        stream, `malformed_response` for a stream cut before its end.
    */
    response stream(const request& req, stream_handler on_event) {
        std::vector<warning> warnings;
        auto const body = make_body(req, true, warnings);
        return post_stream<wire::chat_stream_decoder>("/v2/chat", body, req, std::move(warnings),
                                                      on_event);
    }

    /** Stream asynchronously: `on_event` (which owns what it captures) gets each event on the
        HTTP client's thread; completes with `void(std::exception_ptr, llmap::response)`. An
        exception thrown by `on_event` stops the stream and is what the operation completes
        with.
    */
    template <class CompletionToken>
    auto async_stream(const request& req, llmap::detail::async_stream_handler on_event,
                      CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, true, warnings);
        return async_post_stream<wire::chat_stream_decoder>(
            "/v2/chat", body, req, std::move(warnings), std::move(on_event),
            std::forward<CompletionToken>(token));
    }

    /** Embed the request's inputs (`/v2/embed`).
        @throws llmap::error as `complete`; `malformed_response` also when the answer does not
        have one vector per input.
    */
    embedding_response embed(const embedding_request& req) {
        std::vector<warning> warnings;
        auto const body = wire::embed_request_body(req, name(), warnings, provider());
        return post<embedding_response>("/v2/embed", body, req, std::move(warnings),
                                        embed_parser{req.inputs.size()});
    }

    /** Embed asynchronously: completes with `void(std::exception_ptr, embedding_response)`,
        with any Asio completion token (see `async_complete`).
    */
    template <class CompletionToken>
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = wire::embed_request_body(req, name(), warnings, provider());
        return async_post<embedding_response>("/v2/embed", body, req, std::move(warnings),
                                              embed_parser{req.inputs.size()},
                                              std::forward<CompletionToken>(token));
    }

    /// Tools, structured output, reasoning (on Cohere's reasoning models), image input and
    /// embeddings.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input | capability::embeddings;
    }

private:
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

    boost::json::object make_body(const request& req, bool stream,
                                  std::vector<warning>& warnings) const {
        return wire::chat_request_body(req, name(), stream, warnings, provider());
    }
};

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
              std::string(name.view()), c.base_url.empty() ? "https://api.cohere.com" : c.base_url,
              bearer(c.api_key), c.api_key, true, c)) {}

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
