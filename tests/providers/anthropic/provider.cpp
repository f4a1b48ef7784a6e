//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap::anthropic end to end: the registry's paths over HTTP, against a loopback server
// that replays Rig's recorded Anthropic answers (streams written in small random pieces).
// The result over the network must equal the wire format's decoding of the same recorded
// bytes (which wire.cpp checks against the fixtures' own content).

#include "../../support/fixtures.hpp"
#include "../../support/test_server.hpp"

#include <llmap/providers/anthropic.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <stdlib.h>

#include <atomic>
#include <iostream>
#include <random>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;
namespace wire = llmap::anthropic_api::wire;

namespace {

constexpr std::string_view key = "sk-ant-test-0123456789SECRET";

// Serves one recorded answer per request, in order; SSE bodies go out in random pieces.
struct replay {
    std::vector<fx::exchange> exchanges;
    std::size_t next = 0;
    std::mt19937 rng{1};

    void operator()(const ts::test_server::request&, ts::test_session& s) {
        auto const& e = exchanges.at(next++);
        std::string body = e.response_body;
        bool const sse = body.starts_with("event:") || body.starts_with("data:");
        if (sse && !body.ends_with("\n\n")) // one recording lost its final blank line
            body += body.ends_with('\n') ? "\n" : "\n\n";
        std::string head = "HTTP/1.1 " + std::to_string(e.status) + " X\r\n";
        head += std::string("Content-Type: ") + (sse ? "text/event-stream" : "application/json") +
                "\r\n";
        head += "request-id: req_replayed\r\n";
        head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        std::string_view rest = body;
        std::size_t n = sse ? 1 + rng() % 300 : rest.size();
        s.write_raw(head + std::string(rest.substr(0, n)));
        rest.remove_prefix(std::min(n, rest.size()));
        while (!rest.empty()) {
            n = 1 + rng() % 300;
            s.write_raw(rest.substr(0, n));
            rest.remove_prefix(std::min(n, rest.size()));
        }
    }
};

using providers = llmap::registry<llmap::anthropic>;

providers registry_for(const ts::test_server& server, std::string_view base_path = "") {
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = server.url(base_path);
    c.transport.retry.max_retries = 0;
    return providers{{"anthropic", c}};
}

bool requested_stream(const fx::exchange& e) {
    auto const v = json::parse(e.request_body);
    auto const* s = v.as_object().if_contains("stream");
    return s && s->is_bool() && s->as_bool();
}

std::string model_of(const fx::exchange& e) {
    return std::string(json::parse(e.request_body).at("model").as_string());
}

llmap::response decode_sse(std::string body) {
    if (!body.ends_with("\n\n"))
        body += body.ends_with('\n') ? "\n" : "\n\n";
    llmap::http::sse_parser sse;
    wire::messages_stream_decoder d;
    llmap::stream_accumulator acc;
    sse.feed(body, [&](llmap::http::sse_event& ev) {
        if (!d.done())
            d.on_data(ev.data, [&](llmap::stream_event&& e) { acc.add(e); });
    });
    if (!d.done())
        d.finish([&](llmap::stream_event&& e) { acc.add(e); });
    return std::move(acc).finish();
}

std::string header(const ts::recorded_request& q, std::string_view name) {
    for (auto const& [n, v] : q.headers)
        if (n == name)
            return v;
    return {};
}

// The replayed answers are compared without the request's own warning (the default
// max_tokens), which the wire decoding alone does not know.
llmap::response without_warnings(llmap::response r) {
    r.warnings.clear();
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(anthropic_provider)

BOOST_AUTO_TEST_CASE(every_recorded_answer_over_http) {
    replay r;
    for (auto& e : fx::rig_exchanges("anthropic"))
        // With the gateway's stream (/api/v1/messages), which ends with an extra [DONE].
        if (e.method == "POST" && e.path.ends_with("/v1/messages") && e.status == 200)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() > 200u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    std::size_t answers = 0, streams = 0, events = 0;
    for (auto const& e : r.exchanges) {
        llmap::request const req{.prompt = "replayed"};
        if (requested_stream(e)) {
            // static path: the concrete type, with its own API.
            auto m = reg.model<"anthropic:claude-sonnet-4-5">();
            static_assert(std::is_same_v<decltype(m), llmap::anthropic::messages_model>);
            auto const got = m.stream(req, [&](const llmap::stream_event&) { ++events; });
            auto const expected = decode_sse(e.response_body);
            BOOST_TEST((without_warnings(got) == without_warnings(expected)), e.name());
            // The request's warning first, then the stream's (blocks left out).
            BOOST_REQUIRE(got.warnings.size() == expected.warnings.size() + 1);
            BOOST_TEST(got.warnings.front().setting == "max_output_tokens");
            BOOST_TEST(
                (std::vector(got.warnings.begin() + 1, got.warnings.end()) == expected.warnings));
            ++streams;
        } else {
            // erased path.
            llmap::any_model m = reg.make("anthropic:" + model_of(e));
            auto const got = m.complete(req);
            auto const expected = wire::parse_messages_response(json::parse(e.response_body));
            BOOST_TEST((without_warnings(got) == without_warnings(expected)), e.name());
            // The request's warning first, then the answer's (blocks left out).
            BOOST_REQUIRE(got.warnings.size() == expected.warnings.size() + 1);
            BOOST_TEST(got.warnings.front().setting == "max_output_tokens");
            BOOST_TEST(
                (std::vector(got.warnings.begin() + 1, got.warnings.end()) == expected.warnings));
            ++answers;
        }
    }
    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == r.exchanges.size());
    for (auto const& q : received) {
        BOOST_TEST(q.target == "/v1/messages");
        BOOST_TEST(header(q, "x-api-key") == key);
        BOOST_TEST(header(q, "anthropic-version") == "2023-06-01");
        BOOST_TEST(header(q, "authorization").empty());
    }
    BOOST_TEST(server.connections() == 1u);
    std::cout << "anthropic_provider/every_recorded_answer_over_http: " << answers << " answers, "
              << streams << " streams (" << events << " events) replayed\n";
}

BOOST_AUTO_TEST_CASE(every_aisdk_answer_and_stream_over_http) {
    // The AI SDK's fixtures: each answer, and each message of each stream file (a multi-step
    // file holds one per step), as Anthropic sends it (`event:` lines), in random pieces.
    struct recorded {
        std::string name, body;
        bool stream, json_tool;
    };
    std::vector<recorded> all;
    auto const dir = fx::root() / "aisdk" / "anthropic";
    auto const json_tool = [](const std::string& n) {
        return n.find("json-tool") != std::string::npos ||
               n.find("json-other-tool") != std::string::npos;
    };
    for (auto const& f : fx::files(dir, ".json"))
        if (f.parent_path() == dir) // skills/ is the Skills API
            all.push_back(
                {f.filename().string(), fx::read_file(f), false, json_tool(f.filename().string())});
    for (auto const& f : fx::files(dir, ".chunks.txt")) {
        std::string const name = f.filename().string();
        if (name == "spliced-message-start.chunks.txt")
            continue; // rejected: see wire.cpp and below
        std::string body;
        for (auto const& l : fx::chunk_lines(f)) {
            body += "event: " + std::string(json::parse(l).at("type").as_string()) +
                    "\ndata: " + l + "\n\n";
            if (json::parse(l).at("type") == "message_stop") {
                all.push_back({name, std::move(body), true, json_tool(name)});
                body.clear();
            }
        }
    }
    replay r;
    for (auto const& a : all) {
        fx::exchange e;
        e.status = 200;
        e.response_body = a.body;
        r.exchanges.push_back(std::move(e));
    }
    ts::test_server server(std::ref(r));
    auto m = registry_for(server).model<"anthropic">();
    llmap::request plain{.prompt = "replayed", .max_output_tokens = 64};
    llmap::request json_req = plain;
    json_req.format = llmap::response_format::json_schema("r", {{"type", "object"}});
    std::size_t answers = 0, streams = 0;
    for (auto const& a : all) {
        llmap::request const& req = a.json_tool ? json_req : plain;
        if (a.stream) {
            auto const got = m.stream(req, [](const llmap::stream_event&) {});
            llmap::http::sse_parser sse;
            llmap::stream_accumulator acc;
            auto decode = [&](auto d) {
                sse.feed(a.body, [&](llmap::http::sse_event& ev) {
                    if (!d.done())
                        d.on_data(ev.data, [&](llmap::stream_event&& e) { acc.add(e); });
                });
                BOOST_TEST(d.done(), a.name);
            };
            if (a.json_tool)
                decode(wire::json_tool_stream_decoder{});
            else
                decode(wire::messages_stream_decoder{});
            BOOST_TEST((got == std::move(acc).finish()), a.name);
            ++streams;
        } else {
            auto const got = m.complete(req);
            BOOST_TEST((got == wire::parse_messages_response(json::parse(a.body), "anthropic",
                                                             a.json_tool)),
                       a.name);
            ++answers;
        }
    }
    BOOST_TEST(answers == 23u);
    BOOST_TEST(streams == 47u);
    std::cout << "anthropic_provider/every_aisdk_answer_and_stream_over_http: " << answers
              << " answers, " << streams << " streams replayed\n";
}

BOOST_AUTO_TEST_CASE(recorded_errors_over_http) {
    replay r;
    for (auto& e : fx::rig_exchanges("anthropic"))
        if (e.method == "POST" && e.path == "/v1/messages" && e.status != 200)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() >= 9u);
    ts::test_server server(std::ref(r));
    auto m = registry_for(server).model<"anthropic">();
    for (auto const& e : r.exchanges) {
        auto const body = json::parse(e.response_body).as_object();
        auto const& err = body.at("error").as_object();
        auto const check = [&](const llmap::error& x) {
            BOOST_TEST((x.code() == llmap::errc::http_error), e.name());
            BOOST_TEST(x.http_status() == static_cast<int>(e.status), e.name());
            BOOST_TEST(x.provider_error_type() == err.at("type").as_string(), e.name());
            BOOST_TEST(std::string_view(x.what()).find(err.at("message").as_string()) !=
                           std::string_view::npos,
                       e.name());
            BOOST_TEST(x.request_id() == "req_replayed");
            return true;
        };
        if (requested_stream(e))
            BOOST_CHECK_EXCEPTION(m.stream({.prompt = "x"}, [](auto const&) {}), llmap::error,
                                  check);
        else
            BOOST_CHECK_EXCEPTION(m.complete({.prompt = "x"}), llmap::error, check);
    }
}

BOOST_AUTO_TEST_CASE(async_calls) {
    replay r;
    for (auto& e : fx::rig_exchanges("anthropic"))
        if (e.method == "POST" && e.path == "/v1/messages" && e.status == 200 &&
            r.exchanges.size() < 4 && requested_stream(e) == (r.exchanges.size() % 2 == 1))
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() == 4u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"anthropic:claude-sonnet-4-5">();
    llmap::request const req{.prompt = "async", .max_output_tokens = 16};
    BOOST_TEST((m.async_complete(req, boost::asio::use_future).get() ==
                wire::parse_messages_response(json::parse(r.exchanges[0].response_body))));
    std::atomic<int> events{0};
    auto const streamed =
        m.async_stream(
             req, [&](const llmap::stream_event&) { ++events; }, boost::asio::use_future)
            .get();
    BOOST_TEST((streamed == decode_sse(r.exchanges[1].response_body)));
    BOOST_TEST(events.load() > 0);
    // Erased, through asio::any_completion_handler.
    llmap::any_model erased = reg.make("anthropic");
    BOOST_TEST((erased.async_complete(req, boost::asio::use_future).get() ==
                wire::parse_messages_response(json::parse(r.exchanges[2].response_body))));
    BOOST_TEST((erased
                    .async_stream(
                        req, [](const llmap::stream_event&) {}, boost::asio::use_future)
                    .get() == decode_sse(r.exchanges[3].response_body)));
}

BOOST_AUTO_TEST_CASE(stream_error_event_and_cut_stream_over_http) {
    std::atomic<int> seen{0};
    ts::test_server server([&](const ts::test_server::request&, ts::test_session& s) {
        std::string const start = "event: message_start\ndata: {\"type\":\"message_start\","
                                  "\"message\":{\"id\":\"m\",\"model\":\"c\",\"content\":[]}}\n\n";
        if (++seen == 1)
            s.respond(200,
                      start + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
                              "\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
                      {{"content-type", "text/event-stream"}});
        else
            s.respond(200, start, {{"content-type", "text/event-stream"}});
    });
    auto m = registry_for(server).model<"anthropic">();
    BOOST_CHECK_EXCEPTION(
        m.stream({.prompt = "x"}, [](auto const&) {}), llmap::error, [](const llmap::error& e) {
            return e.code() == llmap::errc::http_error && e.http_status() == 529 &&
                   e.provider_error_type() == "overloaded_error";
        });
    BOOST_CHECK_EXCEPTION(
        m.stream({.prompt = "x"}, [](auto const&) {}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
}

BOOST_AUTO_TEST_CASE(overloaded_529_is_retried) {
    fx::exchange answer;
    for (auto& e : fx::rig_exchanges("anthropic"))
        if (e.path == "/v1/messages" && e.status == 200 && !requested_stream(e)) {
            answer = std::move(e);
            break;
        }
    std::atomic<int> seen{0};
    ts::test_server server([&](const ts::test_server::request&, ts::test_session& s) {
        if (++seen == 1)
            s.respond(
                529,
                R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
                {{"content-type", "application/json"}});
        else
            s.respond(200, answer.response_body, {{"content-type", "application/json"}});
    });
    llmap::http::retry_policy patient;
    patient.max_retries = 1;
    patient.initial_delay = std::chrono::milliseconds(5);
    auto m = registry_for(server).model<"anthropic">();
    auto const r = m.complete({.prompt = "x", .max_output_tokens = 8, .retry = patient});
    BOOST_TEST(seen.load() == 2);
    BOOST_TEST((r == wire::parse_messages_response(json::parse(answer.response_body))));
}

BOOST_AUTO_TEST_CASE(base_url_auth_and_thinking) {
    ts::test_server server([](const ts::test_server::request&, ts::test_session& s) {
        s.respond(200, R"({"id":"m","model":"c","content":[],"stop_reason":"end_turn"})",
                  {{"content-type", "application/json"}});
    });
    // A base URL ending in /v1 (the AI SDK's form) is not doubled; a host gets /v1.
    for (std::string_view base : {"", "/", "/v1", "/v1/", "/proxy", "/proxy/v1"}) {
        llmap::provider_config c;
        c.api_key = key;
        c.base_url = server.url(base);
        providers reg{{"anthropic", c}};
        (void)reg.model<"anthropic">().complete({.prompt = "x", .max_output_tokens = 8});
    }
    // A bearer token (ANTHROPIC_AUTH_TOKEN) stands in for the key.
    ::setenv("ANTHROPIC_AUTH_TOKEN", "tok-123", 1);
    ::setenv("ANTHROPIC_API_KEY", "", 1);
    ::setenv("ANTHROPIC_BASE_URL", server.url("/").c_str(), 1);
    providers from_env{llmap::from_env};
    ::unsetenv("ANTHROPIC_AUTH_TOKEN");
    ::unsetenv("ANTHROPIC_BASE_URL");
    auto m = from_env.model<"anthropic:claude-opus-4-1">();
    BOOST_TEST(!m.thinking_budget().has_value());
    m.thinking_budget(1024);
    (void)m.complete({.prompt = "x", .max_output_tokens = 100});
    // Without a key or a token: missing_api_key, before sending.
    providers none{{"anthropic", llmap::provider_config{}.with_base_url(server.url("/"))}};
    BOOST_CHECK_EXCEPTION(
        none.model<"anthropic">().complete({.prompt = "x"}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::missing_api_key; });

    auto const q = server.requests();
    BOOST_REQUIRE(q.size() == 7u);
    char const* const targets[] = {"/v1/messages", "/v1/messages",       "/v1/messages",
                                   "/v1/messages", "/proxy/v1/messages", "/proxy/v1/messages"};
    for (std::size_t i = 0; i != 6; ++i)
        BOOST_TEST(q[i].target == targets[i]);
    BOOST_TEST(header(q[6], "authorization") == "Bearer tok-123");
    BOOST_TEST(header(q[6], "x-api-key").empty());
    auto const body = json::parse(q[6].body);
    BOOST_TEST(body.at("model") == "claude-opus-4-1");
    BOOST_TEST(body.at("thinking").at("budget_tokens") == 1024);
    BOOST_TEST(body.at("max_tokens") == 1124);
    BOOST_TEST(
        (m.capabilities() == (llmap::capability::tools | llmap::capability::structured_output |
                              llmap::capability::reasoning | llmap::capability::image_input)));
    static_assert(llmap::chat_model<llmap::anthropic::messages_model>);
    static_assert(llmap::streaming_model<llmap::anthropic::messages_model>);
    static_assert(!llmap::embedding_model<llmap::anthropic::messages_model>);
    static_assert(llmap::provider<llmap::anthropic>);
}

// A bearer token (ANTHROPIC_AUTH_TOKEN) is kept out of error messages as a key is: a 401
// that echoes it, whole or masked, does not leak it into the exception.
BOOST_AUTO_TEST_CASE(bearer_token_redacted_from_errors) {
    constexpr std::string_view token = "tok-ant-bearer-0123456789SECRET";
    ts::test_server server([&](const ts::test_server::request&, ts::test_session& s) {
        s.respond(401,
                  std::string(R"({"type":"error","error":{"type":"authentication_error",)") +
                      R"("message":"invalid bearer token: )" + std::string(token) +
                      " (tok-an***SECRET)\"}}",
                  {{"content-type", "application/json"}});
    });
    ::setenv("ANTHROPIC_AUTH_TOKEN", std::string(token).c_str(), 1);
    ::setenv("ANTHROPIC_API_KEY", "", 1);
    ::setenv("ANTHROPIC_BASE_URL", server.url("/").c_str(), 1);
    providers from_env{llmap::from_env};
    ::unsetenv("ANTHROPIC_AUTH_TOKEN");
    ::unsetenv("ANTHROPIC_API_KEY");
    ::unsetenv("ANTHROPIC_BASE_URL");
    auto const no_leak = [&](const llmap::error& e) {
        std::string_view const what = e.what();
        BOOST_TEST(e.http_status() == 401);
        BOOST_TEST(e.provider_error_type() == "authentication_error");
        BOOST_TEST(what.find("[redacted]") != std::string_view::npos, what);
        BOOST_TEST(what.find("0123456789") == std::string_view::npos, what);
        BOOST_TEST(what.find("SECRET") == std::string_view::npos, what);
        return true;
    };
    auto m = from_env.model<"anthropic">();
    BOOST_CHECK_EXCEPTION(m.complete({.prompt = "x"}), llmap::error, no_leak);
    BOOST_CHECK_EXCEPTION(m.stream({.prompt = "x"}, [](auto const&) {}), llmap::error, no_leak);
    // The header was sent as configured.
    auto const q = server.requests();
    BOOST_REQUIRE(q.size() == 2u);
    BOOST_TEST(header(q[0], "authorization") == "Bearer " + std::string(token));
}

BOOST_AUTO_TEST_SUITE_END()
