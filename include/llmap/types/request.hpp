//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_REQUEST_HPP
#define LLMAP_TYPES_REQUEST_HPP

#include <llmap/http/options.hpp>
#include <llmap/types/content.hpp>
#include <llmap/types/message.hpp>
#include <llmap/types/tool.hpp>

#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap {

/** The form the model must give its answer in. */
struct response_format {
    enum class kind {
        text,       ///< free text (the default)
        json,       ///< any JSON value (JSON mode)
        json_schema ///< JSON matching `schema`
    };

    kind type = kind::text;
    std::string name{};           ///< schema name; some providers require one
    boost::json::object schema{}; ///< JSON schema, for `kind::json_schema`
    bool strict = true;           ///< ask for strict schema adherence where supported

    /// Return the free-text format (the default).
    static response_format text() { return {}; }

    /// Return JSON mode: the answer is a JSON value, of no particular schema.
    static response_format json() { return {.type = kind::json}; }

    /// Return the format of JSON answers that match `schema`.
    static response_format json_schema(std::string name, boost::json::object schema,
                                       bool strict = true) {
        return {.type = kind::json_schema,
                .name = std::move(name),
                .schema = std::move(schema),
                .strict = strict};
    }

    bool operator==(const response_format&) const = default;
};

/** How much the model should reason before answering, for models that reason.

    Providers map it to their own knob (OpenAI's `reasoning_effort`, a thinking-token budget
    for Anthropic and Gemini); `none` turns reasoning off where the model allows it.
*/
enum class reasoning_effort { none, minimal, low, medium, high };

/** Return the lowercase name of `e` ("none", "minimal", "low", "medium", "high"). */
constexpr std::string_view to_string(reasoning_effort e) noexcept {
    switch (e) {
    case reasoning_effort::none:
        return "none";
    case reasoning_effort::minimal:
        return "minimal";
    case reasoning_effort::low:
        return "low";
    case reasoning_effort::medium:
        return "medium";
    case reasoning_effort::high:
        return "high";
    }
    return "unknown";
}

/** Return the effort named `name` (as @ref to_string gives), or `std::nullopt`. */
constexpr std::optional<reasoning_effort>
reasoning_effort_from_string(std::string_view name) noexcept {
    if (name == "none")
        return reasoning_effort::none;
    if (name == "minimal")
        return reasoning_effort::minimal;
    if (name == "low")
        return reasoning_effort::low;
    if (name == "medium")
        return reasoning_effort::medium;
    if (name == "high")
        return reasoning_effort::high;
    return std::nullopt;
}

/** A call of a language model, the same for every provider.

    An aggregate, meant for designated initializers; every member has a default, so any
    subset may be given (in declaration order). An option a provider does not support is
    dropped with a @ref warning in the response rather than failing the call.

    The conversation is `system`, then `messages`, then `prompt`: the two strings are
    shorthands for the common one-shot call, and @ref all_messages gives the whole.

    @par Example
    @code
    llmap::request req{
        .system = "Be brief.",
        .prompt = "Why is the sky blue?",
        .max_output_tokens = 200,
        .temperature = 0.2,
    };
    @endcode
*/
struct request {
    std::string system{};            ///< system prompt, sent first
    std::string prompt{};            ///< a user message, sent last
    std::vector<message> messages{}; ///< the conversation between the two
    std::optional<int> max_output_tokens{};
    std::optional<double> temperature{};
    std::optional<double> top_p{};
    std::optional<int> top_k{};
    std::vector<std::string> stop_sequences{};
    std::optional<std::int64_t> seed{};
    std::vector<tool> tools{};
    // Qualified because the member of the same name hides the type inside the class.
    std::optional<llmap::tool_choice> tool_choice{};
    response_format format{};
    std::optional<reasoning_effort> reasoning{};

    /** Raw JSON per provider, keyed by provider name, merged into that provider's body.

        For example `{{"openai", {{"service_tier", "flex"}}}}`. It is how to reach a
        provider feature the unified model does not cover; other providers ignore the key.
    */
    boost::json::object provider_options{};

    /// Extra HTTP headers for this call.
    std::vector<std::pair<std::string, std::string>> headers{};

    /// Deadline for this call; unset means the client's default.
    std::optional<std::chrono::steady_clock::duration> timeout{};

    /// Retry policy for this call; unset means the provider's (`provider_config::transport`).
    std::optional<http::retry_policy> retry{};

    /** For `stream` calls: also fold the events into the returned response's `content`.

        With `false`, the text, reasoning, tool calls and sources go to the event handler
        only, and the returned response keeps just what stays small (finish reason, usage,
        id, model and warnings): memory then stays flat however long the stream is. Ignored
        by non-streamed calls.
    */
    bool collect_stream = true;

    /** Return the normalised conversation every provider maps from.

        That is `system` as a system message if non-empty, then `messages`, then `prompt` as
        a user message if non-empty.
    */
    std::vector<message> all_messages() const {
        std::vector<message> out;
        out.reserve(messages.size() + 2);
        if (!system.empty())
            out.push_back(message::system(system));
        out.insert(out.end(), messages.begin(), messages.end());
        if (!prompt.empty())
            out.push_back(message::user(prompt));
        return out;
    }

    bool operator==(const request&) const = default;
};

} // namespace llmap

#endif
