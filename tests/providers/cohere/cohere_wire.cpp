//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Cohere's wire format (chat_wire.hpp, embed_wire.hpp) against every recorded Cohere answer
// and stream in ../shared/fixtures: the AI SDK's fixtures and Rig's cassettes. Each stream is
// decoded whole, one byte at a time and in random splits, with the same result each way. The
// expectations come from the fixture's own JSON, read by a minimal walk (cohere_test below)
// that shares nothing with the code under test.

#define BOOST_TEST_MODULE provider_cohere
#include "../../support/fixtures.hpp"

#include <llmap/http/sse.hpp>
#include <llmap/providers/cohere.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fx = test::fixtures;
namespace wire = llmap::cohere_api::wire;

namespace cohere_test {

namespace json = boost::json;

/// What one answer or stream holds.
struct expected {
    std::string id, text, reasoning, finish;
    std::vector<std::pair<std::string, std::string>> calls; // id, name
    std::vector<json::value> arguments;                     // parsed, "null" as {}
    std::optional<std::int64_t> input, output, cached, reasoning_tokens;
    std::vector<std::pair<std::string, std::string>> sources; // id, title (unique)
};

inline std::optional<std::int64_t> opt_int(const json::object& o, const char* k) {
    if (auto const* v = o.if_contains(k))
        return v->to_number<std::int64_t>();
    return std::nullopt;
}

inline void read_usage(const json::object& u, expected& x) {
    auto const& t = u.at("tokens").as_object();
    x.input = opt_int(t, "input_tokens");
    x.output = opt_int(t, "output_tokens");
    x.reasoning_tokens = opt_int(t, "reasoning_tokens");
    x.cached = opt_int(u, "cached_tokens");
}

inline json::value args_of(std::string_view text) {
    if (text.empty() || text == "null")
        return json::object();
    return json::parse(text);
}

inline void read_citation(const json::value& c, expected& x) {
    for (auto const& s : c.at("sources").as_array()) {
        auto const* doc = s.as_object().if_contains("document");
        if (!doc)
            continue;
        std::pair<std::string, std::string> p{std::string(s.at("id").as_string()),
                                              std::string(doc->at("title").as_string())};
        if (std::find(x.sources.begin(), x.sources.end(), p) == x.sources.end())
            x.sources.push_back(p);
    }
}

/// An answer of `/v2/chat`.
inline expected expect_answer(const json::value& body) {
    expected x;
    auto const& o = body.as_object();
    x.id = o.at("id").as_string();
    x.finish = o.at("finish_reason").as_string();
    auto const& m = o.at("message").as_object();
    if (auto const* c = m.if_contains("content"))
        for (auto const& item : c->as_array()) {
            if (item.at("type") == "text")
                x.text += item.at("text").as_string();
            else if (item.at("type") == "thinking")
                x.reasoning += item.at("thinking").as_string();
        }
    if (auto const* plan = m.if_contains("tool_plan"); plan && plan->is_string())
        x.text += plan->as_string();
    if (auto const* calls = m.if_contains("tool_calls"))
        for (auto const& c : calls->as_array()) {
            x.calls.emplace_back(c.at("id").as_string(), c.at("function").at("name").as_string());
            x.arguments.push_back(args_of(c.at("function").at("arguments").as_string()));
        }
    if (auto const* cites = m.if_contains("citations"))
        for (auto const& c : cites->as_array())
            read_citation(c, x);
    if (auto const* u = o.if_contains("usage"))
        read_usage(u->as_object(), x);
    return x;
}

/// A stream of `/v2/chat`, given as the JSON data of its events.
inline expected expect_stream(const std::vector<std::string>& events) {
    expected x;
    std::vector<std::string> args;
    for (auto const& line : events) {
        if (line == "[DONE]")
            continue;
        auto const v = json::parse(line);
        std::string_view const type = v.at("type").as_string();
        if (type == "message-start") {
            x.id = v.at("id").as_string();
        } else if (type == "content-delta") {
            auto const& c = v.at("delta").at("message").at("content").as_object();
            if (auto const* t = c.if_contains("text"))
                x.text += t->as_string();
            if (auto const* t = c.if_contains("thinking"))
                x.reasoning += t->as_string();
        } else if (type == "tool-plan-delta") {
            x.text += v.at("delta").at("message").at("tool_plan").as_string();
        } else if (type == "tool-call-start") {
            auto const& c = v.at("delta").at("message").at("tool_calls");
            x.calls.emplace_back(c.at("id").as_string(), c.at("function").at("name").as_string());
            args.emplace_back(c.at("function").at("arguments").as_string());
        } else if (type == "tool-call-delta") {
            args.back() += v.at("delta")
                               .at("message")
                               .at("tool_calls")
                               .at("function")
                               .at("arguments")
                               .as_string();
        } else if (type == "citation-start") {
            read_citation(v.at("delta").at("message").at("citations"), x);
        } else if (type == "message-end") {
            x.finish = v.at("delta").at("finish_reason").as_string();
            read_usage(v.at("delta").at("usage").as_object(), x);
        }
    }
    for (auto const& a : args)
        x.arguments.push_back(a.empty() ? json::value(json::object()) : json::parse(a));
    return x;
}

/// The data of each event of a raw SSE body, in order.
inline std::vector<std::string> sse_data(std::string_view body) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < body.size()) {
        std::size_t end = body.find('\n', at);
        if (end == std::string_view::npos)
            end = body.size();
        std::string_view line = body.substr(at, end - at);
        if (line.starts_with("data: "))
            out.emplace_back(line.substr(6));
        at = end + 1;
    }
    return out;
}

/// The SSE wire form of AI SDK chunk lines, as Cohere sends it: `event: TYPE` and `data:`
/// each, then `data: [DONE]`.
inline std::string cohere_sse(const std::vector<std::string>& lines) {
    std::string out;
    for (auto const& l : lines)
        out += "event: " + std::string(json::parse(l).at("type").as_string()) + "\ndata: " + l +
               "\n\n";
    return out + "data: [DONE]\n\n";
}

} // namespace cohere_test

namespace {

using cohere_test::expected;
namespace json = boost::json;

std::string reasoning_of(const llmap::response& r) {
    return r.reasoning_text();
}

std::vector<std::pair<std::string, std::string>> sources_of(const llmap::response& r) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto const& p : r.content)
        if (auto const* s = std::get_if<llmap::source_part>(&p))
            out.emplace_back(s->id, s->title);
    return out;
}

/// `r` says what the fixture says.
void check(const llmap::response& r, const expected& x, const std::string& name) {
    BOOST_TEST(r.id == x.id, name);
    BOOST_TEST(r.text() == x.text, name);
    BOOST_TEST(reasoning_of(r) == x.reasoning, name);
    BOOST_TEST(r.raw_finish_reason == x.finish, name);
    BOOST_TEST((r.usage.input_tokens == x.input), name);
    BOOST_TEST((r.usage.output_tokens == x.output), name);
    BOOST_TEST((r.usage.cache_read_tokens == x.cached), name);
    BOOST_TEST((r.usage.reasoning_tokens == x.reasoning_tokens), name);
    auto const calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == x.calls.size(), name);
    for (std::size_t i = 0; i != calls.size(); ++i) {
        BOOST_TEST(calls[i].id == x.calls[i].first, name);
        BOOST_TEST(calls[i].name == x.calls[i].second, name);
        BOOST_TEST(calls[i].arguments == x.arguments[i], name);
    }
    BOOST_TEST((sources_of(r) == x.sources), name);
    bool const tool_call = x.finish == "TOOL_CALL";
    BOOST_TEST((r.finish == (tool_call                  ? llmap::finish_reason::tool_calls
                             : x.finish == "MAX_TOKENS" ? llmap::finish_reason::length
                                                        : llmap::finish_reason::stop)),
               name);
    BOOST_TEST(r.warnings.empty(), name);
}

/// The response of an SSE body through the decoder, fed as `feed_split` mode says.
llmap::response decode(std::string_view body, unsigned mode,
                       std::vector<llmap::stream_event>* events = nullptr) {
    llmap::http::sse_parser sse;
    wire::chat_stream_decoder d;
    llmap::stream_accumulator acc;
    auto emit = [&](llmap::stream_event&& e) {
        if (events)
            events->push_back(e);
        acc.add(e);
    };
    fx::feed_split(body, mode, [&](std::string_view bytes) {
        sse.feed(bytes, [&](llmap::http::sse_event& ev) {
            if (!d.done())
                d.on_data(ev.data, emit);
        });
    });
    BOOST_TEST(!sse.has_partial_event());
    if (!d.done())
        d.finish(emit);
    return std::move(acc).finish();
}

/// Decode a stream whole, byte by byte and in 3 random splits: the same response each time,
/// and what the fixture says.
void check_stream(std::string_view body, const expected& x, const std::string& name) {
    std::vector<llmap::stream_event> events;
    auto const whole = decode(body, 0, &events);
    check(whole, x, name);
    for (unsigned mode : {1u, 2u, 3u, 4u})
        BOOST_TEST((decode(body, mode) == whole), name << " split mode " << mode);
    // Every event keeps the provider's raw event it came from.
    for (auto const& e : events)
        BOOST_TEST(e.raw.is_object(), name);
}

template <class F>
void expect_error(F&& f, llmap::errc code, std::string_view what_part, const std::string& name) {
    try {
        f();
        BOOST_ERROR(name << ": no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == code), name << ": " << e.what());
        BOOST_TEST(std::string(e.what()).find(what_part) != std::string::npos,
                   name << ": " << e.what());
    }
}

std::vector<float> floats(const json::value& v) {
    std::vector<float> out;
    for (auto const& n : v.as_array())
        out.push_back(static_cast<float>(n.to_number<double>()));
    return out;
}

// The embedding vectors of an answer, by a walk of its own: `embeddings` or `embeddings.float`.
std::vector<std::vector<float>> vectors_of(const json::value& body) {
    auto const& e = body.at("embeddings");
    auto const& a = e.is_array() ? e.as_array() : e.at("float").as_array();
    std::vector<std::vector<float>> out;
    for (auto const& v : a)
        out.push_back(floats(v));
    return out;
}

// ---- the logical request of a Rig cassette ----------------------------------------------

std::string text_of(const json::value& content) {
    if (content.is_string())
        return std::string(content.as_string());
    std::string out;
    for (auto const& p : content.as_array())
        if (p.at("type") == "text")
            out += p.at("text").as_string();
    return out;
}

/// The unified request that stands for a recorded `/v2/chat` body.
llmap::request request_of(const json::object& rec) {
    llmap::request req;
    for (auto const& mv : rec.at("messages").as_array()) {
        auto const& m = mv.as_object();
        std::string_view const role = m.at("role").as_string();
        llmap::message msg{.role = *llmap::role_from_string(role)};
        if (auto const* c = m.if_contains("content"); c && !c->is_null())
            msg.content.emplace_back(llmap::text_part{text_of(*c)});
        if (auto const* calls = m.if_contains("tool_calls"); calls && calls->is_array())
            for (auto const& c : calls->as_array())
                msg.content.emplace_back(llmap::tool_call_part{
                    std::string(c.at("id").as_string()),
                    std::string(c.at("function").at("name").as_string()),
                    json::parse(c.at("function").at("arguments").as_string())});
        req.messages.push_back(std::move(msg));
    }
    if (auto const* v = rec.if_contains("max_tokens"))
        req.max_output_tokens = static_cast<int>(v->to_number<std::int64_t>());
    if (auto const* v = rec.if_contains("temperature"))
        req.temperature = v->to_number<double>();
    if (auto const* v = rec.if_contains("seed"))
        req.seed = v->to_number<std::int64_t>();
    if (auto const* v = rec.if_contains("stop_sequences"))
        for (auto const& s : v->as_array())
            req.stop_sequences.emplace_back(s.as_string());
    if (auto const* v = rec.if_contains("tools"))
        for (auto const& t : v->as_array()) {
            auto const& fn = t.at("function").as_object();
            req.tools.push_back({.name = std::string(fn.at("name").as_string()),
                                 .description = std::string(fn.at("description").as_string()),
                                 .parameters = fn.at("parameters").as_object()});
        }
    if (auto const* v = rec.if_contains("tool_choice"))
        req.tool_choice =
            *v == "REQUIRED" ? llmap::tool_choice::required() : llmap::tool_choice::none();
    return req;
}

/// Our body for the request of a recorded body says what the recorded one says.
void check_request(const json::object& rec, const std::string& name) {
    bool const stream = rec.contains("stream") && rec.at("stream") == true;
    std::vector<llmap::warning> warnings;
    auto const ours =
        wire::chat_request_body(request_of(rec), rec.at("model").as_string(), stream, warnings);
    BOOST_TEST(warnings.empty(), name);
    BOOST_TEST(ours.at("model") == rec.at("model"), name);
    BOOST_TEST(ours.at("stream") == json::value(stream), name);
    for (auto const* k :
         {"max_tokens", "temperature", "seed", "stop_sequences", "tools", "tool_choice"}) {
        BOOST_TEST(ours.contains(k) == rec.contains(k), name << " " << k);
        if (ours.contains(k) && rec.contains(k))
            BOOST_TEST(ours.at(k) == rec.at(k), name << " " << k);
    }
    auto const& a = ours.at("messages").as_array();
    auto const& b = rec.at("messages").as_array();
    BOOST_TEST_REQUIRE(a.size() == b.size(), name);
    for (std::size_t i = 0; i != a.size(); ++i) {
        BOOST_TEST(a[i].at("role") == b[i].at("role"), name << " message " << i);
        BOOST_TEST(text_of(a[i].at("content")) == text_of(b[i].at("content")),
                   name << " message " << i);
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(cohere_wire)

BOOST_AUTO_TEST_CASE(aisdk_fixtures) {
    std::size_t answers = 0, streams = 0, embeddings = 0, skipped = 0;
    for (auto const& f : fx::files(fx::root() / "aisdk" / "cohere", "")) {
        std::string const name = "aisdk/cohere/" + f.filename().string();
        if (f.parent_path().filename() == "reranking") {
            ++skipped; // another endpoint (/v2/rerank), which llmap does not cover
            continue;
        }
        if (f.string().ends_with(".chunks.txt")) {
            auto const lines = fx::chunk_lines(f);
            check_stream(cohere_test::cohere_sse(lines), cohere_test::expect_stream(lines), name);
            ++streams;
            continue;
        }
        auto const body = json::parse(fx::read_file(f));
        if (body.as_object().contains("embeddings")) {
            auto const r = wire::parse_embed_response(body);
            BOOST_TEST((r.vectors == vectors_of(body)), name);
            BOOST_TEST(r.vectors.size() == body.at("texts").as_array().size(), name);
            BOOST_TEST(*r.usage.input_tokens ==
                           body.at("meta").at("billed_units").at("input_tokens").to_number<int>(),
                       name);
            BOOST_TEST((r.raw == body), name);
            ++embeddings;
        } else {
            auto const r = wire::parse_chat_response(body);
            check(r, cohere_test::expect_answer(body), name);
            BOOST_TEST((r.raw == body), name);
            ++answers;
        }
    }
    std::cout << "cohere_wire/aisdk_fixtures: " << answers << " answers, " << streams
              << " streams (whole, byte by byte, 3 random splits), " << embeddings
              << " embedding answers replayed; " << skipped
              << " skipped (reranking/: the /v2/rerank endpoint, not covered by llmap)\n";
    BOOST_TEST(answers == 3u);
    BOOST_TEST(streams == 2u);
    BOOST_TEST(embeddings == 1u);
    BOOST_TEST(skipped == 1u);
}

BOOST_AUTO_TEST_CASE(rig_cassettes) {
    std::size_t answers = 0, streams = 0, embeddings = 0, errors = 0, requests = 0,
                image_requests = 0;
    auto const exchanges = fx::rig_exchanges("cohere");
    for (auto const& e : exchanges) {
        std::string const name = "rig/cohere/" + e.name();
        auto const rec = json::parse(e.request_body).as_object();
        if (e.status != 200) {
            // The error answer as the endpoint maps it: http_error, status, Cohere's message.
            llmap::detail::answer_context const answers{"cohere", {}};
            llmap::http::http_response res{e.status, e.response_headers, e.response_body};
            auto const message =
                std::string(json::parse(e.response_body).at("message").as_string());
            try {
                (void)llmap::detail::answer_json(answers, res);
                BOOST_ERROR(name << ": no exception");
            } catch (const llmap::error& err) {
                BOOST_TEST((err.code() == llmap::errc::http_error), name);
                BOOST_TEST(err.http_status() == static_cast<int>(e.status), name);
                BOOST_TEST(std::string(err.what()).find(message) != std::string::npos, name);
            }
            ++errors;
        } else if (e.path == "/v2/chat") {
            if (rec.contains("stream") && rec.at("stream") == true) {
                auto const data = cohere_test::sse_data(e.response_body);
                BOOST_TEST(data.back() == "[DONE]", name);
                check_stream(e.response_body, cohere_test::expect_stream(data), name);
                ++streams;
            } else {
                auto const body = json::parse(e.response_body);
                check(wire::parse_chat_response(body), cohere_test::expect_answer(body), name);
                ++answers;
            }
        } else if (e.path == "/v1/embed") {
            auto const body = json::parse(e.response_body);
            auto const r = wire::parse_embed_response(body);
            BOOST_TEST((r.vectors == vectors_of(body)), name);
            auto const& billed = body.at("meta").at("billed_units").as_object();
            if (billed.contains("input_tokens"))
                BOOST_TEST(*r.usage.input_tokens == billed.at("input_tokens").to_number<int>(),
                           name);
            ++embeddings;
        } else {
            BOOST_ERROR(name << ": unexpected path " << e.path);
        }
        // The request: ours for the same logical request says what Rig's said.
        if (e.path == "/v2/chat") {
            check_request(rec, name);
            ++requests;
        } else if (rec.contains("texts")) {
            llmap::embedding_request req;
            for (auto const& t : rec.at("texts").as_array())
                req.inputs.emplace_back(t.as_string());
            std::vector<llmap::warning> w;
            auto const ours = wire::embed_request_body(req, rec.at("model").as_string(), w);
            BOOST_TEST(ours.at("texts") == rec.at("texts"), name);
            BOOST_TEST(ours.at("input_type") == rec.at("input_type"), name);
            BOOST_TEST(ours.at("model") == rec.at("model"), name);
            ++requests;
        } else {
            ++image_requests; // image embeddings: embedding_request carries text only
        }
    }
    std::cout << "cohere_wire/rig_cassettes: " << exchanges.size() << " exchanges: " << answers
              << " answers, " << streams << " streams (whole, byte by byte, 3 random splits), "
              << embeddings << " embedding answers, " << errors << " error answers replayed; "
              << requests << " requests rebuilt and compared; " << image_requests
              << " requests not rebuilt (image embeddings: llmap's embedding_request has text "
                 "inputs only)\n";
    BOOST_TEST(answers + streams + embeddings + errors == exchanges.size());
    BOOST_TEST(streams >= 8u);
    BOOST_TEST(errors == 2u);
}

BOOST_AUTO_TEST_CASE(reference_scenario_body) {
    // The body the official SDK sent for the reference scenario (sdk-requests/requests.jsonl).
    llmap::request const req{.system = "You are a terse assistant.",
                             .prompt = "Say hello.",
                             .max_output_tokens = 64,
                             .temperature = 0.2};
    std::vector<llmap::warning> w;
    auto const body = wire::chat_request_body(req, "command-a-03-2025", false, w);
    BOOST_TEST(json::value(body) ==
               json::parse(R"({"model":"command-a-03-2025","messages":[{"role":"system",
                   "content":"You are a terse assistant."},{"role":"user","content":"Say hello."}],
                   "temperature":0.2,"max_tokens":64,"stream":false})"));
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(request_mapping) {
    llmap::tool weather{
        .name = "weather", .description = "Weather of a city.", .parameters = {{"type", "object"}}};
    llmap::tool other{.name = "other"};
    llmap::message user = llmap::message::user("What is this?");
    user.content.emplace_back(llmap::image_part::from_url("https://example.com/a.png"));
    user.content.emplace_back(llmap::image_part::from_bytes({1, 2, 3}, "image/jpeg"));
    user.content.emplace_back(llmap::file_part::from_bytes({'h', 'i'}, "text/plain", "a.txt"));
    user.content.emplace_back(llmap::file_part::from_bytes({0x25}, "application/pdf"));
    llmap::message call{.role = llmap::role::assistant};
    call.content.emplace_back(llmap::reasoning_part{"thought"});
    call.content.emplace_back(llmap::text_part{"I will call weather."});
    call.content.emplace_back(llmap::tool_call_part{"c1", "weather", {{"city", "Paris"}}});
    llmap::message result{.role = llmap::role::tool};
    result.content.emplace_back(llmap::tool_result_part{"c1", "weather", {{"temp", 18}}});
    result.content.emplace_back(llmap::tool_result_part{"c2", "weather", "sunny"});
    llmap::message cached = llmap::message::user("again");
    cached.provider_options = {{"cohere", {{"x_flag", true}}}};
    llmap::request req{.system = "sys",
                       .messages = {user, call, result, cached},
                       .top_p = 0.5,
                       .top_k = 40,
                       .stop_sequences = {"END"},
                       .seed = 7,
                       .tools = {weather, other},
                       .tool_choice = llmap::tool_choice::specific("weather"),
                       .format = llmap::response_format::json_schema(
                           "s", {{"type", "object"}, {"required", json::array{"a"}}}),
                       .reasoning = llmap::reasoning_effort::low,
                       .provider_options = {{"cohere", {{"safety_mode", "OFF"}}}}};
    std::vector<llmap::warning> w;
    auto const body = wire::chat_request_body(req, "command-a-reasoning-08-2025", true, w);
    auto const expected = json::parse(R"({
        "model": "command-a-reasoning-08-2025",
        "messages": [
          {"role": "system", "content": "sys"},
          {"role": "user", "content": [
             {"type": "text", "text": "What is this?"},
             {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
             {"type": "image_url", "image_url": {"url": "data:image/jpeg;base64,AQID"}}]},
          {"role": "assistant", "tool_plan": "I will call weather.",
           "content": [{"type": "thinking", "thinking": "thought"}],
           "tool_calls": [{"id": "c1", "type": "function",
                           "function": {"name": "weather", "arguments": "{\"city\":\"Paris\"}"}}]},
          {"role": "tool", "tool_call_id": "c1", "content": "{\"temp\":18}"},
          {"role": "tool", "tool_call_id": "c2", "content": "sunny"},
          {"role": "user", "content": "again", "x_flag": true}],
        "documents": [{"data": {"text": "hi", "title": "a.txt"}}],
        "p": 0.5, "k": 40, "stop_sequences": ["END"], "seed": 7,
        "tools": [{"type": "function", "function": {"name": "weather",
                   "description": "Weather of a city.", "parameters": {"type": "object"}}}],
        "tool_choice": "REQUIRED",
        "response_format": {"type": "json_object",
                            "json_schema": {"type": "object", "required": ["a"]}},
        "thinking": {"type": "enabled", "token_budget": 2048},
        "stream": true,
        "safety_mode": "OFF"})");
    BOOST_TEST(json::value(body) == expected, json::serialize(body));
    // The PDF could not be sent.
    BOOST_TEST_REQUIRE(w.size() == 1u);
    BOOST_TEST(w[0].message.find("application/pdf") != std::string::npos);

    // Tool choices: auto is the default (omitted), none and required by name; a chosen tool
    // that is not in the list is a warning.
    auto choice_of = [&](llmap::tool_choice c, std::vector<llmap::warning>& ws) {
        llmap::request r{.prompt = "x", .tools = {weather, other}, .tool_choice = c};
        return wire::chat_request_body(r, "m", false, ws);
    };
    std::vector<llmap::warning> ws;
    auto b = choice_of(llmap::tool_choice::auto_choice(), ws);
    BOOST_TEST(!b.contains("tool_choice"));
    BOOST_TEST(b.at("tools").as_array().size() == 2u);
    BOOST_TEST(choice_of(llmap::tool_choice::none(), ws).at("tool_choice") == "NONE");
    BOOST_TEST(choice_of(llmap::tool_choice::required(), ws).at("tool_choice") == "REQUIRED");
    BOOST_TEST(ws.empty());
    b = choice_of(llmap::tool_choice::specific("missing"), ws);
    BOOST_TEST(!b.contains("tools"));
    BOOST_TEST(!b.contains("tool_choice"));
    BOOST_TEST_REQUIRE(ws.size() == 1u);
    BOOST_TEST(ws[0].setting == "tool_choice");

    // Reasoning none disables thinking; JSON mode without a schema.
    llmap::request plain{.prompt = "x",
                         .format = llmap::response_format::json(),
                         .reasoning = llmap::reasoning_effort::none};
    b = wire::chat_request_body(plain, "m", false, ws);
    BOOST_TEST(b.at("thinking") == json::parse(R"({"type":"disabled"})"));
    BOOST_TEST(b.at("response_format") == json::parse(R"({"type":"json_object"})"));

    // An assistant message with reasoning and text but no tool call: content items.
    llmap::message thought{.role = llmap::role::assistant};
    thought.content.emplace_back(llmap::reasoning_part{"hmm"});
    thought.content.emplace_back(llmap::text_part{"4"});
    b = wire::chat_request_body({.messages = {thought}}, "m", false, ws);
    BOOST_TEST(b.at("messages").at(0) == json::parse(R"({"role":"assistant","content":[
        {"type":"thinking","thinking":"hmm"},{"type":"text","text":"4"}]})"));
}

BOOST_AUTO_TEST_CASE(embed_request_mapping) {
    std::vector<llmap::warning> w;
    auto body =
        wire::embed_request_body({.inputs = {"a", "b"}, .dimensions = 256}, "embed-v4.0", w);
    BOOST_TEST(json::value(body) == json::parse(R"({"model":"embed-v4.0","texts":["a","b"],
        "input_type":"search_document","embedding_types":["float"],"output_dimension":256})"));
    body = wire::embed_request_body(
        {.inputs = {"q"}, .provider_options = {{"cohere", {{"input_type", "search_query"}}}}},
        "embed-v4.0", w);
    BOOST_TEST(body.at("input_type") == "search_query");
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(finish_reasons) {
    using llmap::finish_reason;
    BOOST_TEST((wire::cohere_finish_reason("COMPLETE") == finish_reason::stop));
    BOOST_TEST((wire::cohere_finish_reason("STOP_SEQUENCE") == finish_reason::stop));
    BOOST_TEST((wire::cohere_finish_reason("MAX_TOKENS") == finish_reason::length));
    BOOST_TEST((wire::cohere_finish_reason("TOOL_CALL") == finish_reason::tool_calls));
    BOOST_TEST((wire::cohere_finish_reason("ERROR") == finish_reason::error));
    BOOST_TEST((wire::cohere_finish_reason("TIMEOUT") == finish_reason::other));
    BOOST_TEST((wire::cohere_finish_reason("") == finish_reason::unknown));
}

BOOST_AUTO_TEST_CASE(bad_answers_are_typed_errors) {
    using llmap::errc;
    auto chat = [](std::string_view text) {
        return [text] { (void)wire::parse_chat_response(json::parse(text)); };
    };
    expect_error(chat("[]"), errc::malformed_response, "not a JSON object", "array");
    expect_error(chat(R"({"id":"x"})"), errc::malformed_response, "no \"message\"", "no message");
    expect_error(chat(R"({"message":{"content":"text"}})"), errc::malformed_response,
                 "\"content\" is not an array", "content string");
    expect_error(chat(R"({"message":{"content":[{"type":"text","text":5}]}})"),
                 errc::malformed_response, "\"text\" is not a string", "text number");
    expect_error(chat(R"({"message":{"tool_calls":[{"id":"a"}]}})"), errc::malformed_response,
                 "no \"function\"", "call without function");
    expect_error(chat(R"({"message":{},"usage":{"tokens":{"input_tokens":-1}}})"),
                 errc::malformed_response, "token count", "negative count");
    expect_error(chat(R"({"message":{"citations":[{"sources":[1]}]}})"), errc::malformed_response,
                 "source is not an object", "bad source");
    auto embed = [](std::string_view text) {
        return [text] { (void)wire::parse_embed_response(json::parse(text)); };
    };
    expect_error(embed(R"({"id":"x"})"), errc::malformed_response, "no \"embeddings\"", "none");
    expect_error(embed(R"({"embeddings":{"int8":[[1]]}})"), errc::malformed_response,
                 "no float embeddings", "int8 only");
    expect_error(embed(R"({"embeddings":[["a"]]})"), errc::malformed_response, "not a number",
                 "string value");
    // Invalid tool arguments are kept as a string, with a warning.
    auto const r = wire::parse_chat_response(json::parse(
        R"({"message":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":"{bad"}}]}})"));
    BOOST_TEST(r.tool_calls().at(0).arguments == json::value("{bad"));
    BOOST_TEST(r.warnings.size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_streams_are_typed_errors) {
    using llmap::errc;
    std::string const start = "event: message-start\ndata: {\"type\":\"message-start\","
                              "\"id\":\"m1\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}\n\n";
    std::string const text = "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,"
                             "\"delta\":{\"message\":{\"content\":{\"text\":\"Hi\"}}}}\n\n";
    auto run = [](std::string body) { return [body] { (void)decode(body, 0); }; };
    // Cut before message-end, with or without [DONE].
    expect_error(run(start + text), errc::malformed_response, "before its message-end", "cut");
    expect_error(run(start + text + "data: [DONE]\n\n"), errc::malformed_response,
                 "before its message-end", "done early");
    expect_error(run(start + "data: {not json\n\n"), errc::malformed_response, "not a JSON object",
                 "not json");
    expect_error(run(start + "data: {\"index\":0}\n\n"), errc::malformed_response, "no \"type\"",
                 "no type");
    expect_error(run(start + "data: {\"type\":\"content-delta\",\"index\":\"0\",\"delta\":"
                             "{\"message\":{\"content\":{\"text\":\"x\"}}}}\n\n"),
                 errc::malformed_response, "token count", "index string");
    expect_error(run(start + "data: {\"type\":\"tool-call-delta\",\"index\":3,\"delta\":"
                             "{\"message\":{\"tool_calls\":{\"function\":{\"arguments\":\"{\"}}}}}"
                             "\n\n"),
                 errc::malformed_response, "no open tool call", "delta without start");
    expect_error(run(start + "data: {\"type\":\"content-delta\",\"index\":0}\n\n"),
                 errc::malformed_response, "has no content", "delta without content");
    // An error reported in the stream.
    expect_error(run(start + text +
                     "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"ERROR\","
                     "\"error\":\"internal failure\"}}\n\n"),
                 errc::http_error, "internal failure", "message-end error");
    expect_error(run(start + "data: {\"message\":\"rate limited\"}\n\n"), errc::http_error,
                 "rate limited", "error object");
    // An unknown event type of a later API version is passed over.
    auto const r = decode(start + "data: {\"type\":\"debug\",\"prompt\":\"p\"}\n\n" + text +
                              "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":"
                              "\"MAX_TOKENS\"}}\n\n",
                          0);
    BOOST_TEST(r.text() == "Hi");
    BOOST_TEST((r.finish == llmap::finish_reason::length));
    BOOST_TEST(r.id == "m1");
}

BOOST_AUTO_TEST_CASE(stream_citations_become_sources_at_the_end) {
    // Cohere's citation events (docs.cohere.com, "Streaming"), between two text deltas.
    std::string const body =
        "data: {\"type\":\"message-start\",\"id\":\"m\"}\n\n"
        "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
        "{\"text\":\"Emperor penguins\"}}}}\n\n"
        "data: {\"type\":\"citation-start\",\"index\":0,\"delta\":{\"message\":{\"citations\":"
        "{\"start\":0,\"end\":16,\"text\":\"Emperor penguins\",\"sources\":[{\"type\":\"document\","
        "\"id\":\"doc:0\",\"document\":{\"id\":\"doc:0\",\"title\":\"Tall penguins\","
        "\"url\":\"https://example.com/p\"}},{\"type\":\"tool\",\"id\":\"t:0\",\"tool_output\":"
        "{}}]}}}}\n\n"
        "data: {\"type\":\"citation-end\",\"index\":0}\n\n"
        "data: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":"
        "{\"text\":\" are tall.\"}}}}\n\n"
        "data: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\"}}\n\n";
    auto const r = decode(body, 0);
    BOOST_TEST_REQUIRE(r.content.size() == 2u);
    BOOST_TEST(std::get<llmap::text_part>(r.content[0]).text == "Emperor penguins are tall.");
    BOOST_TEST((std::get<llmap::source_part>(r.content[1]) ==
                llmap::source_part{"doc:0", "https://example.com/p", "Tall penguins"}));
    for (unsigned mode : {1u, 5u})
        BOOST_TEST((decode(body, mode) == r));
}

BOOST_AUTO_TEST_CASE(streams_cut_anywhere_are_errors) {
    // Every prefix of a recorded stream: a typed error, or (cut after message-end, in the
    // [DONE] that follows) the whole response. Never a crash or a silent partial answer.
    auto const lines =
        fx::chunk_lines(fx::root() / "aisdk" / "cohere" / "cohere-empty-tool-call.chunks.txt");
    std::string const body = cohere_test::cohere_sse(lines);
    auto const whole = decode(body, 0);
    std::size_t const end = body.find("data: [DONE]");
    std::size_t errors = 0;
    for (std::size_t cut = 0; cut != body.size(); ++cut) {
        llmap::http::sse_parser sse;
        wire::chat_stream_decoder d;
        llmap::stream_accumulator acc;
        auto emit = [&](llmap::stream_event&& e) { acc.add(e); };
        try {
            sse.feed(std::string_view(body).substr(0, cut), [&](llmap::http::sse_event& ev) {
                if (!d.done())
                    d.on_data(ev.data, emit);
            });
            if (sse.has_partial_event() && !d.done())
                throw llmap::error(llmap::errc::malformed_response, "cut in an event");
            if (!d.done())
                d.finish(emit);
            BOOST_TEST(cut >= end, "cut at " << cut << " gave an answer");
            BOOST_TEST((std::move(acc).finish() == whole), "cut at " << cut);
        } catch (const llmap::error& e) {
            BOOST_TEST((e.code() == llmap::errc::malformed_response), e.what());
            BOOST_TEST(cut < end);
            ++errors;
        }
    }
    BOOST_TEST(errors > 1000u);
}

BOOST_AUTO_TEST_CASE(events_with_wrong_types_are_errors) {
    // Each member of each event of a recorded stream, and of a recorded answer, replaced by a
    // value of another type: the result is a typed error or an answer, never a crash.
    auto const lines =
        fx::chunk_lines(fx::root() / "aisdk" / "cohere" / "cohere-reasoning.chunks.txt");
    std::vector<json::value> const replacements{42, "x", nullptr, json::array{1},
                                                json::object{{"a", 1}}};
    std::size_t runs = 0, errors = 0;
    auto run = [&](auto&& f) {
        ++runs;
        try {
            f();
        } catch (const llmap::error& e) {
            BOOST_TEST((e.code() == llmap::errc::malformed_response ||
                        e.code() == llmap::errc::http_error),
                       e.what());
            ++errors;
        }
    };
    // Every object member of `v`, recursively, set to each replacement in turn.
    std::function<void(json::value&, const std::function<void()>&)> mutate =
        [&](json::value& v, const std::function<void()>& use) {
            if (!v.is_object())
                return;
            for (auto& kv : v.as_object()) {
                json::value const saved = kv.value();
                for (auto const& r : replacements) {
                    kv.value() = r;
                    use();
                }
                kv.value() = saved;
                mutate(kv.value(), use);
            }
        };
    // Only the first events and the last few: the rest repeat the same shapes.
    for (std::size_t i = 0; i != lines.size(); ++i) {
        if (i > 3 && i + 3 < lines.size())
            continue;
        json::value event = json::parse(lines[i]);
        mutate(event, [&] {
            std::vector<std::string> changed = lines;
            changed[i] = json::serialize(event);
            run([&] { (void)decode(fx::openai_sse(changed), 0); }); // data lines only
        });
    }
    json::value answer =
        json::parse(fx::read_file(fx::root() / "aisdk" / "cohere" / "cohere-citations.json"));
    mutate(answer, [&] { run([&] { (void)wire::parse_chat_response(answer); }); });
    json::value tools =
        json::parse(fx::read_file(fx::root() / "aisdk" / "cohere" / "cohere-tool-call.json"));
    mutate(tools, [&] { run([&] { (void)wire::parse_chat_response(tools); }); });
    std::cout << "cohere_wire/events_with_wrong_types_are_errors: " << runs << " mutated inputs, "
              << errors << " typed errors, the rest answers\n";
    BOOST_TEST(errors > 100u);
}

BOOST_AUTO_TEST_SUITE_END()
