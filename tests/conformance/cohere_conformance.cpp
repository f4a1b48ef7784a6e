//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Wire conformance of llmap::cohere: the requests llmap really sends, validated by Prism
// 5.14.2 (a validating proxy, installed from the npm registry by
// ../shared/conformance/prism-proxy) against Cohere's own OpenAPI document.
//
//   llmap --> tap (loopback) --> Prism proxy --errors --> upstream (loopback, canned answers)
//
// The tap (../support/prism.hpp) passes every request and answer through unchanged and records
// both, so that the whole list of Prism's violations can be judged. Every call must come back
// without a violation of ours. Cohere's spec describes the events of a stream only in its
// `x-fern-streaming` extension, which Prism does not read (a documented spec fault): of a
// streaming call Prism validates the request, forwards it, then flags the SSE answer; those
// answers are counted as hits of the fault, by their shape (violations of the response only).

#define BOOST_TEST_MODULE conformance_cohere
#include "../support/prism.hpp"
#include "../support/typed_scenario.hpp"

#include <llmap/providers/cohere.hpp>
#include <llmap/registry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#ifndef LLMAP_SOURCE_DIR
#error "LLMAP_SOURCE_DIR must name the source tree (the build defines it)"
#endif

namespace json = boost::json;
namespace ts = llmap::test;

namespace {

using namespace llmap::test::prism;
constexpr std::string_view api_key = "co-conformance-0123456789";

// The README's own words for the fault of the Cohere spec.
constexpr std::string_view stream_fault = "stream events only in `x-fern-streaming`";

// Not in the README's table: `ResponseFormatV2` is a oneOf of a text format and a JSON format
// whose `type` enums both hold "json_object" (and neither forbids other properties), so every
// JSON format (`{"type":"json_object"}`, with or without `json_schema`) matches both branches
// and Prism rejects it. Cohere's API reference and the AI SDK send exactly that body.
constexpr std::string_view response_format_fault =
    "`ResponseFormatV2` oneOf overlaps (both branches take type \"json_object\"), so every "
    "JSON response format is wrongly flagged";

// ---- upstream: minimal answers that the spec accepts ------------------------------------

constexpr std::string_view chat_answer =
    R"({"id":"c1","finish_reason":"COMPLETE","message":{"role":"assistant",
        "content":[{"type":"text","text":"Hello."}]},
        "usage":{"billed_units":{"input_tokens":3,"output_tokens":2},
        "tokens":{"input_tokens":10,"output_tokens":3},"cached_tokens":0}})";

constexpr std::string_view chat_sse =
    "event: message-start\ndata: {\"id\":\"c1\",\"type\":\"message-start\",\"delta\":{\"message\":"
    "{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":"
    "[]}}}\n\n"
    "event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":"
    "{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n"
    "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":"
    "{\"content\":{\"text\":\"Hello.\"}}}}\n\n"
    "event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n"
    "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":"
    "\"COMPLETE\",\"usage\":{\"tokens\":{\"input_tokens\":10,\"output_tokens\":3}}}}\n\n"
    "data: [DONE]\n\n";

json::object embed_answer(const json::object& req) {
    std::size_t const n =
        req.contains("texts") && req.at("texts").is_array() ? req.at("texts").as_array().size() : 1;
    json::array vectors;
    for (std::size_t i = 0; i != n; ++i)
        vectors.push_back(json::array{0.5, 0.25});
    // The spec's EmbedByTypeResponse requires a top-level `api_version`, which Cohere's real
    // answers do not have (they carry `meta.api_version`: see the recorded ones in
    // ../shared/fixtures); the canned answer has both, so that Prism passes it on.
    return {
        {"id", "e1"},
        {"api_version", {{"version", "2"}}},
        {"response_type", "embeddings_by_type"},
        {"embeddings", {{"float", std::move(vectors)}}},
        {"texts", req.contains("texts") ? req.at("texts") : json::array()},
        {"meta", {{"api_version", {{"version", "2"}}}, {"billed_units", {{"input_tokens", 2}}}}}};
}

void upstream_handler(const ts::test_server::request& req, ts::test_session& s) {
    json::object body;
    boost::system::error_code ec;
    if (auto v = json::parse(req.body(), ec); !ec && v.is_object())
        body = v.as_object();
    bool const stream = body.contains("stream") && body.at("stream") == true;
    std::string const target(req.target());
    if (target == "/v2/chat" && stream)
        s.respond(200, chat_sse, {{"Content-Type", "text/event-stream"}});
    else if (target == "/v2/chat")
        s.respond(200, chat_answer, {{"Content-Type", "application/json"}});
    else if (target == "/v2/embed")
        s.respond(200, json::serialize(embed_answer(body)), {{"Content-Type", "application/json"}});
    else
        s.respond(404, R"({"message":"no such path"})", {{"Content-Type", "application/json"}});
}

// ---- one conformance run ------------------------------------------------------------------

using providers = llmap::registry<llmap::cohere>;

struct tally {
    int validated = 0;     // requests Prism validated
    int clean = 0;         // ... and passed
    int violations = 0;    // requests with a violation that is ours
    int stream_faults = 0; // SSE answers flagged: stream events only in x-fern-streaming
    int format_faults = 0; // JSON response formats flagged: the ResponseFormatV2 overlap
    int streams = 0;       // streaming requests validated and forwarded
};

/// The world of one test: upstream, Prism, tap, and a registry pointed at the tap.
struct fixture {
    ts::test_server upstream{upstream_handler};
    unsigned short prism_port = free_port();
    prism_proxy prism{conformance_dir + "/specs/cohere-openapi.json", upstream.url(""), prism_port};
    tap t{prism_port};
    ts::test_server front{std::ref(t)};
    providers reg = make_registry();
    tally n;

    providers make_registry() {
        llmap::provider_config c;
        c.api_key = std::string(api_key);
        c.base_url = front.url("");
        c.transport.retry.max_retries = 0;
        return providers{{"cohere", c}};
    }
};

// True if every violation is the ResponseFormatV2 oneOf overlap on a JSON format.
bool only_response_format_fault(const json::object& request, const json::array& validation) {
    auto const* format = request.if_contains("response_format");
    if (!format || !format->is_object() || format->as_object().if_contains("type") == nullptr ||
        format->at("type") != "json_object" || validation.empty())
        return false;
    for (auto const& v : validation) {
        auto const& loc = v.at("location").as_array();
        if (loc.size() != 2 || loc[0] != "body" || loc[1] != "response_format" ||
            v.at("code") != "oneOf")
            return false;
    }
    return true;
}

enum class kind { answer, stream };

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

    if (x.status == 422 && only_response_format_fault(sent, validation)) {
        BOOST_TEST((failure && failure->code() == llmap::errc::http_error &&
                    failure->http_status() == 422),
                   name << ": a 422 must reach the caller as llmap::error http_error 422");
        ++f.n.format_faults;
        std::cout << "  " << name << ": spec fault, not ours: " << response_format_fault
                  << list_violations(validation) << "\n";
        return;
    }
    if (k == kind::stream) {
        BOOST_TEST(forwarded, name << ": the streaming request was not forwarded upstream");
        if (x.status < 300) {
            BOOST_TEST(!failure, name << ": " << (failure ? failure->what() : ""));
            ++f.n.streams;
            ++f.n.clean;
            std::cout << "  " << name << ": request valid and forwarded\n";
        } else if (x.status == 500 && only_response_violations(validation) && forwarded) {
            ++f.n.streams;
            ++f.n.clean;
            ++f.n.stream_faults;
            std::cout << "  " << name << ": request valid and forwarded; the SSE answer hits the "
                      << "spec fault, not ours: " << stream_fault << " (" << validation.size()
                      << " response violations)\n";
        } else {
            ++f.n.violations;
            BOOST_ERROR(name << ": HTTP " << x.status << list_violations(validation)
                             << "\n  body: " << x.request_body);
        }
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
    out.emplace_back("sampling", llmap::request{.prompt = "Say hello.",
                                                .top_p = 0.9,
                                                .top_k = 40,
                                                .stop_sequences = {"END"},
                                                .seed = 7});
    out.emplace_back("tools + tool choice",
                     llmap::request{.prompt = "Weather in Paris?",
                                    .tools = {weather_tool()},
                                    .tool_choice = llmap::tool_choice::specific("get_weather")});
    out.emplace_back("tools, required choice",
                     llmap::request{.prompt = "Weather in Paris?",
                                    .tools = {weather_tool()},
                                    .tool_choice = llmap::tool_choice::required()});
    out.emplace_back("tools, no tool", llmap::request{.prompt = "Weather in Paris?",
                                                      .tools = {weather_tool()},
                                                      .tool_choice = llmap::tool_choice::none()});
    out.emplace_back("json schema format",
                     llmap::request{.prompt = "Name a city.",
                                    .format = llmap::response_format::json_schema(
                                        "city", json::parse(R"({"type":"object",
                               "properties":{"name":{"type":"string"}},
                               "required":["name"],"additionalProperties":false})")
                                                    .as_object())});
    out.emplace_back("json format", llmap::request{.prompt = "Name a city.",
                                                   .format = llmap::response_format::json()});
    out.emplace_back("reasoning", llmap::request{.prompt = "2 + 2?",
                                                 .reasoning = llmap::reasoning_effort::medium});
    out.emplace_back("reasoning off", llmap::request{.prompt = "2 + 2?",
                                                     .reasoning = llmap::reasoning_effort::none});
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        m.content.emplace_back(llmap::image_part::from_url("https://example.com/cat.png"));
        out.emplace_back("image by URL", llmap::request{.messages = {m}});
    }
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        // A PNG's first bytes; content does not matter to the spec.
        m.content.emplace_back(llmap::image_part::from_bytes(
            {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a}, "image/png"));
        out.emplace_back("image as base64 bytes", llmap::request{.messages = {m}});
    }
    {
        llmap::message m = llmap::message::user("Summarise the document.");
        m.content.emplace_back(
            llmap::file_part::from_bytes({'H', 'i', '.'}, "text/plain", "a.txt"));
        out.emplace_back("text document", llmap::request{.messages = {m}});
    }
    {
        llmap::message call{.role = llmap::role::assistant};
        call.content.emplace_back(llmap::text_part{"I will look up the weather."});
        call.content.emplace_back(llmap::tool_call_part{
            .id = "call_1", .name = "get_weather", .arguments = {{"city", "Paris"}}});
        llmap::message result{.role = llmap::role::tool};
        result.content.emplace_back(llmap::tool_result_part{
            .tool_call_id = "call_1", .name = "get_weather", .result = {{"temp_c", 18}}});
        llmap::message answer = llmap::message::assistant("It is 18 degrees.");
        out.emplace_back(
            "tool round trip",
            llmap::request{.messages = {llmap::message::user("Weather in Paris?"), call, result,
                                        answer, llmap::message::user("Thanks.")},
                           .tools = {weather_tool()}});
    }
    {
        llmap::message thought{.role = llmap::role::assistant};
        thought.content.emplace_back(llmap::reasoning_part{"Two and two make four."});
        thought.content.emplace_back(llmap::text_part{"4"});
        out.emplace_back("reasoning sent back",
                         llmap::request{.messages = {llmap::message::user("2 + 2?"), thought,
                                                     llmap::message::user("And 3 + 3?")}});
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

BOOST_AUTO_TEST_CASE(cohere_requests_conform_to_the_openapi_spec) {
    auto const start = std::chrono::steady_clock::now();
    fixture f;
    std::cout << "conformance.cohere: Prism up after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                         .count() /
                     1000.0
              << " s\n";

    auto chat = f.reg.model<"cohere:command-a-03-2025">();
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        check(f, "chat/" + name, kind::answer, [&] { chat.complete(req); });
    }

    // The reference scenario, checked against the bodies the official SDK sent.
    llmap::request const reference{.system = "You are a terse assistant.",
                                   .prompt = "Say hello.",
                                   .max_output_tokens = 64,
                                   .temperature = 0.2};
    auto wire_body = [&] { return json::parse(f.t.log().back().request_body); };
    check(f, "chat/reference", kind::answer, [&] { chat.complete(reference); });
    BOOST_TEST(wire_body() == reference_body("cohere-sdk/v2-chat"), "chat vs cohere-sdk/v2-chat");
    check(f, "chat/reference stream", kind::stream,
          [&] { chat.stream(reference, [](llmap::stream_event const&) {}); });
    BOOST_TEST(wire_body() == reference_body("cohere-sdk/v2-chat-stream"),
               "chat stream vs cohere-sdk/v2-chat-stream");

    // Streams of the other scenarios: their requests.
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        if (name == "system + user")
            continue; // the reference stream above
        check(f, "chat/stream " + name, kind::stream,
              [&] { chat.stream(req, [](llmap::stream_event const&) {}); });
    }

    auto embedder = f.reg.model<"cohere:embed-v4.0">();
    check(f, "embed/texts", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
    });
    check(f, "embed/dimensions", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello"}, .dimensions = 256});
    });
    check(f, "embed/search query", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{
            .inputs = {"hello"},
            .provider_options = {{"cohere", {{"input_type", "search_query"}}}}});
    });

    auto const secs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count() /
                      1000.0;
    std::cout << "conformance.cohere: " << f.n.validated
              << " requests validated by Prism: " << f.n.clean << " valid (" << f.n.streams
              << " streaming requests forwarded), " << f.n.violations << " violations of ours, "
              << "spec faults hit: " << f.n.stream_faults
              << " SSE answers (documented: " << stream_fault << "), " << f.n.format_faults
              << " JSON response formats (not in the README: " << response_format_fault << "); "
              << secs << " s\n";
    BOOST_TEST(f.n.violations == 0);
    // Every streaming request was forwarded; every JSON format scenario (3: JSON mode, a JSON
    // schema and the typed request; answer and stream) hit the overlap, and nothing else did.
    BOOST_TEST(f.n.format_faults == 6);
    BOOST_TEST(f.n.validated == f.n.clean + f.n.format_faults);
}
