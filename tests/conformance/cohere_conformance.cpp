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
// The judge (../support/conformance.hpp) sees every request and Prism's whole answer, and
// wants every call to come back without a violation of ours. Cohere's spec describes the events of
// a stream only in its `x-fern-streaming` extension, which Prism does not read (a documented spec
// fault): of a streaming call Prism validates the request, forwards it, then flags the SSE answer;
// those answers are counted as hits of the fault, by their shape (violations of the response only).

#define BOOST_TEST_MODULE conformance_cohere
#include "../support/conformance.hpp"

#include <llmap/providers/cohere.hpp>

namespace {

using namespace llmap::test::conformance;
constexpr std::string_view api_key = "co-conformance-0123456789";

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
    json::object const body = body_of(req);
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

// True if every violation is the ResponseFormatV2 oneOf overlap on a JSON format.
bool only_response_format_fault(const json::object& request, const json::array& validation) {
    auto const* format = request.if_contains("response_format");
    if (!format || !format->is_object() || format->as_object().if_contains("type") == nullptr ||
        format->at("type") != "json_object")
        return false;
    return every_complaint(validation, [](const json::value& v, const json::array& loc) {
        return located(loc, {"body", "response_format"}) && v.at("code") == "oneOf";
    });
}

// Not in the README's table: `ResponseFormatV2` is a oneOf of a text format and a JSON format
// whose `type` enums both hold "json_object" (and neither forbids other properties), so every
// JSON format (`{"type":"json_object"}`, with or without `json_schema`) matches both branches
// and Prism rejects it. Cohere's API reference and the AI SDK send exactly that body.
constexpr spec_fault response_format_fault{
    "`ResponseFormatV2` oneOf overlaps (both branches take type \"json_object\"), so every "
    "JSON response format is wrongly flagged",
    side::request, only_response_format_fault, false};

// The README's own words for the fault of the Cohere spec: the SSE answer of every streaming
// request is flagged, with violations of the response only (which the judge already requires
// of a streaming call's 500); counted as a hit, the request as valid.
constexpr spec_fault stream_fault{"stream events only in `x-fern-streaming`", side::stream_answer,
                                  [](const json::object&, const json::array& validation) {
                                      return only_response_violations(validation);
                                  }};

// ---- scenarios ----------------------------------------------------------------------------

std::vector<std::pair<std::string, llmap::request>> scenarios() {
    std::vector<std::pair<std::string, llmap::request>> out;
    out.emplace_back("simple prompt", llmap::request{.prompt = "Say hello."});
    out.emplace_back("system + user", reference_request());
    out.emplace_back("sampling", sampling_request());
    out.emplace_back("tools + tool choice",
                     weather_question(llmap::tool_choice::specific("get_weather")));
    out.emplace_back("tools, required choice", weather_question(llmap::tool_choice::required()));
    out.emplace_back("tools, no tool", weather_question(llmap::tool_choice::none()));
    out.emplace_back("json schema format", city_question());
    out.emplace_back("json format", llmap::request{.prompt = "Name a city.",
                                                   .format = llmap::response_format::json()});
    out.emplace_back("reasoning", llmap::request{.prompt = "2 + 2?",
                                                 .reasoning = llmap::reasoning_effort::medium});
    out.emplace_back("reasoning off", llmap::request{.prompt = "2 + 2?",
                                                     .reasoning = llmap::reasoning_effort::none});
    out.emplace_back("image by URL", llmap::request{.messages = {image_by_url()}});
    out.emplace_back("image as base64 bytes", llmap::request{.messages = {image_as_bytes()}});
    {
        llmap::message m = llmap::message::user("Summarise the document.");
        m.content.emplace_back(
            llmap::file_part::from_bytes({'H', 'i', '.'}, "text/plain", "a.txt"));
        out.emplace_back("text document", llmap::request{.messages = {m}});
    }
    {
        auto messages =
            weather_round_trip("call_1", {llmap::text_part{"I will look up the weather."}});
        messages.push_back(llmap::message::assistant("It is 18 degrees."));
        messages.push_back(llmap::message::user("Thanks."));
        out.emplace_back("tool round trip",
                         llmap::request{.messages = messages, .tools = {weather_tool()}});
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

} // namespace

BOOST_AUTO_TEST_CASE(cohere_requests_conform_to_the_openapi_spec) {
    world<providers> w({.label = "conformance.cohere",
                        .spec = "cohere-openapi.json",
                        .upstream = upstream_handler,
                        .make = named<providers>("cohere"),
                        .api_key = std::string(api_key),
                        .faults = {&response_format_fault, &stream_fault}});

    auto chat = w.reg.model<"cohere:command-a-03-2025">();
    for (auto const& [name, req] : scenarios())
        w.complete("chat/" + name, chat, req);

    // The reference scenario, checked against the bodies the official SDK sent.
    llmap::request const reference = reference_request();
    w.complete("chat/reference", chat, reference);
    w.sent_as("cohere-sdk/v2-chat");
    w.stream("chat/reference stream", chat, reference);
    w.sent_as("cohere-sdk/v2-chat-stream");

    // Streams of the other scenarios: their requests.
    for (auto const& [name, req] : scenarios())
        if (name != "system + user") // the reference stream above
            w.stream("chat/stream " + name, chat, req);

    auto embedder = w.reg.model<"cohere:embed-v4.0">();
    w.check("embed/texts", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
    });
    w.check("embed/dimensions", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello"}, .dimensions = 256});
    });
    w.check("embed/search query", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{
            .inputs = {"hello"},
            .provider_options = {{"cohere", {{"input_type", "search_query"}}}}});
    });

    w.summary();
    BOOST_TEST(w.n.violations == 0);
    // Every streaming request was forwarded; every JSON format scenario (3: JSON mode, a JSON
    // schema and the typed request; answer and stream) hit the overlap, and nothing else did.
    BOOST_TEST(w.n.of(response_format_fault) == 6);
    BOOST_TEST(w.n.validated == w.n.clean + w.n.of(response_format_fault));
}
