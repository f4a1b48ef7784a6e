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

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::gemini_api {

namespace detail {

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

    Its calls are those of `llmap::detail::chat_calls` and `llmap::detail::embedding_calls`.
    A blocked prompt is not an error: see `wire::parse_generate_response`.
*/
class generative_model
    : public llmap::detail::chat_calls<generative_model,
                                       llmap::detail::embedding_calls<generative_model>> {
public:
    using chat_calls::chat_calls;

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
    // The API's version, unless the base URL already names one. The model name is
    // percent-encoded (all but letters, digits, `-`, `.`, `_` and `~`), so that an id can
    // never change the URL's structure (a '/', '?', '#' or ':' of its own).
    std::string path(std::string_view method) const {
        std::string_view const base = ep().base_url();
        bool const versioned =
            base.ends_with("/v1beta") || base.ends_with("/v1") || base.ends_with("/v1alpha");
        return std::string(versioned ? "" : "/v1beta") + "/models/" +
               boost::urls::encode(name(), boost::urls::unreserved_chars) + std::string(method);
    }

    friend struct llmap::detail::call_access;

    auto chat_call(const request& req, bool stream) const {
        llmap::detail::wire_call<decltype(&detail::parse_generate), wire::generate_stream_decoder>
            c{path(stream ? ":streamGenerateContent?alt=sse" : ":generateContent"),
              {},
              {},
              detail::parse_generate,
              wire::generate_stream_decoder(provider())};
        c.body = wire::generate_request_body(req, name(), thinking_, c.warnings, provider());
        return c;
    }

    // `:embedContent` for one input, `:batchEmbedContents` for several.
    auto embed_call(const embedding_request& req) const {
        llmap::detail::wire_call<decltype(&detail::parse_embed)> c{
            path(wire::embed_method(req)), {}, {}, detail::parse_embed};
        c.body = wire::embed_request_body(req, name(), c.warnings, provider());
        return c;
    }

    thinking_settings thinking_;
};

static_assert(
    llmap::detail::any_model_in_place<generative_model>,
    "llmap: a built-in model must fit any_model's in-place buffer (any_model::buffer_size)");

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
            detail::endpoint_options{.provider = std::string(name.view()),
                                     .base_url = c.base_url.empty() ? std::string(default_base_url)
                                                                    : c.base_url,
                                     .auth = std::move(auth),
                                     .key = c.api_key},
            c);
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
