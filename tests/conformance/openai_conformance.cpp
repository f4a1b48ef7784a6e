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
// The tap passes every request and answer through unchanged and records both: llmap's error
// message keeps only 300 characters of a 422 body, and the whole list of Prism's violations is
// needed to tell a documented spec fault from a violation of ours. Every call must come back
// without a request violation, except for a request that hits exactly one of the spec faults
// that ../shared/conformance/README.md lists; those are counted and printed with its wording.
// Prism cannot model SSE, so of a streaming call only the request is validated: Prism forwards
// it, then answers 500 with violations of the response only.

#define BOOST_TEST_MODULE conformance_openai
#include "../support/prism.hpp"
#include "../support/typed_scenario.hpp"

#include <llmap/detail/base64.hpp>
#include <llmap/providers/openai_compatible.hpp>
#include <llmap/registry.hpp>

#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#ifndef LLMAP_SOURCE_DIR
#error "LLMAP_SOURCE_DIR must name the source tree (the build defines it)"
#endif

namespace json = boost::json;
namespace ts = llmap::test;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

using namespace llmap::test::prism;
constexpr std::string_view api_key = "sk-conformance-0123456789";

// The README's own words for the faults of the OpenAI spec.
constexpr std::string_view input_item_fault =
    "Responses `InputItem` oneOf overlaps, so "
    "`{\"role\":\"user\",\"content\":[{\"type\":\"input_text\"}]}` is wrongly flagged";
constexpr std::string_view embedding_fault =
    "`Embedding.embedding` array-only (base64 answers are legal)";
constexpr std::string_view mistral_data_fault = "response `required: [\"data\"]` never holds";

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
    json::object body;
    boost::system::error_code ec;
    if (auto v = json::parse(req.body(), ec); !ec && v.is_object())
        body = v.as_object();
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

struct tally {
    int validated = 0;  // requests Prism validated
    int clean = 0;      // ... and passed
    int violations = 0; // requests with a violation that is ours
    int spec_faults = 0;
    int streams = 0; // streaming requests validated and forwarded
};

/// The world of one test: upstream, Prism, tap, and a registry pointed at the tap.
struct fixture {
    /// @param spec the spec file in specs/; @param base_path the path the spec's paths
    /// are under (OpenAI's have no /v1, Mistral's do).
    fixture(std::string const& spec, std::string const& base_path)
        : prism(conformance_dir + "/specs/" + spec, upstream.url(""), prism_port),
          reg(make_registry(base_path)) {}

    ts::test_server upstream{upstream_handler};
    unsigned short prism_port = free_port();
    prism_proxy prism;
    tap t{prism_port};
    ts::test_server front{std::ref(t)};
    providers reg;
    tally n;

    providers make_registry(std::string const& base_path) {
        llmap::provider_config c;
        c.api_key = std::string(api_key);
        c.base_url = front.url(base_path);
        c.transport.retry.max_retries = 0;
        return providers{{"openai", c}, {"openai-chat", c}, {"mistral", c}};
    }
};

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
    if (validation.empty())
        return false;
    for (auto const& v : validation) {
        auto const& loc = v.at("location").as_array();
        if (loc.size() != 5 || loc[0] != "response" || loc[1] != "body" || loc[2] != "data" ||
            loc[4] != "embedding")
            return false;
    }
    return true;
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

enum class kind { answer, stream, embedding_base64 };

/** Run `call` (one request through llmap), then judge what Prism said of it. */
template <class Call>
void check(fixture& f, std::string const& name, kind k, Call&& call) {
    auto const before = f.t.log().size();
    auto const upstream_before = f.upstream.request_count();
    std::optional<llmap::error> failure;
    try {
        call();
    } catch (llmap::error const& e) {
        failure = e;
    }
    auto const log = f.t.log();
    BOOST_REQUIRE_MESSAGE(log.size() == before + 1, name << ": expected one request on the wire");
    tapped const& x = log.back();
    ++f.n.validated;
    json::object const sent = json::parse(x.request_body).as_object();
    json::array validation;
    if (x.status >= 400) {
        boost::system::error_code ec;
        auto const v = json::parse(x.response_body, ec);
        if (!ec && v.is_object() && v.as_object().contains("validation"))
            validation = v.at("validation").as_array();
    }
    bool const forwarded = f.upstream.request_count() == upstream_before + 1;
    if (forwarded) // what reached upstream is what llmap sent
        BOOST_TEST(json::parse(f.upstream.requests().back().body) == json::value(sent), name);

    if (x.status == 422) {
        BOOST_TEST((failure && failure->code() == llmap::errc::http_error &&
                    failure->http_status() == 422),
                   name << ": a 422 must reach the caller as llmap::error http_error 422");
        if (only_input_item_fault(sent, validation)) {
            ++f.n.spec_faults;
            std::cout << "  " << name << ": spec fault, not ours: " << input_item_fault
                      << list_violations(validation) << "\n";
            return;
        }
        ++f.n.violations;
        BOOST_ERROR(name << ": Prism rejected llmap's request (HTTP 422)"
                         << list_violations(validation)
                         << "\n  llmap: " << (failure ? failure->what() : "(no error)")
                         << "\n  body: " << x.request_body);
        return;
    }
    if (k == kind::stream) {
        // Prism forwards a valid streaming request and then flags the SSE answer.
        BOOST_TEST(forwarded, name << ": the streaming request was not forwarded upstream");
        bool const ok = x.status < 300 || (x.status == 500 && only_response_violations(validation));
        BOOST_TEST(ok, name << ": HTTP " << x.status << list_violations(validation));
        if (ok && forwarded) {
            ++f.n.streams;
            ++f.n.clean;
            std::cout << "  " << name << ": request valid and forwarded (the SSE answer is not "
                      << "validated: Prism flags " << validation.size()
                      << " response violations)\n";
        }
        return;
    }
    if (x.status == 500 && only_mistral_data_fault(validation)) {
        BOOST_TEST(forwarded, name);
        ++f.n.spec_faults;
        std::cout << "  " << name << ": request valid and forwarded; answer hits spec fault, not "
                  << "ours: " << mistral_data_fault << list_violations(validation) << "\n";
        return;
    }
    if (k == kind::embedding_base64 && x.status == 500 && only_embedding_fault(validation)) {
        BOOST_TEST(forwarded, name);
        ++f.n.spec_faults;
        std::cout << "  " << name << ": request valid and forwarded; answer hits spec fault, not "
                  << "ours: " << embedding_fault << list_violations(validation) << "\n";
        return;
    }
    if (x.status >= 300 || failure) {
        ++f.n.violations;
        BOOST_ERROR(name << ": HTTP " << x.status << list_violations(validation)
                         << "\n  llmap: " << (failure ? failure->what() : "(no error)")
                         << "\n  body: " << x.request_body);
        return;
    }
    BOOST_TEST(forwarded, name);
    ++f.n.clean;
    std::cout << "  " << name << ": valid\n";
}

// ---- scenarios ----------------------------------------------------------------------------

llmap::tool weather_tool() {
    return {.name = "get_weather",
            .description = "Current weather for a city.",
            .parameters = json::parse(R"({"type":"object",
                "properties":{"city":{"type":"string","description":"City name"},
                              "unit":{"type":"string","enum":["celsius","fahrenheit"]}},
                "required":["city"],"additionalProperties":false})")
                              .as_object()};
}

std::vector<std::pair<std::string, llmap::request>> scenarios() {
    std::vector<std::pair<std::string, llmap::request>> out;
    out.emplace_back("simple prompt", llmap::request{.prompt = "Say hello."});
    out.emplace_back("system + user", llmap::request{.system = "You are a terse assistant.",
                                                     .prompt = "Say hello.",
                                                     .max_output_tokens = 64,
                                                     .temperature = 0.2});
    out.emplace_back("tools + tool choice",
                     llmap::request{.prompt = "Weather in Paris?",
                                    .tools = {weather_tool()},
                                    .tool_choice = llmap::tool_choice::specific("get_weather")});
    out.emplace_back("tools, required choice",
                     llmap::request{.prompt = "Weather in Paris?",
                                    .tools = {weather_tool()},
                                    .tool_choice = llmap::tool_choice::required()});
    out.emplace_back("json schema format",
                     llmap::request{.prompt = "Name a city.",
                                    .format = llmap::response_format::json_schema(
                                        "city", json::parse(R"({"type":"object",
                               "properties":{"name":{"type":"string"}},
                               "required":["name"],"additionalProperties":false})")
                                                    .as_object())});
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        m.content.emplace_back(llmap::image_part::from_url("https://example.com/cat.png"));
        out.emplace_back("image by URL", llmap::request{.messages = {m}});
    }
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        // A 1x1 PNG's first bytes; content does not matter to the spec.
        m.content.emplace_back(llmap::image_part::from_bytes(
            {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a}, "image/png"));
        out.emplace_back("image as base64 bytes", llmap::request{.messages = {m}});
    }
    {
        llmap::message call{.role = llmap::role::assistant};
        call.content.emplace_back(llmap::tool_call_part{
            .id = "call_1", .name = "get_weather", .arguments = {{"city", "Paris"}}});
        llmap::message result{.role = llmap::role::tool};
        result.content.emplace_back(llmap::tool_result_part{
            .tool_call_id = "call_1", .name = "get_weather", .result = {{"temp_c", 18}}});
        out.emplace_back(
            "tool round trip",
            llmap::request{.messages = {llmap::message::user("Weather in Paris?"), call, result},
                           .tools = {weather_tool()}});
    }
    out.emplace_back("typed schema and tools", test::typed::scenario());
    return out;
}

json::value reference_body(std::string_view label) {
    std::ifstream in(conformance_dir + "/sdk-requests/requests.jsonl");
    BOOST_REQUIRE_MESSAGE(in, "cannot read sdk-requests/requests.jsonl");
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        auto const v = json::parse(line);
        if (v.at("label").as_string() == label)
            return v.at("body");
    }
    BOOST_FAIL("no reference request labelled " << label);
    return {};
}

} // namespace

BOOST_AUTO_TEST_CASE(openai_requests_conform_to_the_openapi_spec) {
    auto const start = std::chrono::steady_clock::now();
    fixture f("openai-openapi.json", "");
    std::cout << "conformance.openai: Prism up after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                         .count() /
                     1000.0
              << " s\n";

    auto chat = f.reg.model<"openai-chat:gpt-4o-mini">();
    auto responses = f.reg.model<"openai:gpt-4o-mini">();
    // (No structured bindings: Clang 14 cannot capture them in the lambdas below.)
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        check(f, "chat/" + name, kind::answer, [&] { chat.complete(req); });
        check(f, "responses/" + name, kind::answer, [&] { responses.complete(req); });
    }
    llmap::request const reference{.system = "You are a terse assistant.",
                                   .prompt = "Say hello.",
                                   .max_output_tokens = 64,
                                   .temperature = 0.2};
    // The reference scenario, checked against the bodies the official SDK and the AI SDK sent.
    auto wire_body = [&] { return json::parse(f.t.log().back().request_body); };
    check(f, "chat/reference", kind::answer, [&] { chat.complete(reference); });
    BOOST_TEST(wire_body() == reference_body("openai-sdk/chat"), "chat vs openai-sdk/chat");
    check(f, "chat/reference stream", kind::stream,
          [&] { chat.stream(reference, [](llmap::stream_event const&) {}); });
    BOOST_TEST(wire_body() == reference_body("openai-sdk/chat-stream"),
               "chat stream vs openai-sdk/chat-stream");
    check(f, "responses/reference", kind::answer, [&] { responses.complete(reference); });
    BOOST_TEST(wire_body() == reference_body("ai-sdk/openai(default=responses)/generateText"),
               "responses vs ai-sdk generateText");
    check(f, "responses/reference stream", kind::stream,
          [&] { responses.stream(reference, [](llmap::stream_event const&) {}); });
    BOOST_TEST(wire_body() == reference_body("ai-sdk/openai(default=responses)/streamText"),
               "responses stream vs ai-sdk streamText");

    // Streams of the other scenarios: their requests too.
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        if (name == "system + user")
            continue; // the reference stream above
        check(f, "chat/stream " + name, kind::stream,
              [&] { chat.stream(req, [](llmap::stream_event const&) {}); });
        check(f, "responses/stream " + name, kind::stream,
              [&] { responses.stream(req, [](llmap::stream_event const&) {}); });
    }

    auto embedder = f.reg.model<"openai:text-embedding-3-small">();
    check(f, "embeddings/float", kind::answer,
          [&] { embedder.embed(llmap::embedding_request{.inputs = {"hello"}}); });
    BOOST_TEST(wire_body() == reference_body("ai-sdk/openai.embedding/embed"),
               "embeddings vs ai-sdk/openai.embedding/embed");
    check(f, "embeddings/float, dimensions", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}, .dimensions = 2});
    });
    check(f, "embeddings/base64", kind::embedding_base64, [&] {
        embedder.embed(llmap::embedding_request{
            .inputs = {"hello", "world"},
            .provider_options = {{"openai", {{"encoding_format", "base64"}}}}});
    });

    auto const secs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count() /
                      1000.0;
    std::cout << "conformance.openai: " << f.n.validated
              << " requests validated by Prism: " << f.n.clean << " valid (" << f.n.streams
              << " streaming requests forwarded), " << f.n.violations << " violations of ours, "
              << f.n.spec_faults << " documented spec faults hit; " << secs << " s\n";
    BOOST_TEST(f.n.violations == 0);
}

BOOST_AUTO_TEST_CASE(mistral_requests_conform_to_its_openapi_spec) {
    fixture f("mistral-openapi.json", "/v1");
    auto chat = f.reg.model<"mistral:mistral-small-latest">();
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        check(f, "mistral/" + name, kind::answer, [&] { chat.complete(req); });
        check(f, "mistral/stream " + name, kind::stream,
              [&] { chat.stream(req, [](llmap::stream_event const&) {}); });
    }
    llmap::request const reference{.system = "You are a terse assistant.",
                                   .prompt = "Say hello.",
                                   .max_output_tokens = 64,
                                   .temperature = 0.2,
                                   .seed = 7};
    check(f, "mistral/reference + seed", kind::answer, [&] { chat.complete(reference); });
    // The official SDK's body, plus the seed under Mistral's name for it.
    auto expected = reference_body("mistral-sdk/chat").as_object();
    expected.erase("stream"); // the SDK sends stream:false; absent means the same
    expected["random_seed"] = 7;
    BOOST_TEST(json::parse(f.t.log().back().request_body) == json::value(expected),
               "mistral vs mistral-sdk/chat");
    auto embedder = f.reg.model<"mistral:mistral-embed">();
    check(f, "mistral/embeddings", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
    });
    check(f, "mistral/embeddings, dimensions", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello"}, .dimensions = 256});
    });
    std::cout << "conformance.mistral: " << f.n.validated
              << " requests validated by Prism: " << f.n.clean << " valid (" << f.n.streams
              << " streaming requests forwarded), " << f.n.violations << " violations of ours, "
              << f.n.spec_faults << " documented spec faults hit\n";
    BOOST_TEST(f.n.violations == 0);
}
