//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OLLAMA_CHAT_WIRE_HPP
#define LLMAP_PROVIDERS_OLLAMA_CHAT_WIRE_HPP

/** @file
    The wire format of Ollama's native chat API (`POST /api/chat`): the unified request as a
    JSON body, and a JSON answer or a stream of NDJSON lines as the unified response. Pure
    functions, no I/O.

    Ollama's API differs from the OpenAI family's in ways that matter here: it streams by
    default (so a non-streamed call must say `"stream": false`), sampling settings go in an
    `options` object (`num_predict` is the output limit), tool-call arguments are a JSON
    object rather than a JSON text, tool results name their tool (`tool_name`) rather than a
    call id, images are base64 strings in a message's `images` array, and older servers give
    tool calls no id at all.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/chunk_events.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::ollama_api::wire {

// ---- request --------------------------------------------------------------------------------

namespace detail {

using namespace llmap::detail;

inline void unsupported_part(std::string_view provider, std::string_view role,
                             std::vector<warning>& warnings) {
    warnings.push_back(warning::other(std::string(provider) + ": a part of this kind in a " +
                                      std::string(role) + " message is not supported; left out"));
}

/** The base64 payload of an image, or nothing (with a warning) for an image Ollama cannot
    take: Ollama reads no URLs, so only bytes and `data:` URLs are sent.
*/
inline std::optional<std::string> image_base64(const image_part& img, std::string_view provider,
                                               std::vector<warning>& warnings) {
    if (img.url.empty())
        return base64_encode(img.data);
    std::string_view const url = img.url;
    if (url.starts_with("data:")) {
        std::size_t const comma = url.find(',');
        if (comma != std::string_view::npos &&
            url.substr(0, comma).ends_with(";base64")) // data:image/png;base64,....
            return std::string(url.substr(comma + 1));
    }
    warnings.push_back(warning::other(std::string(provider) +
                                      ": an image given by URL cannot be sent (Ollama takes "
                                      "only image bytes); it was left out"));
    return std::nullopt;
}

// Ollama takes a call's arguments as a JSON object. An unparsable text kept from an earlier
// answer (see tool_call_part) cannot be sent back as it was: it goes as `{}`, with a warning.
inline boost::json::object call_arguments(const tool_call_part& c, std::string_view provider,
                                          std::vector<warning>& warnings) {
    if (c.arguments.is_object())
        return c.arguments.get_object();
    if (c.arguments.is_null())
        return {};
    if (c.arguments.is_string()) {
        boost::system::error_code ec;
        auto v = boost::json::parse(c.arguments.get_string(), ec);
        if (!ec && v.is_object())
            return std::move(v.get_object());
    }
    warnings.push_back(warning::other(std::string(provider) + ": the arguments of tool call '" +
                                      c.name + "' are not a JSON object; they were sent as {}"));
    return {};
}

} // namespace detail

/** The `messages` of a chat request.

    @param req the unified request (its `all_messages()`).
    @param provider the key of raw options in each message's `provider_options`, and the name
    in warnings.
    @param warnings receives one warning per part that cannot be sent.
*/
inline boost::json::array chat_messages(const request& req, std::string_view provider,
                                        std::vector<warning>& warnings) {
    boost::json::array out;
    // The tool name of each call id seen so far, for results that give only the id.
    std::map<std::string, std::string, std::less<>> call_names;
    for (message const& m : req.all_messages()) {
        std::size_t const first = out.size();
        switch (m.role) {
        case role::system:
        case role::user: {
            boost::json::object o{{"role", to_string(m.role)}, {"content", m.text()}};
            boost::json::array images;
            for (auto const& p : m.content) {
                if (std::holds_alternative<text_part>(p))
                    continue;
                if (auto const* img = std::get_if<image_part>(&p)) {
                    if (auto b64 = detail::image_base64(*img, provider, warnings))
                        images.push_back(boost::json::string(std::move(*b64)));
                } else if (!std::holds_alternative<source_part>(p)) {
                    detail::unsupported_part(provider, to_string(m.role), warnings);
                }
            }
            if (!images.empty())
                o["images"] = std::move(images);
            out.push_back(std::move(o));
            break;
        }
        case role::assistant: {
            std::string text, thinking;
            boost::json::array calls;
            for (auto const& p : m.content) {
                if (auto const* t = std::get_if<text_part>(&p)) {
                    text += t->text;
                } else if (auto const* r = std::get_if<reasoning_part>(&p)) {
                    if (!r->redacted) // Ollama's own thinking is never redacted
                        thinking += r->text;
                } else if (auto const* c = std::get_if<tool_call_part>(&p)) {
                    call_names[c->id] = c->name;
                    boost::json::object fn{
                        {"name", c->name},
                        {"arguments", detail::call_arguments(*c, provider, warnings)}};
                    calls.push_back(boost::json::object{{"function", std::move(fn)}});
                } else if (!std::holds_alternative<source_part>(p)) {
                    detail::unsupported_part(provider, "assistant", warnings);
                }
            }
            boost::json::object o{{"role", "assistant"}, {"content", text}};
            if (!thinking.empty())
                o["thinking"] = thinking;
            if (!calls.empty())
                o["tool_calls"] = std::move(calls);
            out.push_back(std::move(o));
            break;
        }
        case role::tool:
            for (auto const& p : m.content) {
                auto const* r = std::get_if<tool_result_part>(&p);
                if (!r) {
                    detail::unsupported_part(provider, "tool", warnings);
                    continue;
                }
                std::string name = r->name;
                if (name.empty())
                    if (auto it = call_names.find(r->tool_call_id); it != call_names.end())
                        name = it->second;
                boost::json::object o{{"role", "tool"},
                                      {"content", llmap::detail::tool_result_text(r->result)}};
                if (!name.empty())
                    o["tool_name"] = name;
                out.push_back(std::move(o));
            }
            break;
        }
        for (std::size_t i = first; i != out.size(); ++i)
            llmap::detail::merge_provider_options(out[i].get_object(), m.provider_options, provider,
                                                  warnings);
    }
    return out;
}

/** The `think` value of a reasoning effort: `false` for `none`, else Ollama's level. Ollama
    has no `minimal`: it is sent as `"low"`, with a warning. Models that take only a boolean
    treat a level as `true`; `provider_options` can send `"think": true` instead.
*/
inline boost::json::value think_value(reasoning_effort e, std::vector<warning>& warnings) {
    switch (e) {
    case reasoning_effort::none:
        return false;
    case reasoning_effort::minimal:
        warnings.push_back(warning::unsupported_setting(
            "reasoning", "Ollama has no \"minimal\" thinking level; \"low\" was sent"));
        return "low";
    case reasoning_effort::low:
    case reasoning_effort::medium:
    case reasoning_effort::high:
        return boost::json::string(to_string(e));
    }
    return true;
}

/** The JSON body of an `/api/chat` request.

    Sampling settings go in `options` (`max_output_tokens` as `num_predict`); the tool choice
    has no Ollama equivalent beyond `none` (the tools are then not sent), so `required` and a
    named tool are dropped with a warning; a JSON schema goes as `format` (Ollama constrains
    the output to it, so `strict` has no effect). Raw options in
    `request::provider_options["ollama"]` are merged last; their `options` object is merged
    into llmap's (e.g. `{"ollama": {"keep_alive": "10m", "options": {"num_ctx": 8192}}}`).

    @param req the unified request.
    @param model the model name, passed untouched (tags such as `llama3:8b` included).
    @param stream whether to ask for an NDJSON stream; `false` is sent explicitly, since
    Ollama streams by default.
    @param warnings receives one warning per request setting Ollama does not accept.
    @param provider the key of the raw options and the name in warnings.
*/
inline boost::json::object chat_request_body(const request& req, std::string_view model,
                                             bool stream, std::vector<warning>& warnings,
                                             std::string_view provider = "ollama") {
    boost::json::object body;
    body["model"] = model;
    body["messages"] = chat_messages(req, provider, warnings);
    bool send_tools = !req.tools.empty();
    if (req.tool_choice) {
        switch (req.tool_choice->mode) {
        case tool_choice::kind::auto_:
            break;
        case tool_choice::kind::none:
            send_tools = false; // the model cannot call a tool it is not shown
            break;
        case tool_choice::kind::required:
        case tool_choice::kind::tool:
            warnings.push_back(warning::unsupported_setting(
                "tool_choice", "Ollama cannot force a tool call; the model decides"));
            break;
        }
    }
    if (send_tools) {
        boost::json::array tools;
        for (auto const& t : req.tools) {
            boost::json::object fn{{"name", t.name}};
            if (!t.description.empty())
                fn["description"] = t.description;
            fn["parameters"] =
                t.parameters.empty()
                    ? boost::json::object{{"type", "object"}, {"properties", boost::json::object{}}}
                    : t.parameters;
            boost::json::object tool{{"type", "function"}, {"function", std::move(fn)}};
            llmap::detail::merge_provider_options(tool, t.provider_options, provider, warnings);
            tools.push_back(std::move(tool));
        }
        body["tools"] = std::move(tools);
    }
    switch (req.format.type) {
    case response_format::kind::text:
        break;
    case response_format::kind::json:
        body["format"] = "json";
        break;
    case response_format::kind::json_schema:
        body["format"] = req.format.schema;
        break;
    }
    boost::json::object options;
    if (req.temperature)
        options["temperature"] = *req.temperature;
    if (req.top_p)
        options["top_p"] = *req.top_p;
    if (req.top_k)
        options["top_k"] = *req.top_k;
    if (req.max_output_tokens)
        options["num_predict"] = *req.max_output_tokens;
    if (!req.stop_sequences.empty())
        options["stop"] = llmap::detail::string_array(req.stop_sequences);
    if (req.seed)
        options["seed"] = *req.seed;
    if (req.reasoning)
        body["think"] = think_value(*req.reasoning, warnings);
    body["stream"] = stream;

    // The caller's raw options win; their `options` object extends llmap's.
    if (auto const* raw = req.provider_options.if_contains(provider);
        raw && raw->is_object() && raw->get_object().contains("options")) {
        boost::json::object rest = raw->get_object();
        boost::json::value extra = std::move(rest["options"]);
        rest.erase("options");
        if (extra.is_object())
            for (auto const& kv : extra.get_object())
                options[kv.key()] = kv.value();
        else
            warnings.push_back(warning::other("provider_options[\"" + std::string(provider) +
                                              "\"].options is not an object; it was ignored"));
        if (!options.empty())
            body["options"] = std::move(options);
        for (auto const& kv : rest)
            body[kv.key()] = kv.value();
    } else {
        if (!options.empty())
            body["options"] = std::move(options);
        llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    }
    return body;
}

// ---- response -------------------------------------------------------------------------------

/** The unified finish reason of an Ollama `done_reason`.

    `stop` is also what Ollama reports after tool calls: the caller turns it into
    `tool_calls` when the answer holds some (see `parse_chat_response`). `load` and `unload`
    (a request that only loaded or unloaded the model) have no unified equivalent.
*/
inline finish_reason chat_finish_reason(std::string_view raw, bool tool_calls) noexcept {
    if (raw == "stop")
        return tool_calls ? finish_reason::tool_calls : finish_reason::stop;
    if (raw == "length")
        return finish_reason::length;
    if (raw.empty())
        return tool_calls ? finish_reason::tool_calls : finish_reason::unknown;
    return finish_reason::other;
}

/// The unified usage of an answer or a final stream line: `prompt_eval_count` (absent when
/// the whole prompt came from Ollama's cache) and `eval_count`.
inline usage chat_usage(const boost::json::object& o, std::string_view provider) {
    usage out;
    out.input_tokens = llmap::detail::count_member(o, "prompt_eval_count", provider);
    out.output_tokens = llmap::detail::count_member(o, "eval_count", provider);
    out.total_tokens = llmap::detail::add_counts(out.input_tokens, out.output_tokens);
    return out;
}

/** The id of a tool call: the one Ollama gave (recent servers), else one made from the
    call's position, its name and arguments and the answer's `created_at` — stable (the
    same answer always gives the same ids) and, since `created_at` differs between answers,
    unique within a conversation.
*/
inline std::string tool_call_id(std::string_view given, std::size_t position,
                                std::string_view created_at, std::string_view name,
                                std::string_view arguments) {
    if (!given.empty())
        return std::string(given);
    std::uint64_t h = 0xcbf29ce484222325ull; // FNV-1a
    auto const mix = [&](std::string_view s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 0x100000001b3ull;
        }
        h ^= 0xff; // a separator, so that ("ab","c") and ("a","bc") differ
        h *= 0x100000001b3ull;
    };
    mix(created_at);
    mix(name);
    mix(arguments);
    static constexpr char hex[] = "0123456789abcdef";
    std::string id = "call_" + std::to_string(position) + "_";
    for (int shift = 60; shift >= 0; shift -= 4)
        id += hex[(h >> shift) & 0xf];
    return id;
}

/// One tool call of a message, as Ollama gives it.
struct wire_tool_call {
    std::string id;
    std::string name;
    boost::json::value arguments; ///< an object (or, from a broken server, a JSON text)
};

namespace detail {

/// The message's `tool_calls`, each with its id (given or made; see `tool_call_id`).
/// `position` counts the calls of the answer so far, and is advanced.
inline std::vector<wire_tool_call> read_tool_calls(const boost::json::object& message,
                                                   std::string_view created_at,
                                                   std::size_t& position,
                                                   std::string_view provider) {
    std::vector<wire_tool_call> out;
    auto const* calls = array_member(message, "tool_calls", provider);
    if (!calls)
        return out;
    for (auto const& c : *calls) {
        if (!c.is_object())
            throw_malformed(provider, "a tool call is not an object");
        auto const& call = c.get_object();
        auto const* fn = object_member(call, "function", provider);
        if (!fn)
            throw_malformed(provider, "a tool call has no \"function\"");
        wire_tool_call w;
        w.name = string_member(*fn, "name", provider);
        if (w.name.empty())
            throw_malformed(provider, "a tool call has no function name");
        if (auto const* a = member(*fn, "arguments")) {
            if (!a->is_object() && !a->is_string())
                throw_malformed(provider, "tool call arguments are neither an object nor a text");
            w.arguments = *a;
        } else {
            w.arguments = boost::json::object();
        }
        std::string const text = w.arguments.is_string() ? std::string(w.arguments.get_string())
                                                         : boost::json::serialize(w.arguments);
        w.id =
            tool_call_id(string_member(call, "id", provider), position++, created_at, w.name, text);
        out.push_back(std::move(w));
    }
    return out;
}

/// Throws the error an Ollama body reports (`{"error": "..."}`), if it reports one.
inline void check_error(const boost::json::object& o, std::string_view provider) {
    auto const* e = member(o, "error");
    if (!e)
        return;
    std::string message =
        e->is_string() ? std::string(e->get_string()) : boost::json::serialize(*e);
    throw error(errc::http_error,
                "llmap: " + std::string(provider) + " reported an error: " + message);
}

} // namespace detail

/** The unified response of an `/api/chat` answer (`"stream": false`).

    The content is the reasoning (`message.thinking`), then the text, then the tool calls;
    `model` is the model that answered. Ollama gives no response id; its `created_at` stays in
    `raw`.

    @throws llmap::error `malformed_response` if the body is not a chat answer, `http_error`
    if it is an error (`{"error": "..."}`).
*/
inline response parse_chat_response(boost::json::value body, std::string_view provider = "ollama") {
    if (!body.is_object())
        llmap::detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    detail::check_error(o, provider);
    auto const* m = llmap::detail::object_member(o, "message", provider);
    if (!m)
        llmap::detail::throw_malformed(provider, "no \"message\"");
    response r;
    r.model = llmap::detail::string_member(o, "model", provider);
    std::string_view const thinking = llmap::detail::string_member(*m, "thinking", provider);
    if (!thinking.empty())
        r.content.emplace_back(reasoning_part{std::string(thinking)});
    std::string_view const text = llmap::detail::string_member(*m, "content", provider);
    if (!text.empty())
        r.content.emplace_back(text_part{std::string(text)});
    std::size_t position = 0;
    auto calls = detail::read_tool_calls(
        *m, llmap::detail::string_member(o, "created_at", provider), position, provider);
    for (auto& c : calls) {
        tool_call_part part{std::move(c.id), std::move(c.name), std::move(c.arguments)};
        if (part.arguments.is_string()) // a JSON text: read by the one rule, as a stream's
            part.arguments = llmap::detail::tool_arguments_from_text(
                part.arguments.get_string(), part.name, part.id, r.warnings);
        r.content.emplace_back(std::move(part));
    }
    r.raw_finish_reason = llmap::detail::string_member(o, "done_reason", provider);
    r.finish = chat_finish_reason(r.raw_finish_reason, !calls.empty());
    r.usage = chat_usage(o, provider);
    r.raw = std::move(body);
    return r;
}

/** Turns the lines of a streamed `/api/chat` answer (NDJSON) into stream events.

    Give it each line in order; it calls `emit(stream_event&&)` for each event it derives.
    Ollama sends each tool call whole, in one line: it becomes a start, one argument delta
    and an end, under its own id. The line with `"done": true` is the last: it carries the
    usage and the finish reason. A stream that ends before it is cut (`finish` throws).
*/
class chat_stream_decoder {
public:
    explicit chat_stream_decoder(std::string_view provider = "ollama") : provider_(provider) {}

    /// True once the final line (`"done": true`) was seen.
    bool done() const noexcept { return done_; }

    /** Decode one line.
        @throws llmap::error `malformed_response` for a line that is not a chat chunk,
        `http_error` for an error line (`{"error": "..."}`, which Ollama sends when
        generation fails mid-stream).
    */
    template <class Emit>
    void on_data(std::string_view line, Emit&& emit) {
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(line, ec);
        if (ec || !v.is_object())
            llmap::detail::throw_malformed(provider_, "a stream line is not a JSON object");
        auto const& o = v.get_object();
        detail::check_error(o, provider_);
        llmap::detail::chunk_events out(chunk_events_, emit);
        if (!metadata_sent_) {
            std::string_view const model = llmap::detail::string_member(o, "model", provider_);
            if (!model.empty()) {
                metadata_sent_ = true;
                out(event(response_metadata{{}, std::string(model)}));
            }
        }
        if (auto const* m = llmap::detail::object_member(o, "message", provider_)) {
            std::string_view const thinking =
                llmap::detail::string_member(*m, "thinking", provider_);
            if (!thinking.empty())
                out(event(reasoning_delta{"reasoning-0", std::string(thinking), {}, false}));
            std::string_view const text = llmap::detail::string_member(*m, "content", provider_);
            if (!text.empty())
                out(event(text_delta{"text-0", std::string(text)}));
            auto calls = detail::read_tool_calls(
                *m, llmap::detail::string_member(o, "created_at", provider_), calls_, provider_);
            for (auto& c : calls) {
                out(event(tool_call_start{c.id, c.name}));
                out(event(tool_call_delta{c.id, c.arguments.is_string()
                                                    ? std::string(c.arguments.get_string())
                                                    : boost::json::serialize(c.arguments)}));
                out(event(tool_call_end{c.id}));
            }
        }
        auto const* d = llmap::detail::member(o, "done");
        if (d && !d->is_bool())
            llmap::detail::throw_malformed(provider_, "\"done\" is not a boolean");
        if (d && d->get_bool()) {
            done_ = true;
            out(event(usage_event{chat_usage(o, provider_)}));
            std::string raw(llmap::detail::string_member(o, "done_reason", provider_));
            finish_reason const reason = chat_finish_reason(raw, calls_ != 0);
            out(event(finish_event{reason, std::move(raw)}));
        }
        out.flush(std::move(v));
    }

    /** The body ended before the final line.
        @throws llmap::error `malformed_response`: the stream was cut.
    */
    template <class Emit>
    void finish(Emit&&) {
        llmap::detail::throw_malformed(provider_,
                                       "the stream ended before its final (\"done\": true) line");
    }

private:
    static stream_event event(auto&& data) {
        stream_event e;
        e.data = std::forward<decltype(data)>(data);
        return e;
    }

    std::string provider_;
    std::vector<stream_event> chunk_events_; // on_data's buffer (see llmap::detail::chunk_events)
    std::size_t calls_ = 0;
    bool metadata_sent_ = false;
    bool done_ = false;
};

} // namespace llmap::ollama_api::wire

#endif
