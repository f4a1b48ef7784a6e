//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OPENAI_CHAT_WIRE_HPP
#define LLMAP_PROVIDERS_OPENAI_CHAT_WIRE_HPP

/** @file
    The wire format of OpenAI's Chat Completions API, which the OpenAI-compatible family
    (DeepSeek, Groq, xAI, OpenRouter, Together, Fireworks, Perplexity, Cerebras, DeepInfra,
    llama.cpp, vLLM, LM Studio, Mistral, Azure) shares: the unified request as a JSON body,
    and a JSON answer or a stream of chunks as the unified response. Pure functions, no I/O.

    What differs between vendors is a `chat_dialect`, not a copy of this code.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/chunk_events.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::openai_api {

/** How one vendor's Chat Completions API departs from OpenAI's.

    The defaults are OpenAI's own. Every flag says what the vendor accepts; a request option
    the vendor does not accept is left out of the body and reported as a warning.
*/
struct chat_dialect {
    /// The provider's registry name: the key of its raw options in `request::provider_options`,
    /// and the name in error messages.
    std::string_view name = "openai";
    /// The body field of `request::max_output_tokens`.
    std::string_view max_tokens_field = "max_tokens";
    /// OpenAI's reasoning models (o1, o3, o4, gpt-5...) take `max_completion_tokens` and reject
    /// `temperature` and `top_p`: with this flag, such a model gets the former and neither of
    /// the latter (reported as warnings).
    bool openai_reasoning_models = false;
    bool stream_usage = true; ///< accepts `stream_options.include_usage`
    bool top_k = false;       ///< accepts `top_k`
    /// The body field of `request::seed` (Mistral's is `random_seed`); empty if there is none.
    std::string_view seed_field = "seed";
    bool reasoning_effort = true; ///< accepts `reasoning_effort`
    /// Its models may reason: reasoning content in answers (`reasoning_content`, `reasoning`),
    /// with or without an effort knob. It is what `capabilities()` declares.
    bool reasoning = true;
    bool json_schema = true; ///< accepts `response_format` of type `json_schema`
    /// The `/embeddings` body field of `embedding_request::dimensions` (Mistral's is
    /// `output_dimension`).
    std::string_view dimensions_field = "dimensions";
};

namespace wire {

// ---- request --------------------------------------------------------------------------------

inline std::string data_url(const std::string& media_type, const std::vector<std::uint8_t>& data) {
    return "data:" + media_type + ";base64," + detail::base64_encode(data);
}

inline std::string text_of(const message& m) {
    return m.text();
}

inline boost::json::value user_content(const message& m, const chat_dialect& d,
                                       std::vector<warning>& warnings) {
    bool only_text = true;
    for (auto const& p : m.content)
        only_text = only_text && std::holds_alternative<text_part>(p);
    if (only_text)
        return boost::json::string(m.text());
    boost::json::array parts;
    for (auto const& p : m.content) {
        if (auto const* t = std::get_if<text_part>(&p)) {
            parts.push_back({{"type", "text"}, {"text", t->text}});
        } else if (auto const* img = std::get_if<image_part>(&p)) {
            std::string const url =
                img->url.empty()
                    ? data_url(img->media_type.empty() ? "image/png" : img->media_type, img->data)
                    : img->url;
            parts.push_back({{"type", "image_url"}, {"image_url", {{"url", url}}}});
        } else if (auto const* f = std::get_if<file_part>(&p)) {
            if (!f->url.empty()) {
                warnings.push_back(warning::other(std::string(d.name) +
                                                  ": a file given by URL cannot be sent; it was "
                                                  "left out (give its bytes)"));
                continue;
            }
            boost::json::object file{{"file_data", data_url(f->media_type, f->data)}};
            if (!f->filename.empty())
                file["filename"] = f->filename;
            parts.push_back({{"type", "file"}, {"file", std::move(file)}});
        } else {
            warnings.push_back(warning::other(std::string(d.name) +
                                              ": a user message part of this kind is not "
                                              "supported and was left out"));
        }
    }
    return parts;
}

inline void append_messages(boost::json::array& out, const request& req, const chat_dialect& d,
                            std::vector<warning>& warnings) {
    for (message const& m : req.all_messages()) {
        switch (m.role) {
        case role::system:
            out.push_back({{"role", "system"}, {"content", text_of(m)}});
            break;
        case role::user:
            out.push_back({{"role", "user"}, {"content", user_content(m, d, warnings)}});
            break;
        case role::assistant: {
            boost::json::object a{{"role", "assistant"}};
            std::string text;
            boost::json::array calls;
            for (auto const& p : m.content) {
                if (auto const* t = std::get_if<text_part>(&p))
                    text += t->text;
                else if (auto const* c = std::get_if<tool_call_part>(&p))
                    calls.push_back({{"id", c->id},
                                     {"type", "function"},
                                     {"function",
                                      {{"name", c->name},
                                       {"arguments", boost::json::serialize(c->arguments)}}}});
                // Reasoning is not sent back: the Chat Completions API takes none (DeepSeek
                // rejects its own reasoning_content in the input).
            }
            if (!text.empty() || calls.empty())
                a["content"] = text;
            else
                a["content"] = nullptr;
            if (!calls.empty())
                a["tool_calls"] = std::move(calls);
            out.push_back(std::move(a));
            break;
        }
        case role::tool:
            for (auto const& p : m.content)
                if (auto const* r = std::get_if<tool_result_part>(&p))
                    out.push_back({{"role", "tool"},
                                   {"tool_call_id", r->tool_call_id},
                                   {"content", llmap::detail::tool_result_text(r->result)}});
            break;
        }
    }
}

/// True for OpenAI's reasoning models, which take other sampling parameters.
inline bool is_openai_reasoning_model(std::string_view model) noexcept {
    return model.starts_with("o1") || model.starts_with("o3") || model.starts_with("o4") ||
           model.starts_with("gpt-5");
}

inline boost::json::value tool_choice_json(const tool_choice& c) {
    switch (c.mode) {
    case tool_choice::kind::auto_:
        return "auto";
    case tool_choice::kind::none:
        return "none";
    case tool_choice::kind::required:
        return "required";
    case tool_choice::kind::tool:
        return {{"type", "function"}, {"function", {{"name", c.tool_name}}}};
    }
    return "auto";
}

/** The JSON body of a Chat Completions request.

    @param req the unified request.
    @param model the model name sent to the provider.
    @param d the vendor's dialect.
    @param stream whether to ask for a stream (with usage in its last chunk where supported).
    @param warnings receives one warning per request option the vendor does not accept.
*/
inline boost::json::object chat_request_body(const request& req, std::string_view model,
                                             const chat_dialect& d, bool stream,
                                             std::vector<warning>& warnings) {
    boost::json::object body;
    body["model"] = model;
    boost::json::array messages;
    append_messages(messages, req, d, warnings);
    body["messages"] = std::move(messages);
    bool const reasoning_model = d.openai_reasoning_models && is_openai_reasoning_model(model);
    if (req.max_output_tokens)
        body[reasoning_model ? "max_completion_tokens" : d.max_tokens_field] =
            *req.max_output_tokens;
    llmap::detail::put_sampling(body, req, reasoning_model, warnings);
    if (req.top_k) {
        if (d.top_k)
            body["top_k"] = *req.top_k;
        else
            warnings.push_back(warning::unsupported_setting("top_k"));
    }
    if (!req.stop_sequences.empty())
        body["stop"] = llmap::detail::string_array(req.stop_sequences);
    if (req.seed) {
        if (!d.seed_field.empty())
            body[d.seed_field] = *req.seed;
        else
            warnings.push_back(warning::unsupported_setting("seed"));
    }
    if (!req.tools.empty()) {
        boost::json::array tools;
        for (auto const& t : req.tools) {
            boost::json::object fn{{"name", t.name}};
            if (!t.description.empty())
                fn["description"] = t.description;
            fn["parameters"] =
                t.parameters.empty() ? boost::json::object{{"type", "object"}} : t.parameters;
            tools.push_back({{"type", "function"}, {"function", std::move(fn)}});
        }
        body["tools"] = std::move(tools);
    }
    if (req.tool_choice)
        body["tool_choice"] = tool_choice_json(*req.tool_choice);
    switch (req.format.type) {
    case response_format::kind::text:
        break;
    case response_format::kind::json:
        body["response_format"] = {{"type", "json_object"}};
        break;
    case response_format::kind::json_schema:
        if (d.json_schema) {
            // Strict mode has rules of its own (every property required, ...): a schema is
            // adapted to them, or sent non-strict with a warning where it cannot be.
            adapted_schema a =
                req.format.strict
                    ? llmap::detail::adapt_schema(req.format.schema, true, openai_strict_schema,
                                                  "format", warnings)
                    : adapted_schema{req.format.schema, false, {}};
            boost::json::object schema{
                {"name", req.format.name.empty() ? "response" : req.format.name},
                {"schema", std::move(a.schema)},
                {"strict", a.strict}};
            body["response_format"] = {{"type", "json_schema"}, {"json_schema", std::move(schema)}};
        } else {
            body["response_format"] = {{"type", "json_object"}};
            warnings.push_back(warning::unsupported_setting(
                "format", "JSON schemas are not supported; JSON output was requested instead"));
        }
        break;
    }
    if (req.reasoning) {
        if (d.reasoning_effort)
            body["reasoning_effort"] = to_string(*req.reasoning);
        else
            warnings.push_back(warning::unsupported_setting("reasoning"));
    }
    if (stream) {
        body["stream"] = true;
        if (d.stream_usage)
            body["stream_options"] = {{"include_usage", true}};
    }
    // The caller's raw options for this provider win over everything above.
    llmap::detail::merge_provider_options(body, req.provider_options, d.name, warnings);
    return body;
}

// ---- response -------------------------------------------------------------------------------

/// The unified finish reason of a Chat Completions `finish_reason`.
inline finish_reason chat_finish_reason(std::string_view raw) noexcept {
    if (raw == "stop")
        return finish_reason::stop;
    if (raw == "length")
        return finish_reason::length;
    if (raw == "content_filter")
        return finish_reason::content_filter;
    if (raw == "tool_calls" || raw == "function_call")
        return finish_reason::tool_calls;
    if (raw.empty())
        return finish_reason::unknown;
    return finish_reason::other;
}

/// The unified usage of a Chat Completions `usage` object.
inline usage chat_usage(const boost::json::object& u, std::string_view provider) {
    usage out;
    out.input_tokens = detail::count_member(u, "prompt_tokens", provider);
    out.output_tokens = detail::count_member(u, "completion_tokens", provider);
    out.total_tokens = detail::count_member(u, "total_tokens", provider);
    if (auto const* p = detail::object_member(u, "prompt_tokens_details", provider))
        out.cache_read_tokens = detail::count_member(*p, "cached_tokens", provider);
    if (!out.cache_read_tokens) // DeepSeek
        out.cache_read_tokens = detail::count_member(u, "prompt_cache_hit_tokens", provider);
    if (auto const* c = detail::object_member(u, "completion_tokens_details", provider))
        out.reasoning_tokens = detail::count_member(*c, "reasoning_tokens", provider);
    // xAI's completion_tokens leaves the reasoning tokens out, as its total_tokens shows
    // (prompt + completion + reasoning); llmap's output_tokens counts them, as other providers'
    // completion_tokens do, so that output_tokens is what is billed as output.
    if (out.input_tokens && out.output_tokens && out.total_tokens && out.reasoning_tokens &&
        *out.reasoning_tokens > 0 &&
        *out.total_tokens ==
            detail::add_counts(detail::add_counts(*out.input_tokens, *out.output_tokens),
                               *out.reasoning_tokens))
        out.output_tokens = detail::add_counts(*out.output_tokens, *out.reasoning_tokens);
    return out;
}

/** The text and the reasoning of a message or a delta.

    `content` is a string for most vendors, and an array of parts for Mistral's reasoning
    models (`{"type":"text","text":..}` and `{"type":"thinking","thinking":[text parts]}`).
    Reasoning also comes as `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter,
    Groq).
*/
struct text_and_reasoning {
    std::string text;
    std::string reasoning;
};

inline void append_text_parts(const boost::json::array& parts, std::string& out,
                              std::string_view provider) {
    for (auto const& p : parts) {
        if (!p.is_object())
            detail::throw_malformed(provider, "a content part is not an object");
        auto const& part = p.get_object();
        if (detail::string_member(part, "type", provider) == "text")
            out += detail::string_member(part, "text", provider);
    }
}

inline text_and_reasoning read_content(const boost::json::object& o, std::string_view provider) {
    text_and_reasoning out;
    if (auto const* c = detail::member(o, "content")) {
        if (c->is_string()) {
            out.text = c->get_string();
        } else if (c->is_array()) {
            for (auto const& p : c->get_array()) {
                if (!p.is_object())
                    detail::throw_malformed(provider, "a content part is not an object");
                auto const& part = p.get_object();
                std::string_view const type = detail::string_member(part, "type", provider);
                if (type == "text")
                    out.text += detail::string_member(part, "text", provider);
                else if (type == "thinking")
                    if (auto const* t = detail::array_member(part, "thinking", provider))
                        append_text_parts(*t, out.reasoning, provider);
            }
        } else {
            detail::throw_malformed(provider, "\"content\" is neither a string nor an array");
        }
    }
    out.text += detail::string_member(o, "refusal", provider); // what it said instead
    std::string_view r = detail::string_member(o, "reasoning_content", provider);
    out.reasoning += r.empty() ? detail::string_member(o, "reasoning", provider) : r;
    return out;
}

/** The unified response of a Chat Completions answer (the first choice).
    @throws llmap::error `malformed_response` if the body is not a Chat Completions answer.
*/
/** The sources an answer cites (Perplexity): the top-level `citations` — URLs, in the order
    the text's `[1]`, `[2]`... markers refer to, so a source's id is its number — each titled
    from the `search_results` entry with the same URL; `search_results` alone when there are
    no citations. Empty for the vendors that send neither.
*/
inline std::vector<source_part> read_sources(const boost::json::object& o,
                                             std::string_view provider) {
    std::vector<source_part> out;
    auto const* results = detail::array_member(o, "search_results", provider);
    auto const result = [&](std::size_t i) -> const boost::json::object& {
        if (!(*results)[i].is_object())
            detail::throw_malformed(provider, "a search result is not an object");
        return (*results)[i].get_object();
    };
    if (auto const* citations = detail::array_member(o, "citations", provider)) {
        for (auto const& c : *citations) {
            if (!c.is_string())
                detail::throw_malformed(provider, "a citation is not a string");
            source_part s{std::to_string(out.size() + 1), std::string(c.get_string()), {}};
            for (std::size_t i = 0; results && i < results->size(); ++i)
                if (detail::string_member(result(i), "url", provider) == s.url) {
                    s.title = detail::string_member(result(i), "title", provider);
                    break;
                }
            out.push_back(std::move(s));
        }
        return out;
    }
    for (std::size_t i = 0; results && i < results->size(); ++i)
        out.push_back({std::to_string(i + 1),
                       std::string(detail::string_member(result(i), "url", provider)),
                       std::string(detail::string_member(result(i), "title", provider))});
    return out;
}

inline response parse_chat_response(boost::json::value body, std::string_view provider = "openai") {
    if (!body.is_object())
        detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    response r;
    r.id = detail::string_member(o, "id", provider);
    r.model = detail::string_member(o, "model", provider);
    auto const* choices = detail::array_member(o, "choices", provider);
    if (!choices || choices->empty())
        detail::throw_malformed(provider, "no \"choices\"");
    if (!(*choices)[0].is_object())
        detail::throw_malformed(provider, "a choice is not an object");
    auto const& choice = (*choices)[0].get_object();
    r.raw_finish_reason = detail::string_member(choice, "finish_reason", provider);
    r.finish = chat_finish_reason(r.raw_finish_reason);
    if (auto const* m = detail::object_member(choice, "message", provider)) {
        auto content = read_content(*m, provider);
        if (!content.reasoning.empty())
            r.content.emplace_back(reasoning_part{std::move(content.reasoning)});
        if (!content.text.empty())
            r.content.emplace_back(text_part{std::move(content.text)});
        if (auto const* calls = detail::array_member(*m, "tool_calls", provider)) {
            for (auto const& c : *calls) {
                if (!c.is_object())
                    detail::throw_malformed(provider, "a tool call is not an object");
                auto const& call = c.get_object();
                auto const* fn = detail::object_member(call, "function", provider);
                if (!fn)
                    detail::throw_malformed(provider, "a tool call has no \"function\"");
                tool_call_part part;
                part.id = detail::string_member(call, "id", provider);
                part.name = detail::string_member(*fn, "name", provider);
                part.arguments = llmap::detail::tool_arguments_from_text(
                    detail::string_member(*fn, "arguments", provider), part.name, part.id,
                    r.warnings);
                r.content.emplace_back(std::move(part));
            }
        }
    }
    for (source_part& s : read_sources(o, provider))
        r.content.emplace_back(std::move(s));
    if (auto const* u = detail::object_member(o, "usage", provider))
        r.usage = chat_usage(*u, provider);
    r.raw = std::move(body);
    return r;
}

/** Turns the chunks of a streamed Chat Completions answer into stream events.

    Give it the `data` of each server-sent event in order (`"[DONE]"` included); it calls
    `emit(stream_event&&)` for each event it derives. Tool calls are keyed by their `index` in
    the chunks and reported with their own id, so parallel calls never merge; a call ends when
    the choice finishes or the stream does. The stream ends at `[DONE]`, or at the end of the
    body after a `finish_reason` (vendors that leave `[DONE]` out); a body that ends before
    either was cut (`finish` throws `malformed_response`).
*/
class chat_stream_decoder {
public:
    explicit chat_stream_decoder(std::string_view provider = "openai") : provider_(provider) {}

    /// True once `[DONE]` was seen.
    bool done() const noexcept { return done_; }

    template <class Emit>
    void on_data(std::string_view data, Emit&& emit) {
        if (data == "[DONE]") {
            end(emit);
            done_ = true;
            return;
        }
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(data, ec);
        if (ec || !v.is_object())
            detail::throw_malformed(provider_, "a stream chunk is not a JSON object");
        auto const& o = v.get_object();
        if (auto const* err = detail::object_member(o, "error", provider_))
            detail::throw_malformed(
                provider_, "the stream reported an error: " +
                               std::string(detail::string_member(*err, "message", provider_)));
        detail::chunk_events out(chunk_events_, emit);
        if (!metadata_sent_) {
            std::string_view const id = detail::string_member(o, "id", provider_);
            std::string_view const model = detail::string_member(o, "model", provider_);
            if (!id.empty() || !model.empty()) {
                metadata_sent_ = true;
                out(event(response_metadata{std::string(id), std::string(model)}));
            }
        }
        if (auto const* choices = detail::array_member(o, "choices", provider_)) {
            for (auto const& c : *choices) {
                if (!c.is_object())
                    detail::throw_malformed(provider_, "a choice is not an object");
                auto const& choice = c.get_object();
                if (auto const* index = detail::member(choice, "index");
                    index && index->is_int64() && index->get_int64() != 0)
                    continue; // only the first choice is reported
                on_choice(choice, out);
            }
        }
        // Perplexity repeats its citations in every chunk: keep the first list, report it at
        // the end (after the text, where a non-streamed answer has it).
        if (sources_.empty())
            sources_ = read_sources(o, provider_);
        // Vendors repeat the running totals in several chunks (Groq, Perplexity, llama.cpp):
        // keep the last and report it once, at the end.
        if (auto const* u = detail::object_member(o, "usage", provider_))
            usage_ = chat_usage(*u, provider_);
        out.flush(std::move(v));
    }

    /** The body ended without `[DONE]`: closes the tool calls still open and reports what
        the stream held back (sources, usage, finish reason).

        Some OpenAI-compatible vendors end a complete stream without `[DONE]`, after the chunk
        with the `finish_reason`; a stream that has neither was cut, and its text would pass
        for a whole answer.

        @throws llmap::error `malformed_response` if no `finish_reason` was seen.
    */
    template <class Emit>
    void finish(Emit&& emit) {
        if (!pending_finish_)
            detail::throw_malformed(provider_,
                                    "the stream ended before [DONE] and before a finish_reason");
        end(emit);
    }

private:
    struct open_call {
        std::int64_t index;
        std::string id;
        bool open;
    };

    // The end of the stream, by `[DONE]` or by `finish`.
    template <class Emit>
    void end(Emit& emit) {
        close_calls(emit);
        for (source_part& s : std::exchange(sources_, {}))
            emit(event(std::move(s)));
        if (usage_) {
            emit(event(usage_event{*usage_}));
            usage_.reset();
        }
        if (pending_finish_) {
            emit(event(finish_event{chat_finish_reason(*pending_finish_), *pending_finish_}));
            pending_finish_.reset();
        }
    }

    static stream_event event(auto&& data) {
        stream_event e;
        e.data = std::forward<decltype(data)>(data);
        return e;
    }

    template <class Emit>
    void on_choice(const boost::json::object& choice, Emit& emit) {
        if (auto const* delta = detail::object_member(choice, "delta", provider_)) {
            auto content = read_content(*delta, provider_);
            if (!content.reasoning.empty())
                emit(
                    event(reasoning_delta{"reasoning-0", std::move(content.reasoning), {}, false}));
            if (!content.text.empty())
                emit(event(text_delta{"text-0", std::move(content.text)}));
            if (auto const* calls = detail::array_member(*delta, "tool_calls", provider_))
                for (auto const& c : *calls)
                    on_tool_call(c, emit);
        }
        std::string_view const finish = detail::string_member(choice, "finish_reason", provider_);
        if (!finish.empty()) {
            close_calls(emit);
            // Reported at the end: the usage chunk, if any, comes after the finishing one.
            pending_finish_ = std::string(finish);
        }
    }

    template <class Emit>
    void on_tool_call(const boost::json::value& c, Emit& emit) {
        if (!c.is_object())
            detail::throw_malformed(provider_, "a tool call delta is not an object");
        auto const& call = c.get_object();
        std::int64_t index = static_cast<std::int64_t>(calls_.size());
        if (auto const* i = detail::member(call, "index"); i && i->is_int64())
            index = i->get_int64();
        else if (auto const* id = detail::member(call, "id"); !id && !calls_.empty())
            index = calls_.back().index; // no index and no id: continues the last call
        auto const* fn = detail::object_member(call, "function", provider_);
        open_call* found = nullptr;
        for (auto& oc : calls_)
            if (oc.index == index && oc.open)
                found = &oc;
        if (!found) {
            std::string id(detail::string_member(call, "id", provider_));
            if (id.empty()) // some servers omit it: one is made so the call can be answered
                id = "call_" + std::to_string(calls_.size());
            calls_.push_back({index, id, true});
            found = &calls_.back();
            emit(event(
                tool_call_start{id, std::string(fn ? detail::string_member(*fn, "name", provider_)
                                                   : std::string_view())}));
        }
        if (fn) {
            std::string_view const args = detail::string_member(*fn, "arguments", provider_);
            if (!args.empty())
                emit(event(tool_call_delta{found->id, std::string(args)}));
        }
    }

    template <class Emit>
    void close_calls(Emit& emit) {
        for (auto& oc : calls_)
            if (oc.open) {
                oc.open = false;
                emit(event(tool_call_end{oc.id}));
            }
    }

    std::string provider_;
    std::vector<open_call> calls_;
    std::optional<std::string> pending_finish_;
    std::optional<usage> usage_;
    std::vector<source_part> sources_;       // cited, reported at the end
    std::vector<stream_event> chunk_events_; // on_data's buffer (see detail::chunk_events)
    bool metadata_sent_ = false;
    bool done_ = false;
};

} // namespace wire
} // namespace llmap::openai_api

#endif
