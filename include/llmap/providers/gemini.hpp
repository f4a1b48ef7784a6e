//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_GEMINI_HPP
#define LLMAP_PROVIDERS_GEMINI_HPP

/** @file
    Google's Gemini API (Google AI Studio), natively: `generateContent`,
    `streamGenerateContent` and the embedding methods.
*/

#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/providers/detail/model_base.hpp>
#include <llmap/providers/gemini/embed_wire.hpp>
#include <llmap/providers/gemini/generate_wire.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::gemini_api {

namespace detail {

// Model names are letters, digits, '-', '_' and '.'; anything else is escaped so that an id
// can never change the URL's structure (a '/', '?', '#' or ':' of its own).
inline std::string encode_path_segment(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        auto const u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

inline embedding_response parse_embed(boost::json::value v, std::string_view provider) {
    return wire::parse_embed_response(std::move(v), provider);
}

inline response parse_generate(boost::json::value v, std::string_view provider) {
    return wire::parse_generate_response(std::move(v), provider);
}

} // namespace detail

/** A Gemini model: chat (`:generateContent`), streaming (`:streamGenerateContent?alt=sse`)
    and embeddings (`:embedContent` for one input, `:batchEmbedContents` for several).

    `request::reasoning` maps to a thinking budget (none 0, minimal 512, low 1024, medium
    8192, high 24576 tokens) or, for Gemini 3 models, a thinking level (`low` up to low,
    `high` above), with thought summaries on; `thinking_budget` sets the budget exactly.
*/
class generative_model : public llmap::detail::model_base {
public:
    using model_base::model_base;

    /** Answer a request.
        @throws llmap::error `http_error` (with Gemini's status, error status such as
        `INVALID_ARGUMENT` and message), `malformed_response`, `missing_api_key`, or a
        transport error. A blocked prompt is not an error: see `wire::parse_generate_response`.
    */
    response complete(const request& req) {
        std::vector<warning> warnings;
        auto const body = make_body(req, warnings);
        return post(path(":generateContent"), body, req, std::move(warnings),
                    detail::parse_generate);
    }

    /** Answer a request asynchronously: completes with `void(std::exception_ptr,
        llmap::response)`, with any Asio completion token (see
        `openai_api::basic_chat_model::async_complete`).
    */
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, warnings);
        return async_post(path(":generateContent"), body, req, std::move(warnings),
                          detail::parse_generate, std::forward<CompletionToken>(token));
    }

    /** Stream the answer to a request; `on_event` gets each event as it arrives.
        @return the whole response, as `complete` would.
        @throws llmap::error as `complete`; `http_error` for an error event mid-stream;
        `malformed_response` for a stream cut before its finish reason.
    */
    response stream(const request& req, stream_handler on_event) {
        std::vector<warning> warnings;
        auto const body = make_body(req, warnings);
        return post_stream<wire::generate_stream_decoder>(path(":streamGenerateContent?alt=sse"),
                                                          body, req, std::move(warnings), on_event);
    }

    /// Stream asynchronously (see `openai_api::basic_chat_model::async_stream`).
    template <class CompletionToken>
    auto async_stream(const request& req, llmap::detail::async_stream_handler on_event,
                      CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = make_body(req, warnings);
        return async_post_stream<wire::generate_stream_decoder>(
            path(":streamGenerateContent?alt=sse"), body, req, std::move(warnings),
            std::move(on_event), std::forward<CompletionToken>(token));
    }

    /** Embed the request's inputs (`gemini-embedding-001`, `text-embedding-004`, ...).
        @throws llmap::error as `complete`.
    */
    embedding_response embed(const embedding_request& req) {
        std::vector<warning> warnings;
        auto const body = wire::embed_request_body(req, name(), warnings, provider());
        return post<embedding_response>(path(wire::embed_method(req)), body, req,
                                        std::move(warnings), detail::parse_embed);
    }

    /// Embed asynchronously: completes with `void(std::exception_ptr, embedding_response)`.
    template <class CompletionToken>
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        std::vector<warning> warnings;
        auto const body = wire::embed_request_body(req, name(), warnings, provider());
        return async_post<embedding_response>(path(wire::embed_method(req)), body, req,
                                              std::move(warnings), detail::parse_embed,
                                              std::forward<CompletionToken>(token));
    }

    /// Tools, structured output, reasoning and image input.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input;
    }

    /** Set the thinking budget in tokens (0 turns thinking off where the model allows it,
        -1 lets the model decide), with thought summaries unless 0. It wins over
        `request::reasoning`.
        @return `*this`.
    */
    generative_model& thinking_budget(int tokens) & {
        thinking_.budget = tokens;
        return *this;
    }

    /// The thinking settings in use.
    const thinking_settings& thinking() const noexcept { return thinking_; }

private:
    // The API's version, unless the base URL already names one.
    std::string path(std::string_view method) const {
        std::string_view const base = ep().base_url();
        bool const versioned =
            base.ends_with("/v1beta") || base.ends_with("/v1") || base.ends_with("/v1alpha");
        return std::string(versioned ? "" : "/v1beta") + "/models/" +
               detail::encode_path_segment(name()) + std::string(method);
    }

    boost::json::object make_body(const request& req, std::vector<warning>& warnings) const {
        return wire::generate_request_body(req, name(), thinking_, warnings, provider());
    }

    thinking_settings thinking_;
};

} // namespace llmap::gemini_api

namespace llmap {

/** Google's Gemini API, natively (registry name `gemini`).

    Configuration: the key from `GEMINI_API_KEY`, else `GOOGLE_API_KEY`, else
    `GOOGLE_GENERATIVE_AI_API_KEY` (the AI SDK's), sent in the `x-goog-api-key` header (never
    in the URL); the endpoint from `GEMINI_BASE_URL` (default
    `https://generativelanguage.googleapis.com`; a base ending in `/v1beta` or `/v1` is used
    as it is). A model id may carry the API's `models/` prefix.

    @par Example
    @code
    llmap::registry<llmap::gemini> reg{llmap::from_env};
    llmap::gemini::generative_model m = reg.model<"gemini:gemini-2.5-flash">();
    m.thinking_budget(1024);
    auto r = m.complete({.prompt = "Why is the sky blue?"});
    @endcode
*/
class gemini {
public:
    using generative_model = gemini_api::generative_model;

    static constexpr fixed_string name = "gemini";
    static constexpr std::string_view default_model = "gemini-2.5-flash";
    static constexpr std::string_view default_base_url =
        "https://generativelanguage.googleapis.com";

    explicit gemini(const provider_config& c) {
        std::vector<std::pair<std::string, std::string>> auth;
        if (!c.api_key.empty())
            auth.emplace_back("x-goog-api-key", c.api_key);
        endpoint_ = std::make_shared<const detail::endpoint>(
            std::string(name.view()),
            c.base_url.empty() ? std::string(default_base_url) : c.base_url, std::move(auth),
            c.api_key, true, c);
    }

    /// Google's other customary key variables, when `GEMINI_API_KEY` is unset.
    static void apply_env(provider_config& c) {
        if (c.api_key.empty())
            c.api_key = detail::getenv_or_empty("GOOGLE_API_KEY");
        if (c.api_key.empty())
            c.api_key = detail::getenv_or_empty("GOOGLE_GENERATIVE_AI_API_KEY");
    }

    /// The model `id` (`gemini-2.5-flash`, or `models/gemini-2.5-flash`).
    generative_model model(std::string_view id) const {
        if (id.starts_with("models/"))
            id.remove_prefix(7);
        return {endpoint_, std::string(id)};
    }

private:
    std::shared_ptr<const detail::endpoint> endpoint_;
};

} // namespace llmap

#endif
