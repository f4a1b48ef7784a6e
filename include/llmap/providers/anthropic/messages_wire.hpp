//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_ANTHROPIC_MESSAGES_WIRE_HPP
#define LLMAP_PROVIDERS_ANTHROPIC_MESSAGES_WIRE_HPP

/** @file
    The wire format of Anthropic's Messages API (`POST /v1/messages`): the unified request as
    a JSON body, and a JSON answer or a stream of server-sent events as the unified response.
    Pure functions and a pure decoder, no I/O.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/error.hpp>
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

namespace llmap::anthropic_api {

/// The `max_tokens` sent when `request::max_output_tokens` is unset (the API requires one);
/// its use is reported as a warning.
inline constexpr int default_max_tokens = 4096;

/// The name of the tool through which a JSON schema answer is asked for (as the AI SDK does).
inline constexpr std::string_view json_tool_name = "json";

/** The thinking budget (tokens) that a `request::reasoning` effort stands for.

    `none` turns thinking off; `minimal` is the API's minimum budget (1024), `low` 2048,
    `medium` 8192, `high` 16384. A budget set on the model (`thinking_budget`) wins.
*/
constexpr std::optional<int> thinking_budget_for(reasoning_effort e) noexcept {
    constexpr llmap::detail::effort_budgets budgets{1024, 2048, 8192, 16384};
    if (e == reasoning_effort::none)
        return std::nullopt;
    return budgets(e);
}

namespace wire {

// ---- request --------------------------------------------------------------------------------

/// What the model adds to a request: its thinking budget, and the provider's name.
struct body_options {
    std::optional<int> thinking_budget{}; ///< set by `messages_model::thinking_budget`
    std::string_view provider = "anthropic";
};

/// A request body, and whether the answer comes through the JSON tool (see `json_tool_name`).
struct messages_body {
    boost::json::object body;
    bool json_tool = false;
};

// The message's own options for this provider, if an object.
inline const boost::json::object* own_options(const boost::json::object& options,
                                              std::string_view provider) {
    auto const* o = options.if_contains(provider);
    return o && o->is_object() ? &o->get_object() : nullptr;
}

// Puts `cache_control` from a message's or a tool's provider options on `block`.
inline void put_cache_control(boost::json::object& block, const boost::json::object& options,
                              std::string_view provider) {
    if (auto const* o = own_options(options, provider))
        if (auto const* cc = o->if_contains("cache_control"); cc && !cc->is_null())
            block["cache_control"] = *cc;
}

// The `source` of an image or a document given by URL: a `data:` URL becomes base64 bytes.
inline boost::json::object url_source(const std::string& url, const std::string& media_type) {
    if (url.starts_with("data:")) {
        auto const comma = url.find(',');
        std::string_view const head = std::string_view(url).substr(5, comma - 5);
        if (comma != std::string::npos && head.ends_with(";base64")) {
            std::string type(head.substr(0, head.size() - 7));
            return {{"type", "base64"},
                    {"media_type", type.empty() ? media_type : type},
                    {"data", url.substr(comma + 1)}};
        }
    }
    return {{"type", "url"}, {"url", url}};
}

inline boost::json::object bytes_source(const std::string& media_type,
                                        const std::vector<std::uint8_t>& data) {
    return {{"type", "base64"},
            {"media_type", media_type},
            {"data", llmap::detail::base64_encode(data)}};
}

// The blocks of one message, in order; what has no Anthropic form is left out with a warning.
inline boost::json::array message_blocks(const message& m, std::string_view provider,
                                         std::vector<warning>& warnings) {
    boost::json::array out;
    auto const dropped = [&](std::string_view what) {
        warnings.push_back(warning::other(std::string(provider) + ": " + std::string(what) +
                                          " was left out of a " + std::string(to_string(m.role)) +
                                          " message"));
    };
    for (auto const& p : m.content) {
        if (auto const* t = std::get_if<text_part>(&p)) {
            if (!t->text.empty()) // the API rejects empty text blocks
                out.push_back({{"type", "text"}, {"text", t->text}});
        } else if (auto const* img = std::get_if<image_part>(&p)) {
            if (m.role == role::assistant) {
                dropped("an image");
                continue;
            }
            out.push_back(
                {{"type", "image"},
                 {"source", img->is_url() ? url_source(img->url, img->media_type)
                                          : bytes_source(img->media_type.empty() ? "image/png"
                                                                                 : img->media_type,
                                                         img->data)}});
        } else if (auto const* f = std::get_if<file_part>(&p)) {
            boost::json::object doc{{"type", "document"}};
            if (m.role != role::assistant && f->media_type == "application/pdf") {
                doc["source"] = f->is_url() ? url_source(f->url, f->media_type)
                                            : bytes_source(f->media_type, f->data);
            } else if (m.role != role::assistant && f->media_type == "text/plain" && !f->is_url()) {
                doc["source"] = {{"type", "text"},
                                 {"media_type", "text/plain"},
                                 {"data", std::string(f->data.begin(), f->data.end())}};
            } else {
                dropped("a file of type '" + f->media_type +
                        "' (PDF and plain text are supported)");
                continue;
            }
            if (!f->filename.empty())
                doc["title"] = f->filename;
            out.push_back(std::move(doc));
        } else if (auto const* c = std::get_if<tool_call_part>(&p)) {
            if (m.role != role::assistant) {
                dropped("a tool call");
                continue;
            }
            boost::json::value input = c->arguments;
            if (!input.is_object()) {
                // Invalid JSON kept as a string by the parser: the API takes only an object.
                warnings.push_back(warning::other(std::string(provider) +
                                                  ": the arguments of tool call '" + c->id +
                                                  "' are not a JSON object; {} was sent instead"));
                input = boost::json::object();
            }
            out.push_back({{"type", "tool_use"},
                           {"id", c->id},
                           {"name", c->name},
                           {"input", std::move(input)}});
        } else if (auto const* r = std::get_if<tool_result_part>(&p)) {
            if (m.role == role::assistant) {
                dropped("a tool result");
                continue;
            }
            boost::json::object block{{"type", "tool_result"},
                                      {"tool_use_id", r->tool_call_id},
                                      {"content", llmap::detail::tool_result_text(r->result)}};
            if (r->is_error)
                block["is_error"] = true;
            out.push_back(std::move(block));
        } else if (auto const* th = std::get_if<reasoning_part>(&p)) {
            if (m.role != role::assistant)
                continue; // reasoning is the model's own: nothing to send for it elsewhere
            if (th->redacted)
                out.push_back({{"type", "redacted_thinking"}, {"data", th->text}});
            else if (!th->signature.empty())
                out.push_back(
                    {{"type", "thinking"}, {"thinking", th->text}, {"signature", th->signature}});
            else
                // The API verifies the signature of every thinking block sent back.
                dropped("reasoning without a signature");
        }
        // A source part is output only: nothing is sent for it.
    }
    if (!out.empty())
        if (auto* last = out.back().if_object())
            put_cache_control(*last, m.provider_options, provider);
    return out;
}

// The content of a turn: one text block without options goes as a plain string, as the
// official SDK sends it.
inline boost::json::value turn_content(boost::json::array blocks) {
    if (blocks.size() == 1) {
        auto const& b = blocks[0].get_object();
        if (b.size() == 2 && b.at("type") == "text")
            return b.at("text");
    }
    return blocks;
}

/** The top-level `system` and the `messages` of a request.

    The leading system messages become `system` (a plain string when there is one text and
    no cache marker, else text blocks, the last block of each message carrying its
    `cache_control`). A system message later in the conversation stays where it is, as a
    `system` turn, which the API accepts for recent models. Consecutive messages of the same
    wire role are merged into one turn, as the API requires alternation; tool results go in a
    user turn.
*/
inline void put_conversation(boost::json::object& body, const request& req,
                             std::string_view provider, std::vector<warning>& warnings) {
    auto const all = req.all_messages();
    std::size_t i = 0;
    boost::json::array system;
    for (; i != all.size() && all[i].role == role::system; ++i)
        for (auto& b : message_blocks(all[i], provider, warnings))
            system.push_back(std::move(b));
    if (!system.empty())
        body["system"] = turn_content(std::move(system));

    boost::json::array messages;
    std::string last_role;
    boost::json::array turn;
    auto const flush = [&] {
        if (!turn.empty())
            messages.push_back({{"role", last_role}, {"content", turn_content(std::move(turn))}});
        turn = {};
    };
    for (; i != all.size(); ++i) {
        message const& m = all[i];
        std::string const wire_role =
            m.role == role::tool ? "user" : std::string(to_string(m.role));
        auto blocks = message_blocks(m, provider, warnings);
        if (blocks.empty())
            continue;
        if (wire_role != last_role || wire_role == "system") {
            flush();
            last_role = wire_role;
        }
        for (auto& b : blocks)
            turn.push_back(std::move(b));
    }
    flush();
    body["messages"] = std::move(messages);
}

inline boost::json::object tool_json(const tool& t, std::string_view provider) {
    boost::json::object o{{"name", t.name}};
    if (!t.description.empty())
        o["description"] = t.description;
    o["input_schema"] =
        t.parameters.empty() ? boost::json::object{{"type", "object"}} : t.parameters;
    // The tool's raw options (cache_control, strict, ...) go on the tool as they are.
    if (auto const* opts = own_options(t.provider_options, provider))
        for (auto const& kv : *opts)
            o[kv.key()] = kv.value();
    return o;
}

inline boost::json::object tool_choice_json(const tool_choice& c) {
    switch (c.mode) {
    case tool_choice::kind::auto_:
        return {{"type", "auto"}};
    case tool_choice::kind::none:
        return {{"type", "none"}};
    case tool_choice::kind::required:
        return {{"type", "any"}};
    case tool_choice::kind::tool:
        return {{"type", "tool"}, {"name", c.tool_name}};
    }
    return {{"type", "auto"}};
}

/** The JSON body of a Messages request.

    - `max_tokens` is required by the API: `default_max_tokens` when the request has none
      (with a warning). With thinking on, the thinking budget is added to it, as the AI SDK
      does, so that the budget does not eat the answer.
    - Thinking (`{"type":"enabled","budget_tokens":N}`) comes from the model's budget, else
      from `request::reasoning` (see `thinking_budget_for`). With thinking on, the API takes
      no `temperature`, `top_p` or `top_k`: they are dropped with a warning each.
    - A JSON schema answer is asked for as the AI SDK does: a tool named `json` whose input
      schema is the schema, which the model must call (forced when the request has no other
      tool, else `any` without parallel calls); `parse_messages_response` and the stream
      decoder turn its input back into text. With thinking on, the API rejects a
      `tool_choice` that forces a tool, so thinking is kept and `tool_choice` is `auto`, with
      a warning on `format`: the model is offered the tool but may answer in text, which is
      then the answer (the AI SDK forces the tool and the API refuses the request; its users
      send `auto`, vercel/ai#7220). Plain JSON mode has no Anthropic form: dropped with a
      warning. For the same reason a required or named `tool_choice` becomes `auto` (with a
      warning) when thinking is on. `seed` is not supported: dropped with a warning.
    - `request::provider_options["anthropic"]` is merged in last and wins.

    @param req the unified request.
    @param model the model name sent to the provider.
    @param opts the model's settings.
    @param stream whether to ask for a stream.
    @param warnings receives one warning per request option the API does not take.
*/
inline messages_body messages_request_body(const request& req, std::string_view model,
                                           const body_options& opts, bool stream,
                                           std::vector<warning>& warnings) {
    messages_body out;
    boost::json::object& body = out.body;
    body["model"] = model;
    put_conversation(body, req, opts.provider, warnings);

    std::optional<int> budget = opts.thinking_budget;
    if (!budget && req.reasoning)
        budget = thinking_budget_for(*req.reasoning);
    int max_tokens = default_max_tokens;
    if (req.max_output_tokens) {
        max_tokens = *req.max_output_tokens;
    } else {
        warnings.push_back(warning::unsupported_setting(
            "max_output_tokens", "the Messages API requires max_tokens; " +
                                     std::to_string(default_max_tokens) + " was sent"));
    }
    if (budget) {
        max_tokens += *budget;
        body["thinking"] = {{"type", "enabled"}, {"budget_tokens", *budget}};
    }
    body["max_tokens"] = max_tokens;

    llmap::detail::put_sampling(body, req, budget.has_value(), warnings);
    if (req.top_k) {
        if (budget)
            warnings.push_back(
                warning::unsupported_setting("top_k", "not supported with thinking"));
        else
            body["top_k"] = *req.top_k;
    }
    if (!req.stop_sequences.empty())
        body["stop_sequences"] = llmap::detail::string_array(req.stop_sequences);
    if (req.seed)
        warnings.push_back(warning::unsupported_setting("seed"));

    boost::json::array tools;
    for (auto const& t : req.tools)
        tools.push_back(tool_json(t, opts.provider));
    std::optional<boost::json::object> choice;
    if (req.tool_choice && !req.tools.empty())
        choice = tool_choice_json(*req.tool_choice);
    if (budget && choice && (choice->at("type") == "any" || choice->at("type") == "tool")) {
        // The API refuses a forced tool with thinking on: the tools are offered instead.
        choice = boost::json::object{{"type", "auto"}};
        warnings.push_back(warning::unsupported_setting(
            "tool_choice", "with thinking on, the API does not let a tool be forced; "
                           "tool_choice auto was sent"));
    }
    switch (req.format.type) {
    case response_format::kind::text:
        break;
    case response_format::kind::json:
        warnings.push_back(warning::unsupported_setting(
            "format", "JSON output needs a schema on Anthropic; the format was ignored"));
        break;
    case response_format::kind::json_schema: {
        out.json_tool = true;
        tools.push_back(
            {{"name", json_tool_name},
             {"description", "Respond with a JSON object."},
             {"input_schema", req.format.schema.empty() ? boost::json::object{{"type", "object"}}
                                                        : req.format.schema}});
        if (budget) {
            choice = boost::json::object{{"type", "auto"}};
            if (!req.tools.empty())
                (*choice)["disable_parallel_tool_use"] = true;
            warnings.push_back(warning::unsupported_setting(
                "format", "with thinking on, the API does not let the json tool be forced; "
                          "tool_choice auto was sent, so the answer may be plain text"));
        } else if (req.tools.empty()) {
            choice = boost::json::object{{"type", "tool"}, {"name", json_tool_name}};
        } else {
            choice = boost::json::object{{"type", "any"}, {"disable_parallel_tool_use", true}};
        }
        break;
    }
    }
    if (!tools.empty())
        body["tools"] = std::move(tools);
    if (choice)
        body["tool_choice"] = std::move(*choice);
    if (stream)
        body["stream"] = true;
    llmap::detail::merge_provider_options(body, req.provider_options, opts.provider, warnings);
    return out;
}

// ---- response -------------------------------------------------------------------------------

/** The unified finish reason of a `stop_reason`.

    `end_turn`, `stop_sequence` and `pause_turn` (a server tool loop paused; sending the
    answer back continues it) are `stop`; `max_tokens` and `model_context_window_exceeded`
    are `length`; `tool_use` is `tool_calls` (`stop` when the call is the JSON tool's);
    `refusal` is `content_filter`.

    @param json_answer whether the call was the JSON tool's (the answer, not a tool call).
*/
inline finish_reason messages_finish_reason(std::string_view raw,
                                            bool json_answer = false) noexcept {
    if (raw == "end_turn" || raw == "stop_sequence" || raw == "pause_turn")
        return finish_reason::stop;
    if (raw == "max_tokens" || raw == "model_context_window_exceeded")
        return finish_reason::length;
    if (raw == "tool_use")
        return json_answer ? finish_reason::stop : finish_reason::tool_calls;
    if (raw == "refusal")
        return finish_reason::content_filter;
    if (raw.empty())
        return finish_reason::unknown;
    return finish_reason::other;
}

/** The unified usage of a Messages `usage` object.

    Anthropic's `input_tokens` excludes the prompt cache: the unified input is
    `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`, as the AI SDK
    counts it, with the two cache counts kept as `cache_read_tokens` / `cache_write_tokens`.
    `output_tokens_details.thinking_tokens`, when reported, is `reasoning_tokens`.
*/
inline usage messages_usage(const boost::json::object& u, std::string_view provider) {
    usage out;
    auto const input = detail::count_member(u, "input_tokens", provider);
    out.cache_write_tokens = detail::count_member(u, "cache_creation_input_tokens", provider);
    out.cache_read_tokens = detail::count_member(u, "cache_read_input_tokens", provider);
    out.input_tokens = detail::add_counts(detail::add_counts(input, out.cache_write_tokens),
                                          out.cache_read_tokens);
    out.output_tokens = detail::count_member(u, "output_tokens", provider);
    if (auto const* d = detail::object_member(u, "output_tokens_details", provider))
        out.reasoning_tokens = detail::count_member(*d, "thinking_tokens", provider);
    return out;
}

/** The HTTP status Anthropic documents for an error type (`overloaded_error` is 529), or 0.
    An error event inside a stream carries none of its own.
*/
inline int error_type_status(std::string_view type) noexcept {
    if (type == "invalid_request_error")
        return 400;
    if (type == "authentication_error")
        return 401;
    if (type == "billing_error")
        return 402;
    if (type == "permission_error")
        return 403;
    if (type == "not_found_error")
        return 404;
    if (type == "request_too_large")
        return 413;
    if (type == "rate_limit_error")
        return 429;
    if (type == "api_error")
        return 500;
    if (type == "timeout_error")
        return 504;
    if (type == "overloaded_error")
        return 529;
    return 0;
}

/// The `llmap::error` of an `{"type":"error","error":{...}}` body or stream event.
[[noreturn]] inline void throw_error_event(const boost::json::object& o,
                                           std::string_view provider) {
    std::string type, text;
    if (auto const* e = detail::object_member(o, "error", provider)) {
        type = detail::string_member(*e, "type", provider);
        text = detail::string_member(*e, "message", provider);
    }
    throw llmap::detail::error_access::make(
        make_error_code(errc::http_error),
        "llmap: " + std::string(provider) + " reported an error" +
            (type.empty() ? std::string() : " (" + type + ")") + ": " +
            (text.empty() ? std::string("no message") : text),
        error_type_status(type), type,
        std::string(detail::string_member(o, "request_id", provider)));
}

/// The sources of a `web_search_tool_result` block (its `content` array of results).
template <class F>
void for_each_web_result(const boost::json::object& block, std::string_view provider, F&& f) {
    auto const* content = detail::array_member(block, "content", provider);
    if (!content) // an error result is an object
        return;
    for (auto const& r : *content) {
        if (!r.is_object())
            detail::throw_malformed(provider, "a web search result is not an object");
        auto const& o = r.get_object();
        if (detail::string_member(o, "type", provider) != "web_search_result")
            continue;
        source_part s;
        s.url = detail::string_member(o, "url", provider);
        s.title = detail::string_member(o, "title", provider);
        s.id = s.url;
        f(std::move(s));
    }
}

/// The warning for a content block that has no place in the unified response.
inline warning skipped_block(std::string_view type, std::string_view provider) {
    return warning::other(std::string(provider) + ": a '" + std::string(type) +
                          "' content block (a server tool or a feature the unified response "
                          "has no place for) was left out; it is in the raw response");
}

/** The unified response of a Messages answer.

    Text, thinking (with its signature), redacted thinking (`reasoning_part::redacted`, the
    encrypted `data` in `text`) and tool calls become content parts; a web search result
    gives its sources; other blocks (server tools, MCP, compaction...) are left out with a
    warning each, and stay in `raw`.

    @param body the answer's JSON.
    @param provider the provider's name, for messages.
    @param json_tool whether the request asked for its answer through the JSON tool: its
    call is then the answer's text, and text blocks (a preamble such as "I'll call the
    tool") are left out, as the AI SDK does, so that the text is the JSON answer. An answer
    that calls no tool at all (the tool could not be forced, with thinking on) keeps its
    text: it is the answer.
    @throws llmap::error `malformed_response` if the body is not a Messages answer,
    `http_error` if it is an error body.
*/
inline response parse_messages_response(boost::json::value body,
                                        std::string_view provider = "anthropic",
                                        bool json_tool = false) {
    if (!body.is_object())
        detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    if (detail::string_member(o, "type", provider) == "error")
        throw_error_event(o, provider);
    auto const* content = detail::array_member(o, "content", provider);
    if (!content)
        detail::throw_malformed(provider, "no \"content\"");
    response r;
    r.id = detail::string_member(o, "id", provider);
    r.model = detail::string_member(o, "model", provider);
    bool json_answer = false;
    bool preamble = false; // with the JSON tool, text is a preamble to a tool call
    if (json_tool)
        for (auto const& b : *content)
            if (b.is_object() &&
                detail::string_member(b.get_object(), "type", provider) == "tool_use")
                preamble = true;
    for (auto const& b : *content) {
        if (!b.is_object())
            detail::throw_malformed(provider, "a content block is not an object");
        auto const& block = b.get_object();
        std::string_view const type = detail::string_member(block, "type", provider);
        if (type == "text") {
            std::string_view const text = detail::string_member(block, "text", provider);
            if (!preamble)
                r.content.emplace_back(text_part{std::string(text)});
        } else if (type == "thinking") {
            r.content.emplace_back(
                reasoning_part{std::string(detail::string_member(block, "thinking", provider)),
                               std::string(detail::string_member(block, "signature", provider))});
        } else if (type == "redacted_thinking") {
            r.content.emplace_back(reasoning_part{
                std::string(detail::string_member(block, "data", provider)), {}, true});
        } else if (type == "tool_use") {
            std::string_view const name = detail::string_member(block, "name", provider);
            auto const* input = detail::member(block, "input");
            if (json_tool && name == json_tool_name) {
                json_answer = true;
                r.content.emplace_back(
                    text_part{input ? boost::json::serialize(*input) : std::string("{}")});
                continue;
            }
            tool_call_part call;
            call.id = detail::string_member(block, "id", provider);
            call.name = name;
            if (input)
                call.arguments = *input;
            r.content.emplace_back(std::move(call));
        } else if (type == "web_search_tool_result") {
            for_each_web_result(block, provider,
                                [&](source_part s) { r.content.emplace_back(std::move(s)); });
        } else {
            r.warnings.push_back(skipped_block(type, provider));
        }
    }
    r.raw_finish_reason = detail::string_member(o, "stop_reason", provider);
    r.finish = messages_finish_reason(r.raw_finish_reason, json_answer);
    if (auto const* u = detail::object_member(o, "usage", provider))
        r.usage = messages_usage(*u, provider);
    r.raw = std::move(body);
    return r;
}

/** Turns the events of a streamed Messages answer into stream events.

    Give it the `data` of each server-sent event in order; it calls `emit(stream_event&&)`
    for each event it derives. Blocks are keyed by their `index`: text and thinking deltas
    carry the id `text-<index>` / `reasoning-<index>`, tool calls their own `toolu_` id, so
    parallel calls never merge. Usage (from `message_start`, updated by `message_delta`) and
    the finish reason are reported at `message_stop`, which ends the stream. A block the
    unified events have no place for (server tools, MCP, ...) gives a @ref warning event,
    the warning `parse_messages_response` gives for it.

    A repeated `message_start` of the open message is ignored; one of another message while
    the first is open (two answers spliced together), an unknown block index, an `error`
    event (`http_error`, with the error type, e.g. `overloaded_error`) or a stream that ends
    before `message_stop` throws.

    @param json_tool whether the request asked for its answer through the JSON tool (see
    `messages_body::json_tool`), whose arguments are then streamed as text. Text blocks are
    then held back as a preamble: if the message ends without any tool call, they are the
    answer and are reported at `message_stop`, as `parse_messages_response` keeps them.
*/
class messages_stream_decoder {
public:
    explicit messages_stream_decoder(std::string_view provider = "anthropic",
                                     bool json_tool = false)
        : provider_(provider), json_tool_(json_tool) {}

    /// True once `message_stop` was seen.
    bool done() const noexcept { return done_; }

    template <class Emit>
    void on_data(std::string_view data, Emit&& emit) {
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(data, ec);
        if (ec || !v.is_object())
            detail::throw_malformed(provider_, "a stream event is not a JSON object");
        auto const& o = v.get_object();
        detail::chunk_events out(chunk_events_, emit);
        std::string_view const type = detail::string_member(o, "type", provider_);
        if (type == "message_start")
            on_message_start(o, out);
        else if (type == "error")
            throw_error_event(o, provider_);
        else if (type == "ping")
            return;
        else if (!started_)
            detail::throw_malformed(provider_, "a '" + std::string(type) +
                                                   "' event came before message_start");
        else if (type == "content_block_start")
            on_block_start(o, out);
        else if (type == "content_block_delta")
            on_block_delta(o, out);
        else if (type == "content_block_stop")
            on_block_stop(o, out);
        else if (type == "message_delta")
            on_message_delta(o);
        else if (type == "message_stop")
            on_message_stop(out);
        // Other event types are new: ignored, as the API's versioning policy asks.
        out.flush(std::move(v));
    }

    /// The body ended before `message_stop`: the answer is incomplete.
    template <class Emit>
    void finish(Emit&&) {
        detail::throw_malformed(provider_, "the stream ended before message_stop");
    }

private:
    enum class kind { text, reasoning, tool, json_text, preamble, skipped };

    struct block {
        std::int64_t index;
        kind k;
        std::string id;
        std::string initial_input; // a tool_use block's input when the start carries it
        bool got_input = false;
        bool open = true;
    };

    static stream_event event(auto&& data) {
        stream_event e;
        e.data = std::forward<decltype(data)>(data);
        return e;
    }

    std::int64_t index_of(const boost::json::object& o) const {
        auto const* i = detail::member(o, "index");
        if (!i || !i->is_int64() || i->get_int64() < 0)
            detail::throw_malformed(provider_, "a content block event has no valid \"index\"");
        return i->get_int64();
    }

    block& find(std::int64_t index) {
        for (auto& b : blocks_)
            if (b.index == index && b.open)
                return b;
        detail::throw_malformed(provider_, "an event names content block " + std::to_string(index) +
                                               ", which is not open");
    }

    void merge_usage(const boost::json::object& o) {
        if (auto const* u = detail::object_member(o, "usage", provider_))
            for (auto const& kv : *u)
                if (!kv.value().is_null())
                    usage_[kv.key()] = kv.value();
    }

    template <class Emit>
    void on_message_start(const boost::json::object& o, Emit& emit) {
        auto const* m = detail::object_member(o, "message", provider_);
        if (!m)
            detail::throw_malformed(provider_, "message_start has no \"message\"");
        std::string_view const id = detail::string_member(*m, "id", provider_);
        if (started_) {
            if (id == id_)
                return; // a repeat of the open message's start
            detail::throw_malformed(provider_, "message '" + std::string(id) +
                                                   "' started while message '" + id_ +
                                                   "' was still open");
        }
        started_ = true;
        id_ = id;
        merge_usage(*m);
        emit(event(
            response_metadata{id_, std::string(detail::string_member(*m, "model", provider_))}));
        // A message can start complete (a tool call made by code execution): its blocks come
        // whole, each as a block that starts and stops at once.
        if (auto const* content = detail::array_member(*m, "content", provider_)) {
            std::int64_t index = 0;
            for (auto const& b : *content) {
                if (!b.is_object())
                    detail::throw_malformed(provider_, "a content block is not an object");
                start_block(--index, b.get_object(), emit); // indices the events never use
                stop_block(blocks_.back(), emit);
            }
        }
        if (auto const* s = detail::member(*m, "stop_reason"); s && s->is_string())
            stop_reason_ = s->get_string();
    }

    template <class Emit>
    void on_block_start(const boost::json::object& o, Emit& emit) {
        std::int64_t const index = index_of(o);
        for (auto const& b : blocks_)
            if (b.index == index && b.open)
                detail::throw_malformed(provider_, "content block " + std::to_string(index) +
                                                       " started twice");
        auto const* cb = detail::object_member(o, "content_block", provider_);
        if (!cb)
            detail::throw_malformed(provider_, "content_block_start has no \"content_block\"");
        start_block(index, *cb, emit);
    }

    template <class Emit>
    void start_block(std::int64_t index, const boost::json::object& block_json, Emit& emit) {
        auto const* cb = &block_json;
        std::string_view const type = detail::string_member(*cb, "type", provider_);
        block b{index, kind::skipped, {}, {}, false, true};
        if (type == "text" && json_tool_) {
            // A preamble to the JSON answer, unless no tool is called (see on_message_stop).
            b.k = kind::preamble;
            b.id = "text-" + std::to_string(index);
            preamble_.push_back({b.id, std::string(detail::string_member(*cb, "text", provider_))});
        } else if (type == "text") {
            b.k = kind::text;
            b.id = "text-" + std::to_string(index);
            std::string_view const text = detail::string_member(*cb, "text", provider_);
            if (!text.empty())
                emit(event(text_delta{b.id, std::string(text)}));
        } else if (type == "thinking") {
            b.k = kind::reasoning;
            b.id = "reasoning-" + std::to_string(index);
            std::string_view const text = detail::string_member(*cb, "thinking", provider_);
            std::string_view const sig = detail::string_member(*cb, "signature", provider_);
            if (!text.empty() || !sig.empty())
                emit(event(reasoning_delta{b.id, std::string(text), std::string(sig), false}));
        } else if (type == "redacted_thinking") {
            b.k = kind::reasoning;
            b.id = "reasoning-" + std::to_string(index);
            emit(event(reasoning_delta{
                b.id, std::string(detail::string_member(*cb, "data", provider_)), {}, true}));
        } else if (type == "tool_use") {
            tool_called_ = true;
            std::string_view const name = detail::string_member(*cb, "name", provider_);
            if (auto const* input = detail::member(*cb, "input");
                input && !(input->is_object() && input->get_object().empty()))
                b.initial_input = boost::json::serialize(*input);
            if (json_tool_ && name == json_tool_name) {
                json_answer_ = true;
                b.k = kind::json_text;
                b.id = "text-" + std::to_string(index);
            } else {
                b.k = kind::tool;
                b.id = detail::string_member(*cb, "id", provider_);
                if (b.id.empty())
                    detail::throw_malformed(provider_, "a tool_use block has no \"id\"");
                emit(event(tool_call_start{b.id, std::string(name)}));
            }
        } else if (type == "web_search_tool_result") {
            for_each_web_result(*cb, provider_, [&](source_part s) { emit(event(std::move(s))); });
        } else {
            // As parse_messages_response does, so streamed and whole answers agree.
            emit(event(skipped_block(type, provider_)));
        }
        blocks_.push_back(std::move(b));
    }

    template <class Emit>
    void on_block_delta(const boost::json::object& o, Emit& emit) {
        block& b = find(index_of(o));
        auto const* d = detail::object_member(o, "delta", provider_);
        if (!d)
            detail::throw_malformed(provider_, "content_block_delta has no \"delta\"");
        std::string_view const type = detail::string_member(*d, "type", provider_);
        auto const expect = [&](kind k) {
            if (b.k != k)
                detail::throw_malformed(provider_, "a '" + std::string(type) +
                                                       "' delta for a block of another kind");
        };
        if (b.k == kind::skipped)
            return;
        if (type == "text_delta" && b.k == kind::preamble) {
            for (auto& p : preamble_)
                if (p.id == b.id)
                    p.text += detail::string_member(*d, "text", provider_);
        } else if (type == "text_delta") {
            expect(kind::text);
            emit(
                event(text_delta{b.id, std::string(detail::string_member(*d, "text", provider_))}));
        } else if (type == "thinking_delta") {
            expect(kind::reasoning);
            emit(event(reasoning_delta{
                b.id, std::string(detail::string_member(*d, "thinking", provider_)), {}, false}));
        } else if (type == "signature_delta") {
            expect(kind::reasoning);
            emit(event(reasoning_delta{
                b.id, {}, std::string(detail::string_member(*d, "signature", provider_)), false}));
        } else if (type == "input_json_delta") {
            if (b.k != kind::tool && b.k != kind::json_text)
                expect(kind::tool);
            std::string_view const part = detail::string_member(*d, "partial_json", provider_);
            if (part.empty())
                return;
            b.got_input = true;
            if (b.k == kind::json_text)
                emit(event(text_delta{b.id, std::string(part)}));
            else
                emit(event(tool_call_delta{b.id, std::string(part)}));
        }
        // citations_delta and newer delta types add nothing the unified events carry.
    }

    template <class Emit>
    void on_block_stop(const boost::json::object& o, Emit& emit) {
        stop_block(find(index_of(o)), emit);
    }

    template <class Emit>
    void stop_block(block& b, Emit& emit) {
        b.open = false;
        bool const whole_input = !b.got_input && !b.initial_input.empty();
        if (b.k == kind::tool) {
            if (whole_input)
                emit(event(tool_call_delta{b.id, b.initial_input}));
            emit(event(tool_call_end{b.id}));
        } else if (b.k == kind::json_text && whole_input) {
            emit(event(text_delta{b.id, b.initial_input}));
        }
    }

    void on_message_delta(const boost::json::object& o) {
        if (auto const* d = detail::object_member(o, "delta", provider_))
            if (auto const* s = detail::member(*d, "stop_reason"); s && s->is_string())
                stop_reason_ = s->get_string();
        merge_usage(o);
    }

    template <class Emit>
    void on_message_stop(Emit& emit) {
        for (auto const& b : blocks_)
            if (b.open)
                detail::throw_malformed(provider_, "message_stop came while content block " +
                                                       std::to_string(b.index) + " was open");
        done_ = true;
        if (!tool_called_)
            for (auto& p : preamble_)
                if (!p.text.empty())
                    emit(event(text_delta{std::move(p.id), std::move(p.text)}));
        preamble_.clear();
        emit(event(usage_event{messages_usage(usage_, provider_)}));
        emit(event(finish_event{messages_finish_reason(stop_reason_, json_answer_), stop_reason_}));
    }

    std::string provider_;
    bool json_tool_;
    std::string id_;
    std::vector<block> blocks_;
    boost::json::object usage_; // message_start's usage, updated by message_delta's
    std::string stop_reason_;
    bool started_ = false;
    bool json_answer_ = false;         // the JSON tool was called
    bool tool_called_ = false;         // any tool_use block: the held-back text was a preamble
    std::vector<text_delta> preamble_; // json_tool_: text blocks held back until message_stop
    std::vector<stream_event> chunk_events_; // on_data's buffer (see detail::chunk_events)
    bool done_ = false;
};

/// The stream decoder of a request whose answer comes through the JSON tool, for callers
/// that name the decoder by its type (tests, fuzzing).
struct json_tool_stream_decoder : messages_stream_decoder {
    explicit json_tool_stream_decoder(std::string_view provider = "anthropic")
        : messages_stream_decoder(provider, true) {}
};

} // namespace wire
} // namespace llmap::anthropic_api

#endif
