//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Wire conformance of the native Gemini provider: the requests llmap really sends, validated
// by Prism 5.14.2 (a validating proxy, installed from the npm registry by
// ../shared/conformance/prism-proxy) against the Gemini API's OpenAPI document.
//
//   llmap --> tap (loopback) --> Prism proxy --errors --> upstream (loopback, canned answers)
//
// The judge (../support/conformance.hpp) sees every request and Prism's whole answer, and
// wants every call to come back without a request violation, except a batchEmbedContents request
// whose only violations are the documented spec fault (`additionalProperties:false` rejects the
// per-request `model`, which the API requires): counted and printed with the README's wording.
// Prism cannot model SSE, so of a streaming call only the request is validated.

#define BOOST_TEST_MODULE conformance_gemini
#include "../support/conformance.hpp"

#include <llmap/providers/gemini.hpp>

namespace {

using namespace llmap::test::conformance;
constexpr std::string_view api_key = "AIza-conformance-0123456789";

// ---- upstream: minimal answers that the spec accepts ------------------------------------

constexpr std::string_view generate_answer =
    R"({"candidates":[{"content":{"parts":[{"text":"Hello."}],"role":"model"},)"
    R"("finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,)"
    R"("candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini-2.5-flash",)"
    R"("responseId":"r1"})";

void upstream_handler(const ts::test_server::request& req, ts::test_session& s) {
    std::string const target(req.target());
    json::object const body = body_of(req);
    if (target.find(":streamGenerateContent") != std::string::npos) {
        s.respond(200, "data: " + std::string(generate_answer) + "\r\n\r\n",
                  {{"Content-Type", "text/event-stream"}});
    } else if (target.find(":generateContent") != std::string::npos) {
        s.respond(200, generate_answer, {{"Content-Type", "application/json"}});
    } else if (target.find(":embedContent") != std::string::npos) {
        s.respond(200, R"({"embedding":{"values":[0.5,0.25]}})",
                  {{"Content-Type", "application/json"}});
    } else if (target.find(":batchEmbedContents") != std::string::npos) {
        json::array embeddings;
        if (auto const* r = body.if_contains("requests"); r && r->is_array())
            for (std::size_t i = 0; i != r->as_array().size(); ++i)
                embeddings.push_back(json::object{{"values", {0.5, 0.25}}});
        s.respond(200, json::serialize(json::object{{"embeddings", std::move(embeddings)}}),
                  {{"Content-Type", "application/json"}});
    } else {
        s.respond(404, R"({"error":{"code":404,"message":"no such path","status":"NOT_FOUND"}})",
                  {{"Content-Type", "application/json"}});
    }
}

// ---- one conformance run ------------------------------------------------------------------

using providers = llmap::registry<llmap::gemini>;

// True if every violation is the batch request's `model` flagged as an additional property.
bool only_batch_model_fault(const json::object& sent, const json::array& validation) {
    auto const* requests = sent.if_contains("requests");
    if (!requests || !requests->is_array())
        return false;
    return every_complaint(validation, [&](const json::value& v, const json::array& loc) {
        if (!located(loc, {"body", "requests", "*"}) || v.at("code") != "additionalProperties")
            return false;
        std::size_t const i = std::stoul(std::string(loc[2].as_string()));
        return i < requests->as_array().size() &&
               requests->as_array()[i].as_object().contains("model");
    });
}

// The README's own words for the fault of the Gemini spec; accepted on a batch request only.
constexpr spec_fault batch_model_fault{
    "`additionalProperties:false` rejects a per-request `model` inside `batchEmbedContents`",
    side::request, only_batch_model_fault};

// ---- scenarios ----------------------------------------------------------------------------

std::vector<std::pair<std::string, llmap::request>> scenarios() {
    std::vector<std::pair<std::string, llmap::request>> out;
    out.emplace_back("simple prompt", llmap::request{.prompt = "Say hello."});
    out.emplace_back("system + user", reference_request());
    out.emplace_back("sampling settings", sampling_request());
    out.emplace_back("tools + tool choice",
                     weather_question(llmap::tool_choice::specific("get_weather")));
    out.emplace_back("tools, required choice", weather_question(llmap::tool_choice::required()));
    out.emplace_back("json schema format", city_question());
    out.emplace_back("json mode", llmap::request{.prompt = "Name a city.",
                                                 .format = llmap::response_format::json()});
    out.emplace_back(
        "reasoning effort",
        llmap::request{.prompt = "Why?", .reasoning = llmap::reasoning_effort::medium});
    out.emplace_back("image by URL", llmap::request{.messages = {image_by_url("image/png")}});
    out.emplace_back("image as base64 bytes", llmap::request{.messages = {image_as_bytes()}});
    out.emplace_back(
        "tool round trip",
        llmap::request{.messages = weather_round_trip(
                           "call_0", {llmap::reasoning_part{"Looking it up.", "c2lnbmF0dXJl"}},
                           ""), // the tool's answer unnamed
                       .tools = {weather_tool()}});
    out.emplace_back("typed schema and tools", test::typed::scenario());
    return out;
}

// The google-genai SDK gives systemInstruction a "user" role, which the API ignores there;
// the AI SDK gives none, as llmap does.
json::value without_system_role(json::value v) {
    if (auto* si = v.as_object().if_contains("systemInstruction"))
        si->as_object().erase("role");
    return v;
}

} // namespace

BOOST_AUTO_TEST_CASE(gemini_requests_conform_to_the_openapi_spec) {
    world<providers> w({.label = "conformance.gemini",
                        .spec = "gemini-native.openapi.whit3rabbit.json",
                        .upstream = upstream_handler,
                        .make = named<providers>("gemini"),
                        .api_key = std::string(api_key)});

    auto model = w.reg.model<"gemini:gemini-2.5-flash">();
    for (auto const& [name, req] : scenarios()) {
        w.complete(name, model, req);
        w.stream("stream " + name, model, req);
    }
    {
        auto budget = w.reg.model<"gemini:gemini-2.5-flash">();
        budget.thinking_budget(1024);
        w.complete("thinking budget", budget, {.prompt = "Why?"});
    }

    // The reference scenario, against the bodies the official SDK and the AI SDK sent.
    llmap::request const reference = reference_request();
    w.complete("reference", model, reference);
    w.sent_as("ai-sdk/google/generateText");
    BOOST_TEST(w.last_body() ==
               without_system_role(reference_body("google-genai/generateContent")));
    BOOST_TEST(w.last().target == "/v1beta/models/gemini-2.5-flash:generateContent");
    w.stream("reference stream", model, reference);
    w.sent_as("ai-sdk/google/streamText");
    BOOST_TEST(w.last_body() ==
               without_system_role(reference_body("google-genai/streamGenerateContent")));
    BOOST_TEST(w.last().target == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");

    auto embedder = w.reg.model<"gemini:gemini-embedding-001">();
    w.check("embedContent", kind::answer, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello"}, .dimensions = 2});
    });
    w.check("batchEmbedContents", kind::answer,
            [&] {
                embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
            },
            {&batch_model_fault});
    w.sent_as("google-genai/embedContent");

    w.summary();
    BOOST_TEST(w.n.violations == 0);
}
