//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Wire conformance of llmap::anthropic: the requests llmap really sends, validated by Prism
// 5.14.2 (a validating proxy, installed from the npm registry by
// ../shared/conformance/prism-proxy) against the hand-curated Anthropic OpenAPI document
// (langchain_dart's).
//
//   llmap --> tap (loopback) --> Prism proxy --errors --> upstream (loopback, canned answers)
//
// The judge (../support/conformance.hpp) sees every request and Prism's whole answer, and wants
// every call to come back without a violation of ours. The README lists two faults of this spec,
// recognised here by their shape and counted: `system` is string-only (a request whose `system` is
// an array of text blocks, which llmap sends for several system messages or a cache marker, is
// flagged at `body.system` only), and `stop_sequence` is not nullable (an answer with
// `"stop_sequence": null`, as the real API sends, is flagged at `response.body.stop_sequence`
// only). Prism cannot model SSE: of a streaming call only the request is validated.

#define BOOST_TEST_MODULE conformance_anthropic
#include "../support/conformance.hpp"

#include <llmap/providers/anthropic.hpp>

#include <algorithm>
#include <iostream>

namespace {

using namespace llmap::test::conformance;
constexpr std::string_view api_key = "sk-ant-conformance-0123456789";

// ---- upstream: minimal answers that the spec accepts ------------------------------------

// The real API answers `"stop_sequence": null` when no stop sequence ended the answer, and
// the official spec requires the member: the upstream sends it to the official mirror, and
// to the curated spec (which rejects the null: its fault) when the request has stop sequences.
std::string answer(bool null_stop_sequence) {
    return std::string(R"({"id":"msg_1","type":"message","role":"assistant",
        "model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello."}],
        "stop_reason":"end_turn",)") +
           (null_stop_sequence ? R"("stop_sequence":null,)" : "") +
           R"("usage":{"input_tokens":3,"output_tokens":2}})";
}

constexpr std::string_view messages_sse =
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
    "\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],"
    "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,"
    "\"output_tokens\":1}}}\n\n"
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
    "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
    "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello.\"}}\n\n"
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
    "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n"
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

void upstream_handler(const ts::test_server::request& req, ts::test_session& s) {
    json::object const body = body_of(req);
    bool const stream = body.contains("stream") && body.at("stream") == true;
    // Prism forwards the spec's path (see `curated_spec`).
    if (req.target() != "/messages" && req.target() != "/v1/messages")
        s.respond(404, R"({"type":"error","error":{"type":"not_found_error","message":"no"}})",
                  {{"Content-Type", "application/json"}});
    else if (stream)
        s.respond(200, messages_sse, {{"Content-Type", "text/event-stream"}});
    else // the official mirror (at /v1) requires the null; the curated spec meets it rarely
        s.respond(200, answer(req.target() == "/v1/messages" || body.contains("stop_sequences")),
                  {{"Content-Type", "application/json"}});
}

// ---- one conformance run ------------------------------------------------------------------

using providers = llmap::registry<llmap::anthropic>;

// True if every violation is of `body.system` (its string-only type) and the request's system
// is an array of text blocks.
bool only_system_fault(const json::object& request, const json::array& validation) {
    auto const* system = request.if_contains("system");
    return system && system->is_array() &&
           every_complaint(validation, [](const json::value&, const json::array& loc) {
               return located(loc, {"body", "system"}, true);
           });
}

// A flagged element that does satisfy the branch meant for it: the oneOf failed because a
// second branch matched too, never because none did.
bool fits_its_branch(const json::value& v) {
    if (!v.is_object())
        return false;
    auto const& o = v.as_object();
    auto const text = [&](std::string_view k) { return o.if_contains(k) && o.at(k).is_string(); };
    if (!o.contains("type")) // a custom tool: ToolCustom
        return text("name") && o.if_contains("input_schema") && o.at("input_schema").is_object();
    if (o.at("type") == "tool_use") // ToolUseBlock
        return text("id") && text("name") && o.if_contains("input") && o.at("input").is_object();
    if (o.at("type") == "image" || o.at("type") == "document") { // with a URL source
        auto const* src = o.if_contains("source");
        return src && src->is_object() && src->as_object().if_contains("type") &&
               src->at("type") == "url" && src->as_object().if_contains("url") &&
               src->at("url").is_string();
    }
    return false;
}

// True if every violation is one of the overlaps above, on an element that fits its branch
// (or the string|array union of a content, failing because of such an element).
bool only_overlap_fault(const json::object& request, const json::array& validation) {
    if (validation.empty())
        return false;
    for (auto const& v : validation) {
        auto const& loc = v.at("location").as_array();
        auto const at = [&](std::size_t i) { return std::string_view(loc[i].as_string()); };
        if (loc.size() < 3 || at(0) != "body")
            return false;
        if (at(1) == "tool_choice" && loc.size() == 3 && at(2) == "type" &&
            request.at("tool_choice").at("type") == "none")
            continue;
        if (at(1) == "tools" && loc.size() == 3 &&
            fits_its_branch(request.at("tools").at(std::stoul(std::string(at(2))))))
            continue;
        if (at(1) == "messages" && loc.size() >= 4 && at(3) == "content") {
            auto const& content =
                request.at("messages").at(std::stoul(std::string(at(2)))).at("content");
            if (loc.size() == 4)
                continue; // the union of string and blocks, failing because of a block
            if (loc.size() >= 5 && content.is_array() &&
                fits_its_branch(content.at(std::stoul(std::string(at(4))))))
                continue;
        }
        return false;
    }
    return true;
}

// True if every violation is the answer's null `stop_sequence`.
bool only_stop_sequence_fault(const json::array& validation) {
    return only_at(validation, {"response", "body", "stop_sequence"});
}

// The README's own words for the faults of this spec, and the one it does not list.
constexpr spec_fault system_fault{"`system` is string-only (the API also takes text-block arrays)",
                                  side::request, only_system_fault};
constexpr spec_fault stop_sequence_fault{"`stop_sequence` not nullable", side::answer,
                                         [](const json::object&, const json::array& validation) {
                                             return only_stop_sequence_fault(validation);
                                         }};
// Not in the README's table: the spec's unions (`Tool`, `Block`, `DocumentBlockSource`...) are
// oneOfs whose discriminators Prism does not enforce, and whose branches do not pin their
// `type` (no enum): `ToolBash` and `ToolTextEditor` require nothing, so every custom tool
// matches them as well as `ToolCustom`; a `tool_use` block matches `ServerToolUseBlock` as
// well as `ToolUseBlock`; an image or a document with a `url` source matches both
// `ImageBlock` and `DocumentBlock`. Prism then rejects a body the API takes. And
// `ToolChoiceType` predates `{"type":"none"}` (which the API takes since 2025).
constexpr spec_fault overlap_fault{
    "oneOf unions without a pinned `type` (Tool, Block) overlap, so custom tools, tool_use "
    "blocks and URL-sourced images and documents are wrongly flagged; `tool_choice` lacks "
    "\"none\"",
    side::request, only_overlap_fault, false};

// The curated spec's server URL holds the `/v1` (`https://api.anthropic.com/v1`) and its paths
// do not (`/messages`), and Prism matches paths as they are: for it the front takes llmap's
// `/v1/messages` off its `/v1` before the tap, which records the rest as sent.
world<providers>::options curated_spec() {
    return {.label = "conformance.anthropic",
            .spec = "anthropic-openapi-curated.langchain_dart.json",
            .upstream = upstream_handler,
            .make = named<providers>("anthropic"),
            .api_key = std::string(api_key), // base_url: the host; llmap adds /v1
            .strip_prefix = "/v1",
            .faults = {&overlap_fault, &system_fault, &stop_sequence_fault}};
}

// ---- scenarios ----------------------------------------------------------------------------

json::object ephemeral() {
    return {{"anthropic", {{"cache_control", {{"type", "ephemeral"}}}}}};
}

std::vector<std::pair<std::string, llmap::request>> scenarios() {
    std::vector<std::pair<std::string, llmap::request>> out;
    out.emplace_back("simple prompt", llmap::request{.prompt = "Say hello."});
    out.emplace_back("system + user", reference_request());
    out.emplace_back(
        "sampling",
        llmap::request{.prompt = "Say hello.", .max_output_tokens = 32, .top_p = 0.9, .top_k = 40});
    out.emplace_back("stop sequences",
                     llmap::request{.prompt = "Count to ten.", .stop_sequences = {"5", "END"}});
    {
        llmap::request r{.prompt = "Say hello."};
        r.messages.push_back(llmap::message::system("You are terse."));
        r.messages.push_back(llmap::message::system("You answer in English."));
        out.emplace_back("two system messages", r);
        r.messages.resize(1);
        r.messages[0].provider_options = ephemeral();
        out.emplace_back("cached system prompt", r);
    }
    {
        llmap::request r{.prompt = "Weather in Paris?", .tools = {weather_tool()}};
        r.tools[0].provider_options = ephemeral();
        r.messages.push_back(llmap::message::user("A long, stable prefix."));
        r.messages[0].provider_options = ephemeral();
        out.emplace_back("cache markers on a message and a tool", r);
    }
    for (auto const& [label, choice] : std::vector<std::pair<std::string, llmap::tool_choice>>{
             {"tools, auto choice", llmap::tool_choice::auto_choice()},
             {"tools + tool choice", llmap::tool_choice::specific("get_weather")},
             {"tools, required choice", llmap::tool_choice::required()},
             {"tools, no tool", llmap::tool_choice::none()}})
        out.emplace_back(label, weather_question(choice));
    out.emplace_back("json schema format", city_question());
    out.emplace_back("reasoning", llmap::request{.prompt = "2 + 2?",
                                                 .max_output_tokens = 256,
                                                 .reasoning = llmap::reasoning_effort::low});
    out.emplace_back("image by URL", llmap::request{.messages = {image_by_url()}});
    out.emplace_back("image as base64 bytes", llmap::request{.messages = {image_as_bytes()}});
    {
        llmap::message m = llmap::message::user("Summarise the document.");
        m.content.emplace_back(
            llmap::file_part::from_url("https://example.com/a.pdf", "application/pdf"));
        m.content.emplace_back(
            llmap::file_part::from_bytes({'%', 'P', 'D', 'F', '-'}, "application/pdf", "b.pdf"));
        m.content.emplace_back(llmap::file_part::from_bytes({'H', 'i', '.'}, "text/plain"));
        out.emplace_back("PDF and text documents", llmap::request{.messages = {m}});
    }
    {
        llmap::message call{.role = llmap::role::assistant};
        call.content.emplace_back(llmap::reasoning_part{"The user wants weather.", "sig_1"});
        call.content.emplace_back(llmap::reasoning_part{"opaque-data", "", true});
        call.content.emplace_back(llmap::text_part{"I will look up the weather."});
        call.content.emplace_back(llmap::tool_call_part{
            .id = "toolu_1", .name = "get_weather", .arguments = {{"city", "Paris"}}});
        call.content.emplace_back(llmap::tool_call_part{
            .id = "toolu_2", .name = "get_weather", .arguments = {{"city", "Rome"}}});
        llmap::message result{.role = llmap::role::tool};
        result.content.emplace_back(llmap::tool_result_part{
            .tool_call_id = "toolu_1", .name = "get_weather", .result = {{"temp_c", 18}}});
        result.content.emplace_back(llmap::tool_result_part{.tool_call_id = "toolu_2",
                                                            .name = "get_weather",
                                                            .result = "unavailable",
                                                            .is_error = true});
        llmap::message answer = llmap::message::assistant("It is 18 degrees in Paris.");
        out.emplace_back(
            "parallel tool round trip with thinking",
            llmap::request{.messages = {llmap::message::user("Weather in Paris and Rome?"), call,
                                        result, answer, llmap::message::user("Thanks.")},
                           .max_output_tokens = 1024,
                           .tools = {weather_tool()},
                           .reasoning = llmap::reasoning_effort::minimal});
    }
    out.emplace_back("typed schema and tools", test::typed::scenario());
    return out;
}

// The AI SDK sends every content as text blocks, the official SDK as strings: the API takes
// a string as one text block, so the two compare equal here.
json::value as_blocks(json::value v) {
    auto const blocks = [](json::value& c) {
        if (c.is_string())
            c = json::array{{{"type", "text"}, {"text", c.as_string()}}};
    };
    if (auto* s = v.as_object().if_contains("system"))
        blocks(*s);
    for (auto& m : v.at("messages").as_array())
        blocks(m.as_object().at("content"));
    return v;
}

} // namespace

BOOST_AUTO_TEST_CASE(anthropic_requests_conform_to_the_openapi_spec) {
    world<providers> w(curated_spec());

    auto claude = w.reg.model<"anthropic:claude-sonnet-4-5">();
    for (auto const& [name, req] : scenarios())
        w.complete("messages/" + name, claude, req);
    auto thinking = w.reg.model<"anthropic:claude-sonnet-4-5">();
    thinking.thinking_budget(2048);
    w.complete("messages/thinking budget", thinking, {.prompt = "2 + 2?", .max_output_tokens = 64});

    // The reference scenario, checked against the bodies the official SDK and the AI SDK sent.
    llmap::request const reference = reference_request();
    w.complete("messages/reference", claude, reference);
    w.sent_as("anthropic-sdk/messages");
    w.sent_as("anthropic-sdk@0.x/messages");
    BOOST_TEST(as_blocks(w.last_body()) ==
                   as_blocks(reference_body("ai-sdk/anthropic/generateText")),
               "messages vs ai-sdk/anthropic/generateText");
    w.stream("messages/reference stream", claude, reference);
    w.sent_as("anthropic-sdk/messages-stream");
    BOOST_TEST(as_blocks(w.last_body()) == as_blocks(reference_body("ai-sdk/anthropic/streamText")),
               "messages stream vs ai-sdk/anthropic/streamText");

    // Streams of the other scenarios: their requests.
    for (auto const& [name, req] : scenarios())
        if (name != "system + user") // the reference stream above
            w.stream("messages/stream " + name, claude, req);

    w.summary();
    BOOST_TEST(w.n.violations == 0);
}

BOOST_AUTO_TEST_CASE(tools_documents_and_images_conform_to_the_official_mirror) {
    // The curated spec's unions cannot tell a custom tool, a tool_use block or a URL source
    // apart (see overlap_fault): the scenarios that have them go through the mirror of the
    // official spec too, whose unions are pinned. It is of 2024-11: it knows no thinking, no
    // `tool_choice` none, no URL sources and no cache markers (then a beta), so those
    // scenarios, and no other, are left to the curated spec.
    auto mirror = curated_spec();
    mirror.label = "conformance.anthropic (official mirror, 2024-11)";
    mirror.spec = "anthropic-hosted_spec.laszukdawid-2024-11.json";
    mirror.strip_prefix = ""; // its paths hold the /v1
    world<providers> w(std::move(mirror));
    auto claude = w.reg.model<"anthropic:claude-3-5-sonnet-20241022">();
    auto const stale = [](const llmap::request& r) {
        if (r.reasoning || (r.tool_choice && r.tool_choice->mode == llmap::tool_choice::kind::none))
            return true;
        for (auto const& t : r.tools)
            if (!t.provider_options.empty())
                return true;
        for (auto const& m : r.all_messages()) {
            if (!m.provider_options.empty()) // cache markers: beta in 2024-11
                return true;
            for (auto const& p : m.content)
                if ((std::holds_alternative<llmap::image_part>(p) &&
                     std::get<llmap::image_part>(p).is_url()) ||
                    (std::holds_alternative<llmap::file_part>(p) &&
                     std::get<llmap::file_part>(p).is_url()))
                    return true;
        }
        return false;
    };
    int left = 0;
    for (auto const& [name, req] : scenarios()) {
        if (stale(req)) {
            ++left;
            continue;
        }
        w.complete("mirror/" + name, claude, req);
        w.stream("mirror/stream " + name, claude, req);
    }
    {
        // The parallel tool round trip, without the thinking this spec does not know.
        auto const all = scenarios();
        auto const at = std::find_if(all.begin(), all.end(), [](const auto& s) {
            return s.first == "parallel tool round trip with thinking";
        });
        BOOST_REQUIRE(at != all.end());
        llmap::request req = at->second;
        BOOST_REQUIRE(req.reasoning.has_value());
        req.reasoning.reset();
        auto& call = req.messages[1].content;
        call.erase(call.begin(), call.begin() + 2);
        w.complete("mirror/parallel tool round trip", claude, req);
    }
    std::cout << "  " << left << " scenarios use what this spec predates\n";
    w.summary();
    BOOST_TEST(w.n.violations == 0);
    BOOST_TEST(w.n.spec_faults == 0);
}
