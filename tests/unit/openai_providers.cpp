//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The OpenAI family end to end: the registry's three paths, over HTTP, against a loopback
// server that replays the recorded answers of ../shared/fixtures (streams written in small
// random pieces). The result over the network must equal the wire format's decoding of the
// same recorded bytes (which the wire tests check against the fixtures' own content).

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <llmap/providers/openai_compatible.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <random>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;

// Every built-in provider that speaks Chat Completions or the Responses API, except Azure
// (whose every model needs its resource's endpoint), in one registry.
using openai_family_registry =
    llmap::registry<llmap::openai, llmap::openai_chat, llmap::deepseek, llmap::groq, llmap::xai,
                    llmap::openrouter, llmap::together, llmap::fireworks, llmap::perplexity,
                    llmap::cerebras, llmap::deepinfra, llmap::mistral, llmap::llama_cpp,
                    llmap::vllm, llmap::lm_studio>;

namespace {

constexpr std::string_view key = "sk-test-0123456789abcdefSECRET";

// Serves one recorded answer per request, in order; SSE bodies go out in random pieces.
struct replay {
    std::vector<fx::exchange> exchanges;
    std::size_t next = 0;
    std::mt19937 rng{1};

    void operator()(const ts::test_server::request&, ts::test_session& s) {
        auto const& e = exchanges.at(next++);
        bool const sse =
            e.response_body.starts_with("data:") || e.response_body.starts_with("event:");
        std::string head = "HTTP/1.1 " + std::to_string(e.status) + " X\r\n";
        head += std::string("Content-Type: ") + (sse ? "text/event-stream" : "application/json") +
                "\r\n";
        head += "x-request-id: req_replayed\r\n";
        head += "Content-Length: " + std::to_string(e.response_body.size()) + "\r\n\r\n";
        std::string_view body = e.response_body;
        std::size_t n = sse ? 1 + rng() % 300 : body.size();
        s.write_raw(head + std::string(body.substr(0, n)));
        body.remove_prefix(std::min(n, body.size()));
        while (!body.empty()) {
            n = 1 + rng() % 300;
            s.write_raw(body.substr(0, n));
            body.remove_prefix(std::min(n, body.size()));
        }
    }
};

template <class Registry>
Registry registry_for(const ts::test_server& server, std::string_view base_path) {
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = server.url(base_path);
    c.transport.retry.max_retries = 0;
    return Registry{{"openai", c}, {"openai-chat", c}};
}

using providers = llmap::registry<llmap::openai, llmap::openai_chat>;

bool requested_stream(const fx::exchange& e) {
    auto const v = json::parse(e.request_body);
    auto const* s = v.as_object().if_contains("stream");
    return s && s->is_bool() && s->as_bool();
}

std::string model_of(const fx::exchange& e) {
    return std::string(json::parse(e.request_body).at("model").as_string());
}

// The wire format's own decoding of a recorded SSE body.
template <class Decoder>
llmap::response decode_sse(std::string_view body) {
    llmap::http::sse_parser sse;
    Decoder d;
    llmap::stream_accumulator acc;
    sse.feed(body, [&](llmap::http::sse_event& ev) {
        if (!d.done())
            d.on_data(ev.data, [&](llmap::stream_event&& e) { acc.add(e); });
    });
    if (!d.done())
        d.finish([&](llmap::stream_event&& e) { acc.add(e); });
    return std::move(acc).finish();
}

} // namespace

BOOST_AUTO_TEST_SUITE(openai_providers)

BOOST_AUTO_TEST_CASE(chat_completions_over_http) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() > 50u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for<providers>(server, "/v1");
    std::size_t streams = 0, answers = 0, events = 0;
    for (std::size_t i = 0; i != r.exchanges.size(); ++i) {
        auto const& e = r.exchanges[i];
        std::string const id = "openai-chat:" + model_of(e);
        llmap::request const req{.prompt = "replayed"};
        if (requested_stream(e)) {
            // visit: the concrete chat model, its stream through the SSE parser and decoder.
            auto const got = reg.visit(id, [&](auto& m) {
                return m.stream(req, [&](const llmap::stream_event&) { ++events; });
            });
            BOOST_TEST(
                (got == decode_sse<llmap::openai_api::wire::chat_stream_decoder>(e.response_body)),
                e.name());
            ++streams;
        } else {
            // make: the erased model.
            llmap::any_model m = reg.make(id);
            auto const got = m.complete(req);
            BOOST_TEST(
                (got == llmap::openai_api::wire::parse_chat_response(json::parse(e.response_body))),
                e.name());
            ++answers;
        }
    }
    // What the server received: the right path, the bearer key, the model.
    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == r.exchanges.size());
    for (auto const& q : received) {
        BOOST_TEST(q.target == "/v1/chat/completions");
        bool auth = false;
        for (auto const& [n, v] : q.headers)
            auth = auth || (n == "authorization" && v == "Bearer " + std::string(key));
        BOOST_TEST(auth);
    }
    BOOST_TEST(server.connections() == 1u); // one keep-alive connection for all
    std::cout << "openai_providers/chat_completions_over_http: " << answers << " answers, "
              << streams << " streams (" << events << " events) replayed\n";
}

BOOST_AUTO_TEST_CASE(responses_api_over_http) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/responses" && e.status == 200 && e.method == "POST")
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() > 20u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for<providers>(server, "/v1");
    std::size_t n = 0;
    for (auto const& e : r.exchanges) {
        // static path for the stream, variant path for the answers.
        llmap::request const req{.prompt = "replayed"};
        if (requested_stream(e)) {
            auto m = reg.model<"openai:gpt-4.1-mini">();
            static_assert(std::is_same_v<decltype(m), llmap::openai::responses_model>);
            auto const got = m.stream(req, [](const llmap::stream_event&) {});
            BOOST_TEST((got == decode_sse<llmap::openai_api::wire::responses_stream_decoder>(
                                   e.response_body)),
                       e.name());
        } else {
            auto v = reg.make_variant("openai:" + model_of(e));
            auto const got = std::visit(
                [&](auto& m) -> llmap::response {
                    if constexpr (llmap::chat_model<std::remove_cvref_t<decltype(m)>>)
                        return m.complete(req);
                    else
                        return {};
                },
                v);
            BOOST_TEST((got == llmap::openai_api::wire::parse_responses_response(
                                   json::parse(e.response_body))),
                       e.name());
        }
        ++n;
    }
    for (auto const& q : server.requests())
        BOOST_TEST(q.target == "/v1/responses");
    std::cout << "openai_providers/responses_api_over_http: " << n << " exchanges replayed\n";
}

BOOST_AUTO_TEST_CASE(embeddings_over_http) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/embeddings" && e.status == 200)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(!r.exchanges.empty());
    ts::test_server server(std::ref(r));
    auto reg = registry_for<providers>(server, "/v1");
    for (auto const& e : r.exchanges) {
        auto const recorded = json::parse(e.request_body);
        llmap::embedding_request req;
        for (auto const& in : recorded.at("input").as_array())
            req.inputs.emplace_back(in.as_string());
        auto const got = reg.make("openai:" + model_of(e)).embed(req);
        auto const expected =
            llmap::openai_api::wire::parse_embeddings_response(json::parse(e.response_body));
        BOOST_TEST((got.vectors == expected.vectors), e.name());
        BOOST_TEST(got.vectors.size() == req.inputs.size(), e.name());
    }
}

BOOST_AUTO_TEST_CASE(provider_errors_are_typed_and_never_show_the_key) {
    // The server answers 401 and echoes the key, in full and masked, as OpenAI does.
    ts::test_server server([](const ts::test_server::request&, ts::test_session& s) {
        std::string const body =
            R"({"error":{"message":"Incorrect API key provided: )" + std::string(key) +
            R"( (sk-test***SECRET).","type":"invalid_request_error","code":"invalid_api_key"}})";
        s.respond(401, body, {{"x-request-id", "req_401"}, {"content-type", "application/json"}});
    });
    auto reg = registry_for<providers>(server, "/v1");
    for (std::string_view id : {"openai:gpt-4.1", "openai-chat:gpt-4o"}) {
        try {
            (void)reg.make(id).complete({.prompt = "x"});
            BOOST_FAIL("no exception");
        } catch (const llmap::error& e) {
            std::string const what = e.what();
            BOOST_TEST((e.code() == llmap::errc::http_error));
            BOOST_TEST(e.http_status() == 401);
            BOOST_TEST(e.provider_error_type() == "invalid_request_error");
            BOOST_TEST(e.request_id() == "req_401");
            BOOST_TEST(what.find("Incorrect API key") != std::string::npos, what);
            BOOST_TEST(what.find(key) == std::string::npos, what);
            BOOST_TEST(what.find("SECRET") == std::string::npos, what);
            BOOST_TEST(what.find("sk-test") == std::string::npos, what);
        }
        try {
            (void)reg.make(id).stream({.prompt = "x"}, [](const llmap::stream_event&) {});
            BOOST_FAIL("no exception");
        } catch (const llmap::error& e) {
            BOOST_TEST(e.http_status() == 401);
            BOOST_TEST(std::string(e.what()).find("SECRET") == std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(every_credential_sent_is_redacted) {
    // A key and a second credential in a configured header (a gateway's bearer token, an
    // api-key): a 401 that echoes both shows neither.
    constexpr std::string_view token = "gw-token-9876543210ZYXWVU";
    constexpr std::string_view other = "azure-style-key-13579TUVW";
    std::string seen_auth; // written by the server before it answers
    ts::test_server server([&](const ts::test_server::request& req, ts::test_session& s) {
        seen_auth = std::string(req[boost::beast::http::field::authorization]);
        std::string const body = R"({"error":{"message":"denied: )" + std::string(key) + " " +
                                 std::string(token) + " " + std::string(other) +
                                 " (gw-tok***ZYXWVU)\",\"type\":\"auth\"}}";
        s.respond(401, body, {{"content-type", "application/json"}});
    });
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = server.url("/v1");
    c.transport.retry.max_retries = 0;
    c.headers = {{"X-Gateway-Authorization", "unrelated"},
                 {"Proxy-Authorization", "Bearer " + std::string(token)},
                 {"api-key", std::string(other)}};
    providers reg{{"openai-chat", c}};
    try {
        (void)reg.model<"openai-chat:gpt-4o">().complete({.prompt = "x"});
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        std::string const what = e.what();
        BOOST_TEST(e.http_status() == 401);
        BOOST_TEST(what.find("denied") != std::string::npos, what);
        for (std::string_view secret : {key, token, other})
            BOOST_TEST(what.find(secret) == std::string::npos, what);
        BOOST_TEST(what.find("ZYXWVU") == std::string::npos, what);
    }
    BOOST_TEST(seen_auth == "Bearer " + std::string(key)); // the key itself was sent
}

BOOST_AUTO_TEST_CASE(missing_key_fails_before_sending) {
    ts::test_server server(
        [](const ts::test_server::request&, ts::test_session& s) { s.respond(200, "{}"); });
    llmap::registry<llmap::openai, llmap::deepseek, llmap::llama_cpp> reg{
        {"openai", llmap::provider_config{}.with_base_url(server.url("/v1"))},
        {"deepseek", llmap::provider_config{}.with_base_url(server.url("/"))},
        {"llama-cpp", llmap::provider_config{}.with_base_url(server.url("/v1"))}};
    for (std::string_view id : {"openai:m", "deepseek"})
        BOOST_CHECK_EXCEPTION(
            reg.make(id).complete({.prompt = "x"}), llmap::error,
            [](const llmap::error& e) { return e.code() == llmap::errc::missing_api_key; });
    BOOST_TEST(server.request_count() == 0u);
    // The message names the variables the key would have been read from.
    auto const message = [](auto&& model) {
        try {
            model.complete({.prompt = "x"});
        } catch (const llmap::error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    BOOST_TEST(message(reg.model<"openai:m">()).find("(set OPENAI_API_KEY or") !=
               std::string::npos);
    BOOST_TEST(message(llmap::openai_chat(llmap::provider_config{}).model("m"))
                   .find("(set OPENAI_CHAT_API_KEY, OPENAI_API_KEY or") != std::string::npos);
    // A local server needs no key: the request goes out (and its empty answer is malformed).
    BOOST_CHECK_EXCEPTION(
        reg.make("llama-cpp").complete({.prompt = "x"}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
    BOOST_TEST(server.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(compatible_family_over_http) {
    // Each vendor's recorded Chat Completions answers, through its own provider type.
    std::size_t n = 0;
    for (auto const& [folder, name] :
         std::vector<std::pair<std::string, std::string>>{{"deepseek", "deepseek"},
                                                          {"groq", "groq"},
                                                          {"llamacpp", "llama-cpp"},
                                                          {"openrouter", "openrouter"},
                                                          {"perplexity", "perplexity"},
                                                          {"mistral", "mistral"}}) {
        replay r;
        for (auto& e : fx::rig_exchanges(folder))
            if (e.path.ends_with("/chat/completions") && e.status == 200)
                r.exchanges.push_back(std::move(e));
        ts::test_server server(std::ref(r));
        llmap::provider_config c;
        c.api_key = key;
        c.base_url = server.url("/v1");
        openai_family_registry reg{{std::string_view(name), c}};
        for (auto const& e : r.exchanges) {
            std::string const id = name + ":" + model_of(e);
            llmap::request const req{.prompt = "replayed"};
            llmap::response got;
            if (requested_stream(e))
                got = reg.make(id).stream(req, [](const llmap::stream_event&) {});
            else
                got = reg.make(id).complete(req);
            auto const expected =
                requested_stream(e)
                    ? decode_sse<llmap::openai_api::wire::chat_stream_decoder>(e.response_body)
                    : llmap::openai_api::wire::parse_chat_response(json::parse(e.response_body),
                                                                   name);
            BOOST_TEST((got.content == expected.content), name << e.name());
            BOOST_TEST((got.usage == expected.usage), name << e.name());
            ++n;
        }
    }
    std::cout << "openai_providers/compatible_family_over_http: " << n << " exchanges\n";
    BOOST_TEST(n > 100u);
}

BOOST_AUTO_TEST_CASE(ai_sdk_fixtures_over_http) {
    // The AI SDK's recorded answers and streams, served over HTTP (streams in random pieces)
    // to the provider that speaks them: the result must equal the wire-level decoding of the
    // same bytes, which the wire tests check against the fixtures' own content.
    namespace fs = std::filesystem;
    auto const base = fx::root() / "aisdk";
    struct source {
        fs::path dir;
        std::string provider;   // the registry name that serves it
        bool responses = false; // the Responses API (else Chat Completions)
    };
    std::vector<source> const sources = {
        {base / "openai" / "chat", "openai-chat"},
        {base / "openai-compatible" / "chat", "openai-compatible"},
        {base / "deepseek" / "chat", "deepseek"},
        {base / "groq", "groq"},
        {base / "xai", "xai"},
        {base / "mistral", "mistral"},
        {base / "openai" / "responses", "openai", true},
        // xAI's Responses API is OpenAI's wire: served through the openai provider.
        {base / "xai" / "responses", "openai", true},
    };
    // What the server answers next. The handler copies it first: the client may have its
    // answer (and the test set the next one) before the handler's last write returns.
    struct served {
        std::mutex m;
        std::string body;
        bool sse = false;
        unsigned seed = 7;
    } now;
    auto const serve_next = [&](std::string body, bool sse) {
        std::lock_guard lock(now.m);
        now.body = std::move(body);
        now.sse = sse;
    };
    ts::test_server server([&](const ts::test_server::request&, ts::test_session& s) {
        std::string answer;
        bool sse = false;
        std::mt19937 rng;
        {
            std::lock_guard lock(now.m);
            answer = now.body;
            sse = now.sse;
            rng.seed(++now.seed);
        }
        std::string head = "HTTP/1.1 200 OK\r\nContent-Type: ";
        head += sse ? "text/event-stream" : "application/json";
        head += "\r\nContent-Length: " + std::to_string(answer.size()) + "\r\n\r\n";
        s.write_raw(head);
        std::string_view body = answer;
        while (!body.empty()) {
            std::size_t const n = std::min<std::size_t>(body.size(), 1 + rng() % 200);
            s.write_raw(body.substr(0, n));
            body.remove_prefix(n);
        }
    });
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = server.url("/v1");
    c.transport.retry.max_retries = 0;
    llmap::registry<llmap::openai, llmap::openai_chat, llmap::openai_compatible, llmap::deepseek,
                    llmap::groq, llmap::xai, llmap::mistral>
        reg{{"openai", c},   {"openai-chat", c}, {"openai-compatible", c},
            {"deepseek", c}, {"groq", c},        {"xai", c},
            {"mistral", c}};
    std::size_t answers = 0, streams = 0;
    std::map<std::string, std::size_t> skipped;
    llmap::request const req{.prompt = "replayed"};
    for (auto const& src : sources) {
        for (auto const& f : fx::files(src.dir, "")) {
            if (f.parent_path() != src.dir)
                continue; // a subfolder is its own source, or another API
            std::string const name = f.filename().string();
            llmap::any_model m = reg.make(src.provider + ":m");
            if (name.ends_with(".chunks.txt")) {
                auto const lines = fx::chunk_lines(f);
                bool valid = true;
                for (auto const& l : lines) {
                    boost::system::error_code ec;
                    valid = valid && json::parse(l, ec).is_object() && !ec;
                }
                if (!valid) {
                    ++skipped["a chunk line is not JSON (hand-written; the wire test checks that "
                              "it is reported as malformed)"];
                    continue;
                }
                // A Responses file may hold several calls: each response.created starts one.
                std::vector<std::string> bodies;
                for (auto const& l : lines) {
                    bool const starts = src.responses &&
                                        json::parse(l).as_object().if_contains("type") &&
                                        json::parse(l).at("type") == "response.created";
                    if (bodies.empty() || starts)
                        bodies.emplace_back();
                    bodies.back() += "data: " + l + "\n\n";
                }
                for (auto& b : bodies) {
                    if (!src.responses)
                        b += "data: [DONE]\n\n";
                    serve_next(b, true);
                    auto const expected =
                        src.responses
                            ? decode_sse<llmap::openai_api::wire::responses_stream_decoder>(b)
                            : decode_sse<llmap::openai_api::wire::chat_stream_decoder>(b);
                    auto const got = m.stream(req, [](const llmap::stream_event&) {});
                    BOOST_TEST((got.content == expected.content), name);
                    BOOST_TEST((got.usage == expected.usage), name);
                    BOOST_TEST((got.finish == expected.finish), name);
                    ++streams;
                }
            } else if (name.ends_with(".json")) {
                auto const body = json::parse(fx::read_file(f));
                if (!body.as_object().contains(src.responses ? "output" : "choices")) {
                    ++skipped["not an answer of this API (an error body, a transcription)"];
                    continue;
                }
                serve_next(fx::read_file(f), false);
                auto const got = m.complete(req);
                auto const expected =
                    src.responses
                        ? llmap::openai_api::wire::parse_responses_response(body, src.provider)
                        : llmap::openai_api::wire::parse_chat_response(body, src.provider);
                BOOST_TEST((got.content == expected.content), name);
                BOOST_TEST((got.usage == expected.usage), name);
                BOOST_TEST((got.finish == expected.finish), name);
                ++answers;
            }
        }
    }
    std::cout << "openai_providers/ai_sdk_fixtures_over_http: " << answers << " answers and "
              << streams << " streams\n";
    for (auto const& [why, n] : skipped)
        std::cout << "  skipped " << n << ": " << why << "\n";
    BOOST_TEST(answers >= 30u);
    BOOST_TEST(streams >= 30u);
}

BOOST_AUTO_TEST_CASE(async_calls_with_every_kind_of_token) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200 && !requested_stream(e) &&
            r.exchanges.size() < 4)
            r.exchanges.push_back(std::move(e));
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/responses" && e.status == 200 && !requested_stream(e) &&
            r.exchanges.size() < 5)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() == 5u);
    auto const chat = [&](std::size_t i) {
        return llmap::openai_api::wire::parse_chat_response(
            json::parse(r.exchanges[i].response_body));
    };
    ts::test_server server(std::ref(r));
    auto reg = registry_for<providers>(server, "/v1");
    llmap::request const req{.prompt = "async"};

    // use_future, on the concrete type.
    auto m = reg.model<"openai-chat:gpt-4o">();
    std::future<llmap::response> f = m.async_complete(req, boost::asio::use_future);
    BOOST_TEST((f.get() == chat(0)));

    // A callback.
    std::promise<llmap::response> p;
    m.async_complete(req, [&](std::exception_ptr e, llmap::response resp) {
        if (e)
            p.set_exception(e);
        else
            p.set_value(std::move(resp));
    });
    BOOST_TEST((p.get_future().get() == chat(1)));

    // use_awaitable, from a coroutine on the caller's io_context.
    boost::asio::io_context ioc;
    llmap::response from_coroutine;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            from_coroutine = co_await m.async_complete(req, boost::asio::use_awaitable);
        },
        boost::asio::detached);
    ioc.run();
    BOOST_TEST((from_coroutine == chat(2)));

    // Erased: any_model forwards through asio::any_completion_handler.
    llmap::any_model erased = reg.make("openai-chat:gpt-4o");
    BOOST_TEST((erased.async_complete(req, boost::asio::use_future).get() == chat(3)));
    llmap::any_model responses = reg.make("openai:gpt-4.1");
    BOOST_TEST((responses.async_complete(req, boost::asio::use_future).get() ==
                llmap::openai_api::wire::parse_responses_response(
                    json::parse(r.exchanges[4].response_body))));

    // A model without async_complete, and an empty one: typed errors through the future.
    struct sync_only {
        llmap::response complete(const llmap::request&) { return {}; }
    };
    llmap::any_model s = sync_only{};
    BOOST_CHECK_EXCEPTION(
        s.async_complete(req, boost::asio::use_future).get(), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::unsupported_capability; });
    llmap::any_model none;
    BOOST_CHECK_EXCEPTION(
        none.async_complete(req, boost::asio::use_future).get(), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::empty_model; });
}

BOOST_AUTO_TEST_CASE(async_streams_and_embeddings) {
    // Two chat streams, one Responses stream, two embedding answers, one more chat stream.
    replay r;
    auto const take = [&](std::string_view path, bool stream, std::size_t n) {
        for (auto& e : fx::rig_exchanges("openai"))
            if (n > 0 && e.path == path && e.status == 200 &&
                (path == "/v1/embeddings" || requested_stream(e) == stream)) {
                r.exchanges.push_back(std::move(e));
                --n;
            }
        BOOST_REQUIRE(n == 0u);
    };
    take("/v1/chat/completions", true, 2);
    take("/v1/responses", true, 1);
    take("/v1/embeddings", false, 2);
    take("/v1/chat/completions", true, 1);
    auto const decoded = [&](std::size_t i) {
        return i == 2 ? decode_sse<llmap::openai_api::wire::responses_stream_decoder>(
                            r.exchanges[i].response_body)
                      : decode_sse<llmap::openai_api::wire::chat_stream_decoder>(
                            r.exchanges[i].response_body);
    };
    auto const expected = std::vector<llmap::response>{decoded(0), decoded(1), decoded(2)};
    auto const embedded = [&](std::size_t i) {
        return llmap::openai_api::wire::parse_embeddings_response(
            json::parse(r.exchanges[i].response_body));
    };
    auto const expected_embeddings = std::vector{embedded(3), embedded(4)};
    ts::test_server server(std::ref(r));
    auto reg = registry_for<providers>(server, "/v1");
    llmap::request const req{.prompt = "async stream"};

    // The concrete type: the events the handler saw fold into the response the call gives.
    auto m = reg.model<"openai-chat:gpt-4o">();
    auto events = std::make_shared<std::vector<llmap::stream_event>>();
    auto got = m.async_stream(
                    req, [events](const llmap::stream_event& e) { events->push_back(e); },
                    boost::asio::use_future)
                   .get();
    BOOST_TEST((got == expected[0]));
    BOOST_TEST(!events->empty());
    llmap::stream_accumulator acc;
    for (auto const& e : *events)
        acc.add(e);
    BOOST_TEST((std::move(acc).finish() == expected[0]));

    // Erased, both APIs: any_model forwards the owning handler and the completion handler.
    llmap::any_model chat = reg.make("openai-chat:gpt-4o");
    auto count = std::make_shared<std::atomic<int>>(0);
    BOOST_TEST(
        (chat.async_stream(
                 req, [count](const llmap::stream_event&) { ++*count; }, boost::asio::use_future)
             .get() == expected[1]));
    BOOST_TEST(count->load() > 0);
    llmap::any_model responses = reg.make("openai:gpt-4.1");
    BOOST_TEST((responses
                    .async_stream(
                        req, [](const llmap::stream_event&) {}, boost::asio::use_future)
                    .get() == expected[2]));

    // Embeddings, concrete and erased.
    llmap::embedding_request const ereq{.inputs = {"a", "b"}};
    BOOST_TEST((reg.model<"openai:text-embedding-3-small">()
                    .async_embed(ereq, boost::asio::use_future)
                    .get() == expected_embeddings[0]));
    BOOST_TEST((reg.make("openai:text-embedding-3-small")
                    .async_embed(ereq, boost::asio::use_future)
                    .get() == expected_embeddings[1]));

    // An exception from the handler stops the stream and is what the operation ends with.
    BOOST_CHECK_THROW(
        m.async_stream(
             req, [](const llmap::stream_event&) { throw std::runtime_error("handler gave up"); },
             boost::asio::use_future)
            .get(),
        std::runtime_error);

    // Models without the asynchronous forms: typed errors through the future, never inline.
    struct sync_only {
        llmap::response complete(const llmap::request&) { return {}; }
        llmap::response stream(const llmap::request&, llmap::stream_handler) { return {}; }
        llmap::embedding_response embed(const llmap::embedding_request&) { return {}; }
    };
    llmap::any_model s = sync_only{};
    auto const unsupported = [](const llmap::error& e) {
        return e.code() == llmap::errc::unsupported_capability;
    };
    BOOST_CHECK_EXCEPTION(s.async_stream(
                               req, [](const llmap::stream_event&) {}, boost::asio::use_future)
                              .get(),
                          llmap::error, unsupported);
    BOOST_CHECK_EXCEPTION(s.async_embed(ereq, boost::asio::use_future).get(), llmap::error,
                          unsupported);
}

BOOST_AUTO_TEST_CASE(streams_that_collect_nothing) {
    // request::collect_stream = false: every event still reaches the handler, and the
    // response keeps only the bounded fields (the same ones a collecting call gives).
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200 && requested_stream(e) &&
            r.exchanges.size() < 2)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() == 2u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for<providers>(server, "/v1");
    llmap::request const req{.prompt = "flat", .collect_stream = false};
    auto const check = [&](std::size_t i, const llmap::response& got,
                           const std::vector<llmap::stream_event>& events) {
        auto const all =
            decode_sse<llmap::openai_api::wire::chat_stream_decoder>(r.exchanges[i].response_body);
        BOOST_TEST(!all.content.empty());
        BOOST_TEST(got.content.empty());
        BOOST_TEST((got.finish == all.finish));
        BOOST_TEST((got.usage == all.usage));
        BOOST_TEST(got.id == all.id);
        BOOST_TEST(got.model == all.model);
        llmap::stream_accumulator acc;
        for (auto const& e : events)
            acc.add(e);
        BOOST_TEST((std::move(acc).finish() == all)); // the handler saw everything
    };
    auto m = reg.model<"openai-chat:gpt-4o">();
    std::vector<llmap::stream_event> events;
    auto const got = m.stream(req, [&](const llmap::stream_event& e) { events.push_back(e); });
    check(0, got, events);
    auto async_events = std::make_shared<std::vector<llmap::stream_event>>();
    llmap::any_model erased = reg.make("openai-chat:gpt-4o");
    auto const async_got =
        erased
            .async_stream(
                req, [async_events](const llmap::stream_event& e) { async_events->push_back(e); },
                boost::asio::use_future)
            .get();
    check(1, async_got, *async_events);
}

// A stream whose body ends cleanly but early (no finish_reason and no [DONE]; no
// response.completed) is cut, not a shorter answer: malformed_response through a model, as
// for the other providers, blocking and asynchronous. A vendor that ends after its
// finish_reason without [DONE] (Perplexity) still gives its answer.
BOOST_AUTO_TEST_CASE(streams_cut_before_their_end_are_malformed) {
    std::string const chat_cut =
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
        "\"delta\":{\"role\":\"assistant\",\"content\":\"The answer\"}}]}\n\n"
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
        "\"delta\":{\"content\":\" is\"}}]}\n\n";
    std::string const chat_finished = chat_cut +
                                      "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},"
                                      "\"finish_reason\":\"stop\"}]}\n\n";
    std::string const responses_cut =
        "data: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\","
        "\"model\":\"gpt-4.1\",\"status\":\"in_progress\",\"output\":[]}}\n\n"
        "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\","
        "\"delta\":\"The answer\"}\n\n";
    std::string body; // what the server answers next
    ts::test_server server([&](const ts::test_server::request&, ts::test_session& s) {
        s.respond(200, body, {{"content-type", "text/event-stream"}});
    });
    auto reg = registry_for<providers>(server, "/v1");
    auto const malformed = [](const llmap::error& e) {
        return e.code() == llmap::errc::malformed_response;
    };
    llmap::request const req{.prompt = "x"};
    auto const ignore = [](const llmap::stream_event&) {};

    body = chat_cut;
    auto chat = reg.model<"openai-chat:gpt-4o">();
    BOOST_CHECK_EXCEPTION(chat.stream(req, ignore), llmap::error, malformed);
    BOOST_CHECK_EXCEPTION(chat.async_stream(req, ignore, boost::asio::use_future).get(),
                          llmap::error, malformed);
    body = responses_cut;
    auto responses = reg.model<"openai:gpt-4.1">();
    BOOST_CHECK_EXCEPTION(responses.stream(req, ignore), llmap::error, malformed);
    BOOST_CHECK_EXCEPTION(responses.async_stream(req, ignore, boost::asio::use_future).get(),
                          llmap::error, malformed);

    body = chat_finished;
    auto const got = chat.stream(req, ignore);
    BOOST_TEST(got.text() == "The answer is");
    BOOST_TEST((got.finish == llmap::finish_reason::stop));
    BOOST_TEST(server.request_count() == 5u);
}

BOOST_AUTO_TEST_CASE(async_errors_arrive_through_the_token) {
    ts::test_server server([](const ts::test_server::request&, ts::test_session& s) {
        s.respond(429, R"({"error":{"message":"slow down","type":"rate_limit_error"}})",
                  {{"content-type", "application/json"}});
    });
    auto reg = registry_for<providers>(server, "/v1");
    auto m = reg.model<"openai-chat:gpt-4o">();
    BOOST_CHECK_EXCEPTION(m.async_complete({.prompt = "x"}, boost::asio::use_future).get(),
                          llmap::error, [](const llmap::error& e) {
                              return e.code() == llmap::errc::http_error &&
                                     e.http_status() == 429 &&
                                     e.provider_error_type() == "rate_limit_error";
                          });
    // Retries are off in these tests' configuration: exactly one request.
    BOOST_TEST(server.request_count() == 1u);
    // A transport failure (nothing listens there any more) is an llmap::error too.
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = "http://127.0.0.1:1/v1";
    c.transport.retry.max_retries = 0;
    providers dead{{"openai-chat", c}};
    BOOST_CHECK_EXCEPTION(dead.model<"openai-chat:gpt-4o">()
                              .async_complete({.prompt = "x"}, boost::asio::use_future)
                              .get(),
                          llmap::error, [](const llmap::error& e) {
                              return e.code() == llmap::errc::connection_failed &&
                                     std::string_view(e.what()).find(key) == std::string_view::npos;
                          });
}

BOOST_AUTO_TEST_CASE(per_call_retry_policy) {
    // Two 503s, then the recorded answer: the registry does not retry, this call does.
    fx::exchange answer;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200 && !requested_stream(e)) {
            answer = std::move(e);
            break;
        }
    std::atomic<int> seen{0};
    ts::test_server server([&](const ts::test_server::request&, ts::test_session& s) {
        if (++seen <= 2)
            s.respond(503, R"({"error":{"message":"busy"}})");
        else
            s.respond(200, answer.response_body, {{"content-type", "application/json"}});
    });
    auto reg = registry_for<providers>(server, "/v1");
    auto m = reg.model<"openai-chat:gpt-4o">();
    BOOST_CHECK_EXCEPTION(m.complete({.prompt = "x"}), llmap::error,
                          [](const llmap::error& e) { return e.http_status() == 503; });
    BOOST_TEST(seen.load() == 1);
    llmap::http::retry_policy patient;
    patient.max_retries = 2;
    patient.initial_delay = std::chrono::milliseconds(10);
    auto const r = m.complete({.prompt = "x", .retry = patient});
    BOOST_TEST(seen.load() == 3); // the second 503, then the answer
    BOOST_TEST(
        (r == llmap::openai_api::wire::parse_chat_response(json::parse(answer.response_body))));
}

BOOST_AUTO_TEST_CASE(azure_deployments) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200 && r.exchanges.size() < 3 &&
            requested_stream(e) == (r.exchanges.size() == 1))
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() == 3u);
    ts::test_server server(std::ref(r));
    std::string const base = "http://127.0.0.1:" + std::to_string(server.port());
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = base + "/";
    c.transport.retry.max_retries = 0;
    llmap::registry<llmap::azure> reg{{"azure", c}};
    auto m = reg.model<"azure:my-gpt-4o">();
    static_assert(std::is_same_v<decltype(m), llmap::azure::chat_model>);
    BOOST_TEST((m.complete({.prompt = "x"}) == llmap::openai_api::wire::parse_chat_response(
                                                   json::parse(r.exchanges[0].response_body))));
    auto const streamed = reg.make("azure:a/b c").stream({.prompt = "x"}, [](auto const&) {});
    BOOST_TEST((streamed == decode_sse<llmap::openai_api::wire::chat_stream_decoder>(
                                r.exchanges[1].response_body)));
    BOOST_TEST(server.connections() == 1u); // one pool for every deployment of a provider
    // An explicit API version in the base URL's query.
    c.base_url = base + "?api-version=2025-01-01-preview";
    llmap::registry<llmap::azure> preview{{"azure", c}};
    (void)preview.make("azure").complete({.prompt = "x"});

    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == 3u);
    BOOST_TEST(received[0].target ==
               "/openai/deployments/my-gpt-4o/chat/completions?api-version=2024-10-21");
    // The deployment name cannot change the URL's structure.
    BOOST_TEST(received[1].target ==
               "/openai/deployments/a%2Fb%20c/chat/completions?api-version=2024-10-21");
    BOOST_TEST(received[2].target ==
               "/openai/deployments/gpt-4o/chat/completions?api-version=2025-01-01-preview");
    for (auto const& q : received) {
        std::string api_key, authorization;
        for (auto const& [n, v] : q.headers) {
            if (n == "api-key")
                api_key = v;
            if (n == "authorization")
                authorization = v;
        }
        BOOST_TEST(api_key == key);
        BOOST_TEST(authorization.empty());
    }
}

BOOST_AUTO_TEST_CASE(azure_from_env) {
    ::setenv("AZURE_OPENAI_ENDPOINT", "https://res.openai.azure.com", 1);
    ::setenv("AZURE_OPENAI_API_KEY", "k", 1);
    ::setenv("AZURE_OPENAI_API_VERSION", "2025-04-01-preview", 1);
    llmap::provider_config c = llmap::config_from_env("azure");
    llmap::azure::apply_env(c);
    ::unsetenv("AZURE_OPENAI_ENDPOINT");
    ::unsetenv("AZURE_OPENAI_API_KEY");
    ::unsetenv("AZURE_OPENAI_API_VERSION");
    BOOST_TEST(c.api_key == "k");
    BOOST_TEST(c.base_url == "https://res.openai.azure.com?api-version=2025-04-01-preview");
}

BOOST_AUTO_TEST_CASE(a_failure_after_retries_says_how_many_attempts) {
    // The provider's own error, once the retries ran out, and a transport error alike.
    ts::test_server busy([](const ts::test_server::request&, ts::test_session& s) {
        s.respond(503, R"({"error":{"message":"overloaded","type":"server_error"}})");
    });
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = busy.url("/v1");
    c.transport.retry.max_retries = 2;
    c.transport.retry.initial_delay = std::chrono::milliseconds(1);
    auto m = llmap::openai_chat(c).model("gpt-4o");
    BOOST_CHECK_EXCEPTION(m.complete({.prompt = "hi"}), llmap::error, [](const llmap::error& e) {
        return e.http_status() == 503 &&
               std::string(e.what()).find("overloaded (after 3 attempts)") != std::string::npos;
    });
    BOOST_TEST(busy.request_count() == 3u);

    ts::test_server reset([](const ts::test_server::request&, ts::test_session& s) { s.reset(); });
    c.base_url = reset.url("/v1");
    auto r = llmap::openai_chat(c).model("gpt-4o");
    BOOST_CHECK_EXCEPTION(r.complete({.prompt = "hi"}), llmap::error, [](const llmap::error& e) {
        return std::string(e.what()).find("after 3 attempts") != std::string::npos;
    });
    BOOST_CHECK_EXCEPTION(
        r.async_complete(llmap::request{.prompt = "hi"}, boost::asio::use_future).get(),
        llmap::error, [](const llmap::error& e) {
            return std::string(e.what()).find("after 3 attempts") != std::string::npos;
        });
}

BOOST_AUTO_TEST_CASE(responses_keep_the_headers_that_matter) {
    // Rate limits and the request id reach the caller, streamed or not, blocking or async;
    // other fields do not, and an echoed key is redacted.
    auto const answer = fx::rig_exchanges("openai");
    std::string json_body, sse_body;
    for (auto const& e : answer)
        if (e.path == "/v1/chat/completions" && e.status == 200) {
            if (e.response_body.starts_with("data:") && sse_body.empty())
                sse_body = e.response_body;
            else if (e.response_body.starts_with("{") && json_body.empty())
                json_body = e.response_body;
        }
    BOOST_REQUIRE(!json_body.empty() && !sse_body.empty());
    ts::test_server srv([&](const ts::test_server::request& req, ts::test_session& s) {
        bool const stream = json::parse(req.body()).as_object().contains("stream");
        s.respond(200, stream ? sse_body : json_body,
                  {{"content-type", stream ? "text/event-stream" : "application/json"},
                   {"x-request-id", "req_123"},
                   {"x-ratelimit-remaining-requests", "4999"},
                   {"X-RateLimit-Reset-Tokens", "6ms"},
                   {"openai-processing-ms", "17"},
                   {"x-echo", std::string(key)},
                   {"retry-after", std::string(key)},
                   {"set-cookie", "session=abc"}});
    });
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = srv.url("/v1");
    auto m = llmap::openai_chat(c).model("gpt-4o");
    auto check = [](const llmap::response& r) {
        BOOST_TEST(r.header("x-request-id") == "req_123");
        BOOST_TEST(r.header("X-RATELIMIT-REMAINING-REQUESTS") == "4999");
        BOOST_TEST(r.header("x-ratelimit-reset-tokens") == "6ms");
        BOOST_TEST(r.header("openai-processing-ms") == "17");
        BOOST_TEST(r.header("retry-after") == "[redacted]");
        BOOST_TEST(r.header("set-cookie").empty());
        BOOST_TEST(r.header("x-echo").empty());
        BOOST_TEST(r.headers.size() == 5u);
    };
    llmap::request const req{.prompt = "hi"};
    check(m.complete(req));
    check(m.stream(req, [](const llmap::stream_event&) {}));
    check(m.async_complete(req, boost::asio::use_future).get());
    check(m.async_stream(
               req, [](const llmap::stream_event&) {}, boost::asio::use_future)
              .get());
    // The headers do not make two equal answers different.
    auto a = m.complete(req);
    auto b = a;
    b.headers.clear();
    BOOST_TEST((a == b));
}

#ifdef LLMAP_EXAMPLES_BIN
// The examples, run as a user would, against the replay server through the <NAME>_BASE_URL
// and <NAME>_API_KEY variables: what they print on stdout, and their exit status.
struct example_run {
    std::string out;
    int status = -1;
};

example_run run_example(const ts::test_server& server, std::string_view provider_env,
                        const std::string& command) {
    std::string const cmd = std::string(provider_env) + "_BASE_URL=" + server.url("/v1") + " " +
                            std::string(provider_env) + "_API_KEY=" + std::string(key) + " " +
                            LLMAP_EXAMPLES_BIN "/" + command + " 2>/dev/null";
    example_run r;
    std::FILE* p = ::popen(cmd.c_str(), "r");
    BOOST_REQUIRE(p != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
        r.out.append(buf, n);
    r.status = ::pclose(p);
    return r;
}

std::vector<fx::exchange> exchanges_of(std::string_view folder, std::string_view file) {
    std::vector<fx::exchange> out;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.file.parent_path().filename() == folder && e.file.filename() == file)
            out.push_back(std::move(e));
    return out;
}

BOOST_AUTO_TEST_CASE(example_any_provider) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200 && r.exchanges.size() < 2 &&
            requested_stream(e) == r.exchanges.empty()) // one stream, then one answer
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() == 2u);
    ts::test_server server(std::ref(r));
    auto const streamed =
        run_example(server, "OPENAI_CHAT", "any_provider openai-chat:gpt-4o 'Hi'");
    BOOST_TEST(streamed.status == 0);
    BOOST_TEST(streamed.out == decode_sse<llmap::openai_api::wire::chat_stream_decoder>(
                                   r.exchanges[0].response_body)
                                       .text() +
                                   "\n");
    auto const whole =
        run_example(server, "OPENAI_CHAT", "any_provider --no-stream openai-chat 'Hi'");
    BOOST_TEST(whole.status == 0);
    BOOST_TEST(whole.out == llmap::openai_api::wire::parse_chat_response(
                                json::parse(r.exchanges[1].response_body))
                                    .text() +
                                "\n");
    auto const bad = run_example(server, "OPENAI_CHAT", "any_provider anthropik:claude hi");
    BOOST_TEST(bad.status != 0);
    BOOST_TEST(bad.out.empty());
}

BOOST_AUTO_TEST_CASE(example_async_chat) {
    // Three prompts in flight together: the server holds each answer until all three
    // requests have arrived, so the example passes only if it really sends them at once.
    std::mutex m;
    std::condition_variable all_in;
    int arrived = 0;
    ts::test_server server([&](const ts::test_server::request& req, ts::test_session& s) {
        auto const body = json::parse(req.body());
        auto const& msgs = body.at("messages").as_array();
        std::string const prompt(msgs.back().at("content").as_string());
        {
            std::unique_lock lock(m);
            ++arrived;
            all_in.notify_all();
            all_in.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == 3; });
        }
        json::object answer{
            {"id", "c"},
            {"object", "chat.completion"},
            {"created", 1},
            {"model", "gpt-4o"},
            {"choices", json::array{json::object{
                            {"index", 0},
                            {"message", {{"role", "assistant"}, {"content", "re: " + prompt}}},
                            {"finish_reason", "stop"}}}}};
        s.respond(200, json::serialize(answer), {{"content-type", "application/json"}});
    });
    auto const run = run_example(server, "OPENAI_CHAT", "async_chat openai-chat:gpt-4o a b c");
    BOOST_TEST(run.status == 0);
    BOOST_TEST(run.out == "[1] re: a\n[2] re: b\n[3] re: c\n");
    BOOST_TEST(arrived == 3);
}

BOOST_AUTO_TEST_CASE(example_tool_round_trip) {
    replay r;
    r.exchanges = exchanges_of("typed_prompt_tools", "prompt_typed_with_tool_call_roundtrip.json");
    BOOST_REQUIRE(r.exchanges.size() == 2u);
    ts::test_server server(std::ref(r));
    auto const run = run_example(server, "OPENAI_CHAT", "tool_round_trip");
    BOOST_TEST(run.status == 0);
    auto const final_answer =
        llmap::openai_api::wire::parse_chat_response(json::parse(r.exchanges[1].response_body));
    BOOST_TEST(run.out == final_answer.text() + "\n");
    // The second request carries the assistant's tool call and the tool's result.
    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == 2u);
    auto const second = json::parse(received[1].body);
    auto const& msgs = second.at("messages").as_array();
    BOOST_REQUIRE(msgs.size() == 4u);
    BOOST_TEST(msgs[2].at("tool_calls").at(0).at("id").as_string() == "call_REDACTED_1");
    BOOST_TEST(msgs[3].at("role").as_string() == "tool");
    BOOST_TEST(msgs[3].at("tool_call_id").as_string() == "call_REDACTED_1");
    BOOST_TEST(msgs[3].at("content").as_string() ==
               "The weather in London is all fire and brimstone");
}

BOOST_AUTO_TEST_CASE(example_streaming_chat_and_embeddings) {
    replay r;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/responses" && e.status == 200 && requested_stream(e) &&
            r.exchanges.empty())
            r.exchanges.push_back(std::move(e));
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/embeddings" && e.status == 200 && r.exchanges.size() == 1)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() == 2u);
    ts::test_server server(std::ref(r));
    auto const chat = run_example(server, "OPENAI", "streaming_chat 'Hi'");
    BOOST_TEST(chat.status == 0);
    BOOST_TEST(chat.out == decode_sse<llmap::openai_api::wire::responses_stream_decoder>(
                               r.exchanges[0].response_body)
                                   .text() +
                               "\n");
    auto const emb = run_example(server, "OPENAI", "embeddings a b");
    BOOST_TEST(emb.status == 0);
    auto const expected = llmap::openai_api::wire::parse_embeddings_response(
        json::parse(r.exchanges[1].response_body));
    BOOST_REQUIRE(!expected.vectors.empty());
    char first[64];
    std::snprintf(first, sizeof first, "0: %zu dimensions [%.6f, ", expected.vectors[0].size(),
                  static_cast<double>(expected.vectors[0][0]));
    BOOST_TEST(emb.out.find(first) == 0u, emb.out);
}
#endif

BOOST_AUTO_TEST_SUITE_END()
