//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OPENAI_RESPONSES_WIRE_HPP
#define LLMAP_PROVIDERS_OPENAI_RESPONSES_WIRE_HPP

/** @file
    The wire format of OpenAI's Responses API (`POST /v1/responses`), which xAI also serves:
    the unified request as a JSON body, and a JSON answer or a stream of typed events as the
    unified response. Pure functions, no I/O.

    The request follows the body the Vercel AI SDK sends (system messages as `input` items,
    user content as `input_text` / `input_image` / `input_file` parts), which the official
    SDK-captured references in `shared/conformance/sdk-requests` pin down.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/chunk_events.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
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

namespace llmap::openai_api::wire {

// ---- request --------------------------------------------------------------------------------

inline boost::json::array responses_user_content(const message& m, std::string_view provider,
                                                 std::vector<warning>& warnings) {
    boost::json::array parts;
    std::size_t index = 0; // of the part, for a made-up file name
    for (auto const& p : m.content) {
        std::size_t const i = index++;
        if (auto const* t = std::get_if<text_part>(&p)) {
            parts.push_back({{"type", "input_text"}, {"text", t->text}});
        } else if (auto const* img = std::get_if<image_part>(&p)) {
            std::string const url =
                img->url.empty()
                    ? data_url(img->media_type.empty() ? "image/png" : img->media_type, img->data)
                    : img->url;
            // `detail` is required by the API's schema; "auto" is its documented default.
            parts.push_back({{"type", "input_image"}, {"image_url", url}, {"detail", "auto"}});
        } else if (auto const* f = std::get_if<file_part>(&p)) {
            // Unlike Chat Completions, the Responses API fetches files by URL itself.
            if (!f->url.empty()) {
                parts.push_back({{"type", "input_file"}, {"file_url", f->url}});
                continue;
            }
            // The API wants a file name next to inline data; the AI SDK makes one up the same
            // way when the caller gave none.
            std::string name = f->filename;
            if (name.empty())
                name = "part-" + std::to_string(i) +
                       (f->media_type == "application/pdf" ? ".pdf" : "");
            parts.push_back({{"type", "input_file"},
                             {"filename", std::move(name)},
                             {"file_data", data_url(f->media_type, f->data)}});
        } else {
            warnings.push_back(warning::other(std::string(provider) +
                                              ": a user message part of this kind is not "
                                              "supported and was left out"));
        }
    }
    return parts;
}

inline void append_assistant_items(boost::json::array& out, const message& m,
                                   std::string_view provider, std::vector<warning>& warnings) {
    // Consecutive text parts share one message item; reasoning and tool calls are items of
    // their own, in the order the model produced them. The text goes as a plain string: the
    // output_text part form is, per the API's schema, an output message that also needs an
    // id, a status and annotations.
    std::string text;
    bool has_text = false;
    auto flush = [&] {
        if (!has_text)
            return;
        out.push_back({{"role", "assistant"}, {"content", std::move(text)}});
        text.clear();
        has_text = false;
    };
    for (auto const& p : m.content) {
        if (auto const* t = std::get_if<text_part>(&p)) {
            text += t->text;
            has_text = true;
        } else if (auto const* c = std::get_if<tool_call_part>(&p)) {
            flush();
            out.push_back(
                {{"type", "function_call"},
                 {"call_id", c->id},
                 {"name", c->name},
                 {"arguments", c->arguments.is_string() ? std::string(c->arguments.get_string())
                                                        : boost::json::serialize(c->arguments)}});
        } else if (auto const* r = std::get_if<reasoning_part>(&p)) {
            // Only reasoning that carries its encrypted content can be given back: the API
            // verifies it. It goes without an item id (the unified model keeps none), which
            // the API accepts for inline encrypted reasoning, stored or not. Reasoning without
            // it is dropped, as the Chat Completions wire drops all reasoning.
            if (r->signature.empty() || r->redacted)
                continue;
            flush();
            boost::json::array summary;
            if (!r->text.empty())
                summary.push_back({{"type", "summary_text"}, {"text", r->text}});
            out.push_back({{"type", "reasoning"},
                           {"summary", std::move(summary)},
                           {"encrypted_content", r->signature}});
        } else {
            warnings.push_back(warning::other(std::string(provider) +
                                              ": an assistant message part of this kind is not "
                                              "supported and was left out"));
        }
    }
    flush();
}

inline void append_responses_input(boost::json::array& out, const request& req,
                                   std::string_view provider, std::vector<warning>& warnings) {
    for (message const& m : req.all_messages()) {
        switch (m.role) {
        case role::system:
            out.push_back({{"role", "system"}, {"content", m.text()}});
            break;
        case role::user:
            out.push_back(
                {{"role", "user"}, {"content", responses_user_content(m, provider, warnings)}});
            break;
        case role::assistant:
            append_assistant_items(out, m, provider, warnings);
            break;
        case role::tool:
            // The API has no error flag on an output: an error result goes as its text.
            for (auto const& p : m.content)
                if (auto const* r = std::get_if<tool_result_part>(&p))
                    out.push_back({{"type", "function_call_output"},
                                   {"call_id", r->tool_call_id},
                                   {"output", llmap::detail::tool_result_text(r->result)}});
            break;
        }
    }
}

inline boost::json::value responses_tool_choice_json(const tool_choice& c) {
    switch (c.mode) {
    case tool_choice::kind::auto_:
        return "auto";
    case tool_choice::kind::none:
        return "none";
    case tool_choice::kind::required:
        return "required";
    case tool_choice::kind::tool:
        // Flat, unlike Chat Completions' {"type":"function","function":{"name":..}}.
        return {{"type", "function"}, {"name", c.tool_name}};
    }
    return "auto";
}

/** The JSON body of a Responses API request.

    The conversation goes to `input` (system messages included, as the AI SDK sends them),
    tool calls and their results as `function_call` / `function_call_output` items, and the
    reasoning effort as `reasoning: {"effort", "summary": "auto"}` so that summaries come
    back. An assistant reasoning part that carries a signature (the `encrypted_content` a
    previous answer gave) is sent back as a `reasoning` item; to receive encrypted content at
    all, ask for it with `provider_options["openai"]["include"] =
    ["reasoning.encrypted_content"]`.

    @param req the unified request.
    @param model the model name sent to the provider.
    @param stream whether to ask for a stream of events.
    @param warnings receives one warning per request option the API does not accept.
    @param provider the key of the caller's raw options in `request::provider_options`
    (`"xai"` for xAI), and the name in warnings.
*/
inline boost::json::object responses_request_body(const request& req, std::string_view model,
                                                  bool stream, std::vector<warning>& warnings,
                                                  std::string_view provider = "openai") {
    boost::json::object body;
    body["model"] = model;
    boost::json::array input;
    append_responses_input(input, req, provider, warnings);
    body["input"] = std::move(input);
    bool const reasoning_model = is_openai_reasoning_model(model);
    llmap::detail::put_sampling(body, req, reasoning_model, warnings);
    if (req.max_output_tokens)
        body["max_output_tokens"] = *req.max_output_tokens;
    if (req.top_k)
        warnings.push_back(warning::unsupported_setting("top_k"));
    if (req.seed)
        warnings.push_back(warning::unsupported_setting("seed"));
    if (!req.stop_sequences.empty())
        warnings.push_back(warning::unsupported_setting("stop_sequences"));
    if (!req.tools.empty()) {
        boost::json::array tools;
        for (auto const& t : req.tools) {
            boost::json::object fn{{"type", "function"}, {"name", t.name}};
            if (!t.description.empty())
                fn["description"] = t.description;
            fn["parameters"] =
                t.parameters.empty() ? boost::json::object{{"type", "object"}} : t.parameters;
            // Strict mode would reject the many schemas that are not written for it (optional
            // properties, no additionalProperties:false); the AI SDK defaults to it off too.
            fn["strict"] = false;
            tools.push_back(std::move(fn));
        }
        body["tools"] = std::move(tools);
    }
    if (req.tool_choice)
        body["tool_choice"] = responses_tool_choice_json(*req.tool_choice);
    switch (req.format.type) {
    case response_format::kind::text:
        break;
    case response_format::kind::json:
        body["text"] = {{"format", {{"type", "json_object"}}}};
        break;
    case response_format::kind::json_schema: {
        // As in Chat Completions: adapted to strict mode's rules, or sent non-strict.
        adapted_schema a = req.format.strict ? llmap::detail::adapt_schema(req.format.schema, true,
                                                                           openai_strict_schema,
                                                                           "format", warnings)
                                             : adapted_schema{req.format.schema, false, {}};
        body["text"] = {{"format",
                         {{"type", "json_schema"},
                          {"name", req.format.name.empty() ? "response" : req.format.name},
                          {"schema", std::move(a.schema)},
                          {"strict", a.strict}}}};
        break;
    }
    }
    if (req.reasoning)
        body["reasoning"] = {{"effort", to_string(*req.reasoning)}, {"summary", "auto"}};
    if (stream)
        body["stream"] = true;
    // The caller's raw options for this provider win over everything above.
    llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    return body;
}

// ---- response -------------------------------------------------------------------------------

/// The unified usage of a Responses API `usage` object.
inline usage responses_usage(const boost::json::object& u, std::string_view provider) {
    usage out;
    out.input_tokens = detail::count_member(u, "input_tokens", provider);
    out.output_tokens = detail::count_member(u, "output_tokens", provider);
    out.total_tokens = detail::count_member(u, "total_tokens", provider);
    if (auto const* in = detail::object_member(u, "input_tokens_details", provider))
        out.cache_read_tokens = detail::count_member(*in, "cached_tokens", provider);
    if (auto const* o = detail::object_member(u, "output_tokens_details", provider))
        out.reasoning_tokens = detail::count_member(*o, "reasoning_tokens", provider);
    return out;
}

/** The unified finish reason of a response object, and the raw value kept next to it.

    The Responses API has no finish reason: a `completed` response stopped on its own (or to
    wait for its function calls, hence `had_tool_call`), an `incomplete` one says why in
    `incomplete_details.reason`, which is then the raw value.
*/
inline std::pair<finish_reason, std::string>
responses_finish(const boost::json::object& r, bool had_tool_call, std::string_view provider) {
    std::string_view const status = detail::string_member(r, "status", provider);
    if (status == "completed")
        return {had_tool_call ? finish_reason::tool_calls : finish_reason::stop,
                std::string(status)};
    if (status == "incomplete") {
        std::string_view reason;
        if (auto const* d = detail::object_member(r, "incomplete_details", provider))
            reason = detail::string_member(*d, "reason", provider);
        if (reason == "max_output_tokens")
            return {finish_reason::length, std::string(reason)};
        if (reason == "content_filter")
            return {finish_reason::content_filter, std::string(reason)};
        return {finish_reason::other, std::string(reason.empty() ? status : reason)};
    }
    if (status == "failed")
        return {finish_reason::error, std::string(status)};
    if (status.empty())
        return {finish_reason::unknown, std::string()};
    return {finish_reason::other, std::string(status)}; // cancelled, queued, in_progress
}

// The message of an `error` object (or of a bare string), for the exception.
inline std::string responses_error_message(const boost::json::value& e, std::string_view provider) {
    if (e.is_string())
        return std::string(e.get_string());
    if (e.is_object()) {
        std::string m(detail::string_member(e.get_object(), "message", provider));
        if (!m.empty())
            return m;
    }
    return boost::json::serialize(e);
}

// An `error` in a 200 body: the request failed after all. Thrown with the provider's message;
// the transport, which knows the HTTP status, may map the code further.
[[noreturn]] inline void throw_responses_error(const boost::json::value& e,
                                               std::string_view provider) {
    detail::throw_malformed(provider, "the response reported an error: " +
                                          responses_error_message(e, provider));
}

// The summary texts of a reasoning item, joined by a blank line (they are separate
// paragraphs, each with its own bold title); the raw reasoning text (`content` parts of type
// `reasoning_text`, from gpt-oss servers such as vLLM and llama.cpp) when it has no summary.
inline std::string reasoning_item_text(const boost::json::object& item, std::string_view provider) {
    std::string out;
    if (auto const* summary = detail::array_member(item, "summary", provider)) {
        bool first = true;
        for (auto const& s : *summary) {
            if (!s.is_object())
                detail::throw_malformed(provider, "a reasoning summary part is not an object");
            if (!first)
                out += "\n\n";
            first = false;
            out += detail::string_member(s.get_object(), "text", provider);
        }
    }
    if (out.empty())
        if (auto const* content = detail::array_member(item, "content", provider))
            for (auto const& c : *content) {
                if (!c.is_object())
                    detail::throw_malformed(provider, "a reasoning content part is not an object");
                if (detail::string_member(c.get_object(), "type", provider) == "reasoning_text")
                    out += detail::string_member(c.get_object(), "text", provider);
            }
    return out;
}

// The text of a message item: its output_text parts, and what the model said instead of
// answering (a refusal part).
inline std::string message_item_text(const boost::json::object& item, std::string_view provider) {
    std::string out;
    if (auto const* content = detail::array_member(item, "content", provider))
        for (auto const& c : *content) {
            if (!c.is_object())
                detail::throw_malformed(provider, "a message content part is not an object");
            auto const& part = c.get_object();
            std::string_view const type = detail::string_member(part, "type", provider);
            if (type == "output_text")
                out += detail::string_member(part, "text", provider);
            else if (type == "refusal")
                out += detail::string_member(part, "refusal", provider);
        }
    return out;
}

// One warning per output item type that the unified model has no place for (built-in tools:
// web search, file search, code interpreter, MCP, image generation, shell...).
inline void warn_unsupported_item(std::string_view type, std::string_view provider,
                                  std::vector<std::string>& seen, std::vector<warning>& warnings) {
    for (auto const& s : seen)
        if (s == type)
            return;
    seen.emplace_back(type);
    warnings.push_back(warning::other(std::string(provider) + ": output item type '" +
                                      std::string(type) + "' is not supported and was left out"));
}

/** The unified response of a Responses API answer.

    Output items become content parts in order: a `message` gives text (refusals included), a
    `reasoning` item a reasoning part whose signature is its `encrypted_content`, a
    `function_call` a tool call. Other item types are left out, with one warning per type.

    @throws llmap::error `malformed_response` if the body is not a Responses API answer, or
    if it carries an `error` (then with the provider's message).
*/
inline response parse_responses_response(boost::json::value body,
                                         std::string_view provider = "openai") {
    if (!body.is_object())
        detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    if (auto const* e = detail::member(o, "error"))
        throw_responses_error(*e, provider);
    response r;
    r.id = detail::string_member(o, "id", provider);
    r.model = detail::string_member(o, "model", provider);
    auto const* output = detail::array_member(o, "output", provider);
    if (!output)
        detail::throw_malformed(provider, "no \"output\"");
    bool had_tool_call = false;
    std::vector<std::string> unsupported;
    for (auto const& v : *output) {
        if (!v.is_object())
            detail::throw_malformed(provider, "an output item is not an object");
        auto const& item = v.get_object();
        std::string_view const type = detail::string_member(item, "type", provider);
        if (type == "message") {
            std::string text = message_item_text(item, provider);
            if (!text.empty())
                r.content.emplace_back(text_part{std::move(text)});
        } else if (type == "reasoning") {
            reasoning_part part{
                reasoning_item_text(item, provider),
                std::string(detail::string_member(item, "encrypted_content", provider)), false};
            if (!part.text.empty() || !part.signature.empty())
                r.content.emplace_back(std::move(part));
        } else if (type == "function_call") {
            tool_call_part part;
            part.id = detail::string_member(item, "call_id", provider);
            part.name = detail::string_member(item, "name", provider);
            part.arguments = llmap::detail::tool_arguments_from_text(
                detail::string_member(item, "arguments", provider), part.name, part.id, r.warnings);
            r.content.emplace_back(std::move(part));
            had_tool_call = true;
        } else {
            warn_unsupported_item(type, provider, unsupported, r.warnings);
        }
    }
    auto [finish, raw_finish] = responses_finish(o, had_tool_call, provider);
    r.finish = finish;
    r.raw_finish_reason = std::move(raw_finish);
    if (auto const* u = detail::object_member(o, "usage", provider))
        r.usage = responses_usage(*u, provider);
    r.raw = std::move(body);
    return r;
}

/** Turns the events of a streamed Responses API answer into stream events.

    Give it the `data` of each server-sent event in order; the event's type is read from the
    data's own `"type"`, so the SSE `event:` field is not needed. It calls
    `emit(stream_event&&)` for each event it derives. Text and reasoning deltas carry their
    output item's id, so each item becomes a part of its own; function calls are reported
    under their `call_id` (the id a tool result must answer) and their argument deltas,
    which name the item, are routed to them. The stream is done at `response.completed` or
    `response.incomplete`, which give the usage and the finish reason (or at a compatible
    server's `[DONE]`); a body that ends before was cut (`finish` throws).

    @throws llmap::error `malformed_response` on an event that is not a JSON object, and on
    `response.failed` or `error` events (with the provider's message).
*/
class responses_stream_decoder {
public:
    explicit responses_stream_decoder(std::string_view provider = "openai") : provider_(provider) {}

    /// True once the response completed (or stopped incomplete).
    bool done() const noexcept { return done_; }

    template <class Emit>
    void on_data(std::string_view data, Emit&& emit) {
        if (done_)
            return;
        if (data == "[DONE]") { // not OpenAI's, but compatible servers may add it
            close_calls(emit);
            done_ = true;
            return;
        }
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(data, ec);
        if (ec || !v.is_object())
            detail::throw_malformed(provider_, "a stream event is not a JSON object");
        auto const& o = v.get_object();
        detail::chunk_events out(chunk_events_, emit);
        std::string_view const type = detail::string_member(o, "type", provider_);
        if (type == "response.created" || type == "response.in_progress") {
            if (!metadata_sent_)
                if (auto const* r = detail::object_member(o, "response", provider_)) {
                    metadata_sent_ = true;
                    out(event(response_metadata{
                        std::string(detail::string_member(*r, "id", provider_)),
                        std::string(detail::string_member(*r, "model", provider_))}));
                }
        } else if (type == "response.output_text.delta" || type == "response.refusal.delta") {
            std::string delta(detail::string_member(o, "delta", provider_));
            if (!delta.empty())
                out(event(text_delta{item_id(o), std::move(delta)}));
        } else if (type == "response.reasoning_summary_part.added") {
            // Summary parts are paragraphs: the same blank line between them as
            // parse_responses_response puts, so a stream and an answer read alike.
            if (auto const* i = detail::member(o, "summary_index");
                i && !(i->is_int64() && i->get_int64() == 0) &&
                !(i->is_uint64() && i->get_uint64() == 0))
                out(event(reasoning_delta{item_id(o), "\n\n", {}, false}));
        } else if (type == "response.reasoning_summary_text.delta" ||
                   type == "response.reasoning_text.delta") {
            std::string delta(detail::string_member(o, "delta", provider_));
            if (!delta.empty())
                out(event(reasoning_delta{item_id(o), std::move(delta), {}, false}));
        } else if (type == "response.output_item.added") {
            on_item_added(o, out);
        } else if (type == "response.function_call_arguments.delta") {
            std::string_view const delta = detail::string_member(o, "delta", provider_);
            if (open_call* c = find(item_id(o)); c && !delta.empty()) {
                c->got_arguments = true;
                out(event(tool_call_delta{c->call_id, std::string(delta)}));
            }
        } else if (type == "response.output_item.done") {
            on_item_done(o, out);
        } else if (type == "response.completed" || type == "response.incomplete") {
            auto const* r = detail::object_member(o, "response", provider_);
            if (!r)
                detail::throw_malformed(provider_, "a final event has no \"response\"");
            close_calls(out);
            if (auto const* u = detail::object_member(*r, "usage", provider_))
                out(event(usage_event{responses_usage(*u, provider_)}));
            bool had_tool_call = had_tool_call_;
            if (auto const* output = detail::array_member(*r, "output", provider_))
                for (auto const& item : *output)
                    if (item.is_object() && detail::string_member(item.get_object(), "type",
                                                                  provider_) == "function_call")
                        had_tool_call = true;
            auto [reason, raw] = responses_finish(*r, had_tool_call, provider_);
            out(event(finish_event{reason, std::move(raw)}));
            done_ = true;
        } else if (type == "response.failed") {
            auto const* r = detail::object_member(o, "response", provider_);
            auto const* e = r ? detail::member(*r, "error") : nullptr;
            detail::throw_malformed(provider_, "the response failed: " +
                                                   (e ? responses_error_message(*e, provider_)
                                                      : std::string("no error given")));
        } else if (type == "error") {
            // The message is at the top (OpenAI) or in an `error` object (some proxies).
            std::string message(detail::string_member(o, "message", provider_));
            if (message.empty())
                if (auto const* e = detail::member(o, "error"))
                    message = responses_error_message(*e, provider_);
            detail::throw_malformed(provider_, "the stream reported an error: " + message);
        }
        // Anything else (content_part.*, *.done, in-progress notices, built-in tool events,
        // annotations) adds nothing the events above have not given.
        out.flush(std::move(v));
    }

    /** The body ended before `response.completed` (or `response.incomplete`): the stream was
        cut, and its text would pass for a whole answer.

        @throws llmap::error `malformed_response`, always.
    */
    template <class Emit>
    void finish(Emit&&) {
        detail::throw_malformed(provider_, "the stream ended before response.completed");
    }

private:
    struct open_call {
        std::string item_id;
        std::string call_id;
        bool open;
        bool got_arguments;
    };

    static stream_event event(auto&& data) {
        stream_event e;
        e.data = std::forward<decltype(data)>(data);
        return e;
    }

    std::string item_id(const boost::json::object& o) const {
        return std::string(detail::string_member(o, "item_id", provider_));
    }

    open_call* find(std::string_view item) {
        for (auto& c : calls_)
            if (c.item_id == item && c.open)
                return &c;
        return nullptr;
    }

    const boost::json::object& item_of(const boost::json::object& o) const {
        auto const* item = detail::object_member(o, "item", provider_);
        if (!item)
            detail::throw_malformed(provider_, "an output item event has no \"item\"");
        return *item;
    }

    template <class Emit>
    void on_item_added(const boost::json::object& o, Emit& emit) {
        auto const& item = item_of(o);
        if (detail::string_member(item, "type", provider_) != "function_call")
            return;
        std::string id(detail::string_member(item, "id", provider_));
        std::string call_id(detail::string_member(item, "call_id", provider_));
        if (call_id.empty()) // the answer to a call must name it: fall back on the item id
            call_id = id;
        if (call_id.empty())
            call_id = "call_" + std::to_string(calls_.size());
        calls_.push_back({std::move(id), call_id, true, false});
        had_tool_call_ = true;
        emit(event(tool_call_start{std::move(call_id),
                                   std::string(detail::string_member(item, "name", provider_))}));
    }

    template <class Emit>
    void on_item_done(const boost::json::object& o, Emit& emit) {
        auto const& item = item_of(o);
        std::string_view const type = detail::string_member(item, "type", provider_);
        std::string_view const id = detail::string_member(item, "id", provider_);
        if (type == "reasoning") {
            // The encrypted content is complete only now (the added event's may be partial).
            std::string_view const sig =
                detail::string_member(item, "encrypted_content", provider_);
            if (!sig.empty())
                emit(event(reasoning_delta{std::string(id), {}, std::string(sig), false}));
        } else if (type == "function_call") {
            if (open_call* c = find(id)) {
                // A server that sends the arguments whole, with no delta event.
                std::string_view const args = detail::string_member(item, "arguments", provider_);
                if (!c->got_arguments && !args.empty())
                    emit(event(tool_call_delta{c->call_id, std::string(args)}));
                c->open = false;
                emit(event(tool_call_end{c->call_id}));
            }
        }
    }

    template <class Emit>
    void close_calls(Emit& emit) {
        for (auto& c : calls_)
            if (c.open) {
                c.open = false;
                emit(event(tool_call_end{c.call_id}));
            }
    }

    std::string provider_;
    std::vector<open_call> calls_;
    std::vector<stream_event> chunk_events_; // on_data's buffer (see detail::chunk_events)
    bool had_tool_call_ = false;
    bool metadata_sent_ = false;
    bool done_ = false;
};

} // namespace llmap::openai_api::wire

#endif
