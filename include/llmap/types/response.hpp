//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_RESPONSE_HPP
#define LLMAP_TYPES_RESPONSE_HPP

#include <llmap/types/content.hpp>
#include <llmap/types/usage.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

/** Why the model stopped, unified across providers.

    The provider's own value is kept next to it (@ref response::raw_finish_reason).
*/
enum class finish_reason {
    stop,           ///< natural end or a stop sequence
    length,         ///< the output token limit was reached
    content_filter, ///< the provider's safety system stopped the output
    tool_calls,     ///< the model is waiting for the results of its tool calls
    error,          ///< the provider reported an error mid-generation
    other,          ///< a reason that has no unified equivalent
    unknown         ///< no reason was reported
};

/** Return the name of `r`, spelled as the enumerator ("stop", "tool_calls", ...). */
constexpr std::string_view to_string(finish_reason r) noexcept {
    switch (r) {
    case finish_reason::stop:
        return "stop";
    case finish_reason::length:
        return "length";
    case finish_reason::content_filter:
        return "content_filter";
    case finish_reason::tool_calls:
        return "tool_calls";
    case finish_reason::error:
        return "error";
    case finish_reason::other:
        return "other";
    case finish_reason::unknown:
        return "unknown";
    }
    return "unknown";
}

/** Return the finish reason named `name` (as @ref to_string gives), or `std::nullopt`.

    This parses llmap's names only; mapping a provider's raw reason is the provider's job.
*/
constexpr std::optional<finish_reason> finish_reason_from_string(std::string_view name) noexcept {
    for (finish_reason r : {finish_reason::stop, finish_reason::length,
                            finish_reason::content_filter, finish_reason::tool_calls,
                            finish_reason::error, finish_reason::other, finish_reason::unknown})
        if (to_string(r) == name)
            return r;
    return std::nullopt;
}

/** A note that the provider did not honour part of the request.

    Calls do not fail on an option the provider lacks: the option is dropped and reported
    here, so the same request runs on every provider.
*/
struct warning {
    enum class kind {
        unsupported_setting, ///< a request option was ignored; `setting` names it
        unsupported_tool,    ///< a tool could not be passed; `setting` names it
        other                ///< anything else; see `message`
    };

    kind type = kind::other;
    std::string setting{}; ///< the request member or tool concerned, e.g. "top_k"
    std::string message{}; ///< human-readable details

    /// Return a warning that the request option `setting` was ignored.
    static warning unsupported_setting(std::string setting, std::string details = "") {
        if (details.empty())
            details = "this provider has no '" + setting + "' setting; it was not sent";
        return {kind::unsupported_setting, std::move(setting), std::move(details)};
    }

    /// Return a warning that the tool `name` could not be passed to the provider.
    static warning unsupported_tool(std::string name, std::string details = "") {
        return {kind::unsupported_tool, std::move(name), std::move(details)};
    }

    /// Return a warning of kind `other`.
    static warning other(std::string details) {
        return {kind::other, std::string(), std::move(details)};
    }

    bool operator==(const warning&) const = default;
};

/** The result of a call of a language model, the same for every provider. */
struct response {
    std::vector<content_part> content{}; ///< text, reasoning and tool calls, in order
    llmap::finish_reason finish = llmap::finish_reason::unknown;
    std::string raw_finish_reason{}; ///< the provider's own value, e.g. "end_turn"
    llmap::usage usage{};
    std::string id{};    ///< the provider's response id
    std::string model{}; ///< the model that answered, as the provider names it
    std::vector<warning> warnings{};
    boost::json::value raw{}; ///< the provider's response body; null for a stream

    /** The header fields of the provider's HTTP answer a caller may act on, as received: its
        request id (`x-request-id`, `request-id`) and rate limits (`x-ratelimit-*`,
        `anthropic-ratelimit-*`, `ratelimit*`, `retry-after`), and `openai-processing-ms`.
        Any credential the provider echoes is redacted. Not compared by `==`: the same answer
        may come with other limits.
    */
    std::vector<std::pair<std::string, std::string>> headers{};

    /** Which member of a fallback chain answered: its model id as the chain was given it
        (`"anthropic:claude-sonnet-4-5"`); empty for a call not made through a chain (see
        `llmap::fallback_model`). Not compared by `==`: the same answer may come another way.
    */
    std::string answered_by{};

    /// Return the value of the header field `name` (case-insensitive), or empty.
    std::string header(std::string_view name) const {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        for (const auto& [n, v] : headers)
            if (n.size() == name.size() &&
                std::equal(n.begin(), n.end(), name.begin(),
                           [&](char a, char b) { return lower(a) == lower(b); }))
                return v;
        return {};
    }

    /// Return the concatenation of the text parts, without separators.
    std::string text() const {
        std::string out;
        for (const content_part& p : content)
            if (const auto* t = std::get_if<text_part>(&p))
                out += t->text;
        return out;
    }

    /// Return the concatenation of the reasoning parts that are not redacted.
    std::string reasoning_text() const {
        std::string out;
        for (const content_part& p : content)
            if (const auto* r = std::get_if<reasoning_part>(&p); r && !r->redacted)
                out += r->text;
        return out;
    }

    /// Return the tool calls, in order.
    std::vector<tool_call_part> tool_calls() const {
        std::vector<tool_call_part> out;
        for (const content_part& p : content)
            if (const auto* c = std::get_if<tool_call_part>(&p))
                out.push_back(*c);
        return out;
    }

    /// Equal content, finish, usage, id, model, warnings and raw body (`headers` and
    /// `answered_by` aside).
    bool operator==(const response& o) const {
        return content == o.content && finish == o.finish &&
               raw_finish_reason == o.raw_finish_reason && usage == o.usage && id == o.id &&
               model == o.model && warnings == o.warnings && raw == o.raw;
    }
};

namespace detail {

/** The one rule for a tool call's arguments sent as JSON text, in every decoder (blocking and
    streamed) and in the toolset: a blank text and `null` mean no arguments, `{}`; a valid
    JSON text is its value; anything else gives nothing (the caller keeps the text as a JSON
    string, so that the bad call can be answered to the model).
*/
inline std::optional<boost::json::value> parse_tool_arguments(std::string_view text) {
    std::size_t const first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return boost::json::value(boost::json::object());
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec)
        return std::nullopt;
    if (v.is_null())
        return boost::json::value(boost::json::object());
    return v;
}

/** The one rule for a tool result sent as text (every wire format that takes a string): a
    JSON string goes as it is, anything else (`null` from a tool that returns nothing
    included) as its JSON text.
*/
inline std::string tool_result_text(const boost::json::value& result) {
    if (result.is_string())
        return std::string(result.get_string());
    return boost::json::serialize(result);
}

/// `parse_tool_arguments` for a decoder: text that is not JSON is kept as a JSON string,
/// with a warning naming the call.
inline boost::json::value tool_arguments_from_text(std::string_view text, std::string_view tool,
                                                   std::string_view id,
                                                   std::vector<warning>& warnings) {
    if (auto v = parse_tool_arguments(text))
        return std::move(*v);
    warnings.push_back(warning::other("the arguments of tool call '" + std::string(tool) +
                                      "' (id \"" + std::string(id) +
                                      "\") are not valid JSON; kept as a string"));
    return boost::json::string(text);
}

} // namespace detail

// JSON conversion of a finish reason: its name.

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, finish_reason r) {
    jv = to_string(r);
}

inline finish_reason tag_invoke(boost::json::value_to_tag<finish_reason>,
                                const boost::json::value& jv) {
    if (jv.is_string())
        if (auto r = finish_reason_from_string(jv.get_string()))
            return *r;
    detail::throw_json_error("unknown finish reason");
}

} // namespace llmap

#endif
