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
// The judge (tests/support/conformance.hpp) sees every request and Prism's whole answer, and wants
// every call to come back without a violation (the README lists no fault of the Ollama spec). Prism
// cannot model an NDJSON stream, so of a streaming call only the request is validated: the stream
// itself is checked against the recorded ones in tests/providers/ollama. The reference scenario's
// bodies are compared with those the official JavaScript client (ollama-js 0.6.4) sent.

#define BOOST_TEST_MODULE conformance_ollama
#include "../support/conformance.hpp"

#include <llmap/providers/ollama.hpp>

#include <iostream>

using namespace llmap::test::conformance;

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
    json::object const body = body_of(req);
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

using providers = llmap::registry<llmap::ollama>;

// ---- scenarios ----------------------------------------------------------------------------

// Ollama's scenarios send their schemas open (without `"additionalProperties": false`).
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
    out.emplace_back("tools", weather_question({}, false));
    out.emplace_back("json schema format", city_question(false));
    out.emplace_back("json format", llmap::request{.prompt = "Name a city as JSON.",
                                                   .format = llmap::response_format::json()});
    for (auto effort : {llmap::reasoning_effort::none, llmap::reasoning_effort::high})
        out.emplace_back("think " + std::string(llmap::to_string(effort)),
                         llmap::request{.prompt = "Why?", .reasoning = effort});
    out.emplace_back(
        "think true (provider options)",
        llmap::request{.prompt = "Why?", .provider_options = {{"ollama", {{"think", true}}}}});
    out.emplace_back("image as base64 bytes", llmap::request{.messages = {image_as_bytes()}});
    out.emplace_back("image by URL (left out, with a warning)",
                     llmap::request{.messages = {image_by_url()}});
    out.emplace_back(
        "tool round trip",
        llmap::request{.messages = weather_round_trip(
                           "call_1", {llmap::reasoning_part{"The user wants the weather."}}),
                       .tools = {weather_tool(false)}});
    out.emplace_back("typed schema and tools", test::typed::scenario());
    return out;
}

} // namespace

BOOST_AUTO_TEST_CASE(ollama_requests_conform_to_the_openapi_spec) {
    world<providers> w({.label = "conformance.ollama",
                        .spec = "ollama-openapi.json", // its paths start with /api
                        .upstream = upstream_handler,
                        .make = named<providers>("ollama")});

    auto chat = w.reg.model<"ollama:llama3.2">();
    // (No structured bindings: Clang 14 cannot capture them in the lambdas below.)
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        w.check("chat/" + name, kind::answer, [&] {
            auto const r = chat.complete(req);
            BOOST_TEST(r.text() == "Hello.", name);
        });
        w.check("chat/stream " + name, kind::stream, [&] {
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
    BOOST_TEST(w.last().response_body.find("think") != std::string::npos);
    std::cout << "  control: \"think\": \"maybe\" refused with HTTP " << w.last().status << "\n";

    // The reference scenario, against the bodies the official JavaScript client sent.
    llmap::request const reference = reference_request();
    w.complete("chat/reference", chat, reference);
    w.sent_as("ollama-js/chat");
    w.stream("chat/reference stream", chat, reference);
    w.sent_as("ollama-js/chat-stream");

    auto embedder = w.reg.model<"ollama:nomic-embed-text">();
    w.check("embed/reference", kind::answer, [&] {
        auto const r = embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
        BOOST_TEST(r.vectors.size() == 2u);
    });
    w.sent_as("ollama-js/embed");
    w.check("embed/dimensions, truncate, keep_alive", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{
            .inputs = {"hello"},
            .dimensions = 128,
            .provider_options = {{"ollama", {{"truncate", false}, {"keep_alive", "5m"}}}}});
    });

    w.summary(); // the README lists no fault of the Ollama spec: none is accepted
    BOOST_TEST(w.n.violations == 0);
}
