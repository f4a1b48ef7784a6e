//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap::cohere end to end: the registry's paths, over HTTP, against a loopback server that
// replays the recorded answers of ../shared/fixtures (streams written in small random
// pieces). The result over the network must equal the wire format's decoding of the same
// recorded bytes (which cohere_wire.cpp checks against the fixtures' own content).

#include "../../support/fixtures.hpp"
#include "../../support/test_server.hpp"

#include <llmap/providers/cohere.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <future>
#include <iostream>
#include <random>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;
namespace wire = llmap::cohere_api::wire;

namespace {

constexpr std::string_view key = "co-test-0123456789abcdefSECRET";

// One recorded answer: status and body.
struct recorded {
    std::string name;
    unsigned status = 200;
    std::string body;
    bool stream = false;
};

// Serves one recorded answer per request, in order; SSE bodies go out in random pieces.
struct replay {
    std::vector<recorded> answers;
    std::size_t next = 0;
    std::mt19937 rng{7};

    void operator()(const ts::test_server::request&, ts::test_session& s) {
        auto const& a = answers.at(next++);
        std::string head = "HTTP/1.1 " + std::to_string(a.status) + " X\r\n";
        head += std::string("Content-Type: ") +
                (a.stream ? "text/event-stream" : "application/json") + "\r\n";
        head += "x-request-id: req_replayed\r\n";
        head += "Content-Length: " + std::to_string(a.body.size()) + "\r\n\r\n";
        std::string_view body = a.body;
        std::size_t n = a.stream ? 1 + rng() % 200 : body.size();
        s.write_raw(head + std::string(body.substr(0, std::min(n, body.size()))));
        body.remove_prefix(std::min(n, body.size()));
        while (!body.empty()) {
            n = 1 + rng() % 200;
            s.write_raw(body.substr(0, std::min(n, body.size())));
            body.remove_prefix(std::min(n, body.size()));
        }
    }
};

using providers = llmap::registry<llmap::cohere>;

providers registry_for(const ts::test_server& server) {
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = server.url("");
    c.transport.retry.max_retries = 0;
    return providers{{"cohere", c}};
}

// The wire format's own decoding of a recorded SSE body.
llmap::response decode_sse(std::string_view body) {
    llmap::http::sse_parser sse;
    wire::chat_stream_decoder d;
    llmap::stream_accumulator acc;
    sse.feed(body, [&](llmap::http::sse_event& ev) {
        if (!d.done())
            d.on_data(ev.data, [&](llmap::stream_event&& e) { acc.add(e); });
    });
    if (!d.done())
        d.finish([&](llmap::stream_event&& e) { acc.add(e); });
    return std::move(acc).finish();
}

std::string aisdk_sse(const std::filesystem::path& f) {
    std::string out;
    for (auto const& l : fx::chunk_lines(f))
        out += "event: " + std::string(json::parse(l).at("type").as_string()) + "\ndata: " + l +
               "\n\n";
    return out + "data: [DONE]\n\n";
}

bool is_stream_request(const std::string& body) {
    auto const v = json::parse(body);
    auto const* s = v.as_object().if_contains("stream");
    return s && *s == true;
}

// Every recorded /v2/chat answer and stream, Rig's and the AI SDK's.
std::vector<recorded> chat_answers() {
    std::vector<recorded> out;
    for (auto const& e : fx::rig_exchanges("cohere"))
        if (e.path == "/v2/chat" && e.status == 200)
            out.push_back({"rig/cohere/" + e.name(), e.status, e.response_body,
                           is_stream_request(e.request_body)});
    for (auto const& f : fx::files(fx::root() / "aisdk" / "cohere", "")) {
        if (f.parent_path().filename() == "reranking" || f.filename() == "cohere-embedding.json")
            continue;
        bool const stream = f.string().ends_with(".chunks.txt");
        out.push_back({"aisdk/cohere/" + f.filename().string(), 200,
                       stream ? aisdk_sse(f) : fx::read_file(f), stream});
    }
    return out;
}

bool has_header(const ts::recorded_request& q, std::string_view name, std::string_view value) {
    for (auto const& [n, v] : q.headers)
        if (boost::beast::iequals(n, name) && v == value)
            return true;
    return false;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cohere_provider)

BOOST_AUTO_TEST_CASE(provider_shape) {
    static_assert(llmap::provider<llmap::cohere>);
    static_assert(llmap::chat_model<llmap::cohere::chat_model>);
    static_assert(llmap::cohere::name.view() == "cohere");
    static_assert(llmap::cohere::default_model == "command-a-03-2025");
    llmap::cohere p{llmap::provider_config{}};
    auto const m = p.model("command-r7b-12-2024");
    BOOST_TEST(m.name() == "command-r7b-12-2024");
    BOOST_TEST(m.provider() == "cohere");
    auto const caps = m.capabilities();
    for (auto c : {llmap::capability::tools, llmap::capability::structured_output,
                   llmap::capability::reasoning, llmap::capability::image_input,
                   llmap::capability::embeddings})
        BOOST_TEST(caps.contains(c));
}

BOOST_AUTO_TEST_CASE(chat_over_http) {
    replay r;
    r.answers = chat_answers();
    BOOST_REQUIRE(r.answers.size() >= 20u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    std::size_t answers = 0, streams = 0, events = 0;
    llmap::request const req{.prompt = "replayed"};
    for (auto const& a : r.answers) {
        if (a.stream) {
            // The static path: the concrete model type.
            auto m = reg.model<"cohere:command-a-03-2025">();
            static_assert(std::is_same_v<decltype(m), llmap::cohere::chat_model>);
            auto const got = m.stream(req, [&](const llmap::stream_event&) { ++events; });
            BOOST_TEST((got == decode_sse(a.body)), a.name);
            ++streams;
        } else {
            // The erased model.
            llmap::any_model m = reg.make("cohere");
            auto const got = m.complete(req);
            BOOST_TEST((got == wire::parse_chat_response(json::parse(a.body))), a.name);
            ++answers;
        }
    }
    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == r.answers.size());
    for (std::size_t i = 0; i != received.size(); ++i) {
        auto const& q = received[i];
        BOOST_TEST(q.target == "/v2/chat");
        BOOST_TEST(has_header(q, "authorization", "Bearer " + std::string(key)));
        auto const body = json::parse(q.body);
        BOOST_TEST(body.at("model") == "command-a-03-2025");
        BOOST_TEST(body.at("stream") == json::value(r.answers[i].stream));
    }
    BOOST_TEST(server.connections() == 1u); // one keep-alive connection for all
    std::cout << "cohere_provider/chat_over_http: " << answers << " answers, " << streams
              << " streams (" << events << " events) replayed\n";
}

BOOST_AUTO_TEST_CASE(embeddings_over_http) {
    replay r;
    std::vector<std::vector<std::string>> inputs;
    std::size_t image_skipped = 0;
    for (auto const& e : fx::rig_exchanges("cohere")) {
        if (!e.path.ends_with("/embed") || e.status != 200)
            continue;
        auto const rec = json::parse(e.request_body);
        if (!rec.as_object().contains("texts")) {
            ++image_skipped;
            continue;
        }
        std::vector<std::string> texts;
        for (auto const& t : rec.at("texts").as_array())
            texts.emplace_back(t.as_string());
        inputs.push_back(std::move(texts));
        r.answers.push_back({"rig/cohere/" + e.name(), 200, e.response_body, false});
    }
    {
        auto const f = fx::root() / "aisdk" / "cohere" / "cohere-embedding.json";
        auto const body = fx::read_file(f);
        std::vector<std::string> texts;
        auto const doc = json::parse(body);
        for (auto const& t : doc.at("texts").as_array())
            texts.emplace_back(t.as_string());
        inputs.push_back(std::move(texts));
        r.answers.push_back({"aisdk/cohere/cohere-embedding.json", 200, body, false});
    }
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"cohere:embed-v4.0">();
    for (std::size_t i = 0; i != r.answers.size(); ++i) {
        llmap::embedding_request const req{.inputs = inputs[i]};
        auto const got = i % 2 ? m.embed(req) : m.async_embed(req, boost::asio::use_future).get();
        auto const expected = wire::parse_embed_response(json::parse(r.answers[i].body));
        BOOST_TEST((got.vectors == expected.vectors), r.answers[i].name);
        BOOST_TEST(got.vectors.size() == inputs[i].size(), r.answers[i].name);
        BOOST_TEST((got.usage == expected.usage), r.answers[i].name);
    }
    for (auto const& q : server.requests()) {
        BOOST_TEST(q.target == "/v2/embed");
        auto const body = json::parse(q.body);
        BOOST_TEST(body.at("input_type") == "search_document");
        BOOST_TEST(body.at("embedding_types") == json::array{"float"});
    }
    std::cout << "cohere_provider/embeddings_over_http: " << r.answers.size()
              << " embedding answers replayed (half through async_embed); " << image_skipped
              << " skipped (image embeddings: llmap's embedding_request has text inputs only)\n";
    BOOST_TEST(r.answers.size() >= 4u);
}

BOOST_AUTO_TEST_CASE(async_calls) {
    auto const all = chat_answers();
    replay r;
    for (auto const& a : all)
        if (a.stream != (r.answers.size() == 0) && r.answers.size() < 2)
            r.answers.push_back(a);
    BOOST_REQUIRE(r.answers.size() == 2u);
    BOOST_REQUIRE(!r.answers[0].stream && r.answers[1].stream);
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"cohere">();
    llmap::request const req{.prompt = "async"};
    auto f = m.async_complete(req, boost::asio::use_future);
    BOOST_TEST((f.get() == wire::parse_chat_response(json::parse(r.answers[0].body))));
    std::atomic<std::size_t> events{0};
    auto s = m.async_stream(
        req, [&events](const llmap::stream_event&) { ++events; }, boost::asio::use_future);
    BOOST_TEST((s.get() == decode_sse(r.answers[1].body)));
    BOOST_TEST(events.load() > 0u);
}

BOOST_AUTO_TEST_CASE(error_answers_over_http) {
    // Rig's recorded 404s (chat and embed), then a 401 that echoes the key.
    replay r;
    for (auto const& e : fx::rig_exchanges("cohere"))
        if (e.status != 200)
            r.answers.push_back({"rig/cohere/" + e.name(), e.status, e.response_body, false});
    BOOST_REQUIRE(r.answers.size() == 2u);
    std::string const echo = R"({"message":"invalid api token )" + std::string(key) + R"("})";
    r.answers.push_back({"401 echo", 401, echo, false});
    r.answers.push_back({"401 echo (stream)", 401, echo, false});
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"cohere:command-does-not-exist">();
    for (std::size_t i = 0; i != r.answers.size(); ++i) {
        auto const& a = r.answers[i];
        try {
            if (i == 3)
                (void)m.stream({.prompt = "x"}, [](const llmap::stream_event&) {});
            else if (a.name.find("embedding") != std::string::npos)
                (void)m.embed({.inputs = {"x"}});
            else
                (void)m.complete({.prompt = "x"});
            BOOST_ERROR(a.name << ": no exception");
        } catch (const llmap::error& e) {
            std::string const what = e.what();
            BOOST_TEST((e.code() == llmap::errc::http_error), a.name);
            BOOST_TEST(e.http_status() == static_cast<int>(a.status), a.name);
            BOOST_TEST(e.request_id() == "req_replayed", a.name);
            if (a.status == 404)
                BOOST_TEST(what.find(std::string(json::parse(a.body).at("message").as_string())) !=
                               std::string::npos,
                           what);
            else
                BOOST_TEST(what.find("invalid api token") != std::string::npos, what);
            BOOST_TEST(what.find("SECRET") == std::string::npos, what);
        }
    }
}

BOOST_AUTO_TEST_CASE(cut_stream_over_http) {
    // A stream that stops after its first text delta, without message-end.
    ts::test_server server([](const ts::test_server::request&, ts::test_session& s) {
        std::string const body =
            "event: message-start\ndata: {\"type\":\"message-start\",\"id\":\"m\"}\n\n"
            "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":"
            "{\"message\":{\"content\":{\"text\":\"Hi\"}}}}\n\n";
        s.respond(200, body, {{"Content-Type", "text/event-stream"}});
    });
    auto reg = registry_for(server);
    std::string seen;
    BOOST_CHECK_EXCEPTION(reg.model<"cohere">().stream(
                              {.prompt = "x"},
                              [&](const llmap::stream_event& e) {
                                  if (auto const* t = std::get_if<llmap::text_delta>(&e.data))
                                      seen += t->text;
                              }),
                          llmap::error, [](const llmap::error& e) {
                              return e.code() == llmap::errc::malformed_response;
                          });
    BOOST_TEST(seen == "Hi");
}

BOOST_AUTO_TEST_CASE(configuration_from_the_environment) {
    ts::test_server server([](const ts::test_server::request&, ts::test_session& s) {
        s.respond(200,
                  R"({"id":"x","finish_reason":"COMPLETE","message":{"role":"assistant",
                      "content":[{"type":"text","text":"ok"}]}})",
                  {{"Content-Type", "application/json"}});
    });
    // CO_API_KEY, Cohere's own variable, stands in for COHERE_API_KEY.
    ::unsetenv("COHERE_API_KEY");
    ::setenv("CO_API_KEY", "co-env-key-123456", 1);
    ::setenv("COHERE_BASE_URL", server.url("").c_str(), 1);
    {
        providers reg{llmap::from_env};
        BOOST_TEST(reg.model<"cohere">().complete({.prompt = "x"}).text() == "ok");
        BOOST_TEST(
            has_header(server.requests().back(), "authorization", "Bearer co-env-key-123456"));
    }
    // COHERE_API_KEY wins.
    ::setenv("COHERE_API_KEY", "cohere-key-abcdef", 1);
    {
        providers reg{llmap::from_env};
        (void)reg.model<"cohere">().complete({.prompt = "x"});
        BOOST_TEST(
            has_header(server.requests().back(), "authorization", "Bearer cohere-key-abcdef"));
    }
    ::unsetenv("COHERE_API_KEY");
    ::unsetenv("CO_API_KEY");
    ::unsetenv("COHERE_BASE_URL");
    // No key: nothing is sent.
    providers reg{llmap::from_env};
    auto const before = server.request_count();
    BOOST_CHECK_EXCEPTION(
        reg.model<"cohere">().complete({.prompt = "x"}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::missing_api_key; });
    BOOST_TEST(server.request_count() == before);
}

BOOST_AUTO_TEST_SUITE_END()
