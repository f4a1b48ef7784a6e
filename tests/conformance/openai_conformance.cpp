//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Wire conformance of the OpenAI family: the requests llmap really sends, validated by Prism
// 5.14.2 (a validating proxy, installed from the npm registry by
// ../shared/conformance/prism-proxy) against OpenAI's own OpenAPI document.
//
//   llmap --> tap (loopback) --> Prism proxy --errors --> upstream (loopback, canned answers)
//
// The judge (../support/conformance.hpp) sees every request and Prism's whole answer (llmap's
// error message keeps only 300 characters of a 422 body, and the whole list of Prism's violations
// is needed to tell a documented spec fault from a violation of ours). Every call must come back
// without a request violation, except for a request that hits exactly one of the spec faults
// that ../shared/conformance/README.md lists; those are counted and printed with its wording.
// Prism cannot model SSE, so of a streaming call only the request is validated: Prism forwards
// it, then answers 500 with violations of the response only.

#define BOOST_TEST_MODULE conformance_openai
#include "../support/conformance.hpp"

#include <llmap/detail/base64.hpp>
#include <llmap/providers/openai_compatible.hpp>
#include <llmap/registry.hpp>

#include <array>
#include <bit>
#include <cstdint>

namespace {

using namespace llmap::test::conformance;
constexpr std::string_view api_key = "sk-conformance-0123456789";

// ---- upstream: minimal answers that the spec accepts ------------------------------------

json::object chat_completion() {
    return json::parse(R"({"id":"chatcmpl-1","object":"chat.completion","created":1,
        "model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant",
        "content":"Hello.","refusal":null},"finish_reason":"stop","logprobs":null}],
        "usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}})")
        .as_object();
}

json::object responses_answer() {
    return json::parse(R"({"id":"resp_1","object":"response","created_at":1,
        "status":"completed","error":null,"incomplete_details":null,"instructions":null,
        "model":"gpt-4o-mini","tools":[],"output":[{"type":"message","id":"msg_1",
        "status":"completed","role":"assistant","content":[{"type":"output_text",
        "text":"Hello.","annotations":[],"logprobs":[]}]}],"parallel_tool_calls":true,
        "metadata":{},"tool_choice":"auto","temperature":1,"top_p":1,
        "usage":{"input_tokens":1,"input_tokens_details":{"cached_tokens":0,
        "cache_write_tokens":0},"output_tokens":1,"output_tokens_details":
        {"reasoning_tokens":0},"total_tokens":2}})")
        .as_object();
}

constexpr std::string_view chat_sse =
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
    "\"content\":\"Hello.\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
    "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":"
    "\"stop\"}]}\n\n"
    "data: [DONE]\n\n";

std::string responses_sse() {
    json::object done{{"type", "response.completed"}, {"response", responses_answer()}};
    return "event: response.output_text.delta\ndata: "
           "{\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"output_index\":0,"
           "\"content_index\":0,\"delta\":\"Hello.\"}\n\n"
           "event: response.completed\ndata: " +
           json::serialize(done) + "\n\n";
}

json::object embeddings_answer(const json::object& req) {
    bool const b64 = req.contains("encoding_format") && req.at("encoding_format") == "base64";
    std::array<float, 2> const v{0.5f, 0.25f};
    std::string bytes;
    for (float f : v) {
        auto const bits = std::bit_cast<std::uint32_t>(f);
        for (int i = 0; i != 4; ++i)
            bytes += static_cast<char>((bits >> (8 * i)) & 0xff);
    }
    json::array data;
    std::size_t const n =
        req.contains("input") && req.at("input").is_array() ? req.at("input").as_array().size() : 1;
    for (std::size_t i = 0; i != n; ++i) {
        json::value e = b64 ? json::value(llmap::detail::base64_encode(bytes))
                            : json::value(json::array{0.5, 0.25});
        data.push_back({{"object", "embedding"}, {"index", i}, {"embedding", e}});
    }
    return {{"object", "list"},
            {"data", std::move(data)},
            {"model", "text-embedding-3-small"},
            {"usage", {{"prompt_tokens", 1}, {"total_tokens", 1}}}};
}

// Mistral's spec closes its assistant message (no `refusal`), and wants an id and all three
// token counts on embedding answers.
json::object mistral_shaped(json::object answer) {
    if (auto* choices = answer.if_contains("choices"))
        for (auto& c : choices->as_array()) {
            c.as_object().erase("logprobs");
            c.as_object()["message"].as_object().erase("refusal");
        }
    if (!answer.contains("id")) { // an embedding answer
        answer["id"] = "emb-1";
        answer["usage"] = {{"prompt_tokens", 1}, {"completion_tokens", 0}, {"total_tokens", 1}};
    }
    return answer;
}

void upstream_handler(const ts::test_server::request& req, ts::test_session& s) {
    json::object const body = body_of(req);
    bool const stream = body.contains("stream") && body.at("stream") == true;
    std::string target(req.target());
    // Mistral's paths keep their /v1 (OpenAI's spec has none).
    bool const mistral = target.starts_with("/v1/");
    if (mistral) {
        target.erase(0, 3);
        if (target == "/chat/completions" && !stream)
            return s.respond(200, json::serialize(mistral_shaped(chat_completion())),
                             {{"Content-Type", "application/json"}});
        if (target == "/embeddings")
            return s.respond(200, json::serialize(mistral_shaped(embeddings_answer(body))),
                             {{"Content-Type", "application/json"}});
    }
    if (stream && (target == "/chat/completions" || target == "/responses")) {
        std::string const sse = target == "/responses" ? responses_sse() : std::string(chat_sse);
        s.respond(200, sse, {{"Content-Type", "text/event-stream"}});
    } else if (target == "/chat/completions") {
        s.respond(200, json::serialize(chat_completion()), {{"Content-Type", "application/json"}});
    } else if (target == "/responses") {
        s.respond(200, json::serialize(responses_answer()), {{"Content-Type", "application/json"}});
    } else if (target == "/embeddings") {
        s.respond(200, json::serialize(embeddings_answer(body)),
                  {{"Content-Type", "application/json"}});
    } else {
        s.respond(404, R"({"error":{"message":"no such path"}})",
                  {{"Content-Type", "application/json"}});
    }
}

// ---- one conformance run ------------------------------------------------------------------

using providers = llmap::registry<llmap::openai, llmap::openai_chat, llmap::mistral>;

// True if every violation is the InputItem oneOf overlap on user messages made of input_*
// parts: the item matched two branches (a real mismatch would also list nested errors).
bool only_input_item_fault(const json::object& request, const json::array& validation) {
    auto const* input = request.if_contains("input");
    if (!input || !input->is_array() || validation.empty())
        return false;
    bool item_flagged = false;
    for (auto const& v : validation) {
        auto const& loc = v.at("location").as_array();
        std::string_view const code = v.at("code").as_string();
        if (loc.size() == 2 && loc[0] == "body" && loc[1] == "input" &&
            (code == "oneOf" || code == "type"))
            continue; // the top-level string|array union, failing because of the item
        if (loc.size() != 3 || loc[0] != "body" || loc[1] != "input" || code != "oneOf")
            return false;
        std::size_t const i = std::stoul(std::string(loc[2].as_string()));
        if (i >= input->as_array().size())
            return false;
        auto const& item = input->as_array()[i];
        if (!item.is_object() || item.as_object().if_contains("role") == nullptr ||
            item.at("role") != "user" || !item.at("content").is_array())
            return false;
        for (auto const& part : item.at("content").as_array())
            if (!part.at("type").as_string().starts_with("input_"))
                return false;
        item_flagged = true;
    }
    return item_flagged;
}

// True if every violation is of the response and is the array-only `embedding`.
bool only_embedding_fault(const json::array& validation) {
    return only_at(validation, {"response", "body", "data", "*", "embedding"});
}

// True if the only violation is Mistral's chat answer lacking `data` (no chat answer has it).
bool only_mistral_data_fault(const json::array& validation) {
    if (validation.size() != 1)
        return false;
    auto const& v = validation[0];
    auto const& loc = v.at("location").as_array();
    return loc.size() == 2 && loc[0] == "response" && loc[1] == "body" &&
           v.at("code") == "required" &&
           std::string_view(v.at("message").as_string()).find("'data'") != std::string_view::npos;
}

// The README's own words for the faults of the OpenAI and Mistral specs.
constexpr spec_fault input_item_fault{
    "Responses `InputItem` oneOf overlaps, so "
    "`{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}` is wrongly flagged",
    side::request, only_input_item_fault};
constexpr spec_fault mistral_data_fault{"response `required: [\"data\"]` never holds", side::answer,
                                        [](const json::object&, const json::array& validation) {
                                            return only_mistral_data_fault(validation);
                                        }};
// Accepted on the base64 embedding request only.
constexpr spec_fault embedding_fault{"`Embedding.embedding` array-only (base64 answers are legal)",
                                     side::answer,
                                     [](const json::object&, const json::array& validation) {
                                         return only_embedding_fault(validation);
                                     }};

/// The world of one test. @param spec the spec file in specs/; @param base_path the path the
/// spec's paths are under (OpenAI's have no /v1, Mistral's do).
world<providers>::options world_of(std::string label, std::string spec, std::string base_path) {
    return {.label = std::move(label),
            .spec = std::move(spec),
            .upstream = upstream_handler,
            .make =
                [](auto const& c) {
                    return providers{{"openai", c}, {"openai-chat", c}, {"mistral", c}};
                },
            .api_key = std::string(api_key),
            .base_path = std::move(base_path),
            .faults = {&input_item_fault, &mistral_data_fault}};
}

// ---- scenarios ----------------------------------------------------------------------------

std::vector<std::pair<std::string, llmap::request>> scenarios() {
    std::vector<std::pair<std::string, llmap::request>> out;
    out.emplace_back("simple prompt", llmap::request{.prompt = "Say hello."});
    out.emplace_back("system + user", reference_request());
    out.emplace_back("tools + tool choice",
                     weather_question(llmap::tool_choice::specific("get_weather")));
    out.emplace_back("tools, required choice", weather_question(llmap::tool_choice::required()));
    out.emplace_back("json schema format", city_question());
    out.emplace_back("image by URL", llmap::request{.messages = {image_by_url()}});
    out.emplace_back("image as base64 bytes", llmap::request{.messages = {image_as_bytes()}});
    out.emplace_back("tool round trip", llmap::request{.messages = weather_round_trip("call_1"),
                                                       .tools = {weather_tool()}});
    out.emplace_back("typed schema and tools", test::typed::scenario());
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(openai_requests_conform_to_the_openapi_spec) {
    world<providers> w(world_of("conformance.openai", "openai-openapi.json", ""));

    auto chat = w.reg.model<"openai-chat:gpt-4o-mini">();
    auto responses = w.reg.model<"openai:gpt-4o-mini">();
    for (auto const& [name, req] : scenarios()) {
        w.complete("chat/" + name, chat, req);
        w.complete("responses/" + name, responses, req);
    }
    llmap::request const reference = reference_request();
    // The reference scenario, checked against the bodies the official SDK and the AI SDK sent.
    w.complete("chat/reference", chat, reference);
    w.sent_as("openai-sdk/chat");
    w.stream("chat/reference stream", chat, reference);
    w.sent_as("openai-sdk/chat-stream");
    w.complete("responses/reference", responses, reference);
    w.sent_as("ai-sdk/openai(default=responses)/generateText");
    w.stream("responses/reference stream", responses, reference);
    w.sent_as("ai-sdk/openai(default=responses)/streamText");

    // Streams of the other scenarios: their requests too.
    for (auto const& [name, req] : scenarios()) {
        if (name == "system + user")
            continue; // the reference stream above
        w.stream("chat/stream " + name, chat, req);
        w.stream("responses/stream " + name, responses, req);
    }

    auto embedder = w.reg.model<"openai:text-embedding-3-small">();
    w.check("embeddings/float", kind::answer,
            [&] { embedder.embed(llmap::embedding_request{.inputs = {"hello"}}); });
    w.sent_as("ai-sdk/openai.embedding/embed");
    w.check("embeddings/float, dimensions", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}, .dimensions = 2});
    });
    w.check("embeddings/base64", kind::answer,
            [&] {
                embedder.embed(llmap::embedding_request{
                    .inputs = {"hello", "world"},
                    .provider_options = {{"openai", {{"encoding_format", "base64"}}}}});
            },
            {&embedding_fault});

    w.summary();
    BOOST_TEST(w.n.violations == 0);
}

BOOST_AUTO_TEST_CASE(mistral_requests_conform_to_its_openapi_spec) {
    world<providers> w(world_of("conformance.mistral", "mistral-openapi.json", "/v1"));
    auto chat = w.reg.model<"mistral:mistral-small-latest">();
    for (auto const& [name, req] : scenarios()) {
        w.complete("mistral/" + name, chat, req);
        w.stream("mistral/stream " + name, chat, req);
    }
    llmap::request reference = reference_request();
    reference.seed = 7;
    w.complete("mistral/reference + seed", chat, reference);
    // The official SDK's body, plus the seed under Mistral's name for it.
    auto expected = reference_body("mistral-sdk/chat").as_object();
    expected.erase("stream"); // the SDK sends stream:false; absent means the same
    expected["random_seed"] = 7;
    BOOST_TEST(w.last_body() == json::value(expected), "mistral vs mistral-sdk/chat");
    auto embedder = w.reg.model<"mistral:mistral-embed">();
    w.check("mistral/embeddings", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
    });
    w.check("mistral/embeddings, dimensions", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello"}, .dimensions = 256});
    });
    w.summary();
    BOOST_TEST(w.n.violations == 0);
}
