//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_ANTHROPIC_HPP
#define LLMAP_PROVIDERS_ANTHROPIC_HPP

/** @file
    Anthropic's Messages API (`anthropic`): the provider and its model.
*/

#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/providers/anthropic/messages_wire.hpp>
#include <llmap/providers/detail/model_base.hpp>

#include <boost/beast/core/string.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::anthropic_api {

/// The API version every request names (`anthropic-version`).
inline constexpr std::string_view api_version = "2023-06-01";

/** A Claude model through the Messages API (`POST {base}/v1/messages`).

    Tools (with tool choice and parallel calls), structured output (through a forced JSON
    tool), extended thinking (a budget set here or derived from `request::reasoning`, with
    thinking blocks and their signatures sent back from `reasoning_part`s), image and PDF
    input, prompt caching (`cache_control` in the `"anthropic"` provider options of a
    message, a tool, or the leading system message), and streaming.

    @par Example
    @code
    llmap::registry<llmap::anthropic> reg{llmap::from_env};
    llmap::anthropic::messages_model claude = reg.model<"anthropic:claude-sonnet-4-5">();
    claude.thinking_budget(2048);
    auto r = claude.complete({.prompt = "How many r's in strawberry?", .max_output_tokens = 512});
    @endcode

    Its calls (`complete`, `stream` and their `async_` forms) are those of
    `llmap::detail::chat_calls`; an `error` event in a stream (e.g. `overloaded_error`) is an
    `http_error`.
*/
class messages_model : public llmap::detail::chat_calls<messages_model> {
public:
    using chat_calls::chat_calls;

    /** Turn extended thinking on with a budget of `tokens` (the API's minimum is 1024), for
        every later call of this model; it wins over `request::reasoning`.
        @return `*this`, for chaining.
    */
    messages_model& thinking_budget(int tokens) noexcept {
        budget_ = tokens;
        return *this;
    }

    /// Turn the model's own thinking budget off (`request::reasoning` applies again).
    messages_model& no_thinking_budget() noexcept {
        budget_.reset();
        return *this;
    }

    /// The thinking budget set on this model, if any.
    std::optional<int> thinking_budget() const noexcept { return budget_; }

    /// Tools, structured output, reasoning and image input; no embeddings.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input;
    }

private:
    friend struct llmap::detail::call_access;

    // The JSON tool (structured output) changes how the answer is read, so it is part of the
    // parser and of the decoder.
    struct parser {
        bool json_tool;
        response operator()(boost::json::value v, std::string_view provider) const {
            return wire::parse_messages_response(std::move(v), provider, json_tool);
        }
    };

    auto chat_call(const request& req, bool stream) const {
        std::vector<warning> warnings;
        auto b = wire::messages_request_body(req, name(), {budget_, provider()}, stream, warnings);
        return llmap::detail::wire_call<parser, wire::messages_stream_decoder>{
            "/messages", std::move(b.body), std::move(warnings), parser{b.json_tool},
            wire::messages_stream_decoder(provider(), b.json_tool)};
    }

    std::optional<int> budget_;
};

static_assert(
    llmap::detail::any_model_in_place<messages_model>,
    "llmap: a built-in model must fit any_model's in-place buffer (any_model::buffer_size)");

namespace detail {

/** The base URL with its `/v1`: the official SDKs take the host (`https://api.anthropic.com`,
    as `ANTHROPIC_BASE_URL` is documented), the AI SDK a URL ending in `/v1`; both work: `/v1`
    is appended unless the URL already ends with it.
*/
inline std::string versioned_base(std::string base) {
    if (base.empty())
        base = "https://api.anthropic.com";
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    if (!base.ends_with("/v1"))
        base += "/v1";
    return base;
}

inline bool has_header(const provider_config& c, std::string_view name) {
    for (auto const& [n, v] : c.headers)
        if (boost::beast::iequals(n, name))
            return true;
    return false;
}

inline std::shared_ptr<const llmap::detail::endpoint> messages_endpoint(std::string_view name,
                                                                        const provider_config& c) {
    std::vector<std::pair<std::string, std::string>> auth{
        {"anthropic-version", std::string(api_version)}};
    if (!c.api_key.empty())
        auth.emplace_back("x-api-key", c.api_key);
    // A bearer token configured as a header (ANTHROPIC_AUTH_TOKEN) stands in for the key;
    // the endpoint keeps both out of error messages, as every credential it sends.
    bool const bearer = has_header(c, "authorization");
    return std::make_shared<const llmap::detail::endpoint>(
        llmap::detail::endpoint_options{.provider = std::string(name),
                                        .base_url = versioned_base(c.base_url),
                                        .auth = std::move(auth),
                                        .key = c.api_key,
                                        .key_required = !bearer},
        c);
}

} // namespace detail

} // namespace llmap::anthropic_api

namespace llmap {

/** Anthropic's Messages API.

    Configuration: `ANTHROPIC_API_KEY` (sent as `x-api-key`), `ANTHROPIC_BASE_URL` (default
    `https://api.anthropic.com`; a URL ending in `/v1` is taken as is, else `/v1` is
    appended), and `ANTHROPIC_AUTH_TOKEN` (sent as `Authorization: Bearer`, as the official
    SDK does; with it no API key is needed). Every request carries
    `anthropic-version: 2023-06-01`; an `anthropic-beta` header can be added through
    `provider_config::headers` or `request::headers`.

    @par Example
    @code
    llmap::registry<llmap::anthropic> reg{llmap::from_env};
    auto claude = reg.model<"anthropic:claude-sonnet-4-5">();   // llmap::anthropic::messages_model
    @endcode
*/
class anthropic {
public:
    using messages_model = anthropic_api::messages_model;

    static constexpr fixed_string name = "anthropic";
    static constexpr std::string_view default_model = "claude-sonnet-4-5";

    explicit anthropic(const provider_config& c)
        : endpoint_(anthropic_api::detail::messages_endpoint(name.view(), c)) {}

    /// Reads `ANTHROPIC_AUTH_TOKEN` into an `Authorization: Bearer` header.
    static void apply_env(provider_config& c) {
        if (auto token = detail::getenv_or_empty("ANTHROPIC_AUTH_TOKEN"); !token.empty())
            c.headers.emplace_back("authorization", "Bearer " + token);
    }

    messages_model model(std::string_view id) const { return {endpoint_, std::string(id)}; }

private:
    std::shared_ptr<const detail::endpoint> endpoint_;
};

} // namespace llmap

#endif
