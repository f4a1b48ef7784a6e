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

inline embedding_response parse_embeddings(boost::json::value v, std::string_view provider) {
    return wire::parse_embeddings_response(std::move(v), provider);
}

inline response parse_chat(boost::json::value v, std::string_view provider) {
    return wire::parse_chat_response(std::move(v), provider);
}

inline response parse_responses(boost::json::value v, std::string_view provider) {
    return wire::parse_responses_response(std::move(v), provider);
}

/// The `/embeddings` call of the OpenAI family.
/// @param dimensions_field the body field of `embedding_request::dimensions`.
inline auto embeddings_call(const embedding_request& req, std::string_view model,
                            std::string_view provider, std::string_view dimensions_field) {
    llmap::detail::wire_call<decltype(&parse_embeddings)> c{
        "/embeddings", {}, {}, parse_embeddings};
    c.body =
        wire::embeddings_request_body(req, model, "float", c.warnings, provider, dimensions_field);
    return c;
}

/// What a Chat Completions model without embeddings derives from.
template <class Model>
using chat_only = llmap::detail::chat_calls<Model>;

/// What a Chat Completions model with embeddings derives from.
template <class Model>
using chat_and_embeddings = llmap::detail::chat_calls<Model, llmap::detail::embedding_calls<Model>>;

} // namespace detail

/** A Chat Completions model (`/chat/completions`): OpenAI's `openai-chat` and every
    OpenAI-compatible provider, each with its `chat_dialect`.

    Its calls (`complete`, `stream`, their `async_` forms, and `embed`, `async_embed` with
    embeddings) are those of `llmap::detail::chat_calls`.

    @tparam Embeddings whether the provider also serves `/embeddings` (the type then has
    `embed` and `async_embed`; without them, embedding does not compile on the static path).
*/
template <bool Embeddings>
class basic_chat_model
    : public std::conditional_t<Embeddings,
                                detail::chat_and_embeddings<basic_chat_model<Embeddings>>,
                                detail::chat_only<basic_chat_model<Embeddings>>> {
    using base =
        std::conditional_t<Embeddings, detail::chat_and_embeddings<basic_chat_model<Embeddings>>,
                           detail::chat_only<basic_chat_model<Embeddings>>>;

public:
    basic_chat_model(std::shared_ptr<const llmap::detail::endpoint> ep, const chat_dialect* d,
                     std::string model)
        : base(std::move(ep), std::move(model)), dialect_(d) {}

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
    friend struct llmap::detail::call_access;

    auto chat_call(const request& req, bool stream) const {
        llmap::detail::wire_call<decltype(&detail::parse_chat), wire::chat_stream_decoder> c{
            "/chat/completions",
            {},
            {},
            detail::parse_chat,
            wire::chat_stream_decoder(this->provider())};
        c.body = wire::chat_request_body(req, this->name(), *dialect_, stream, c.warnings);
        return c;
    }

    auto embed_call(const embedding_request& req) const {
        return detail::embeddings_call(req, this->name(), this->provider(),
                                       dialect_->dimensions_field);
    }

    const chat_dialect* dialect_;
};

using chat_model = basic_chat_model<true>;
static_assert(
    llmap::detail::any_model_in_place<chat_model> &&
        llmap::detail::any_model_in_place<basic_chat_model<false>>,
    "llmap: a built-in model must fit any_model's in-place buffer (any_model::buffer_size)");

/** An OpenAI model through the Responses API (`/responses`), with embeddings through
    `/embeddings`. Its calls are those of `llmap::detail::chat_calls`.
*/
class responses_model : public detail::chat_and_embeddings<responses_model> {
public:
    using chat_calls::chat_calls;

    /// Tools, structured output, reasoning (effort and summaries) and image input.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input;
    }

private:
    friend struct llmap::detail::call_access;

    auto chat_call(const request& req, bool stream) const {
        llmap::detail::wire_call<decltype(&detail::parse_responses), wire::responses_stream_decoder>
            c{"/responses",
              {},
              {},
              detail::parse_responses,
              wire::responses_stream_decoder(provider())};
        c.body = wire::responses_request_body(req, name(), stream, c.warnings, provider());
        return c;
    }

    auto embed_call(const embedding_request& req) const {
        return detail::embeddings_call(req, name(), provider(), "dimensions");
    }
};

static_assert(
    llmap::detail::any_model_in_place<responses_model>,
    "llmap: a built-in model must fit any_model's in-place buffer (any_model::buffer_size)");

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
        llmap::detail::endpoint_options{.provider = std::string(name),
                                        .base_url = c.base_url.empty() ? "https://api.openai.com/v1"
                                                                       : c.base_url,
                                        .auth = std::move(auth),
                                        .key = c.api_key,
                                        .key_variables = std::move(key_variables)},
        c);
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
