//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_GEMINI_GENERATE_WIRE_HPP
#define LLMAP_PROVIDERS_GEMINI_GENERATE_WIRE_HPP

/** @file
    The wire format of Google's Gemini API (`models/{model}:generateContent` and
    `:streamGenerateContent?alt=sse`): the unified request as a `GenerateContentRequest`, and
    a `GenerateContentResponse` (or a stream of them) as the unified response. Pure functions,
    no I/O.

    Choices, and why:
    - Tool parameters go as `parametersJsonSchema` and a response schema as
      `responseJsonSchema`: the API takes JSON Schema there as it is, so nothing is lost in a
      conversion to its OpenAPI subset (which the AI SDK does, dropping what that subset
      lacks). Rig sends `responseJsonSchema` too.
    - Gemini has no tool-call ids: a call without an `id` gets `call_<n>`, `n` counting the
      calls of the response, so parallel calls never merge; a tool result is matched by name
      (`tool_result_part::name`, or the name of the call with its id earlier in the
      conversation).
    - `thoughtSignature`: on a thought part it is `reasoning_part::signature`, on a function
      call `tool_call_part::signature` (`tool_call_start::signature` in a stream), and both
      go back on the same part. Gemini 3 rejects a function call sent back without its
      signature. The data model has no signature on a text part, so a signature there becomes
      a signature-only `reasoning_part` (empty text) right before that part, and on the way
      back such a part hands its signature to the part that follows it in the same message
      (a call carrying its own signature keeps it). A text part's signature is optional, and
      one that a stream delivers on a later, empty part is not sent back. The AI SDK
      round-trips them through provider metadata.
    - Per-message `provider_options` are not read (Gemini has no per-turn settings); a tool's
      `provider_options["gemini"]` is merged into its function declaration (`behavior`).
    - Usage as the AI SDK counts it: input = `promptTokenCount` (cached tokens included),
      output = `candidatesTokenCount + thoughtsTokenCount`, reasoning = `thoughtsTokenCount`,
      cache read = `cachedContentTokenCount`, total = `totalTokenCount`.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/chunk_events.hpp>
#include <llmap/providers/detail/effort.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::gemini_api {

/** Thinking settings of a model, beyond `request::reasoning`. */
struct thinking_settings {
    /// Tokens the model may think with (0 turns thinking off, -1 lets the model decide);
    /// unset: from `request::reasoning`, or the model's default.
    std::optional<int> budget{};

    bool operator==(const thinking_settings&) const = default;
};

namespace wire {

// ---- request --------------------------------------------------------------------------------

/// Media type and bytes of a `data:` URL, if `url` is a base64 one.
struct data_url_parts {
    std::string media_type;
    std::string base64;
};

inline std::optional<data_url_parts> split_data_url(std::string_view url) {
    if (!url.starts_with("data:"))
        return std::nullopt;
    auto const comma = url.find(',');
    if (comma == std::string_view::npos)
        return std::nullopt;
    std::string_view meta = url.substr(5, comma - 5);
    if (!meta.ends_with(";base64"))
        return std::nullopt;
    meta.remove_suffix(7);
    return data_url_parts{std::string(meta), std::string(url.substr(comma + 1))};
}

// An image or file part: bytes inline, a data: URL inline, any other URL as fileData.
inline boost::json::object media_part(const std::string& url, const std::vector<std::uint8_t>& data,
                                      const std::string& media_type, std::string_view fallback) {
    std::string const type = media_type.empty() ? std::string(fallback) : media_type;
    if (url.empty())
        return {{"inlineData", {{"mimeType", type}, {"data", detail::base64_encode(data)}}}};
    if (auto d = split_data_url(url))
        return {
            {"inlineData",
             {{"mimeType", d->media_type.empty() ? type : d->media_type}, {"data", d->base64}}}};
    boost::json::object file{{"fileUri", url}};
    if (!media_type.empty())
        file["mimeType"] = media_type;
    return {{"fileData", std::move(file)}};
}

// The `response` object of a functionResponse: it must be an object, so another value goes
// under "output" (an error under "error"), the keys Gemini's documentation names.
inline boost::json::object function_response_body(const tool_result_part& r) {
    if (r.is_error)
        return {{"error", r.result}};
    if (r.result.is_object())
        return r.result.get_object();
    return {{"output", r.result}};
}

// The name of the call `id`, searched from the latest message back (ids repeat across turns).
inline std::string call_name(const std::vector<message>& msgs, std::size_t before,
                             const std::string& id) {
    for (std::size_t i = before; i-- > 0;)
        for (auto const& p : msgs[i].content)
            if (auto const* c = std::get_if<tool_call_part>(&p); c && c->id == id)
                return c->name;
    return {};
}

class contents_builder {
public:
    explicit contents_builder(std::vector<warning>& warnings, std::string_view provider)
        : warnings_(warnings), provider_(provider) {}

    /// Add a part to the content of `role`, merged with the last content if same role.
    void add(std::string_view role, boost::json::object part) {
        if (!pending_signature_.empty() && !part.contains("thoughtSignature"))
            part["thoughtSignature"] = std::move(pending_signature_);
        pending_signature_.clear();
        if (contents_.empty() || contents_.back().as_object().at("role").as_string() != role)
            contents_.push_back({{"role", role}, {"parts", boost::json::array()}});
        contents_.back().as_object().at("parts").as_array().push_back(std::move(part));
    }

    /// A signature for the next part added (see the file's documentation).
    void signature(std::string s) { pending_signature_ = std::move(s); }

    void unsupported(std::string_view what) {
        warnings_.push_back(warning::other(std::string(provider_) + ": " + std::string(what) +
                                           " cannot be sent and was left out"));
    }

    boost::json::array take() && { return std::move(contents_); }

private:
    std::vector<warning>& warnings_;
    std::string_view provider_;
    boost::json::array contents_;
    std::string pending_signature_;
};

inline void append_message(contents_builder& out, const std::vector<message>& msgs, std::size_t i) {
    message const& m = msgs[i];
    bool const model_turn = m.role == role::assistant;
    std::string_view const role = model_turn ? "model" : "user";
    for (auto const& p : m.content) {
        if (auto const* t = std::get_if<text_part>(&p)) {
            out.add(role, {{"text", t->text}});
        } else if (auto const* img = std::get_if<image_part>(&p)) {
            out.add(role, media_part(img->url, img->data, img->media_type, "image/png"));
        } else if (auto const* f = std::get_if<file_part>(&p)) {
            out.add(role, media_part(f->url, f->data, f->media_type, "application/octet-stream"));
        } else if (auto const* c = std::get_if<tool_call_part>(&p)) {
            if (!model_turn) {
                out.unsupported("a tool call outside an assistant message");
                continue;
            }
            boost::json::value args = c->arguments;
            if (!args.is_object()) // invalid JSON the model produced, kept as a string
                args = boost::json::object{{"value", c->arguments}};
            boost::json::object part{
                {"functionCall", {{"name", c->name}, {"args", std::move(args)}}}};
            if (!c->signature.empty())
                part["thoughtSignature"] = c->signature;
            out.add(role, std::move(part));
        } else if (auto const* r = std::get_if<tool_result_part>(&p)) {
            std::string name = r->name.empty() ? call_name(msgs, i, r->tool_call_id) : r->name;
            out.add("user",
                    {{"functionResponse",
                      {{"name", std::move(name)}, {"response", function_response_body(*r)}}}});
        } else if (auto const* th = std::get_if<reasoning_part>(&p)) {
            if (!model_turn || th->redacted)
                continue; // another provider's redacted reasoning means nothing to Gemini
            if (th->text.empty()) {
                if (!th->signature.empty())
                    out.signature(th->signature);
                continue;
            }
            boost::json::object part{{"text", th->text}, {"thought", true}};
            if (!th->signature.empty())
                part["thoughtSignature"] = th->signature;
            out.add(role, std::move(part));
        }
        // source_part: output only, nothing to send.
    }
    out.signature({}); // a signature never crosses into another message
}

inline boost::json::object function_declaration(const tool& t, std::string_view provider,
                                                std::vector<warning>& warnings) {
    boost::json::object fn{{"name", t.name}};
    if (!t.description.empty())
        fn["description"] = t.description;
    fn["parametersJsonSchema"] =
        t.parameters.empty()
            ? boost::json::object{{"type", "object"}, {"properties", {}}}
            : llmap::detail::adapt_schema(t.parameters, true, gemini_schema, "tools", warnings)
                  .schema;
    llmap::detail::merge_provider_options(fn, t.provider_options, provider, warnings);
    return fn;
}

inline boost::json::object tool_config(const tool_choice& c) {
    boost::json::object fc;
    switch (c.mode) {
    case tool_choice::kind::auto_:
        fc["mode"] = "AUTO";
        break;
    case tool_choice::kind::none:
        fc["mode"] = "NONE";
        break;
    case tool_choice::kind::required:
        fc["mode"] = "ANY";
        break;
    case tool_choice::kind::tool:
        fc["mode"] = "ANY";
        fc["allowedFunctionNames"] = boost::json::array{boost::json::string(c.tool_name)};
        break;
    }
    return {{"functionCallingConfig", std::move(fc)}};
}

/// Gemini 3 models take a thinking level; earlier ones a token budget.
inline bool takes_thinking_level(std::string_view model) noexcept {
    return model.find("gemini-3") != std::string_view::npos;
}

inline std::optional<boost::json::object>
thinking_config(const request& req, std::string_view model, const thinking_settings& settings) {
    if (settings.budget)
        return boost::json::object{{"thinkingBudget", *settings.budget},
                                   {"includeThoughts", *settings.budget != 0}};
    if (!req.reasoning)
        return std::nullopt;
    reasoning_effort const e = *req.reasoning;
    if (takes_thinking_level(model))
        return boost::json::object{
            {"thinkingLevel",
             e == reasoning_effort::medium || e == reasoning_effort::high ? "high" : "low"},
            {"includeThoughts", true}};
    constexpr llmap::detail::effort_budgets budgets{512, 1024, 8192, 24576};
    int const budget = budgets(e);
    return boost::json::object{{"thinkingBudget", budget}, {"includeThoughts", budget != 0}};
}

/** The JSON body of a `generateContent` (or `streamGenerateContent`) request.

    @param req the unified request.
    @param model the model name (for the thinking knob it takes).
    @param thinking the model's own thinking settings, which win over `req.reasoning`.
    @param warnings receives a warning per part or option that cannot be sent.
    @param provider the registry name: the key of the raw options merged last.
*/
inline boost::json::object generate_request_body(const request& req, std::string_view model,
                                                 const thinking_settings& thinking,
                                                 std::vector<warning>& warnings,
                                                 std::string_view provider = "gemini") {
    boost::json::object body;
    std::vector<message> const msgs = req.all_messages();
    boost::json::array system;
    contents_builder contents(warnings, provider);
    for (std::size_t i = 0; i != msgs.size(); ++i) {
        if (msgs[i].role == role::system) {
            for (auto const& p : msgs[i].content)
                if (auto const* t = std::get_if<text_part>(&p))
                    system.push_back(boost::json::object{{"text", t->text}});
            continue;
        }
        append_message(contents, msgs, i);
    }
    body["contents"] = std::move(contents).take();
    if (!system.empty())
        body["systemInstruction"] = {{"parts", std::move(system)}};

    boost::json::object gen;
    if (req.max_output_tokens)
        gen["maxOutputTokens"] = *req.max_output_tokens;
    if (req.temperature)
        gen["temperature"] = *req.temperature;
    if (req.top_p)
        gen["topP"] = *req.top_p;
    if (req.top_k)
        gen["topK"] = *req.top_k;
    if (!req.stop_sequences.empty())
        gen["stopSequences"] = llmap::detail::string_array(req.stop_sequences);
    if (req.seed) {
        if (*req.seed >= INT32_MIN && *req.seed <= INT32_MAX)
            gen["seed"] = *req.seed;
        else
            warnings.push_back(warning::unsupported_setting(
                "seed", "Gemini takes a 32-bit seed; it was left out"));
    }
    switch (req.format.type) {
    case response_format::kind::text:
        break;
    case response_format::kind::json:
        gen["responseMimeType"] = "application/json";
        break;
    case response_format::kind::json_schema:
        gen["responseMimeType"] = "application/json";
        gen["responseJsonSchema"] =
            llmap::detail::adapt_schema(req.format.schema, true, gemini_schema, "format", warnings)
                .schema;
        break;
    }
    if (auto t = thinking_config(req, model, thinking))
        gen["thinkingConfig"] = std::move(*t);
    if (!gen.empty())
        body["generationConfig"] = std::move(gen);

    if (!req.tools.empty()) {
        boost::json::array decls;
        for (auto const& t : req.tools)
            decls.push_back(function_declaration(t, provider, warnings));
        body["tools"] = boost::json::array{{{"functionDeclarations", std::move(decls)}}};
    }
    if (req.tool_choice)
        body["toolConfig"] = tool_config(*req.tool_choice);
    // The caller's raw options for this provider win over everything above.
    llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    return body;
}

// ---- response -------------------------------------------------------------------------------

/// The unified finish reason of a Gemini `finishReason` (or a prompt's `blockReason`).
inline finish_reason gemini_finish_reason(std::string_view raw, bool tool_calls) noexcept {
    if (raw == "STOP")
        return tool_calls ? finish_reason::tool_calls : finish_reason::stop;
    if (raw == "MAX_TOKENS")
        return finish_reason::length;
    if (raw == "SAFETY" || raw == "RECITATION" || raw == "BLOCKLIST" ||
        raw == "PROHIBITED_CONTENT" || raw == "SPII" || raw == "IMAGE_SAFETY" ||
        raw == "IMAGE_PROHIBITED_CONTENT" || raw == "IMAGE_RECITATION")
        return finish_reason::content_filter;
    if (raw == "MALFORMED_FUNCTION_CALL" || raw == "UNEXPECTED_TOOL_CALL" ||
        raw == "TOO_MANY_TOOL_CALLS" || raw == "MISSING_THOUGHT_SIGNATURE")
        return finish_reason::error;
    if (raw.empty() || raw == "FINISH_REASON_UNSPECIFIED")
        return finish_reason::unknown;
    return finish_reason::other; // OTHER, LANGUAGE, NO_IMAGE, ...
}

/// The unified usage of a `usageMetadata` object (see the file's documentation).
inline usage gemini_usage(const boost::json::object& u, std::string_view provider) {
    usage out;
    out.input_tokens = detail::count_member(u, "promptTokenCount", provider);
    auto const candidates = detail::count_member(u, "candidatesTokenCount", provider);
    auto const thoughts = detail::count_member(u, "thoughtsTokenCount", provider);
    out.output_tokens = detail::add_counts(candidates, thoughts);
    out.reasoning_tokens = thoughts;
    out.cache_read_tokens = detail::count_member(u, "cachedContentTokenCount", provider);
    out.total_tokens = detail::count_member(u, "totalTokenCount", provider);
    return out;
}

inline const boost::json::object& as_object(const boost::json::value& v, std::string_view what,
                                            std::string_view provider) {
    if (!v.is_object())
        detail::throw_malformed(provider, std::string(what) + " is not an object");
    return v.get_object();
}

/// The first candidate of a response, or null.
inline const boost::json::object* first_candidate(const boost::json::object& o,
                                                  std::string_view provider) {
    auto const* candidates = detail::array_member(o, "candidates", provider);
    if (!candidates)
        return nullptr;
    for (auto const& c : *candidates) {
        auto const& cand = as_object(c, "a candidate", provider);
        auto const* index = detail::member(cand, "index");
        if (!index || (index->is_int64() && index->get_int64() == 0) ||
            (index->is_uint64() && index->get_uint64() == 0))
            return &cand;
    }
    return nullptr;
}

/// The parts of a candidate's content (null when it has none).
inline const boost::json::array* candidate_parts(const boost::json::object& cand,
                                                 std::string_view provider) {
    auto const* content = detail::object_member(cand, "content", provider);
    return content ? detail::array_member(*content, "parts", provider) : nullptr;
}

/// The grounding sources of a candidate, in order (web pages and retrieved documents).
inline std::vector<source_part> grounding_sources(const boost::json::object& cand,
                                                  std::string_view provider) {
    std::vector<source_part> out;
    auto const* meta = detail::object_member(cand, "groundingMetadata", provider);
    if (!meta)
        return out;
    auto const* chunks = detail::array_member(*meta, "groundingChunks", provider);
    if (!chunks)
        return out;
    for (auto const& c : *chunks) {
        auto const& chunk = as_object(c, "a grounding chunk", provider);
        auto const* src = detail::object_member(chunk, "web", provider);
        if (!src)
            src = detail::object_member(chunk, "retrievedContext", provider);
        if (!src)
            continue;
        out.push_back(source_part{std::to_string(out.size() + 1),
                                  std::string(detail::string_member(*src, "uri", provider)),
                                  std::string(detail::string_member(*src, "title", provider))});
    }
    return out;
}

/// The blocked prompt's reason, if the prompt was blocked.
inline std::string_view block_reason(const boost::json::object& o, std::string_view provider) {
    auto const* fb = detail::object_member(o, "promptFeedback", provider);
    return fb ? detail::string_member(*fb, "blockReason", provider) : std::string_view();
}

// A file or image in the answer (image generation).
inline content_part inline_data_part(const boost::json::object& blob, std::string_view provider) {
    std::string type(detail::string_member(blob, "mimeType", provider));
    auto bytes = detail::base64_decode(detail::string_member(blob, "data", provider));
    if (!bytes)
        detail::throw_malformed(provider, "\"inlineData.data\" is not base64");
    if (type.starts_with("image/"))
        return image_part::from_bytes(std::move(*bytes), std::move(type));
    return file_part::from_bytes(std::move(*bytes), std::move(type));
}

/** The unified response of a `generateContent` answer (its first candidate).

    A blocked prompt (no candidates, `promptFeedback.blockReason`) is a response with no
    content, `finish_reason::content_filter` and the block reason as the raw reason.
    @throws llmap::error `malformed_response` if the body is not a GenerateContentResponse.
*/
inline response parse_generate_response(boost::json::value body,
                                        std::string_view provider = "gemini") {
    auto const& o = as_object(body, "the body", provider);
    response r;
    r.id = detail::string_member(o, "responseId", provider);
    r.model = detail::string_member(o, "modelVersion", provider);
    if (auto const* u = detail::object_member(o, "usageMetadata", provider))
        r.usage = gemini_usage(*u, provider);
    auto const* cand = first_candidate(o, provider);
    if (!cand) {
        std::string_view const blocked = block_reason(o, provider);
        if (blocked.empty())
            detail::throw_malformed(provider, "no \"candidates\" and no block reason");
        r.finish = finish_reason::content_filter;
        r.raw_finish_reason = blocked;
        r.raw = std::move(body);
        return r;
    }
    bool calls = false;
    if (auto const* parts = candidate_parts(*cand, provider)) {
        for (auto const& pv : *parts) {
            auto const& part = as_object(pv, "a part", provider);
            std::string_view const sig = detail::string_member(part, "thoughtSignature", provider);
            bool const thought = detail::member(part, "thought") &&
                                 detail::member(part, "thought")->is_bool() &&
                                 detail::member(part, "thought")->get_bool();
            if (auto const* text = detail::member(part, "text")) {
                if (!text->is_string())
                    detail::throw_malformed(provider, "\"text\" is not a string");
                if (thought) {
                    r.content.emplace_back(
                        reasoning_part{std::string(text->get_string()), std::string(sig)});
                    continue;
                }
                if (!sig.empty())
                    r.content.emplace_back(reasoning_part{{}, std::string(sig)});
                if (!text->get_string().empty())
                    r.content.emplace_back(text_part{std::string(text->get_string())});
            } else if (auto const* fc = detail::object_member(part, "functionCall", provider)) {
                tool_call_part call;
                call.signature = sig;
                call.id = detail::string_member(*fc, "id", provider);
                if (call.id.empty())
                    call.id = "call_" + std::to_string(r.tool_calls().size());
                call.name = detail::string_member(*fc, "name", provider);
                if (auto const* args = detail::object_member(*fc, "args", provider))
                    call.arguments = *args;
                r.content.emplace_back(std::move(call));
                calls = true;
            } else if (auto const* blob = detail::object_member(part, "inlineData", provider)) {
                r.content.push_back(inline_data_part(*blob, provider));
            } else if (auto const* file = detail::object_member(part, "fileData", provider)) {
                r.content.emplace_back(file_part::from_url(
                    std::string(detail::string_member(*file, "fileUri", provider)),
                    std::string(detail::string_member(*file, "mimeType", provider))));
            }
            // executableCode, codeExecutionResult, ...: kept in `raw`.
        }
    }
    for (auto& s : grounding_sources(*cand, provider))
        r.content.emplace_back(std::move(s));
    r.raw_finish_reason = detail::string_member(*cand, "finishReason", provider);
    r.finish = gemini_finish_reason(r.raw_finish_reason, calls);
    r.raw = std::move(body);
    return r;
}

/// The error of a stream's `{"error": {...}}` event: `http_error` with Gemini's code, status
/// and message.
[[noreturn]] inline void throw_stream_error(const boost::json::object& err,
                                            std::string_view provider) {
    std::string const message(detail::string_member(err, "message", provider));
    std::string const status(detail::string_member(err, "status", provider));
    int code = 0;
    if (auto const* c = detail::member(err, "code"); c && c->is_int64())
        code = static_cast<int>(c->get_int64());
    throw llmap::detail::error_access::make(make_error_code(errc::http_error),
                                            "llmap: " + std::string(provider) +
                                                " reported an error mid-stream: " + message,
                                            code, status, {});
}

/** Sets the value at a `jsonPath` of Vertex's streamed function-call arguments
    (`$.a.b[2].c`), making the objects and arrays on the way. A string arrives in pieces:
    each extends the string already there.

    A path makes one container per step, and the arguments are serialised and parsed again
    downstream, so its depth is limited as the library's JSON parsing limits every answer:
    to Boost.JSON's default `parse_options::max_depth` (32). Without the limit a short chunk
    builds a value thousands of levels deep that takes super-linear time to serialise.

    @throws llmap::error `malformed_response` for a malformed or too deep path.
*/
inline void set_json_path(boost::json::value& root, std::string_view path, boost::json::value v,
                          std::string_view provider) {
    if (!path.starts_with("$"))
        detail::throw_malformed(provider, "a partial argument's jsonPath does not start with $");
    path.remove_prefix(1);
    std::size_t const max_depth = boost::json::parse_options().max_depth;
    std::size_t constexpr max_index_gap = 16;
    std::size_t depth = 0;
    boost::json::value* at = &root;
    while (!path.empty()) {
        if (++depth > max_depth)
            detail::throw_malformed(provider, "a partial argument's jsonPath is deeper than " +
                                                  std::to_string(max_depth) + " levels");
        if (path[0] == '.') {
            path.remove_prefix(1);
            std::size_t const end = path.find_first_of(".[");
            std::string_view const key = path.substr(0, end);
            if (key.empty())
                detail::throw_malformed(provider, "a partial argument's jsonPath is malformed");
            if (!at->is_object())
                *at = boost::json::object();
            at = &at->get_object()[key];
            path.remove_prefix(key.size());
        } else if (path[0] == '[') {
            std::size_t const close = path.find(']');
            if (close == std::string_view::npos || close == 1)
                detail::throw_malformed(provider, "a partial argument's jsonPath is malformed");
            std::size_t index = 0;
            for (char c : path.substr(1, close - 1)) {
                if (c < '0' || c > '9' || index > 100000)
                    detail::throw_malformed(provider, "a partial argument's index is malformed");
                index = index * 10 + static_cast<std::size_t>(c - '0');
            }
            if (!at->is_array())
                *at = boost::json::array();
            auto& arr = at->get_array();
            // Items arrive in order; a little slack, but no padding a small chunk can blow up
            // into a large one (an index of 999 in a 40-byte entry made 1000 values).
            if (index > arr.size() + max_index_gap)
                detail::throw_malformed(provider, "a partial argument's index is out of range");
            while (arr.size() <= index)
                arr.emplace_back(nullptr);
            at = &arr[index];
            path.remove_prefix(close + 1);
        } else {
            detail::throw_malformed(provider, "a partial argument's jsonPath is malformed");
        }
    }
    if (at->is_string() && v.is_string())
        at->get_string().append(v.get_string());
    else
        *at = std::move(v);
}

/** Turns the chunks of `streamGenerateContent?alt=sse` into stream events.

    Each chunk is a whole GenerateContentResponse: text and thought parts become text and
    reasoning deltas; a function call arrives whole (start, its arguments as one delta, end)
    or, on Vertex with `streamFunctionCallArguments`, in pieces (`willContinue`,
    `partialArgs`), assembled here and reported when the call ends. Usage repeats running
    totals, so only the last is reported, at the end with the finish reason. A stream that
    ends with no finish reason (and no blocked prompt) was cut: `malformed_response`.
*/
class generate_stream_decoder {
public:
    explicit generate_stream_decoder(std::string_view provider = "gemini") : provider_(provider) {}

    /// Gemini's stream has no terminal message: the end of the body ends it.
    bool done() const noexcept { return false; }

    template <class Emit>
    void on_data(std::string_view data, Emit&& emit) {
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(data, ec);
        if (ec || !v.is_object())
            detail::throw_malformed(provider_, "a stream chunk is not a JSON object");
        auto const& o = v.get_object();
        if (auto const* err = detail::object_member(o, "error", provider_))
            throw_stream_error(*err, provider_);
        detail::chunk_events out(chunk_events_, emit);
        std::string_view const id = detail::string_member(o, "responseId", provider_);
        std::string_view const model = detail::string_member(o, "modelVersion", provider_);
        if ((!id.empty() && id != id_) || (!model.empty() && model != model_)) {
            id_ = id;
            model_ = model;
            out(event(response_metadata{std::string(id), std::string(model)}));
        }
        if (auto const* u = detail::object_member(o, "usageMetadata", provider_))
            if (detail::member(*u, "promptTokenCount") || detail::member(*u, "totalTokenCount"))
                usage_ = gemini_usage(*u, provider_);
        auto const* cand = first_candidate(o, provider_);
        if (!cand) {
            std::string_view const blocked = block_reason(o, provider_);
            if (!blocked.empty()) {
                finish_ = std::string(blocked);
                prompt_blocked_ = true;
            }
            out.flush(std::move(v));
            return;
        }
        if (auto const* parts = candidate_parts(*cand, provider_))
            for (auto const& p : *parts)
                on_part(as_object(p, "a part", provider_), out);
        for (auto& s : grounding_sources(*cand, provider_))
            out(event(std::move(s)));
        std::string_view const finish = detail::string_member(*cand, "finishReason", provider_);
        if (!finish.empty()) {
            close_open_call(out);
            finish_ = std::string(finish);
        }
        out.flush(std::move(v));
    }

    /// End of the body: the usage and the finish reason, or `malformed_response` if the
    /// stream was cut before its finish reason.
    template <class Emit>
    void finish(Emit&& emit) {
        if (!finish_)
            detail::throw_malformed(provider_, "the stream ended before a finish reason");
        close_open_call(emit);
        if (usage_)
            emit(event(usage_event{*usage_}));
        emit(event(finish_event{prompt_blocked_ ? finish_reason::content_filter
                                                : gemini_finish_reason(*finish_, calls_ != 0),
                                *finish_}));
    }

private:
    static stream_event event(auto&& data) {
        stream_event e;
        e.data = std::forward<decltype(data)>(data);
        return e;
    }

    static bool flag(const boost::json::object& o, std::string_view key) {
        auto const* v = detail::member(o, key);
        return v && v->is_bool() && v->get_bool();
    }

    template <class Emit>
    void on_part(const boost::json::object& part, Emit& emit) {
        std::string_view const sig = detail::string_member(part, "thoughtSignature", provider_);
        if (auto const* text = detail::member(part, "text")) {
            if (!text->is_string())
                detail::throw_malformed(provider_, "\"text\" is not a string");
            std::string_view const t = text->get_string();
            if (flag(part, "thought")) {
                if (last_ != block::reasoning)
                    ++blocks_;
                last_ = block::reasoning;
                emit(event(reasoning_delta{block_id("reasoning"), std::string(t), std::string(sig),
                                           false}));
                return;
            }
            emit_signature(sig, emit);
            if (t.empty())
                return;
            if (last_ != block::text)
                ++blocks_;
            last_ = block::text;
            emit(event(text_delta{block_id("text"), std::string(t)}));
        } else if (auto const* fc = detail::object_member(part, "functionCall", provider_)) {
            on_function_call(*fc, sig, emit);
        } else if (detail::member(part, "inlineData") || detail::member(part, "fileData")) {
            last_ = block::none; // no stream event carries media; it stays in the raw chunk
        }
    }

    template <class Emit>
    void emit_signature(std::string_view sig, Emit& emit) {
        if (sig.empty())
            return;
        ++blocks_;
        last_ = block::none;
        emit(event(reasoning_delta{block_id("signature"), {}, std::string(sig), false}));
    }

    template <class Emit>
    void on_function_call(const boost::json::object& fc, std::string_view sig, Emit& emit) {
        bool const more = flag(fc, "willContinue");
        std::string_view const name = detail::string_member(fc, "name", provider_);
        auto const* partial = detail::array_member(fc, "partialArgs", provider_);
        if (open_) {
            if (!sig.empty()) // a repeated start fills in a signature the first part lacked
                emit(event(tool_call_start{.id = open_->id, .signature = std::string(sig)}));
            if (partial)
                apply_partial(*partial);
            if (!more)
                close_open_call(emit);
            return;
        }
        if (name.empty()) {
            if (partial || more)
                detail::throw_malformed(provider_, "function call arguments outside a call");
            return; // an empty terminal part with no call open
        }
        last_ = block::none;
        std::string id(detail::string_member(fc, "id", provider_));
        if (id.empty())
            id = "call_" + std::to_string(calls_);
        ++calls_;
        emit(event(tool_call_start{id, std::string(name), std::string(sig)}));
        if (more || partial) {
            open_ = open_call{std::move(id), boost::json::object()};
            if (auto const* args = detail::object_member(fc, "args", provider_))
                open_->args = *args;
            if (partial)
                apply_partial(*partial);
            if (!more)
                close_open_call(emit);
            return;
        }
        boost::json::value args = boost::json::object();
        if (auto const* a = detail::object_member(fc, "args", provider_))
            args = *a;
        emit(event(tool_call_delta{id, boost::json::serialize(args)}));
        emit(event(tool_call_end{std::move(id)}));
    }

    void apply_partial(const boost::json::array& partial) {
        for (auto const& pv : partial) {
            auto const& p = as_object(pv, "a partial argument", provider_);
            std::string_view const path = detail::string_member(p, "jsonPath", provider_);
            boost::json::value v;
            if (auto const* s = detail::member(p, "stringValue"))
                v = *s;
            else if (auto const* n = detail::member(p, "numberValue"))
                v = *n;
            else if (auto const* b = detail::member(p, "boolValue"))
                v = *b;
            else if (p.contains("nullValue"))
                v = nullptr;
            else
                continue;
            set_json_path(open_->args, path, std::move(v), provider_);
        }
    }

    template <class Emit>
    void close_open_call(Emit& emit) {
        if (!open_)
            return;
        emit(event(tool_call_delta{open_->id, boost::json::serialize(open_->args)}));
        emit(event(tool_call_end{open_->id}));
        open_.reset();
    }

    std::string block_id(std::string_view kind) const {
        return std::string(kind) + "-" + std::to_string(blocks_);
    }

    struct open_call {
        std::string id;
        boost::json::value args;
    };
    enum class block { none, text, reasoning };

    std::string provider_;
    std::string id_, model_;
    std::optional<usage> usage_;
    std::optional<std::string> finish_;
    std::optional<open_call> open_;
    std::vector<stream_event> chunk_events_; // on_data's buffer (see detail::chunk_events)
    std::size_t calls_ = 0;
    std::size_t blocks_ = 0;
    bool prompt_blocked_ = false;
    block last_ = block::none;
};

} // namespace wire
} // namespace llmap::gemini_api

#endif
