//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The capability matrix of llmap::default_registry: every built-in provider x capability is
// either exercised against a recorded answer of ../shared/fixtures, served over HTTP by a
// loopback server to that provider and called through the registry by run-time id, or
// declared unsupported. The same table is checked against the models' declared capabilities
// and rendered as README.md's provider table. Then one generic function sends one logical
// request (system + user + one tool) through every provider and checks each wire's shape.

#define BOOST_TEST_MODULE provider_matrix
#include "../../support/fixtures.hpp"
#include "../../support/test_server.hpp"

#include <llmap/default_registry.hpp>
#include <llmap/generate.hpp>
#include <llmap/tool_loop.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <cstddef>
#include <iostream>
#include <string>
#include <string_view>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;
using llmap::capability;

namespace {

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

enum class wire { chat_completions, responses, anthropic, gemini, ollama, cohere };

constexpr std::size_t ncaps = 7;
constexpr std::array<capability, ncaps> caps = {
    capability::chat,      capability::streaming,
    capability::tools,     capability::structured_output,
    capability::reasoning, capability::image_input,
    capability::embeddings};
constexpr std::array<std::string_view, ncaps> cap_names = {
    "chat", "stream", "tools", "structured output", "reasoning", "image input", "embeddings"};

// The typed layer's columns, each exercised on the fixture of the column it stands on:
// `generate<T>` (or `stream_generate<T>` for a stream) on the structured-output answer, and
// the tool loop (`run_tools`, or `stream_tools` for a stream) on the tool-call answer.
constexpr std::array<std::string_view, 2> typed_names = {"typed output", "tool loop"};
constexpr std::array<std::size_t, 2> typed_source = {3, 2}; // structured output, tools

enum class how {
    unsupported, ///< declared unsupported: the model must not claim it
    own,         ///< exercised with a recording of this vendor's own traffic
    shared,      ///< exercised with another vendor's recording of the same wire ("shared wire")
    minimal      ///< exercised with a minimal valid answer of the wire: no recording exists
};

/// One cell: how it is covered and the fixture that covers it. A fixture is a path below
/// ../shared/fixtures: `rig/<...>.json#N` (exchange N of a cassette), `aisdk/<...>.json` (an
/// answer) or `aisdk/<...>.chunks.txt` (a stream); `minimal:<name>` names an answer below.
struct cell {
    how kind = how::unsupported;
    std::string_view fixture{};
};

constexpr cell own(std::string_view f) {
    return {how::own, f};
}
constexpr cell shared(std::string_view f) {
    return {how::shared, f};
}
constexpr cell minimal(std::string_view f) {
    return {how::minimal, f};
}
constexpr cell no{};

struct row {
    std::string_view provider;
    wire w;
    std::array<cell, ncaps> cells; // in the order of `caps`
};

// Chat Completions recordings of other vendors, served to the vendors that have none of their
// own for a capability: the "shared wire" cells (same /chat/completions wire, their own type).
constexpr std::string_view cc_text = "aisdk/openai-compatible/chat/xai-text.json";
constexpr std::string_view cc_stream = "aisdk/openai-compatible/chat/xai-text.chunks.txt";
constexpr std::string_view cc_tool = "aisdk/openai-compatible/chat/xai-tool-call.json";
constexpr std::string_view cc_json =
    "rig/groq/agent_tool_sessions/json_schema_structured_output_roundtrip.json#0";
constexpr std::string_view cc_reasoning = "aisdk/groq/groq-reasoning.json";
constexpr std::string_view cc_reasoning_content =
    "rig/llamacpp/bare_openai_client/authorization_header_is_always_sent.json#0";
constexpr std::string_view cc_image =
    "rig/mistral/multimodal_content/blocking_image_url_reference_is_sent.json#0";
constexpr std::string_view cc_embed = "rig/llamacpp/embeddings/embeddings_smoke.json#0";
constexpr std::string_view oa_embed = "rig/openai/embedding_matrix/single_text_convenience.json#0";

// Image input: the image must reach the wire; the answer is the provider's recorded answer to
// an image request where one exists, else (openai, gemini, ollama, cohere: no such recording)
// its recorded answer to a text request.
constexpr std::array<row, 21> matrix = {{
    {"openai",
     wire::responses,
     {own("rig/openai/raw_capture_matrix/responses_raw_round_trips_typed.json#0"),
      own("rig/openai/streaming/streaming_smoke.json#0"),
      own("rig/openai/chat_history/chat_appends_reasoning_tool_turns_to_caller_history.json#0"),
      own("rig/openai/structured_output/prompt_typed_and_output_schema.json#0"),
      own("rig/openai/streaming_grammar/reasoning_summary_stream.json#0"),
      own("rig/openai/raw_capture_matrix/responses_raw_round_trips_typed.json#0"),
      own("aisdk/openai/embedding/openai-embedding.json")}},
    {"openai-chat",
     wire::chat_completions,
     {own("aisdk/openai/chat/openai-text.json"),
      own("rig/openai/chat_history_roundtrip_matrix/"
          "streaming_gpt_4_1_mini_normalized_parallel_tool.json#0"),
      own("rig/openai/additional_params_tools/"
          "builder_tools_survive_additional_params_tools.json#0"),
      own("rig/openai/raw_capture_matrix/"
          "chat_structured_output_raw_exposes_system_fingerprint.json#0"),
      // OpenAI's Chat Completions never return reasoning text: groq's shape of the same wire.
      shared(cc_reasoning), shared(cc_image), own(oa_embed)}},
    {"anthropic",
     wire::anthropic,
     {own("rig/anthropic/empty_stop_sequence_matrix/nonempty_stop_sequence_control.json#0"),
      own("aisdk/anthropic/anthropic-text.chunks.txt"),
      own("rig/anthropic/default_max_turns/default_max_turns_allows_multi_step_tool_use.json#0"),
      // llmap asks for JSON through a forced tool named "json" (as the AI SDK does).
      own("aisdk/anthropic/anthropic-json-tool.1.json"),
      own("rig/anthropic/reasoning_usage_matrix/blocking_with_tools.json#0"),
      own("rig/anthropic/opus_4_7/messages_image_input_smoke.json#0"), no}},
    {"gemini",
     wire::gemini,
     {own("rig/gemini/agent/completion_smoke.json#0"), own("aisdk/google/google-text.chunks.txt"),
      own("aisdk/google/google-tool-call.json"),
      own("rig/gemini/structured_output/structured_output_smoke.json#0"),
      own("rig/gemini/thought_text_matrix/text_response_with_a_large_thinking_budget.json#0"),
      own("rig/gemini/agent/completion_smoke.json#0"),
      own("rig/gemini/embeddings/embeddings_smoke.json#0")}},
    {"ollama",
     wire::ollama,
     {own("rig/ollama/agent/max_tokens.json#0"), own("rig/ollama/streaming/streaming_smoke.json#0"),
      own("rig/ollama/tools/optional_argument.json#0"),
      own("rig/ollama/structured_output/structured_output_smoke.json#0"),
      own("rig/ollama/reasoning_tool_roundtrip/nonstreaming.json#0"),
      own("rig/ollama/agent/max_tokens.json#0"),
      // No recording of Ollama's /api/embed exists in the fixtures.
      minimal("minimal:ollama-embed")}},
    {"cohere",
     wire::cohere,
     {own("rig/cohere/agent/completion_smoke.json#0"),
      own("rig/cohere/streaming/streaming_smoke.json#0"), own("aisdk/cohere/cohere-tool-call.json"),
      // No recording of a Cohere JSON-mode answer exists in the fixtures.
      minimal("minimal:cohere-json"), own("aisdk/cohere/cohere-reasoning.chunks.txt"),
      own("rig/cohere/agent/completion_smoke.json#0"), own("aisdk/cohere/cohere-embedding.json")}},
    {"mistral",
     wire::chat_completions,
     {own("aisdk/mistral/mistral-text.json"), own("aisdk/mistral/mistral-text.chunks.txt"),
      own("aisdk/mistral/mistral-tool-call.json"),
      own("rig/mistral/agent_tool_sessions/json_object_response_format_roundtrip.json#0"),
      own("aisdk/mistral/mistral-reasoning.json"), own(cc_image),
      own("rig/mistral/embedding_matrix/normalized_response_is_complete.json#0")}},
    // Azure's only own recording is a stream; the rest is OpenAI's Chat Completions traffic.
    {"azure",
     wire::chat_completions,
     {shared("aisdk/openai/chat/openai-text.json"),
      own("aisdk/openai/chat/azure-model-router.1.chunks.txt"),
      shared("rig/openai/additional_params_tools/"
             "builder_tools_survive_additional_params_tools.json#0"),
      shared("rig/openai/raw_capture_matrix/"
             "chat_structured_output_raw_exposes_system_fingerprint.json#0"),
      shared(cc_reasoning), shared(cc_image), shared(oa_embed)}},
    {"deepseek",
     wire::chat_completions,
     {own("rig/deepseek/raw_capture_matrix/raw_round_trips_deepseek_type.json#0"),
      own("rig/deepseek/raw_stream_capture_matrix/stream_raw_round_trips_terminal_type.json#0"),
      own("aisdk/deepseek/chat/deepseek-tool-call.json"),
      own("aisdk/deepseek/chat/deepseek-json.json"),
      // deepseek-reasoner answers with reasoning_content (it has no effort knob).
      own("aisdk/deepseek/chat/deepseek-reasoning.json"), shared(cc_image), no}},
    {"groq",
     wire::chat_completions,
     {own("aisdk/groq/groq-text.json"), own("aisdk/groq/groq-text.chunks.txt"),
      own("aisdk/groq/groq-tool-call.json"), own(cc_json), own(cc_reasoning), shared(cc_image),
      no}},
    // xai's Rig cassettes are of its Responses API; its Chat Completions are the AI SDK's.
    {"xai",
     wire::chat_completions,
     {own("aisdk/xai/xai-text.json"), own("aisdk/xai/xai-text.chunks.txt"),
      own("aisdk/xai/xai-tool-call.json"), shared(cc_json), shared(cc_reasoning), shared(cc_image),
      no}},
    {"openrouter",
     wire::chat_completions,
     {own("rig/openrouter/agent/completion_smoke.json#0"),
      own("rig/openrouter/streaming/streaming_smoke.json#0"),
      own("rig/openrouter/extractor/extractor_smoke.json#0"), shared(cc_json),
      own("rig/openrouter/reasoning_tool_order_matrix/blocking_single.json#0"),
      own("rig/openrouter/multimodal/mixed_multimodal_prompt.json#0"),
      own("rig/openrouter/embedding_matrix/single_text_convenience.json#0")}},
    // together .. openai-compatible: no recordings of their own; the Chat Completions wire
    // they share, with other vendors' recordings served to their own provider types.
    {"together",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), shared(cc_embed)}},
    {"fireworks",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), shared(cc_embed)}},
    {"perplexity",
     wire::chat_completions,
     {own("rig/perplexity/agent/completion_with_perplexity_options.json#0"),
      own("rig/perplexity/prompt_caching/streaming_probe.json#0"), shared(cc_tool), shared(cc_json),
      no, shared(cc_image), no}},
    {"cerebras",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), no}},
    {"deepinfra",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), shared(cc_embed)}},
    {"llama-cpp",
     wire::chat_completions,
     {own("rig/llamacpp/agent/completion_smoke.json#0"),
      own("rig/llamacpp/streaming/streaming_smoke.json#0"),
      own("rig/llamacpp/model_family_matrix/llama_blocking_tool_call.json#0"),
      own("rig/llamacpp/structured_output/prompt_typed_extended_details_structured_output.json#0"),
      own(cc_reasoning_content),
      own("rig/llamacpp/multimodal_matrix/two_images_keep_their_order.json#0"), own(cc_embed)}},
    {"vllm",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), shared(cc_embed)}},
    {"lm-studio",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), shared(cc_embed)}},
    {"openai-compatible",
     wire::chat_completions,
     {shared(cc_text), shared(cc_stream), shared(cc_tool), shared(cc_json),
      shared(cc_reasoning_content), shared(cc_image), shared(cc_embed)}},
}};

// Minimal valid answers of a wire, for the cells no recording covers (documented shapes:
// Ollama's /api/embed, Cohere's v2 chat answer).
std::string minimal_answer(std::string_view name) {
    if (name == "minimal:ollama-embed")
        return R"({"model":"all-minilm","embeddings":[[0.25,-0.5,0.125]],)"
               R"("total_duration":1,"load_duration":1,"prompt_eval_count":2})";
    if (name == "minimal:cohere-json")
        return R"({"id":"m","finish_reason":"COMPLETE","message":{"role":"assistant",)"
               R"("content":[{"type":"text","text":"{\"city\":\"Paris\",\"sunny\":true}"}]},)"
               R"("usage":{"billed_units":{"input_tokens":3,"output_tokens":9},)"
               R"("tokens":{"input_tokens":3,"output_tokens":9}}})";
    throw std::runtime_error("no minimal answer " + std::string(name));
}

// ---------------------------------------------------------------------------------------------
// Serving a fixture
// ---------------------------------------------------------------------------------------------

struct answer {
    std::string body;
    bool stream = false;
    std::string content_type;
};

std::string sse_data(const std::vector<std::string>& lines, bool with_event, bool done) {
    std::string out;
    for (auto const& l : lines) {
        if (with_event)
            out += "event: " + std::string(json::parse(l).at("type").as_string()) + "\n";
        out += "data: " + l + "\n\n";
    }
    if (done)
        out += "data: [DONE]\n\n";
    return out;
}

answer load(std::string_view ref, wire w) {
    if (ref.starts_with("minimal:"))
        return {minimal_answer(ref), false, "application/json"};
    if (auto const hash = ref.find('#'); hash != std::string_view::npos) {
        auto const path = fx::root() / std::string(ref.substr(0, hash));
        auto const index = std::stoul(std::string(ref.substr(hash + 1)));
        auto const doc = json::parse(fx::read_file(path));
        auto const& ex = doc.as_array().at(index).as_object();
        auto const& req = ex.at("request").as_object();
        auto const& res = ex.at("response").as_object();
        BOOST_TEST_REQUIRE(res.at("status").to_number<int>() == 200, ref);
        answer a;
        a.body = std::string(res.at("body").as_string());
        std::string const rb(req.at("body").is_string() ? req.at("body").as_string() : "");
        auto const rv = rb.empty() ? json::value() : json::parse(rb);
        auto const* s = rv.is_object() ? rv.as_object().if_contains("stream") : nullptr;
        a.stream = (s && s->is_bool() && s->as_bool()) ||
                   std::string_view(req.at("path").as_string()).find("stream") != std::string::npos;
        a.content_type = !a.stream           ? "application/json"
                         : w == wire::ollama ? "application/x-ndjson"
                                             : "text/event-stream";
        return a;
    }
    auto const path = fx::root() / std::string(ref);
    if (!ref.ends_with(".chunks.txt"))
        return {fx::read_file(path), false, "application/json"};
    // The AI SDK's chunk files: `data:` lines as each wire sends them (fixtures README).
    auto const lines = fx::chunk_lines(path);
    bool const events = w == wire::anthropic || w == wire::cohere;
    return {sse_data(lines, events, w == wire::chat_completions), true, "text/event-stream"};
}

/// A loopback server that answers every request with `a` and records what it received.
struct replay_server {
    answer a;
    ts::test_server server;

    explicit replay_server(answer ans)
        : a(std::move(ans)), server([this](const ts::test_server::request&, ts::test_session& s) {
              s.respond(200, a.body, {{"Content-Type", a.content_type}});
          }) {}

    std::string base_url(wire w) const {
        // Each provider appends its own paths; the server answers whatever the path.
        return w == wire::anthropic || w == wire::chat_completions || w == wire::responses
                   ? server.url("/v1")
                   : server.url("");
    }

    json::value only_body() const {
        auto const reqs = server.requests();
        BOOST_TEST_REQUIRE(reqs.size() == 1u);
        return json::parse(reqs.front().body);
    }
};

llmap::default_registry registry_for(std::string_view provider, const std::string& base_url) {
    llmap::provider_config c;
    c.api_key = "sk-matrix-test";
    c.base_url = base_url;
    c.transport.retry.max_retries = 0;
    return llmap::default_registry{{llmap::named_config{provider, c}}};
}

// ---------------------------------------------------------------------------------------------
// Evidence on the wire
// ---------------------------------------------------------------------------------------------

const json::value* at_path(const json::value& v, std::initializer_list<std::string_view> keys) {
    const json::value* p = &v;
    for (auto k : keys) {
        if (!p->is_object())
            return nullptr;
        p = p->as_object().if_contains(k);
        if (!p)
            return nullptr;
    }
    return p;
}

bool is_string(const json::value* v, std::string_view s) {
    return v && v->is_string() && v->as_string() == s;
}

/// True if some string anywhere below `v` contains `needle`.
bool has_text(const json::value& v, std::string_view needle) {
    if (v.is_string())
        return std::string_view(v.as_string()).find(needle) != std::string_view::npos;
    if (v.is_array()) {
        for (auto const& e : v.as_array())
            if (has_text(e, needle))
                return true;
    } else if (v.is_object()) {
        for (auto const& kv : v.as_object())
            if (has_text(kv.value(), needle))
                return true;
    }
    return false;
}

const json::object tool_schema = {
    {"type", "object"}, {"properties", {{"city", {{"type", "string"}}}}}, {"required", {"city"}}};

/// The tool definition named `name` as the wire family carries it, with its schema.
bool tool_on_wire(const json::value& body, wire w, std::string_view name,
                  const json::object& schema) {
    auto const* tools = at_path(body, {"tools"});
    if (!tools || !tools->is_array())
        return false;
    for (auto const& t : tools->as_array()) {
        switch (w) {
        case wire::chat_completions:
        case wire::ollama:
        case wire::cohere: // {"type":"function","function":{"name","parameters"}}
            if (is_string(at_path(t, {"function", "name"}), name)) {
                auto const* p = at_path(t, {"function", "parameters"});
                return at_path(t, {"type"}) && is_string(at_path(t, {"type"}), "function") && p &&
                       *p == schema;
            }
            break;
        case wire::responses: // {"type":"function","name","parameters"}
            if (is_string(at_path(t, {"name"}), name))
                return at_path(t, {"parameters"}) && *at_path(t, {"parameters"}) == schema;
            break;
        case wire::anthropic: // {"name","input_schema"}
            if (is_string(at_path(t, {"name"}), name))
                return at_path(t, {"input_schema"}) && *at_path(t, {"input_schema"}) == schema;
            break;
        case wire::
            gemini: // {"functionDeclarations":[{"name","parameters"|"parametersJsonSchema"}]}
            if (auto const* d = at_path(t, {"functionDeclarations"}); d && d->is_array())
                for (auto const& f : d->as_array())
                    if (is_string(at_path(f, {"name"}), name)) {
                        auto const* p = at_path(f, {"parametersJsonSchema"});
                        if (!p)
                            p = at_path(f, {"parameters"});
                        return p && *p == schema;
                    }
            break;
        }
    }
    return false;
}

/// The wire family's field asking for a JSON answer.
bool format_on_wire(const json::value& body, wire w) {
    switch (w) {
    case wire::chat_completions:
    case wire::cohere:
        return at_path(body, {"response_format", "type"}) != nullptr;
    case wire::responses:
        return at_path(body, {"text", "format", "type"}) != nullptr;
    case wire::anthropic: // the forced JSON tool
        return tool_on_wire(body, w, "json", tool_schema) &&
               at_path(body, {"tool_choice", "name"}) &&
               *at_path(body, {"tool_choice", "name"}) == "json";
    case wire::gemini:
        return at_path(body, {"generationConfig", "responseMimeType"}) &&
               *at_path(body, {"generationConfig", "responseMimeType"}) == "application/json";
    case wire::ollama:
        return at_path(body, {"format"}) && *at_path(body, {"format"}) == tool_schema;
    }
    return false;
}

// The bytes of a tiny "image" and their base64, computed independently of llmap.
const std::vector<std::uint8_t> image_bytes = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 'l',
                                               'l',  'm', 'a', 'p', '-',  'm',  'a',  't',  'r',
                                               'i',  'x', '-', 'i', 'm',  'a',  'g',  'e'};
constexpr std::string_view image_base64 = "iVBORw0KGgpsbG1hcC1tYXRyaXgtaW1hZ2U=";

/// The number of vectors a recorded embedding answer holds (each shape the fixtures use).
std::size_t vector_count(const std::string& body) {
    auto const v = json::parse(body);
    if (auto const* d = at_path(v, {"data"}))
        return d->as_array().size();
    if (auto const* f = at_path(v, {"embeddings", "float"}))
        return f->as_array().size();
    if (auto const* e = at_path(v, {"embeddings"}))
        return e->as_array().size();
    return 1;
}

// ---------------------------------------------------------------------------------------------
// Running one cell
// ---------------------------------------------------------------------------------------------

struct outcome {
    llmap::response r;
    llmap::response folded; // the stream's events folded by the test
    std::size_t events = 0;
    llmap::embedding_response e;
    bool ran = false;
};

void run_cell(const row& rw, std::size_t ci) {
    cell const& c = rw.cells[ci];
    capability const cap = caps[ci];
    std::string const what = std::string(rw.provider) + " x " + std::string(cap_names[ci]) + " (" +
                             std::string(c.fixture) + ")";
    BOOST_TEST_CONTEXT(what) {
        answer a = load(c.fixture, rw.w);
        bool const stream = a.stream;
        std::string embed_body = a.body;
        replay_server srv(std::move(a));
        auto const reg = registry_for(rw.provider, srv.base_url(rw.w));

        llmap::request req{.system = "You are terse.", .prompt = "What is the weather in Paris?"};
        if (cap == capability::tools)
            req.tools.push_back({.name = "get_weather",
                                 .description = "Weather of a city",
                                 .parameters = tool_schema});
        if (cap == capability::structured_output)
            req.format = llmap::response_format::json_schema("weather", tool_schema);
        if (cap == capability::image_input) {
            req.prompt.clear();
            llmap::message m = llmap::message::user("What is in this image?");
            m.content.emplace_back(llmap::image_part::from_bytes(image_bytes, "image/png"));
            req.messages.push_back(std::move(m));
        }
        std::size_t const inputs = cap == capability::embeddings ? vector_count(embed_body) : 0;

        // Through the registry by run-time id: the lambda gets each provider's concrete model.
        outcome const o = reg.visit(rw.provider, [&](auto& model) {
            using M = std::remove_cvref_t<decltype(model)>;
            outcome out;
            if (cap == capability::embeddings) {
                if constexpr (llmap::embedding_model<M>) {
                    llmap::embedding_request er;
                    for (std::size_t i = 0; i != inputs; ++i)
                        er.inputs.push_back("text " + std::to_string(i));
                    out.e = model.embed(er);
                    out.ran = true;
                }
            } else if (stream) {
                if constexpr (llmap::streaming_model<M>) {
                    llmap::stream_accumulator acc;
                    out.r = model.stream(req, [&](const llmap::stream_event& ev) {
                        ++out.events;
                        acc.add(ev);
                    });
                    out.folded = std::move(acc).finish();
                    out.ran = true;
                }
            } else {
                out.r = model.complete(req);
                out.ran = true;
            }
            return out;
        });
        BOOST_TEST_REQUIRE(o.ran);
        auto const body = srv.only_body();
        if (stream) {
            BOOST_TEST(o.events > 0u);
            BOOST_TEST(o.folded.text() == o.r.text());
            BOOST_TEST(o.folded.reasoning_text() == o.r.reasoning_text());
            BOOST_TEST(o.folded.tool_calls() == o.r.tool_calls());
        }
        switch (cap) {
        case capability::chat:
            BOOST_TEST(!o.r.text().empty());
            break;
        case capability::streaming:
            BOOST_TEST(stream);
            BOOST_TEST((!o.r.text().empty() || !o.r.tool_calls().empty()));
            break;
        case capability::tools: {
            BOOST_TEST(tool_on_wire(body, rw.w, "get_weather", tool_schema));
            auto const calls = o.r.tool_calls();
            BOOST_TEST_REQUIRE(!calls.empty());
            BOOST_TEST(!calls.front().name.empty());
            break;
        }
        case capability::structured_output: {
            BOOST_TEST(format_on_wire(body, rw.w));
            json::error_code ec;
            auto const v = json::parse(o.r.text(), ec);
            BOOST_TEST(!ec, "answer is not JSON: " << o.r.text());
            BOOST_TEST((v.is_object() || v.is_array()));
            break;
        }
        case capability::reasoning:
            BOOST_TEST(!o.r.reasoning_text().empty());
            break;
        case capability::image_input:
            BOOST_TEST(has_text(body, image_base64));
            BOOST_TEST(!o.r.text().empty());
            break;
        case capability::embeddings:
            BOOST_TEST(inputs > 0u);
            BOOST_TEST(o.e.vectors.size() == inputs);
            for (auto const& vec : o.e.vectors)
                BOOST_TEST(!vec.empty());
            break;
        }
    }
}

/// `generate<boost::json::object>` on the structured-output cell's answer: the request asks
/// for a JSON answer in the wire's own field, and the answer is parsed into the object.
void run_typed_output(const row& rw) {
    cell const& c = rw.cells[typed_source[0]];
    BOOST_TEST_CONTEXT(std::string(rw.provider) + " x typed output (" + std::string(c.fixture) +
                       ")") {
        answer a = load(c.fixture, rw.w);
        bool const stream = a.stream;
        replay_server srv(std::move(a));
        auto const reg = registry_for(rw.provider, srv.base_url(rw.w));
        llmap::request const req{.prompt = "The weather in Paris, as JSON."};
        std::size_t partials = 0;
        auto const g = reg.visit(rw.provider, [&](auto& model) {
            using M = std::remove_cvref_t<decltype(model)>;
            if constexpr (llmap::streaming_model<M>) {
                if (stream)
                    return llmap::stream_generate<json::object>(
                        model, req, [&](const json::value&) { ++partials; });
            }
            return llmap::generate<json::object>(model, req);
        });
        BOOST_TEST(!g.value.empty());
        BOOST_TEST((json::value(g.value) == json::parse(g.response.text())));
        if (stream)
            BOOST_TEST(partials > 0u);
        auto const body = srv.only_body();
        bool asked = false;
        switch (rw.w) {
        case wire::chat_completions:
        case wire::cohere:
            asked = at_path(body, {"response_format", "type"}) != nullptr;
            break;
        case wire::responses:
            asked = is_string(at_path(body, {"text", "format", "type"}), "json_schema");
            break;
        case wire::anthropic:
            asked = is_string(at_path(body, {"tool_choice", "name"}), "json");
            break;
        case wire::gemini:
            asked = at_path(body, {"generationConfig", "responseJsonSchema"}) != nullptr;
            break;
        case wire::ollama:
            asked = at_path(body, {"format"}) && at_path(body, {"format"})->is_object();
            break;
        }
        BOOST_TEST(asked, body);
    }
}

/// Two steps of the tool loop on the tool-call cell's answer (served again for the second
/// call): the call is answered, and the second request carries the answer.
void run_tool_loop(const row& rw) {
    cell const& c = rw.cells[typed_source[1]];
    BOOST_TEST_CONTEXT(std::string(rw.provider) + " x tool loop (" + std::string(c.fixture) + ")") {
        answer a = load(c.fixture, rw.w);
        bool const stream = a.stream;
        replay_server srv(std::move(a));
        auto const reg = registry_for(rw.provider, srv.base_url(rw.w));
        llmap::dynamic_tools any_name;
        // The recorded call may name any tool: one of ours answers a known name, and an
        // unknown one is answered with the list, which goes back all the same.
        any_name.add(
            {.name = "get_weather", .description = "Weather of a city", .parameters = tool_schema},
            [](const json::value&) { return json::value("sunny, 21 C"); });
        auto tools = llmap::toolset{std::move(any_name)};
        llmap::request const req{.prompt = "What is the weather in Paris?"};
        llmap::run_options const two{.max_steps = 2};
        std::size_t events = 0;
        auto const run = reg.visit(rw.provider, [&](auto& model) {
            using M = std::remove_cvref_t<decltype(model)>;
            if constexpr (llmap::streaming_model<M>) {
                if (stream)
                    return llmap::stream_tools(
                        model, req, tools, [&](const llmap::run_event&) { ++events; }, two);
            }
            return llmap::run_tools(model, req, tools, two);
        });
        BOOST_TEST_REQUIRE(run.steps.size() == 2u);
        BOOST_TEST((run.end == llmap::run_end::max_steps));
        BOOST_TEST_REQUIRE(!run.steps[0].tool_results.empty());
        if (stream)
            BOOST_TEST(events > 0u);
        auto const requests = srv.server.requests();
        BOOST_TEST_REQUIRE(requests.size() == 2u);
        auto const second = json::parse(requests[1].body);
        auto const& answered = run.steps[0].tool_results[0].result.result;
        std::string const text =
            answered.is_string() ? std::string(answered.get_string()) : json::serialize(answered);
        BOOST_TEST(has_text(second, text.substr(0, 24)), text);
        BOOST_TEST(tool_on_wire(second, rw.w, "get_weather", tool_schema));
    }
}

// ---------------------------------------------------------------------------------------------
// The README table
// ---------------------------------------------------------------------------------------------

std::string_view mark(how h) {
    switch (h) {
    case how::own:
        return "✓";
    case how::shared:
        return "✓ shared wire";
    case how::minimal:
        return "✓ no recording";
    case how::unsupported:
        break;
    }
    return "—";
}

std::string render_table() {
    std::string out = "| provider (registry name) |";
    for (auto n : cap_names)
        out += " " + std::string(n) + " |";
    for (auto n : typed_names)
        out += " " + std::string(n) + " |";
    out += "\n|---|";
    for (std::size_t i = 0; i != ncaps + typed_names.size(); ++i)
        out += "---|";
    out += "\n";
    for (auto const& r : matrix) {
        out += "| `" + std::string(r.provider) + "` |";
        for (auto const& c : r.cells)
            out += " " + std::string(mark(c.kind)) + " |";
        for (std::size_t t = 0; t != typed_names.size(); ++t)
            out += " " + std::string(mark(r.cells[typed_source[t]].kind)) + " |";
        out += "\n";
    }
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == '\n' || s.front() == ' '))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.remove_suffix(1);
    return std::string(s);
}

} // namespace

BOOST_AUTO_TEST_SUITE(capability_matrix)

BOOST_AUTO_TEST_CASE(covers_every_provider_of_the_default_registry) {
    llmap::default_registry const reg;
    auto const names = reg.all_names();
    BOOST_TEST_REQUIRE(names.size() == matrix.size());
    for (std::size_t i = 0; i != matrix.size(); ++i)
        BOOST_TEST(names[i] == matrix[i].provider);
}

BOOST_AUTO_TEST_CASE(declared_capabilities_agree_with_the_table) {
    llmap::default_registry const reg;
    for (auto const& r : matrix) {
        llmap::any_model const m = reg.make(r.provider);
        for (std::size_t i = 0; i != ncaps; ++i)
            BOOST_TEST(m.supports(caps[i]) == (r.cells[i].kind != how::unsupported),
                       r.provider << " x " << cap_names[i]);
    }
}

BOOST_AUTO_TEST_CASE(every_supported_cell_is_exercised_over_http) {
    std::size_t ran = 0;
    for (auto const& r : matrix)
        for (std::size_t i = 0; i != ncaps; ++i)
            if (r.cells[i].kind != how::unsupported) {
                run_cell(r, i);
                ++ran;
            }
    std::cout << "capability_matrix: " << ran << " cells exercised over HTTP\n";
}

BOOST_AUTO_TEST_CASE(typed_cells_are_exercised_over_http) {
    std::size_t ran = 0;
    for (auto const& r : matrix) {
        if (r.cells[typed_source[0]].kind != how::unsupported) {
            run_typed_output(r);
            ++ran;
        }
        if (r.cells[typed_source[1]].kind != how::unsupported) {
            run_tool_loop(r);
            ++ran;
        }
    }
    std::cout << "capability_matrix: " << ran << " typed cells exercised over HTTP\n";
}

BOOST_AUTO_TEST_CASE(readme_table_is_the_matrix) {
    std::string const readme = fx::read_file(std::filesystem::path(LLMAP_SOURCE_DIR) / "README.md");
    std::string_view const begin = "<!-- capability-matrix:begin -->";
    std::string_view const end = "<!-- capability-matrix:end -->";
    auto const b = readme.find(begin);
    auto const e = readme.find(end);
    std::string const expected = trim(render_table());
    BOOST_TEST_REQUIRE((b != std::string::npos && e != std::string::npos && b < e),
                       "README.md lacks the capability-matrix markers; the table is:\n"
                           << expected);
    std::string const got =
        trim(std::string_view(readme).substr(b + begin.size(), e - b - begin.size()));
    if (got != expected)
        std::cout << "README.md's provider table differs from the matrix; paste this between "
                     "the markers:\n"
                  << expected << "\n";
    BOOST_TEST(got == expected);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------------------------------------
// Portability: one logical request through every provider, by one generic function
// ---------------------------------------------------------------------------------------------

namespace {

constexpr std::string_view portable_system = "PORTABLE-SYSTEM: answer with a tool call.";
constexpr std::string_view portable_user = "PORTABLE-USER: where is order 42?";
constexpr std::string_view portable_tool = "lookup_order";

const json::object order_schema = {{"type", "object"},
                                   {"properties", {{"order_id", {{"type", "integer"}}}}},
                                   {"required", {"order_id"}}};

/// The one function every provider goes through: the same request, whatever the model type.
llmap::response ask_portably(const llmap::default_registry& reg, std::string_view id) {
    llmap::request const req{
        .system = std::string(portable_system),
        .prompt = std::string(portable_user),
        .tools = {{.name = std::string(portable_tool),
                   .description = "Find an order",
                   .parameters = order_schema}},
    };
    return reg.visit(id, [&](auto& model) { return model.complete(req); });
}

/// Messages (or Gemini contents) of role `role` in `list` that carry `text`.
bool role_says(const json::value* list, std::initializer_list<std::string_view> roles,
               std::string_view text, std::string_view role_key = "role") {
    if (!list || !list->is_array())
        return false;
    for (auto const& m : list->as_array()) {
        auto const* r = at_path(m, {role_key});
        if (!r || !r->is_string())
            continue;
        for (auto want : roles)
            if (r->as_string() == want && has_text(m, text))
                return true;
    }
    return false;
}

/// The system text, the user text and the tool, where each wire family carries them.
void check_portable_request(const json::value& body, wire w) {
    bool system = false, user = false;
    switch (w) {
    case wire::chat_completions:
    case wire::ollama:
    case wire::cohere:
        system = role_says(at_path(body, {"messages"}), {"system", "developer"}, portable_system);
        user = role_says(at_path(body, {"messages"}), {"user"}, portable_user);
        break;
    case wire::responses: {
        auto const* instr = at_path(body, {"instructions"});
        system = (instr && has_text(*instr, portable_system)) ||
                 role_says(at_path(body, {"input"}), {"system", "developer"}, portable_system);
        user = role_says(at_path(body, {"input"}), {"user"}, portable_user);
        break;
    }
    case wire::anthropic: {
        auto const* s = at_path(body, {"system"});
        system = s && has_text(*s, portable_system);
        user = role_says(at_path(body, {"messages"}), {"user"}, portable_user);
        break;
    }
    case wire::gemini: {
        auto const* s = at_path(body, {"systemInstruction"});
        system = s && has_text(*s, portable_system);
        user = role_says(at_path(body, {"contents"}), {"user"}, portable_user);
        break;
    }
    }
    BOOST_TEST(system);
    BOOST_TEST(user);
    BOOST_TEST(tool_on_wire(body, w, portable_tool, order_schema));
}

} // namespace

BOOST_AUTO_TEST_SUITE(portability)

// Each provider gets the recorded tool-call answer of its wire (the matrix's tools column:
// its own recording, or the shared Chat Completions one).
BOOST_AUTO_TEST_CASE(one_request_through_every_provider) {
    for (auto const& r : matrix) {
        BOOST_TEST_CONTEXT(r.provider) {
            cell const& tools = r.cells[2];
            BOOST_TEST_REQUIRE((tools.kind != how::unsupported));
            answer a = load(tools.fixture, r.w);
            BOOST_TEST_REQUIRE(!a.stream);
            replay_server srv(std::move(a));
            auto const reg = registry_for(r.provider, srv.base_url(r.w));
            llmap::response const got = ask_portably(reg, r.provider);
            check_portable_request(srv.only_body(), r.w);
            auto const calls = got.tool_calls();
            BOOST_TEST_REQUIRE(!calls.empty());
            BOOST_TEST(!calls.front().name.empty());
            BOOST_TEST(calls.front().arguments.is_object());
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
