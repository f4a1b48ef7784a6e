//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_COHERE_CHAT_WIRE_HPP
#define LLMAP_PROVIDERS_COHERE_CHAT_WIRE_HPP

/** @file
    The wire format of Cohere's Chat API v2 (`POST /v2/chat`): the unified request as a JSON
    body, and a JSON answer or a stream of server-sent events as the unified response. Pure
    functions, no I/O.

    How the unified model maps onto Cohere's:
    - an assistant's `tool_plan` (the text it writes before its tool calls) is a text part,
      both ways: the text of an assistant message that has tool calls goes out as its
      `tool_plan`;
    - `thinking` content is a reasoning part, sent back as `thinking` content;
    - citations become source parts (one per cited document, once each), after the rest of
      the content; a source that names no document (a tool output) stays in `response::raw`;
    - a text or JSON file given by its bytes becomes a `documents` entry (RAG), as the AI SDK
      does; other files are left out with a warning;
    - a tool choice of one named tool sends only that tool, with `tool_choice: REQUIRED` (the
      API cannot name a tool), as the AI SDK does;
    - `request::reasoning` becomes `thinking` (`none` disables it, the others enable it with a
      token budget: 1024, 2048, 8192, 16384 from `minimal` to `high`); a budget of your own goes
      through `provider_options`: `{"cohere": {"thinking": {"type": "enabled", "token_budget":
   N}}}`.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/chunk_events.hpp>
#include <llmap/providers/detail/effort.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::cohere_api::wire {

// ---- request --------------------------------------------------------------------------------

/// The `thinking` token budget that stands for a reasoning effort (0 for `none`).
inline constexpr llmap::detail::effort_budgets thinking_budget{1024, 2048, 8192, 16384};

namespace detail {

using namespace llmap::detail;

inline bool is_text_media(std::string_view media_type) noexcept {
    return media_type.starts_with("text/") || media_type == "application/json";
}

inline std::string image_url(const image_part& img) {
    if (!img.url.empty())
        return img.url;
    return "data:" + (img.media_type.empty() ? std::string("image/png") : img.media_type) +
           ";base64," + base64_encode(img.data);
}

inline boost::json::object user_message(const message& m, boost::json::array& documents,
                                        std::string_view provider, std::vector<warning>& warnings) {
    boost::json::array parts;
    bool has_image = false;
    std::string text;
    for (auto const& p : m.content) {
        if (auto const* t = std::get_if<text_part>(&p)) {
            text += t->text;
            if (!t->text.empty())
                parts.push_back({{"type", "text"}, {"text", t->text}});
        } else if (auto const* img = std::get_if<image_part>(&p)) {
            has_image = true;
            parts.push_back({{"type", "image_url"}, {"image_url", {{"url", image_url(*img)}}}});
        } else if (auto const* f = std::get_if<file_part>(&p)) {
            if (f->url.empty() && is_text_media(f->media_type)) {
                boost::json::object data{{"text", std::string(f->data.begin(), f->data.end())}};
                if (!f->filename.empty())
                    data["title"] = f->filename;
                documents.push_back(boost::json::object{{"data", std::move(data)}});
            } else {
                warnings.push_back(warning::other(
                    std::string(provider) +
                    ": only text and JSON files given by their bytes can be sent (as documents); "
                    "a file of type '" +
                    f->media_type + "' was left out"));
            }
        } else {
            warnings.push_back(warning::other(std::string(provider) +
                                              ": a user message part of this kind is not "
                                              "supported and was left out"));
        }
    }
    boost::json::object out{{"role", "user"}};
    if (has_image)
        out["content"] = std::move(parts);
    else
        out["content"] = std::move(text);
    return out;
}

inline boost::json::object assistant_message(const message& m) {
    std::string text;
    boost::json::array thinking, calls;
    for (auto const& p : m.content) {
        if (auto const* t = std::get_if<text_part>(&p))
            text += t->text;
        else if (auto const* r = std::get_if<reasoning_part>(&p); r && !r->redacted)
            thinking.push_back({{"type", "thinking"}, {"thinking", r->text}});
        else if (auto const* c = std::get_if<tool_call_part>(&p))
            calls.push_back(
                {{"id", c->id},
                 {"type", "function"},
                 {"function",
                  {{"name", c->name}, {"arguments", boost::json::serialize(c->arguments)}}}});
        // Sources are output only; tool results belong to tool messages.
    }
    boost::json::object out{{"role", "assistant"}};
    if (!calls.empty()) {
        if (!text.empty())
            out["tool_plan"] = std::move(text);
        if (!thinking.empty())
            out["content"] = std::move(thinking);
        out["tool_calls"] = std::move(calls);
    } else if (!thinking.empty()) {
        if (!text.empty())
            thinking.push_back({{"type", "text"}, {"text", std::move(text)}});
        out["content"] = std::move(thinking);
    } else {
        out["content"] = std::move(text);
    }
    return out;
}

inline void append_messages(boost::json::array& out, boost::json::array& documents,
                            const request& req, std::string_view provider,
                            std::vector<warning>& warnings) {
    for (message const& m : req.all_messages()) {
        switch (m.role) {
        case role::system: {
            boost::json::object s{{"role", "system"}, {"content", m.text()}};
            merge_provider_options(s, m.provider_options, provider, warnings);
            out.push_back(std::move(s));
            break;
        }
        case role::user: {
            auto u = user_message(m, documents, provider, warnings);
            merge_provider_options(u, m.provider_options, provider, warnings);
            out.push_back(std::move(u));
            break;
        }
        case role::assistant: {
            auto a = assistant_message(m);
            merge_provider_options(a, m.provider_options, provider, warnings);
            out.push_back(std::move(a));
            break;
        }
        case role::tool:
            for (auto const& p : m.content)
                if (auto const* r = std::get_if<tool_result_part>(&p)) {
                    boost::json::object t{{"role", "tool"},
                                          {"tool_call_id", r->tool_call_id},
                                          {"content", llmap::detail::tool_result_text(r->result)}};
                    merge_provider_options(t, m.provider_options, provider, warnings);
                    out.push_back(std::move(t));
                }
            break;
        }
    }
}

inline boost::json::object tool_json(const tool& t) {
    boost::json::object fn{{"name", t.name}};
    if (!t.description.empty())
        fn["description"] = t.description;
    fn["parameters"] =
        t.parameters.empty() ? boost::json::object{{"type", "object"}} : t.parameters;
    return {{"type", "function"}, {"function", std::move(fn)}};
}

inline void put_tools(boost::json::object& body, const request& req,
                      std::vector<warning>& warnings) {
    std::optional<tool_choice> const& choice = req.tool_choice;
    bool const one_tool = choice && choice->mode == tool_choice::kind::tool;
    boost::json::array tools;
    for (auto const& t : req.tools)
        if (!one_tool || t.name == choice->tool_name)
            tools.push_back(tool_json(t));
    if (one_tool && tools.empty()) {
        warnings.push_back(warning::unsupported_setting(
            "tool_choice", "the chosen tool '" + choice->tool_name +
                               "' is not among the request's tools; no tool was sent"));
        return;
    }
    if (!tools.empty())
        body["tools"] = std::move(tools);
    if (!choice)
        return;
    switch (choice->mode) {
    case tool_choice::kind::auto_:
        break; // the API's default; it has no value for it
    case tool_choice::kind::none:
        body["tool_choice"] = "NONE";
        break;
    case tool_choice::kind::required:
    case tool_choice::kind::tool:
        body["tool_choice"] = "REQUIRED";
        break;
    }
}

} // namespace detail

/** The JSON body of a Chat API v2 request.

    @param req the unified request.
    @param model the model name sent to the provider.
    @param stream whether to ask for a stream of events.
    @param warnings receives one warning per part of the request that could not be sent.
    @param provider the key of the caller's raw options in `request::provider_options` (and
    `message::provider_options`), merged last into the body (and into each message).
*/
inline boost::json::object chat_request_body(const request& req, std::string_view model,
                                             bool stream, std::vector<warning>& warnings,
                                             std::string_view provider = "cohere") {
    boost::json::object body;
    body["model"] = model;
    boost::json::array messages, documents;
    detail::append_messages(messages, documents, req, provider, warnings);
    body["messages"] = std::move(messages);
    if (!documents.empty())
        body["documents"] = std::move(documents);
    if (req.temperature)
        body["temperature"] = *req.temperature;
    if (req.max_output_tokens)
        body["max_tokens"] = *req.max_output_tokens;
    if (req.top_p)
        body["p"] = *req.top_p;
    if (req.top_k)
        body["k"] = *req.top_k;
    if (!req.stop_sequences.empty())
        body["stop_sequences"] = llmap::detail::string_array(req.stop_sequences);
    if (req.seed)
        body["seed"] = *req.seed;
    detail::put_tools(body, req, warnings);
    switch (req.format.type) {
    case response_format::kind::text:
        break;
    case response_format::kind::json:
        body["response_format"] = {{"type", "json_object"}};
        break;
    case response_format::kind::json_schema:
        body["response_format"] = {{"type", "json_object"}, {"json_schema", req.format.schema}};
        break;
    }
    if (req.reasoning) {
        if (*req.reasoning == reasoning_effort::none)
            body["thinking"] = {{"type", "disabled"}};
        else
            body["thinking"] = {{"type", "enabled"},
                                {"token_budget", thinking_budget(*req.reasoning)}};
    }
    body["stream"] = stream; // the official SDK always sends it
    // The caller's raw options for this provider win over everything above.
    llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    return body;
}

// ---- response -------------------------------------------------------------------------------

/** The unified finish reason of a Cohere `finish_reason`.

    `COMPLETE` and `STOP_SEQUENCE` are `stop`, `MAX_TOKENS` is `length`, `TOOL_CALL` is
    `tool_calls`, `ERROR` is `error`, `ERROR_TOXIC` (API v1) is `content_filter`; `TIMEOUT`
    and anything else are `other`.
*/
inline finish_reason cohere_finish_reason(std::string_view raw) noexcept {
    if (raw == "COMPLETE" || raw == "STOP_SEQUENCE")
        return finish_reason::stop;
    if (raw == "MAX_TOKENS")
        return finish_reason::length;
    if (raw == "TOOL_CALL")
        return finish_reason::tool_calls;
    if (raw == "ERROR")
        return finish_reason::error;
    if (raw == "ERROR_TOXIC")
        return finish_reason::content_filter;
    if (raw.empty())
        return finish_reason::unknown;
    return finish_reason::other;
}

/** The unified usage of a Cohere `usage` object.

    The token counts are `tokens` (what the model processed, as the AI SDK reports them,
    reasoning tokens included in the output); `cached_tokens` (part of the input) is the cache
    read. Without `tokens`, the billed units are the counts. The billed units stay in
    `response::raw`.
*/
inline usage cohere_usage(const boost::json::object& u, std::string_view provider) {
    usage out;
    auto const* t = llmap::detail::object_member(u, "tokens", provider);
    if (!t)
        t = llmap::detail::object_member(u, "billed_units", provider);
    if (t) {
        out.input_tokens = llmap::detail::count_member(*t, "input_tokens", provider);
        out.output_tokens = llmap::detail::count_member(*t, "output_tokens", provider);
        out.reasoning_tokens = llmap::detail::count_member(*t, "reasoning_tokens", provider);
    }
    out.cache_read_tokens = llmap::detail::count_member(u, "cached_tokens", provider);
    return out;
}

/** The source parts of one citation: one per document source; a tool source (which names
    no document) gives none.
*/
inline std::vector<source_part> citation_sources(const boost::json::value& citation,
                                                 std::string_view provider) {
    using namespace llmap::detail;
    if (!citation.is_object())
        throw_malformed(provider, "a citation is not an object");
    std::vector<source_part> out;
    auto const* sources = array_member(citation.get_object(), "sources", provider);
    if (!sources)
        return out;
    for (auto const& s : *sources) {
        if (!s.is_object())
            throw_malformed(provider, "a citation source is not an object");
        auto const& so = s.get_object();
        auto const* doc = object_member(so, "document", provider);
        if (!doc)
            continue; // a tool output
        source_part p;
        p.id = string_member(so, "id", provider);
        if (p.id.empty())
            p.id = string_member(*doc, "id", provider);
        // A document's fields are the caller's: only strings are taken.
        if (auto const* url = member(*doc, "url"); url && url->is_string())
            p.url = url->get_string();
        if (auto const* title = member(*doc, "title"); title && title->is_string())
            p.title = title->get_string();
        out.push_back(std::move(p));
    }
    return out;
}

/// Append `sources` to `content`, each source once.
inline void append_sources(std::vector<content_part>& content, std::vector<source_part> sources) {
    for (auto& s : sources) {
        bool seen = false;
        for (auto const& p : content)
            if (auto const* q = std::get_if<source_part>(&p); q && *q == s)
                seen = true;
        if (!seen)
            content.emplace_back(std::move(s));
    }
}

/** The unified response of a Chat API v2 answer: its thinking and text content in order,
    then the tool plan and the tool calls, then the cited sources.

    @throws llmap::error `malformed_response` if the body is not a Chat API v2 answer.
*/
inline response parse_chat_response(boost::json::value body, std::string_view provider = "cohere") {
    using namespace llmap::detail;
    if (!body.is_object())
        throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    auto const* m = object_member(o, "message", provider);
    if (!m)
        throw_malformed(provider, "no \"message\"");
    response r;
    r.id = string_member(o, "id", provider);
    if (r.id.empty()) // API v1's name
        r.id = string_member(o, "generation_id", provider);
    r.raw_finish_reason = string_member(o, "finish_reason", provider);
    r.finish = cohere_finish_reason(r.raw_finish_reason);
    if (auto const* content = array_member(*m, "content", provider)) {
        for (auto const& c : *content) {
            if (!c.is_object())
                throw_malformed(provider, "a content item is not an object");
            auto const& item = c.get_object();
            std::string_view const type = string_member(item, "type", provider);
            if (type == "text") {
                if (auto text = string_member(item, "text", provider); !text.empty())
                    r.content.emplace_back(text_part{std::string(text)});
            } else if (type == "thinking") {
                if (auto text = string_member(item, "thinking", provider); !text.empty())
                    r.content.emplace_back(reasoning_part{std::string(text)});
            }
        }
    }
    if (auto plan = string_member(*m, "tool_plan", provider); !plan.empty())
        r.content.emplace_back(text_part{std::string(plan)});
    if (auto const* calls = array_member(*m, "tool_calls", provider)) {
        for (auto const& c : *calls) {
            if (!c.is_object())
                throw_malformed(provider, "a tool call is not an object");
            auto const& call = c.get_object();
            auto const* fn = object_member(call, "function", provider);
            if (!fn)
                throw_malformed(provider, "a tool call has no \"function\"");
            tool_call_part part;
            part.id = string_member(call, "id", provider);
            part.name = string_member(*fn, "name", provider);
            // Cohere sends "null" for a tool without parameters: {} by the one rule.
            part.arguments = llmap::detail::tool_arguments_from_text(
                string_member(*fn, "arguments", provider), part.name, part.id, r.warnings);
            r.content.emplace_back(std::move(part));
        }
    }
    if (auto const* citations = array_member(*m, "citations", provider))
        for (auto const& c : *citations)
            append_sources(r.content, citation_sources(c, provider));
    if (auto const* u = object_member(o, "usage", provider))
        r.usage = cohere_usage(*u, provider);
    r.raw = std::move(body);
    return r;
}

/** Turns the events of a streamed Chat API v2 answer into stream events.

    Give it the `data` of each server-sent event in order; it calls `emit(stream_event&&)` for
    each event it derives. Text and thinking deltas are keyed by their content `index`, the
    tool plan is a text part of its own, tool calls are keyed by their `index` and reported
    with their own id. Cited sources are collected and reported at `message-end`, with the
    usage and the finish reason, so that they do not cut the text into pieces.

    @throws llmap::error `malformed_response` for an event that is not JSON or breaks the
    event grammar, and for a stream that ends before `message-end`; `http_error` for an error
    the stream reports (`message-end` with an `error`, or an error event).
*/
class chat_stream_decoder {
public:
    explicit chat_stream_decoder(std::string_view provider = "cohere") : provider_(provider) {}

    /// True once `message-end` was seen.
    bool done() const noexcept { return done_; }

    template <class Emit>
    void on_data(std::string_view data, Emit&& emit) {
        using namespace llmap::detail;
        if (data == "[DONE]")
            throw_malformed(provider_, "the stream ended before its message-end event");
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(data, ec);
        if (ec || !v.is_object())
            throw_malformed(provider_, "a stream event is not a JSON object");
        auto const& o = v.get_object();
        std::string_view const type = string_member(o, "type", provider_);
        if (type.empty() || type == "error") {
            // Not an event of the grammar: an error the server put in the stream.
            std::string_view message = string_member(o, "message", provider_);
            if (message.empty())
                if (auto const* e = object_member(o, "error", provider_))
                    message = string_member(*e, "message", provider_);
            if (!message.empty() || type == "error")
                fail(message);
            throw_malformed(provider_, "a stream event has no \"type\"");
        }
        chunk_events out(chunk_events_, emit);
        auto const* delta = object_member(o, "delta", provider_);
        auto const* msg = delta ? object_member(*delta, "message", provider_) : nullptr;
        if (type == "message-start") {
            if (auto id = string_member(o, "id", provider_); !id.empty())
                out(event(response_metadata{std::string(id), {}}));
        } else if (type == "content-start" || type == "content-delta") {
            auto const* content = msg ? object_member(*msg, "content", provider_) : nullptr;
            if (!content)
                throw_malformed(provider_, "a " + std::string(type) + " event has no content");
            std::string const index = std::to_string(index_of(o));
            if (auto const* t = member(*content, "thinking")) {
                if (!t->is_string())
                    throw_malformed(provider_, "\"thinking\" is not a string");
                if (!t->get_string().empty())
                    out(event(reasoning_delta{
                        "reasoning-" + index, std::string(t->get_string()), {}, false}));
            } else if (auto text = string_member(*content, "text", provider_); !text.empty()) {
                out(event(text_delta{"text-" + index, std::string(text)}));
            }
        } else if (type == "tool-plan-delta") {
            if (auto plan = msg ? string_member(*msg, "tool_plan", provider_) : std::string_view();
                !plan.empty())
                out(event(text_delta{"tool-plan", std::string(plan)}));
        } else if (type == "tool-call-start") {
            auto const* call = msg ? object_member(*msg, "tool_calls", provider_) : nullptr;
            if (!call)
                throw_malformed(provider_, "a tool-call-start event has no tool call");
            std::int64_t const index = index_of(o);
            if (find_call(index))
                throw_malformed(provider_, "a tool call started twice");
            auto const* fn = object_member(*call, "function", provider_);
            std::string id(string_member(*call, "id", provider_));
            if (id.empty())
                throw_malformed(provider_, "a tool call has no id");
            calls_.push_back({index, id, true});
            out(event(tool_call_start{
                id, std::string(fn ? string_member(*fn, "name", provider_) : std::string_view())}));
            if (auto args = fn ? string_member(*fn, "arguments", provider_) : std::string_view();
                !args.empty())
                out(event(tool_call_delta{id, std::string(args)}));
        } else if (type == "tool-call-delta") {
            open_call& c = open_call_at(index_of(o));
            auto const* call = msg ? object_member(*msg, "tool_calls", provider_) : nullptr;
            auto const* fn = call ? object_member(*call, "function", provider_) : nullptr;
            if (auto args = fn ? string_member(*fn, "arguments", provider_) : std::string_view();
                !args.empty())
                out(event(tool_call_delta{c.id, std::string(args)}));
        } else if (type == "tool-call-end") {
            open_call& c = open_call_at(index_of(o));
            c.open = false;
            out(event(tool_call_end{c.id}));
        } else if (type == "citation-start") {
            auto const* c = msg ? member(*msg, "citations") : nullptr;
            if (!c)
                throw_malformed(provider_, "a citation-start event has no citation");
            for (auto& s : citation_sources(*c, provider_))
                sources_.push_back(std::move(s));
        } else if (type == "message-end") {
            if (delta)
                if (auto err = string_member(*delta, "error", provider_); !err.empty())
                    fail(err);
            close_calls(out);
            for (auto& s : sources_)
                out(event(std::move(s)));
            sources_.clear();
            std::string_view const reason =
                delta ? string_member(*delta, "finish_reason", provider_) : std::string_view();
            if (auto const* u = delta ? object_member(*delta, "usage", provider_) : nullptr)
                out(event(usage_event{cohere_usage(*u, provider_)}));
            out(event(finish_event{cohere_finish_reason(reason), std::string(reason)}));
            done_ = true;
        }
        // content-end, citation-end, debug and event types of later API versions: nothing
        // to report.
        out.flush(std::move(v));
    }

    /// The body ended before `message-end`: the stream was cut.
    template <class Emit>
    void finish(Emit&&) {
        llmap::detail::throw_malformed(provider_, "the stream ended before its message-end event");
    }

private:
    struct open_call {
        std::int64_t index;
        std::string id;
        bool open;
    };

    static stream_event event(auto&& data) {
        stream_event e;
        e.data = std::forward<decltype(data)>(data);
        return e;
    }

    [[noreturn]] void fail(std::string_view message) const {
        throw error(errc::http_error,
                    "llmap: " + provider_ + " reported an error in the stream: " +
                        (message.empty() ? std::string("(no message)") : std::string(message)));
    }

    std::int64_t index_of(const boost::json::object& o) const {
        if (!llmap::detail::member(o, "index"))
            return 0;
        return *llmap::detail::count_member(o, "index", provider_);
    }

    open_call* find_call(std::int64_t index) {
        for (auto& c : calls_)
            if (c.index == index)
                return &c;
        return nullptr;
    }

    open_call& open_call_at(std::int64_t index) {
        open_call* c = find_call(index);
        if (!c || !c->open)
            llmap::detail::throw_malformed(provider_,
                                           "a tool call event names no open tool call (index " +
                                               std::to_string(index) + ")");
        return *c;
    }

    template <class Emit>
    void close_calls(Emit& emit) {
        for (auto& c : calls_)
            if (c.open) {
                c.open = false;
                emit(event(tool_call_end{c.id}));
            }
    }

    std::string provider_;
    std::vector<open_call> calls_;
    std::vector<source_part> sources_;
    std::vector<stream_event> chunk_events_; // on_data's buffer (see detail::chunk_events)
    bool done_ = false;
};

} // namespace llmap::cohere_api::wire

#endif
