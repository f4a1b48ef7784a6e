//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap::ollama end to end: the recorded answers of Rig's Ollama cassettes served by a
// loopback server (NDJSON streams written in small random pieces) through the registry's
// paths, synchronous and asynchronous; Ollama's errors; its configuration from the
// environment.

#include "../../support/test_server.hpp"
#include "cassettes.hpp"

#include <llmap/providers/ollama.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <iostream>
#include <random>

namespace to = test::ollama;
namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;

namespace {

// Serves one recorded answer per request, in order; NDJSON bodies go out in random pieces.
struct replay {
    std::vector<fx::exchange> exchanges;
    std::size_t next = 0;
    std::mt19937 rng{1};

    void operator()(const ts::test_server::request&, ts::test_session& s) {
        auto const& e = exchanges.at(next++);
        bool const ndjson = to::requested_stream(e);
        std::string head = "HTTP/1.1 " + std::to_string(e.status) + " X\r\n";
        head += std::string("Content-Type: ") +
                (ndjson ? "application/x-ndjson" : "application/json; charset=utf-8") + "\r\n";
        head += "Content-Length: " + std::to_string(e.response_body.size()) + "\r\n\r\n";
        std::string_view body = e.response_body;
        std::size_t n = ndjson ? 1 + rng() % 200 : body.size();
        s.write_raw(head + std::string(body.substr(0, n)));
        body.remove_prefix(std::min(n, body.size()));
        while (!body.empty()) {
            n = 1 + rng() % 200;
            s.write_raw(body.substr(0, n));
            body.remove_prefix(std::min(n, body.size()));
        }
    }
};

using providers = llmap::registry<llmap::ollama>;

providers registry_for(const ts::test_server& server, std::string key = {}) {
    llmap::provider_config c;
    c.base_url = server.url("");
    c.api_key = std::move(key);
    c.transport.retry.max_retries = 0;
    return providers{{"ollama", c}};
}

void check(const llmap::response& r, const to::expected& x, const std::string& name) {
    BOOST_TEST(r.model == x.model, name);
    BOOST_TEST(r.text() == x.text, name);
    BOOST_TEST(r.reasoning_text() == x.thinking, name);
    BOOST_TEST(r.raw_finish_reason == x.done_reason, name);
    BOOST_TEST((r.usage.input_tokens == x.prompt_eval_count), name);
    BOOST_TEST((r.usage.output_tokens == x.eval_count), name);
    auto const calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == x.calls.size(), name);
    for (std::size_t i = 0; i != calls.size(); ++i) {
        BOOST_TEST(calls[i].name == x.calls[i].name, name);
        BOOST_TEST(calls[i].arguments == x.calls[i].arguments, name);
    }
}

std::string header(const ts::recorded_request& q, std::string_view name) {
    for (auto const& [n, v] : q.headers)
        if (boost::beast::iequals(n, name))
            return v;
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(ollama_provider)

BOOST_AUTO_TEST_CASE(every_recorded_exchange_over_http) {
    replay r;
    r.exchanges = to::load().chat;
    BOOST_REQUIRE(!r.exchanges.empty());
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    std::size_t answers = 0, streams = 0, events = 0;
    for (auto const& e : r.exchanges) {
        auto const recorded = json::parse(e.request_body);
        llmap::request const req = to::request_of(recorded.as_object());
        auto const x = to::expect(e);
        std::string const model(recorded.at("model").as_string());
        if (to::requested_stream(e)) {
            // Static path: the name's tag keeps its colon ("ollama:qwen3:4b" is "qwen3:4b").
            auto m = reg.model<"ollama:qwen3:4b">();
            static_assert(std::is_same_v<decltype(m), llmap::ollama::chat_model>);
            BOOST_TEST(m.name() == model);
            std::size_t seen = 0;
            auto const got = m.stream(req, [&](const llmap::stream_event&) { ++seen; });
            check(got, x, e.name());
            BOOST_TEST(seen >= 3u, e.name()); // metadata, ..., usage, finish
            events += seen;
            ++streams;
        } else {
            // Erased path.
            llmap::any_model m = reg.make("ollama:" + model);
            check(m.complete(req), x, e.name());
            ++answers;
        }
    }
    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == r.exchanges.size());
    for (std::size_t i = 0; i != received.size(); ++i) {
        auto const& q = received[i];
        BOOST_TEST(q.method == "POST");
        BOOST_TEST(q.target == "/api/chat");
        BOOST_TEST(header(q, "authorization").empty()); // no key configured, none sent
        // The fields that matter, as Rig sent them and Ollama accepted them.
        auto const sent = json::parse(q.body);
        auto const recorded = json::parse(r.exchanges[i].request_body);
        for (std::string_view field : {"model", "messages", "tools", "format", "stream", "think"})
            BOOST_TEST((sent.as_object().if_contains(field) == nullptr) ==
                           (recorded.as_object().if_contains(field) == nullptr),
                       r.exchanges[i].name() << " " << field);
        BOOST_TEST(sent.at("model") == recorded.at("model"));
        BOOST_TEST(sent.at("stream") == recorded.at("stream"));
        BOOST_TEST(sent.at("messages").as_array().size() ==
                   recorded.at("messages").as_array().size());
    }
    BOOST_TEST(server.connections() == 1u); // one keep-alive connection for all
    std::cout << "ollama_provider: over HTTP, " << answers << " answers and " << streams
              << " streams (" << events << " events) replayed\n";
}

BOOST_AUTO_TEST_CASE(async_calls) {
    auto const c = to::load();
    replay r;
    for (auto const& e : c.chat)
        if (!to::requested_stream(e) && r.exchanges.empty())
            r.exchanges.push_back(e);
    for (auto const& e : c.chat)
        if (to::requested_stream(e) && r.exchanges.size() == 1)
            r.exchanges.push_back(e);
    BOOST_REQUIRE(r.exchanges.size() == 2u);
    // The third answer is the spec's example of /api/embed (Rig recorded no embedding call).
    auto const spec = json::parse(
        fx::read_file(fx::root() / ".." / "conformance" / "specs" / "ollama-openapi.json"));
    auto const& example =
        spec.at_pointer("/paths/~1api~1embed/post/responses/200/content/application~1json/example");
    fx::exchange embed;
    embed.status = 200;
    embed.request_body = R"({"stream":false})";
    embed.response_body = json::serialize(example);
    r.exchanges.push_back(embed);
    r.exchanges.push_back(r.exchanges[1]); // the stream again, for the erased model
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server, "hosted-key-0123456789");
    auto m = reg.model<"ollama">();
    BOOST_TEST(m.name() == "llama3.2");

    auto const answer = m.async_complete({.prompt = "x"}, boost::asio::use_future).get();
    check(answer, to::expect(r.exchanges[0]), r.exchanges[0].name());

    std::atomic<std::size_t> seen{0};
    auto const streamed =
        m.async_stream(
             {.prompt = "x"}, [&](const llmap::stream_event&) { ++seen; }, boost::asio::use_future)
            .get();
    check(streamed, to::expect(r.exchanges[1]), r.exchanges[1].name());
    BOOST_TEST(seen.load() > 0u);

    auto const vectors =
        m.async_embed({.inputs = {"Generate embeddings for this text"}}, boost::asio::use_future)
            .get();
    BOOST_REQUIRE(vectors.vectors.size() == example.at("embeddings").as_array().size());
    BOOST_TEST(vectors.vectors[0].size() == example.at("embeddings").at(0).as_array().size());
    BOOST_TEST(vectors.model == example.at("model").as_string());

    // Erased: any_model forwards async_stream to the concrete model.
    llmap::any_model erased = reg.make("ollama:qwen3:4b");
    std::atomic<std::size_t> erased_seen{0};
    auto const again = erased
                           .async_stream(
                               {.prompt = "x"}, [&](const llmap::stream_event&) { ++erased_seen; },
                               boost::asio::use_future)
                           .get();
    BOOST_TEST((again == streamed));
    BOOST_TEST(erased_seen.load() == seen.load());

    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == 4u);
    BOOST_TEST(received[2].target == "/api/embed");
    BOOST_TEST(
        (json::parse(received[2].body) ==
         json::parse(R"({"model":"llama3.2","input":["Generate embeddings for this text"]})")));
    for (auto const& q : received) // a key, when configured, goes as a bearer token
        BOOST_TEST(header(q, "authorization") == "Bearer hosted-key-0123456789");
    BOOST_TEST(json::parse(received[0].body).at("stream") == false);
    BOOST_TEST(json::parse(received[1].body).at("stream") == true);
}

BOOST_AUTO_TEST_CASE(errors_over_http) {
    // Ollama's own error shape: {"error": "..."}, e.g. 404 for a model that is not pulled.
    ts::test_server server([](const ts::test_server::request& req, ts::test_session& s) {
        if (req.target() == "/api/embed") {
            s.respond(400, R"({"error":"this model does not support embeddings"})",
                      {{"Content-Type", "application/json"}});
            return;
        }
        auto const body = json::parse(req.body());
        if (body.at("model") == "missing") {
            s.respond(404, R"({"error":"model \"missing\" not found, try pulling it first"})",
                      {{"Content-Type", "application/json; charset=utf-8"}});
        } else if (body.at("model") == "cut") {
            s.respond(
                200,
                R"({"model":"cut","created_at":"t","message":{"role":"assistant","content":"Hi"},"done":false})"
                "\n",
                {{"Content-Type", "application/x-ndjson"}});
        } else {
            s.respond(
                200,
                R"({"model":"m","created_at":"t","message":{"role":"assistant","content":"Hi"},"done":false})"
                "\n"
                R"({"error":"an error was encountered while running the model: unexpected EOF"})"
                "\n",
                {{"Content-Type", "application/x-ndjson"}});
        }
    });
    auto reg = registry_for(server);
    auto const not_found = [](const llmap::error& e) {
        return e.code() == llmap::errc::http_error && e.http_status() == 404 &&
               std::string_view(e.what()).find("not found, try pulling it first") !=
                   std::string_view::npos;
    };
    BOOST_CHECK_EXCEPTION(reg.make("ollama:missing").complete({.prompt = "x"}), llmap::error,
                          not_found);
    BOOST_CHECK_EXCEPTION(
        reg.model<"ollama:missing">().stream({.prompt = "x"}, [](const llmap::stream_event&) {}),
        llmap::error, not_found);
    BOOST_CHECK_EXCEPTION(reg.model<"ollama:missing">()
                              .async_complete({.prompt = "x"}, boost::asio::use_future)
                              .get(),
                          llmap::error, not_found);
    // An error line mid-stream, after some text.
    std::string text;
    BOOST_CHECK_EXCEPTION(
        reg.model<"ollama:m">().stream({.prompt = "x"},
                                       [&](const llmap::stream_event& e) {
                                           if (auto const* t =
                                                   std::get_if<llmap::text_delta>(&e.data))
                                               text += t->text;
                                       }),
        llmap::error, [](const llmap::error& e) {
            return e.code() == llmap::errc::http_error &&
                   std::string_view(e.what()).find("unexpected EOF") != std::string_view::npos;
        });
    BOOST_TEST(text == "Hi");
    BOOST_CHECK_EXCEPTION(
        reg.model<"ollama:m">()
            .async_stream(
                {.prompt = "x"}, [](const llmap::stream_event&) {}, boost::asio::use_future)
            .get(),
        llmap::error, [](const llmap::error& e) { return e.code() == llmap::errc::http_error; });
    // A stream cut before its final line.
    BOOST_CHECK_EXCEPTION(
        reg.model<"ollama:cut">().stream({.prompt = "x"}, [](const llmap::stream_event&) {}),
        llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
    BOOST_CHECK_EXCEPTION(
        reg.model<"ollama:m">().embed({.inputs = {"x"}}), llmap::error, [](const llmap::error& e) {
            return e.http_status() == 400 &&
                   std::string_view(e.what()).find("does not support embeddings") !=
                       std::string_view::npos;
        });
}

BOOST_AUTO_TEST_CASE(capabilities) {
    providers reg;
    llmap::any_model m = reg.make("ollama:llava:7b");
    for (auto c :
         {llmap::capability::chat, llmap::capability::streaming, llmap::capability::embeddings,
          llmap::capability::tools, llmap::capability::structured_output,
          llmap::capability::reasoning, llmap::capability::image_input})
        BOOST_TEST(m.capabilities().contains(c));
}

BOOST_AUTO_TEST_CASE(ollama_host_forms) {
    using llmap::ollama_api::base_url_from_host;
    std::vector<std::pair<std::string_view, std::string_view>> const cases{
        {"", ""},
        {"  ", ""},
        {"1.2.3.4", "http://1.2.3.4:11434"},
        {":56789", "http://127.0.0.1:56789"},
        {"1.2.3.4:56789", "http://1.2.3.4:56789"},
        {"http://1.2.3.4", "http://1.2.3.4:80"},
        {"https://1.2.3.4", "https://1.2.3.4:443"},
        {"https://1.2.3.4:56789", "https://1.2.3.4:56789"},
        {"example.com", "http://example.com:11434"},
        {"example.com:56789", "http://example.com:56789"},
        {"HTTPS://example.com", "https://example.com:443"},
        {"example.com/", "http://example.com:11434"},
        {"example.com:56789/path/", "http://example.com:56789/path"},
        {"https://example.com:56789/path", "https://example.com:56789/path"},
        {"0.0.0.0", "http://127.0.0.1:11434"},
        {"0.0.0.0:8080", "http://127.0.0.1:8080"},
        {"http://0.0.0.0", "http://127.0.0.1:80"},
        {"[::]:8080", "http://[::1]:8080"},
        {"[0001:002:003:0004::1]", "http://[0001:002:003:0004::1]:11434"},
        {"[0001:002:003:0004::1]:56789", "http://[0001:002:003:0004::1]:56789"},
        {"http://[::1]", "http://[::1]:80"},
        {"::1", "http://[::1]:11434"},
        {"example.com:notaport", "http://example.com:11434"},
        {"example.com:99999", "http://example.com:11434"},
    };
    for (auto const& [in, out] : cases)
        BOOST_TEST(base_url_from_host(in) == out, "OLLAMA_HOST=" << in);

    // OLLAMA_HOST is read only when no base URL is configured (OLLAMA_BASE_URL wins).
    ::setenv("OLLAMA_HOST", "0.0.0.0:12345", 1);
    llmap::provider_config c;
    llmap::ollama::apply_env(c);
    BOOST_TEST(c.base_url == "http://127.0.0.1:12345");
    c.base_url = "http://gpu-box:11434";
    llmap::ollama::apply_env(c);
    BOOST_TEST(c.base_url == "http://gpu-box:11434");
    ::unsetenv("OLLAMA_HOST");
    llmap::provider_config none;
    llmap::ollama::apply_env(none);
    BOOST_TEST(none.base_url.empty()); // the provider's default, http://localhost:11434

    // Through the registry, against a live loopback server named only by OLLAMA_HOST.
    ts::test_server server([](const ts::test_server::request&, ts::test_session& s) {
        s.respond(
            200,
            R"({"model":"m","created_at":"t","message":{"role":"assistant","content":"ok"},"done":true,"done_reason":"stop"})",
            {{"Content-Type", "application/json"}});
    });
    ::setenv("OLLAMA_HOST", (":" + std::to_string(server.port())).c_str(), 1);
    providers from_env{llmap::from_env};
    ::unsetenv("OLLAMA_HOST");
    BOOST_TEST(from_env.model<"ollama:m">().complete({.prompt = "x"}).text() == "ok");
}

BOOST_AUTO_TEST_SUITE_END()
