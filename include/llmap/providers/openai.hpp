//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OPENAI_HPP
#define LLMAP_PROVIDERS_OPENAI_HPP

/** @file
    OpenAI (the Responses API as `openai`, Chat Completions as `openai-chat`) and the models
    that every OpenAI-compatible provider shares.
*/

#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/providers/detail/model_base.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
#include <llmap/providers/openai/embeddings_wire.hpp>
#include <llmap/providers/openai/responses_wire.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace llmap::openai_api {

namespace detail {

using llmap::detail::model_base;

inline embedding_response parse_embeddings(boost::json::value v, std::string_view provider) {
    return wire::parse_embeddings_response(std::move(v), provider);
}

inline response parse_chat(boost::json::value v, std::string_view provider) {
    return wire::parse_chat_response(std::move(v), provider);
}

inline response parse_responses(boost::json::value v, std::string_view provider) {
    return wire::parse_responses_response(std::move(v), provider);
}

/** The embedding calls of the models whose provider serves `/embeddings`. */
class embedding_calls : public model_base {
public:
    /// @param dimensions_field the body field of `embedding_request::dimensions`.
    embedding_calls(std::shared_ptr<const llmap::detail::endpoint> ep, std::string model,
                    std::string_view dimensions_field = "dimensions")
        : model_base(std::move(ep), std::move(model)), dimensions_field_(dimensions_field) {}

    /// Embed the request's inputs (`/embeddings`).
    embedding_response embed(const embedding_request& req) {
        std::vector<warning> warnings;
        auto const body = make_body(req, warnings);
        return post<embedding_response>("/embeddings", body, req, std::move(warnings),
                                        parse_embeddings);
    }

    /** Embed asynchronously: completes with `void(std::exception_ptr, embedding_response)`,
        with any Asio completion token (see `basic_chat_model::async_complete`).
    */
    template <class CompletionToken>
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, warnings);
        return async_post<embedding_response>("/embeddings", body, req, std::move(warnings),
                                              parse_embeddings,
                                              std::forward<CompletionToken>(token));
    }

private:
    boost::json::object make_body(const embedding_request& req,
                                  std::vector<warning>& warnings) const {
        return wire::embeddings_request_body(req, name(), "float", warnings, provider(),
                                             dimensions_field_);
    }

    std::string_view dimensions_field_;
};

} // namespace detail

/** A Chat Completions model (`/chat/completions`): OpenAI's `openai-chat` and every
    OpenAI-compatible provider, each with its `chat_dialect`.

    @tparam Embeddings whether the provider also serves `/embeddings` (the type then has
    `embed` and `async_embed`; without them, embedding does not compile on the static path).
*/
template <bool Embeddings>
class basic_chat_model
    : public std::conditional_t<Embeddings, detail::embedding_calls, detail::model_base> {
    using base = std::conditional_t<Embeddings, detail::embedding_calls, detail::model_base>;

public:
    basic_chat_model(std::shared_ptr<const llmap::detail::endpoint> ep, const chat_dialect* d,
                     std::string model)
        : base(make_base(std::move(ep), d, std::move(model))), dialect_(d) {}

    /** Answer a request.
        @throws llmap::error `http_error` (with the provider's status, error type, message
        and request id), `malformed_response`, `missing_api_key`, or a transport error.
    */
    response complete(const request& req) {
        std::vector<warning> warnings;
        auto const body = make_body(req, false, warnings);
        return this->post("/chat/completions", body, req, std::move(warnings), detail::parse_chat);
    }

    /** Answer a request asynchronously.

        Completes with `void(std::exception_ptr, llmap::response)`, with any Asio completion
        token (a callback, `asio::use_future`, `asio::use_awaitable`, `asio::deferred`); the
        exception is what `complete` would have thrown. Runs on the provider's HTTP client;
        the request is copied, so it need not outlive the call. Cancellation through the
        token's cancellation slot completes with `errc::cancelled`.
    */
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, false, warnings);
        return this->async_post("/chat/completions", body, req, std::move(warnings),
                                detail::parse_chat, std::forward<CompletionToken>(token));
    }

    /** Stream the answer to a request; `on_event` gets each event as it arrives (on another
        thread than the caller's, one at a time).
        @return the whole response, as `complete` would.
        @throws llmap::error as `complete`.
    */
    response stream(const request& req, stream_handler on_event) {
        std::vector<warning> warnings;
        auto const body = make_body(req, true, warnings);
        return this->template post_stream<wire::chat_stream_decoder>("/chat/completions", body, req,
                                                                     std::move(warnings), on_event);
    }

    /** Stream asynchronously: `on_event` (which owns what it captures) gets each event on the
        HTTP client's thread; completes with `void(std::exception_ptr, llmap::response)` —
        the whole response, as `stream` returns it. An exception thrown by `on_event` stops
        the stream and is what the operation completes with.
    */
    template <class CompletionToken>
    auto async_stream(const request& req, async_stream_handler on_event, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, true, warnings);
        return this->template async_post_stream<wire::chat_stream_decoder>(
            "/chat/completions", body, req, std::move(warnings), std::move(on_event),
            std::forward<CompletionToken>(token));
    }

    /// Tools, structured output and image input; reasoning where the dialect's models reason.
    capability_set capabilities() const noexcept {
        capability_set s =
            capability::tools | capability::structured_output | capability::image_input;
        if (dialect_->reasoning)
            s |= capability::reasoning;
        return s;
    }

    /// The dialect this model speaks.
    const chat_dialect& dialect() const noexcept { return *dialect_; }

private:
    static base make_base(std::shared_ptr<const llmap::detail::endpoint> ep, const chat_dialect* d,
                          std::string model) {
        if constexpr (Embeddings)
            return base(std::move(ep), std::move(model), d->dimensions_field);
        else
            return base(std::move(ep), std::move(model));
    }

    boost::json::object make_body(const request& req, bool stream,
                                  std::vector<warning>& warnings) const {
        return wire::chat_request_body(req, this->name(), *dialect_, stream, warnings);
    }

    const chat_dialect* dialect_;
};

using chat_model = basic_chat_model<true>;

/** An OpenAI model through the Responses API (`/responses`), with embeddings through
    `/embeddings`.
*/
class responses_model : public detail::embedding_calls {
public:
    using embedding_calls::embedding_calls;

    /** Answer a request.
        @throws llmap::error as `basic_chat_model::complete`.
    */
    response complete(const request& req) {
        std::vector<warning> warnings;
        auto const body = make_body(req, false, warnings);
        return post("/responses", body, req, std::move(warnings), detail::parse_responses);
    }

    /// Answer a request asynchronously (see `basic_chat_model::async_complete`).
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, false, warnings);
        return async_post("/responses", body, req, std::move(warnings), detail::parse_responses,
                          std::forward<CompletionToken>(token));
    }

    /// Stream the answer to a request (see `basic_chat_model::stream`).
    response stream(const request& req, stream_handler on_event) {
        std::vector<warning> warnings;
        auto const body = make_body(req, true, warnings);
        return post_stream<wire::responses_stream_decoder>("/responses", body, req,
                                                           std::move(warnings), on_event);
    }

    /// Stream asynchronously (see `basic_chat_model::async_stream`).
    template <class CompletionToken>
    auto async_stream(const request& req, async_stream_handler on_event, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, true, warnings);
        return async_post_stream<wire::responses_stream_decoder>(
            "/responses", body, req, std::move(warnings), std::move(on_event),
            std::forward<CompletionToken>(token));
    }

    /// Tools, structured output, reasoning (effort and summaries) and image input.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input;
    }

private:
    boost::json::object make_body(const request& req, bool stream,
                                  std::vector<warning>& warnings) const {
        return wire::responses_request_body(req, name(), stream, warnings, provider());
    }
};

namespace detail {

// OpenAI's own headers: the bearer key, and the organisation and project when configured
// (OPENAI_ORG_ID, OPENAI_PROJECT_ID).
inline std::vector<std::pair<std::string, std::string>> bearer(const std::string& key) {
    std::vector<std::pair<std::string, std::string>> h;
    if (!key.empty())
        h.emplace_back("authorization", "Bearer " + key);
    return h;
}

/// @param key_variables the environment variables the key is read from, for the missing-key
/// message (empty: `<NAME>_API_KEY`).
inline std::shared_ptr<const llmap::detail::endpoint>
openai_endpoint(std::string_view name, const provider_config& c, std::string key_variables = {}) {
    auto auth = bearer(c.api_key);
    return std::make_shared<const llmap::detail::endpoint>(
        std::string(name), c.base_url.empty() ? "https://api.openai.com/v1" : c.base_url,
        std::move(auth), c.api_key, true, c, nullptr, std::string(), std::move(key_variables));
}

inline void openai_env(provider_config& c) {
    if (auto org = llmap::detail::getenv_or_empty("OPENAI_ORG_ID"); !org.empty())
        c.headers.emplace_back("openai-organization", std::move(org));
    if (auto project = llmap::detail::getenv_or_empty("OPENAI_PROJECT_ID"); !project.empty())
        c.headers.emplace_back("openai-project", std::move(project));
}

inline constexpr chat_dialect openai_dialect{.name = "openai", .openai_reasoning_models = true};

} // namespace detail

} // namespace llmap::openai_api

namespace llmap {

/** OpenAI through the Responses API, as the official SDK now defaults to.

    Configuration: `OPENAI_API_KEY`, `OPENAI_BASE_URL` (default `https://api.openai.com/v1`),
    `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` (sent as `OpenAI-Organization` / `OpenAI-Project`).

    @par Example
    @code
    llmap::registry<llmap::openai> reg{llmap::from_env};
    llmap::openai::responses_model m = reg.model<"openai:gpt-4.1-mini">();
    @endcode
*/
class openai {
public:
    using responses_model = openai_api::responses_model;
    using chat_model = openai_api::chat_model;
    using chat_dialect = openai_api::chat_dialect;

    static constexpr fixed_string name = "openai";
    static constexpr std::string_view default_model = "gpt-4.1-mini";

    explicit openai(const provider_config& c)
        : endpoint_(openai_api::detail::openai_endpoint(name.view(), c)) {}

    static void apply_env(provider_config& c) { openai_api::detail::openai_env(c); }

    responses_model model(std::string_view id) const { return {endpoint_, std::string(id)}; }

private:
    std::shared_ptr<const detail::endpoint> endpoint_;
};

/** OpenAI through the Chat Completions API (registry name `openai-chat`); configured by
    `OPENAI_CHAT_API_KEY`/`OPENAI_CHAT_BASE_URL`, falling back to OpenAI's own variables.
*/
class openai_chat {
public:
    using chat_model = openai_api::chat_model;

    static constexpr fixed_string name = "openai-chat";
    static constexpr std::string_view default_model = "gpt-4.1-mini";

    explicit openai_chat(const provider_config& c)
        : endpoint_(openai_api::detail::openai_endpoint(name.view(), c,
                                                        "OPENAI_CHAT_API_KEY, OPENAI_API_KEY")) {}

    static void apply_env(provider_config& c) {
        if (c.api_key.empty())
            c.api_key = detail::getenv_or_empty("OPENAI_API_KEY");
        if (c.base_url.empty())
            c.base_url = detail::getenv_or_empty("OPENAI_BASE_URL");
        openai_api::detail::openai_env(c);
    }

    chat_model model(std::string_view id) const {
        return {endpoint_, &openai_api::detail::openai_dialect, std::string(id)};
    }

private:
    std::shared_ptr<const detail::endpoint> endpoint_;
};

} // namespace llmap

#endif
