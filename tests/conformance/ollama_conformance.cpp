//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Wire conformance of the native Ollama provider: the requests llmap really sends, validated
// by Prism 5.14.2 (a validating proxy, installed from the npm registry by
// ../shared/conformance/prism-proxy) against Ollama's own OpenAPI document.
//
//   llmap --> tap (loopback) --> Prism proxy --errors --> upstream (loopback, canned answers)
//
// The tap (tests/support/prism.hpp) records every request and Prism's whole answer. Every call must
// come back without a violation (the README lists no fault of the Ollama spec). Prism cannot model
// an NDJSON stream, so of a streaming call only the request is validated: the stream itself is
// checked against the recorded ones in tests/providers/ollama. The reference scenario's bodies are
// compared with those the official JavaScript client (ollama-js 0.6.4) sent.

#define BOOST_TEST_MODULE conformance_ollama
#include "../support/prism.hpp"
#include "../support/typed_scenario.hpp"

#include <llmap/providers/ollama.hpp>
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

namespace json = boost::json;
namespace ts = llmap::test;
using namespace llmap::test::prism;

namespace {

// ---- upstream: minimal answers that the spec accepts ------------------------------------

constexpr std::string_view chat_answer =
    R"({"model":"llama3.2","created_at":"2025-10-17T23:14:07.414671Z",)"
    R"("message":{"role":"assistant","content":"Hello."},"done":true,"done_reason":"stop",)"
    R"("total_duration":1,"load_duration":1,"prompt_eval_count":5,"prompt_eval_duration":1,)"
    R"("eval_count":2,"eval_duration":1})";

constexpr std::string_view chat_ndjson =
    R"({"model":"llama3.2","created_at":"2025-10-17T23:14:07.4Z",)"
    R"("message":{"role":"assistant","content":"Hello."},"done":false})"
    "\n"
    R"({"model":"llama3.2","created_at":"2025-10-17T23:14:07.5Z",)"
    R"("message":{"role":"assistant","content":""},"done":true,"done_reason":"stop",)"
    R"("prompt_eval_count":5,"eval_count":2})"
    "\n";

json::object embed_answer(const json::object& req) {
    json::array vectors;
    std::size_t const n =
        req.contains("input") && req.at("input").is_array() ? req.at("input").as_array().size() : 1;
    for (std::size_t i = 0; i != n; ++i)
        vectors.push_back(json::array{0.5, -0.25, 0.125});
    return {{"model", req.contains("model") ? req.at("model") : json::value("m")},
            {"embeddings", std::move(vectors)},
            {"total_duration", 1},
            {"load_duration", 1},
            {"prompt_eval_count", 2}};
}

void upstream_handler(const ts::test_server::request& req, ts::test_session& s) {
    json::object body;
    boost::system::error_code ec;
    if (auto v = json::parse(req.body(), ec); !ec && v.is_object())
        body = v.as_object();
    std::string const target(req.target());
    if (target == "/api/chat") {
        bool const stream = !body.contains("stream") || body.at("stream") == true;
        if (stream)
            s.respond(200, chat_ndjson, {{"Content-Type", "application/x-ndjson"}});
        else
            s.respond(200, chat_answer, {{"Content-Type", "application/json; charset=utf-8"}});
    } else if (target == "/api/embed") {
        s.respond(200, json::serialize(embed_answer(body)),
                  {{"Content-Type", "application/json; charset=utf-8"}});
    } else {
        s.respond(404, R"({"error":"no such path"})", {{"Content-Type", "application/json"}});
    }
}

// ---- one conformance run ------------------------------------------------------------------

using providers = llmap::registry<llmap::ollama>;

struct tally {
    int validated = 0;  // requests Prism validated
    int clean = 0;      // ... and passed
    int violations = 0; // requests with a violation of ours
    int streams = 0;    // streaming requests validated and forwarded
};

/// The world of one test: upstream, Prism, tap, and a registry pointed at the tap.
struct fixture {
    ts::test_server upstream{upstream_handler};
    unsigned short prism_port = free_port();
    prism_proxy prism{conformance_dir + "/specs/ollama-openapi.json", upstream.url(""), prism_port};
    tap t{prism_port};
    ts::test_server front{std::ref(t)};
    providers reg = make_registry();
    tally n;

    providers make_registry() {
        llmap::provider_config c;
        c.base_url = front.url(""); // the spec's paths start with /api
        c.transport.retry.max_retries = 0;
        return providers{{"ollama", c}};
    }
};

/** Run `call` (one request through llmap), then judge what Prism said of it. */
template <class Call>
void check(fixture& f, std::string const& name, bool stream, Call&& call) {
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
    json::value const sent = json::parse(x.request_body);
    json::array validation;
    if (x.status >= 400) {
        boost::system::error_code ec;
        auto const v = json::parse(x.response_body, ec);
        if (!ec && v.is_object() && v.as_object().contains("validation"))
            validation = v.at("validation").as_array();
    }
    bool const forwarded = f.upstream.request_count() == upstream_before + 1;
    if (forwarded) // what reached upstream is what llmap sent
        BOOST_TEST(json::parse(f.upstream.requests().back().body) == sent, name);
    if (stream) {
        // Prism forwards a valid streaming request; it may then flag the NDJSON answer.
        BOOST_TEST(forwarded, name << ": the streaming request was not forwarded upstream");
        bool const ok = x.status < 300 || (x.status == 500 && only_response_violations(validation));
        BOOST_TEST(ok, name << ": HTTP " << x.status << list_violations(validation)
                            << "\n  body: " << x.request_body);
        if (ok && forwarded) {
            ++f.n.streams;
            ++f.n.clean;
            std::cout << "  " << name << ": request valid and forwarded"
                      << (x.status < 300
                              ? "\n"
                              : " (Prism cannot read the NDJSON answer: " +
                                    std::to_string(validation.size()) + " response violations)\n");
        } else {
            ++f.n.violations;
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
                "required":["city"]})")
                              .as_object()};
}

std::vector<std::pair<std::string, llmap::request>> scenarios() {
    std::vector<std::pair<std::string, llmap::request>> out;
    out.emplace_back("simple prompt", llmap::request{.prompt = "Say hello."});
    out.emplace_back("system + user, every option",
                     llmap::request{.system = "You are a terse assistant.",
                                    .prompt = "Say hello.",
                                    .max_output_tokens = 64,
                                    .temperature = 0.2,
                                    .top_p = 0.9,
                                    .top_k = 40,
                                    .stop_sequences = {"\n\n"},
                                    .seed = 42,
                                    .provider_options = {{"ollama", {{"keep_alive", "5m"}}}}});
    out.emplace_back("tools",
                     llmap::request{.prompt = "Weather in Paris?", .tools = {weather_tool()}});
    out.emplace_back("json schema format",
                     llmap::request{.prompt = "Name a city.",
                                    .format = llmap::response_format::json_schema(
                                        "city", json::parse(R"({"type":"object",
                               "properties":{"name":{"type":"string"}},"required":["name"]})")
                                                    .as_object())});
    out.emplace_back("json format", llmap::request{.prompt = "Name a city as JSON.",
                                                   .format = llmap::response_format::json()});
    for (auto effort : {llmap::reasoning_effort::none, llmap::reasoning_effort::high})
        out.emplace_back("think " + std::string(llmap::to_string(effort)),
                         llmap::request{.prompt = "Why?", .reasoning = effort});
    out.emplace_back(
        "think true (provider options)",
        llmap::request{.prompt = "Why?", .provider_options = {{"ollama", {{"think", true}}}}});
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        // A PNG's first bytes; content does not matter to the spec.
        m.content.emplace_back(llmap::image_part::from_bytes(
            {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a}, "image/png"));
        out.emplace_back("image as base64 bytes", llmap::request{.messages = {m}});
    }
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        m.content.emplace_back(llmap::image_part::from_url("https://example.com/cat.png"));
        out.emplace_back("image by URL (left out, with a warning)",
                         llmap::request{.messages = {m}});
    }
    {
        llmap::message call{.role = llmap::role::assistant};
        call.content.emplace_back(llmap::reasoning_part{"The user wants the weather."});
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

BOOST_AUTO_TEST_CASE(ollama_requests_conform_to_the_openapi_spec) {
    auto const start = std::chrono::steady_clock::now();
    fixture f;
    std::cout << "conformance.ollama: Prism up after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                         .count() /
                     1000.0
              << " s\n";

    auto chat = f.reg.model<"ollama:llama3.2">();
    // (No structured bindings: Clang 14 cannot capture them in the lambdas below.)
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        check(f, "chat/" + name, false, [&] {
            auto const r = chat.complete(req);
            BOOST_TEST(r.text() == "Hello.", name);
        });
        check(f, "chat/stream " + name, true, [&] {
            auto const r = chat.stream(req, [](llmap::stream_event const&) {});
            BOOST_TEST(r.text() == "Hello.", name);
        });
    }

    // The control: a request that breaks the spec ("think" is a boolean or a level) is
    // refused, so Prism really validates these requests.
    BOOST_CHECK_EXCEPTION(
        chat.complete({.prompt = "x", .provider_options = {{"ollama", {{"think", "maybe"}}}}}),
        llmap::error, [](llmap::error const& e) {
            return e.code() == llmap::errc::http_error && e.http_status() == 422;
        });
    BOOST_TEST(f.t.log().back().response_body.find("think") != std::string::npos);
    std::cout << "  control: \"think\": \"maybe\" refused with HTTP " << f.t.log().back().status
              << "\n";

    // The reference scenario, against the bodies the official JavaScript client sent.
    llmap::request const reference{.system = "You are a terse assistant.",
                                   .prompt = "Say hello.",
                                   .max_output_tokens = 64,
                                   .temperature = 0.2};
    auto wire_body = [&] { return json::parse(f.t.log().back().request_body); };
    check(f, "chat/reference", false, [&] { chat.complete(reference); });
    BOOST_TEST(wire_body() == reference_body("ollama-js/chat"), "chat vs ollama-js/chat");
    check(f, "chat/reference stream", true,
          [&] { chat.stream(reference, [](llmap::stream_event const&) {}); });
    BOOST_TEST(wire_body() == reference_body("ollama-js/chat-stream"),
               "chat stream vs ollama-js/chat-stream");

    auto embedder = f.reg.model<"ollama:nomic-embed-text">();
    check(f, "embed/reference", false, [&] {
        auto const r = embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
        BOOST_TEST(r.vectors.size() == 2u);
    });
    BOOST_TEST(wire_body() == reference_body("ollama-js/embed"), "embed vs ollama-js/embed");
    check(f, "embed/dimensions, truncate, keep_alive", false, [&] {
        embedder.embed(llmap::embedding_request{
            .inputs = {"hello"},
            .dimensions = 128,
            .provider_options = {{"ollama", {{"truncate", false}, {"keep_alive", "5m"}}}}});
    });

    auto const secs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count() /
                      1000.0;
    std::cout << "conformance.ollama: " << f.n.validated
              << " requests validated by Prism: " << f.n.clean << " valid (" << f.n.streams
              << " streaming requests forwarded), " << f.n.violations
              << " violations of ours, 0 spec faults (none documented); " << secs << " s\n";
    BOOST_TEST(f.n.violations == 0);
}
