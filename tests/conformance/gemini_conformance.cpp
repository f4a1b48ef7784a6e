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
// The tap (../support/prism.hpp) passes every request and answer through unchanged and records
// both, so that the whole list of Prism's violations can be judged. Every call must come back
// without a request violation, except a batchEmbedContents request whose only violations are the
// documented spec fault (`additionalProperties:false` rejects the per-request `model`, which the
// API requires): counted and printed with the README's wording. Prism cannot model SSE, so of a
// streaming call only the request is validated.

#define BOOST_TEST_MODULE conformance_gemini
#include "../support/prism.hpp"
#include "../support/typed_scenario.hpp"

#include <llmap/providers/gemini.hpp>
#include <llmap/registry.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

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
constexpr std::string_view api_key = "AIza-conformance-0123456789";

// The README's own words for the fault of the Gemini spec.
constexpr std::string_view batch_model_fault =
    "`additionalProperties:false` rejects a per-request `model` inside `batchEmbedContents`";

// ---- upstream: minimal answers that the spec accepts ------------------------------------

constexpr std::string_view generate_answer =
    R"({"candidates":[{"content":{"parts":[{"text":"Hello."}],"role":"model"},)"
    R"("finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,)"
    R"("candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini-2.5-flash",)"
    R"("responseId":"r1"})";

void upstream_handler(const ts::test_server::request& req, ts::test_session& s) {
    std::string const target(req.target());
    json::object body;
    boost::system::error_code ec;
    if (auto v = json::parse(req.body(), ec); !ec && v.is_object())
        body = v.as_object();
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

struct tally {
    int validated = 0, clean = 0, violations = 0, spec_faults = 0, streams = 0;
};

struct fixture {
    ts::test_server upstream{upstream_handler};
    unsigned short prism_port = free_port();
    prism_proxy prism{conformance_dir + "/specs/gemini-native.openapi.whit3rabbit.json",
                      upstream.url(""), prism_port};
    tap t{prism_port};
    ts::test_server front{std::ref(t)};
    providers reg = make_registry();
    tally n;

    providers make_registry() {
        llmap::provider_config c;
        c.api_key = std::string(api_key);
        c.base_url = front.url("");
        c.transport.retry.max_retries = 0;
        return providers{{"gemini", c}};
    }
};

// True if every violation is the batch request's `model` flagged as an additional property.
bool only_batch_model_fault(const json::object& sent, const json::array& validation) {
    auto const* requests = sent.if_contains("requests");
    if (!requests || !requests->is_array() || validation.empty())
        return false;
    for (auto const& v : validation) {
        auto const& loc = v.at("location").as_array();
        if (loc.size() != 3 || loc[0] != "body" || loc[1] != "requests" ||
            v.at("code") != "additionalProperties")
            return false;
        std::size_t const i = std::stoul(std::string(loc[2].as_string()));
        if (i >= requests->as_array().size() ||
            !requests->as_array()[i].as_object().contains("model"))
            return false;
    }
    return true;
}

enum class kind { answer, stream, batch_embedding };

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
        if (k == kind::batch_embedding && only_batch_model_fault(sent, validation)) {
            ++f.n.spec_faults;
            std::cout << "  " << name << ": spec fault, not ours: " << batch_model_fault
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
        BOOST_TEST(forwarded, name << ": the streaming request was not forwarded upstream");
        bool const ok = x.status < 300 || (x.status == 500 && only_response_violations(validation));
        BOOST_TEST(ok, name << ": HTTP " << x.status << list_violations(validation));
        if (ok && forwarded) {
            ++f.n.streams;
            ++f.n.clean;
            std::cout << "  " << name << ": request valid and forwarded\n";
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
    out.emplace_back("sampling settings", llmap::request{.prompt = "Say hello.",
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
    out.emplace_back("json schema format",
                     llmap::request{.prompt = "Name a city.",
                                    .format = llmap::response_format::json_schema(
                                        "city", json::parse(R"({"type":"object",
                               "properties":{"name":{"type":"string"}},
                               "required":["name"],"additionalProperties":false})")
                                                    .as_object())});
    out.emplace_back("json mode", llmap::request{.prompt = "Name a city.",
                                                 .format = llmap::response_format::json()});
    out.emplace_back(
        "reasoning effort",
        llmap::request{.prompt = "Why?", .reasoning = llmap::reasoning_effort::medium});
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        m.content.emplace_back(
            llmap::image_part::from_url("https://example.com/cat.png", "image/png"));
        out.emplace_back("image by URL", llmap::request{.messages = {m}});
    }
    {
        llmap::message m = llmap::message::user("What is in this picture?");
        m.content.emplace_back(llmap::image_part::from_bytes(
            {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a}, "image/png"));
        out.emplace_back("image as base64 bytes", llmap::request{.messages = {m}});
    }
    {
        llmap::message call{.role = llmap::role::assistant};
        call.content.emplace_back(llmap::reasoning_part{"Looking it up.", "c2lnbmF0dXJl"});
        call.content.emplace_back(llmap::tool_call_part{
            .id = "call_0", .name = "get_weather", .arguments = {{"city", "Paris"}}});
        llmap::message result{.role = llmap::role::tool};
        result.content.emplace_back(
            llmap::tool_result_part{.tool_call_id = "call_0", .result = {{"temp_c", 18}}});
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

// The google-genai SDK gives systemInstruction a "user" role, which the API ignores there;
// the AI SDK gives none, as llmap does.
json::value without_system_role(json::value v) {
    if (auto* si = v.as_object().if_contains("systemInstruction"))
        si->as_object().erase("role");
    return v;
}

} // namespace

BOOST_AUTO_TEST_CASE(gemini_requests_conform_to_the_openapi_spec) {
    auto const start = std::chrono::steady_clock::now();
    fixture f;
    std::cout << "conformance.gemini: Prism up after "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                         .count() /
                     1000.0
              << " s\n";

    auto model = f.reg.model<"gemini:gemini-2.5-flash">();
    for (auto const& scenario : scenarios()) {
        std::string const& name = scenario.first;
        llmap::request const& req = scenario.second;
        check(f, name, kind::answer, [&] { model.complete(req); });
        check(f, "stream " + name, kind::stream,
              [&] { model.stream(req, [](llmap::stream_event const&) {}); });
    }
    {
        auto budget = f.reg.model<"gemini:gemini-2.5-flash">();
        budget.thinking_budget(1024);
        check(f, "thinking budget", kind::answer, [&] { budget.complete({.prompt = "Why?"}); });
    }

    // The reference scenario, against the bodies the official SDK and the AI SDK sent.
    llmap::request const reference{.system = "You are a terse assistant.",
                                   .prompt = "Say hello.",
                                   .max_output_tokens = 64,
                                   .temperature = 0.2};
    auto wire = [&] { return f.t.log().back(); };
    check(f, "reference", kind::answer, [&] { model.complete(reference); });
    BOOST_TEST(json::parse(wire().request_body) == reference_body("ai-sdk/google/generateText"));
    BOOST_TEST(json::parse(wire().request_body) ==
               without_system_role(reference_body("google-genai/generateContent")));
    BOOST_TEST(wire().target == "/v1beta/models/gemini-2.5-flash:generateContent");
    check(f, "reference stream", kind::stream,
          [&] { model.stream(reference, [](llmap::stream_event const&) {}); });
    BOOST_TEST(json::parse(wire().request_body) == reference_body("ai-sdk/google/streamText"));
    BOOST_TEST(json::parse(wire().request_body) ==
               without_system_role(reference_body("google-genai/streamGenerateContent")));
    BOOST_TEST(wire().target == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");

    auto embedder = f.reg.model<"gemini:gemini-embedding-001">();
    check(f, "embedContent", kind::answer,
          [&] { embedder.embed(llmap::embedding_request{.inputs = {"hello"}, .dimensions = 2}); });
    check(f, "batchEmbedContents", kind::batch_embedding, [&] {
        embedder.embed(llmap::embedding_request{.inputs = {"hello", "world"}});
    });
    BOOST_TEST(json::parse(wire().request_body) == reference_body("google-genai/embedContent"));

    auto const secs = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - start)
                          .count() /
                      1000.0;
    std::cout << "conformance.gemini: " << f.n.validated
              << " requests validated by Prism: " << f.n.clean << " valid (" << f.n.streams
              << " streaming requests forwarded), " << f.n.violations << " violations of ours, "
              << f.n.spec_faults << " documented spec faults hit; " << secs << " s\n";
    BOOST_TEST(f.n.violations == 0);
}
