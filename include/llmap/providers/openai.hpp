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
#include <llmap/providers/detail/endpoint.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
#include <llmap/providers/openai/embeddings_wire.hpp>
#include <llmap/providers/openai/responses_wire.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace llmap::openai_api {

namespace detail {

/// The endpoint and the model name, which every model of this family holds (56 bytes: it
/// fits any_model's buffer).
class model_base {
public:
    model_base(std::shared_ptr<const llmap::detail::endpoint> ep, std::string model)
        : endpoint_(std::move(ep)), model_(std::move(model)) {}

    /// The model name sent to the provider.
    const std::string& name() const noexcept { return model_; }

    /// The provider's registry name.
    const std::string& provider() const noexcept { return endpoint_->provider(); }

protected:
    const llmap::detail::endpoint& ep() const noexcept { return *endpoint_; }

    // One request/answer: the request's warnings go first in the response.
    template <class Parse>
    response post(std::string_view path, const boost::json::object& body, const request& req,
                  std::vector<warning> warnings, Parse&& parse) const {
        auto answer = llmap::detail::post_json(
            ep(), ep().post(path, body, req.headers, req.timeout, req.retry));
        response r = parse(std::move(answer), ep().provider());
        r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
        return r;
    }

    // The asynchronous `post`.
    template <class Parse, class CompletionToken>
    auto async_post(std::string_view path, const boost::json::object& body, const request& req,
                    std::vector<warning> warnings, Parse parse, CompletionToken&& token) const {
        return llmap::detail::async_post_json(
            ep(), ep().post(path, body, req.headers, req.timeout, req.retry), std::move(warnings),
            std::move(parse), std::forward<CompletionToken>(token));
    }

    // One streamed request: SSE data through the wire's decoder, each event to the caller
    // and into the response.
    template <class Decoder>
    response post_stream(std::string_view path, const boost::json::object& body, const request& req,
                         std::vector<warning> warnings, stream_handler on_event) const {
        Decoder decoder(ep().provider());
        stream_accumulator acc;
        auto const emit = [&](stream_event&& e) {
            on_event(e);
            acc.add(e);
        };
        llmap::detail::post_sse(ep(), ep().post(path, body, req.headers, req.timeout, req.retry),
                                [&](std::string_view data) {
                                    if (!decoder.done())
                                        decoder.on_data(data, emit);
                                });
        if (!decoder.done())
            decoder.finish(emit);
        response r = std::move(acc).finish();
        r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
        return r;
    }

    std::shared_ptr<const llmap::detail::endpoint> endpoint_;
    std::string model_;
};

/// Embeddings through `/embeddings`, for the models whose provider has them.
inline embedding_response embed_via(const llmap::detail::endpoint& ep, const std::string& model,
                                    const embedding_request& req) {
    std::vector<warning> warnings;
    auto const body = wire::embeddings_request_body(req, model, "float", warnings, ep.provider());
    auto answer = llmap::detail::post_json(ep, ep.post("/embeddings", body, req.headers, {}));
    return wire::parse_embeddings_response(std::move(answer), ep.provider());
}

} // namespace detail

/** A Chat Completions model (`/chat/completions`): OpenAI's `openai-chat` and every
    OpenAI-compatible provider, each with its `chat_dialect`.

    @tparam Embeddings whether the provider also serves `/embeddings` (the type then has
    `embed`; without it, embedding does not compile on the static path).
*/
template <bool Embeddings>
class basic_chat_model : public detail::model_base {
public:
    basic_chat_model(std::shared_ptr<const llmap::detail::endpoint> ep, const chat_dialect* d,
                     std::string model)
        : model_base(std::move(ep), std::move(model)), dialect_(d) {}

    /** Answer a request.
        @throws llmap::error `http_error` (with the provider's status, error type, message
        and request id), `malformed_response`, `missing_api_key`, or a transport error.
    */
    response complete(const request& req) {
        std::vector<warning> warnings;
        auto const body = wire::chat_request_body(req, model_, *dialect_, false, warnings);
        return post("/chat/completions", body, req, std::move(warnings),
                    [](boost::json::value v, std::string_view p) {
                        return wire::parse_chat_response(std::move(v), p);
                    });
    }

    /** Answer a request asynchronously.

        Completes with `void(std::exception_ptr, llmap::response)`, with any Asio completion
        token (a callback, `asio::use_future`, `asio::use_awaitable`, `asio::deferred`); the
        exception is what `complete` would have thrown. Runs on the provider's HTTP client;
        the request is copied, so it need not outlive the call.
    */
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = wire::chat_request_body(req, model_, *dialect_, false, warnings);
        return async_post(
            "/chat/completions", body, req, std::move(warnings),
            [](boost::json::value v, std::string_view p) {
                return wire::parse_chat_response(std::move(v), p);
            },
            std::forward<CompletionToken>(token));
    }

    /** Stream the answer to a request; `on_event` gets each event as it arrives (on another
        thread than the caller's, one at a time).
        @return the whole response, as `complete` would.
        @throws llmap::error as `complete`.
    */
    response stream(const request& req, stream_handler on_event) {
        std::vector<warning> warnings;
        auto const body = wire::chat_request_body(req, model_, *dialect_, true, warnings);
        return post_stream<wire::chat_stream_decoder>("/chat/completions", body, req,
                                                      std::move(warnings), on_event);
    }

    /// Embed the request's inputs through the provider's `/embeddings`.
    embedding_response embed(const embedding_request& req) requires Embeddings {
        return detail::embed_via(ep(), model_, req);
    }

    /// Tools, structured output and image input; reasoning where the dialect takes it.
    capability_set capabilities() const noexcept {
        capability_set s =
            capability::tools | capability::structured_output | capability::image_input;
        if (dialect_->reasoning_effort)
            s |= capability::reasoning;
        return s;
    }

    /// The dialect this model speaks.
    const chat_dialect& dialect() const noexcept { return *dialect_; }

private:
    const chat_dialect* dialect_;
};

using chat_model = basic_chat_model<true>;

/** An OpenAI model through the Responses API (`/responses`), with embeddings through
    `/embeddings`.
*/
class responses_model : public detail::model_base {
public:
    using model_base::model_base;

    /** Answer a request.
        @throws llmap::error as `basic_chat_model::complete`.
    */
    response complete(const request& req) {
        std::vector<warning> warnings;
        auto const body =
            wire::responses_request_body(req, model_, false, warnings, ep().provider());
        return post("/responses", body, req, std::move(warnings),
                    [](boost::json::value v, std::string_view p) {
                        return wire::parse_responses_response(std::move(v), p);
                    });
    }

    /// Answer a request asynchronously (see `basic_chat_model::async_complete`).
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body =
            wire::responses_request_body(req, model_, false, warnings, ep().provider());
        return async_post(
            "/responses", body, req, std::move(warnings),
            [](boost::json::value v, std::string_view p) {
                return wire::parse_responses_response(std::move(v), p);
            },
            std::forward<CompletionToken>(token));
    }

    /// Stream the answer to a request (see `basic_chat_model::stream`).
    response stream(const request& req, stream_handler on_event) {
        std::vector<warning> warnings;
        auto const body =
            wire::responses_request_body(req, model_, true, warnings, ep().provider());
        return post_stream<wire::responses_stream_decoder>("/responses", body, req,
                                                           std::move(warnings), on_event);
    }

    /// Embed the request's inputs (`text-embedding-3-*`).
    embedding_response embed(const embedding_request& req) {
        return detail::embed_via(ep(), model_, req);
    }

    /// Tools, structured output, reasoning (effort and summaries) and image input.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input;
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

inline std::shared_ptr<const llmap::detail::endpoint> openai_endpoint(std::string_view name,
                                                                      const provider_config& c) {
    auto auth = bearer(c.api_key);
    return std::make_shared<const llmap::detail::endpoint>(
        std::string(name), c.base_url.empty() ? "https://api.openai.com/v1" : c.base_url,
        std::move(auth), c.api_key, true, c);
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
        : endpoint_(openai_api::detail::openai_endpoint(name.view(), c)) {}

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
