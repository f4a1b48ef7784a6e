//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_STREAM_HPP
#define LLMAP_TYPES_STREAM_HPP

#include <llmap/types/content.hpp>
#include <llmap/types/response.hpp>
#include <llmap/types/usage.hpp>

#include <boost/json/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

/** A piece of text output.

    `id` names the part it belongs to: deltas with the same id in a row form one text part.
*/
struct text_delta {
    std::string id{};
    std::string text{};

    bool operator==(const text_delta&) const = default;
};

/** A piece of reasoning output.

    Anthropic sends the `signature` of a thinking block as a delta of its own, after the
    text. A redacted block arrives whole, with its encrypted payload in `text`.
*/
struct reasoning_delta {
    std::string id{};
    std::string text{};
    std::string signature{};
    bool redacted = false;

    bool operator==(const reasoning_delta&) const = default;
};

/** The model started a tool call. Its arguments follow as @ref tool_call_delta events.

    `signature` is the call's opaque token, if the provider gives one (see
    `tool_call_part::signature`).
*/
struct tool_call_start {
    std::string id{};
    std::string name{};
    std::string signature{};

    bool operator==(const tool_call_start&) const = default;
};

/** A piece of the JSON text of a tool call's arguments. */
struct tool_call_delta {
    std::string id{};
    std::string arguments_delta{};

    bool operator==(const tool_call_delta&) const = default;
};

/** The arguments of a tool call are complete. */
struct tool_call_end {
    std::string id{};

    bool operator==(const tool_call_end&) const = default;
};

/** Token usage reported during the stream.

    Usage events add up (see @ref usage::operator+=), so each must carry an increment: a
    provider whose wire format repeats running totals emits the difference, or only the last.
*/
struct usage_event {
    llmap::usage usage{};

    bool operator==(const usage_event&) const = default;
};

/** The model stopped, for the unified `reason`; `raw_reason` is the provider's own value. */
struct finish_event {
    finish_reason reason = finish_reason::unknown;
    std::string raw_reason{};

    bool operator==(const finish_event&) const = default;
};

/** The provider's response id and model name, as soon as the stream reveals them.

    Empty members are unknown and leave earlier values alone.
*/
struct response_metadata {
    std::string id{};
    std::string model{};

    bool operator==(const response_metadata&) const = default;
};

/** One event of a streamed response.

    A @ref warning event is something the provider sent that the unified events cannot carry
    (the same warning a non-streamed answer would give in `response::warnings`).
*/
struct stream_event {
    std::variant<text_delta, reasoning_delta, tool_call_start, tool_call_delta, tool_call_end,
                 usage_event, finish_event, response_metadata, source_part, warning>
        data{};
    boost::json::value raw{}; ///< the provider's raw event it was parsed from, or null

    bool operator==(const stream_event&) const = default;
};

/** Fold the events of a stream into the @ref response a non-streamed call would give.

    - Text (or reasoning) deltas with the same id, with no other part started between them,
      extend one text (or reasoning) part; a new id starts a new part.
    - A tool call takes its place in `content` when it starts; its argument deltas are
      collected per call id, so interleaved parallel calls stay apart, and parsed at its
      end. Empty arguments, and arguments whose JSON text is `null`, become `{}`. Arguments that are
   not valid JSON do not throw: they are kept as a JSON string of the raw text and a @ref warning is
   added, so the caller can report the bad call back to the model.
    - A source (citation) is appended once: a repeat of an equal source is dropped.
    - A warning is appended to `response::warnings`, in stream order.
    - Usage events add up; a finish event sets the finish reason; metadata sets id and model.

    `response::raw` stays null: the raw events went to the caller one by one.

    @par Example
    @code
    llmap::stream_accumulator acc;
    for (const llmap::stream_event& e : events)
        acc.add(e);
    llmap::response r = std::move(acc).finish();
    @endcode
*/
class stream_accumulator {
public:
    /// Fold `e` into the response.
    void add(const stream_event& e) {
        std::visit([this](const auto& d) { on(d); }, e.data);
    }

    /** Return the response so far.

        Tool calls whose end has not arrived yet show empty arguments.
    */
    const response& current() const noexcept { return response_; }

    /** Return the complete response.

        Tool calls still open (the stream ended without their end event) are closed as if
        it had arrived.
    */
    response finish() && {
        for (open_call& c : open_calls_)
            close(c);
        open_calls_.clear();
        return std::move(response_);
    }

private:
    struct open_call {
        std::string id;
        std::size_t index; // of its tool_call_part in response_.content
        std::string arguments;
    };

    enum class extendable { none, text, reasoning };

    void on(const text_delta& d) {
        if (d.text.empty())
            return;
        if (last_ == extendable::text && last_id_ == d.id) {
            std::get<text_part>(response_.content.back()).text += d.text;
            return;
        }
        push(text_part{d.text});
        last_ = extendable::text;
        last_id_ = d.id;
    }

    void on(const reasoning_delta& d) {
        if (d.text.empty() && d.signature.empty() && !d.redacted)
            return;
        if (last_ == extendable::reasoning && last_id_ == d.id) {
            auto& part = std::get<reasoning_part>(response_.content.back());
            if (part.redacted == d.redacted) {
                part.text += d.text;
                part.signature += d.signature;
                return;
            }
        }
        push(reasoning_part{d.text, d.signature, d.redacted});
        last_ = extendable::reasoning;
        last_id_ = d.id;
    }

    void on(const tool_call_start& d) {
        if (open_call* c = find(d.id)) {
            // A repeated start only fills in a name or signature the first one lacked.
            auto& part = std::get<tool_call_part>(response_.content[c->index]);
            if (part.name.empty())
                part.name = d.name;
            if (part.signature.empty())
                part.signature = d.signature;
            return;
        }
        std::get<tool_call_part>(response_.content[start(d.id, d.name).index]).signature =
            d.signature;
    }

    void on(const tool_call_delta& d) {
        open_call* c = find(d.id);
        if (!c) // a provider that sends no start event
            c = &start(d.id, std::string());
        c->arguments += d.arguments_delta;
    }

    void on(const tool_call_end& d) {
        auto it = std::find_if(open_calls_.begin(), open_calls_.end(),
                               [&](const open_call& c) { return c.id == d.id; });
        if (it == open_calls_.end())
            return;
        close(*it);
        open_calls_.erase(it);
    }

    void on(const usage_event& d) { response_.usage += d.usage; }

    void on(const finish_event& d) {
        response_.finish = d.reason;
        response_.raw_finish_reason = d.raw_reason;
    }

    void on(const response_metadata& d) {
        if (!d.id.empty())
            response_.id = d.id;
        if (!d.model.empty())
            response_.model = d.model;
    }

    void on(const source_part& d) {
        // Providers repeat their citation list in several chunks: keep each source once.
        for (const content_part& p : response_.content)
            if (const auto* s = std::get_if<source_part>(&p); s && *s == d)
                return;
        push(d);
    }

    void on(const warning& d) { response_.warnings.push_back(d); }

    void push(content_part part) {
        response_.content.push_back(std::move(part));
        last_ = extendable::none;
    }

    open_call& start(const std::string& id, const std::string& name) {
        push(tool_call_part{.id = id, .name = name});
        return open_calls_.emplace_back(open_call{id, response_.content.size() - 1, {}});
    }

    open_call* find(const std::string& id) {
        for (open_call& c : open_calls_)
            if (c.id == id)
                return &c;
        return nullptr;
    }

    void close(open_call& c) {
        auto& part = std::get<tool_call_part>(response_.content[c.index]);
        // The one rule of every decoder: blank text and `null` are `{}` (Cohere streams
        // `null` for a call without arguments), text that is not JSON is kept as a string.
        part.arguments =
            detail::tool_arguments_from_text(c.arguments, part.name, c.id, response_.warnings);
    }

    response response_;
    std::vector<open_call> open_calls_;  // in start order; few at a time, so a vector
    extendable last_ = extendable::none; // what the last part of content is, if deltas extend it
    std::string last_id_;
};

} // namespace llmap

#endif
