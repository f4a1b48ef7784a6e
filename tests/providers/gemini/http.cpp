//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The Gemini provider end to end: through the registry's paths, over HTTP, against a loopback
// server that replays Rig's recorded gemini answers (streams written in small random pieces),
// errors included. The result over the network must equal the wire format's decoding of the
// same recorded bytes (which wire.cpp checks against the fixtures' own content).

#include "../../support/fixtures.hpp"
#include "../../support/test_server.hpp"

#include <llmap/providers/gemini.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <iostream>
#include <random>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;
namespace gw = llmap::gemini_api::wire;

namespace {

constexpr std::string_view key = "AIza-test-0123456789abcdefSECRET";

// Serves one recorded answer per request, in order; SSE bodies go out in random pieces.
struct replay {
    std::vector<fx::exchange> exchanges;
    std::size_t next = 0;
    std::mt19937 rng{1};

    void operator()(const ts::test_server::request&, ts::test_session& s) {
        auto const& e = exchanges.at(next++);
        bool const sse = e.response_body.starts_with("data:");
        std::string head = "HTTP/1.1 " + std::to_string(e.status) + " X\r\n";
        head += std::string("Content-Type: ") + (sse ? "text/event-stream" : "application/json") +
                "\r\n";
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

/// A canned answer for the replay server.
fx::exchange answer(unsigned status, std::string body) {
    fx::exchange e;
    e.status = status;
    e.response_body = std::move(body);
    return e;
}

using providers = llmap::registry<llmap::gemini>;

providers registry_for(const ts::test_server& server, std::string_view base_path = "") {
    llmap::provider_config c;
    c.api_key = key;
    c.base_url = server.url(base_path);
    c.transport.retry.max_retries = 0;
    return providers{{"gemini", c}};
}

// The model and method of a recorded path: /v1beta/models/{model}:{method}.
std::pair<std::string, std::string> model_and_method(const std::string& path) {
    std::string const rest = path.substr(path.find("models/") + 7);
    auto const colon = rest.find(':');
    return {rest.substr(0, colon), rest.substr(colon + 1)};
}

llmap::response decode_sse(std::string_view body) {
    llmap::http::sse_parser sse;
    gw::generate_stream_decoder d;
    llmap::stream_accumulator acc;
    auto emit = [&](llmap::stream_event&& e) { acc.add(e); };
    sse.feed(body, [&](llmap::http::sse_event& ev) { d.on_data(ev.data, emit); });
    d.finish(emit);
    return std::move(acc).finish();
}

std::string header(const ts::recorded_request& q, std::string_view name) {
    for (auto const& [n, v] : q.headers)
        if (boost::beast::iequals(n, name))
            return v;
    return {};
}

} // namespace

BOOST_AUTO_TEST_SUITE(gemini_http)

BOOST_AUTO_TEST_CASE(rig_over_http) {
    replay r;
    for (auto& e : fx::rig_exchanges("gemini"))
        if (e.path.find("/models/") != std::string::npos)
            r.exchanges.push_back(std::move(e));
    BOOST_REQUIRE(r.exchanges.size() > 190u);
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    std::size_t answers = 0, streams = 0, embeddings = 0, errors = 0, events = 0;
    std::vector<std::string> targets;
    for (std::size_t i = 0; i != r.exchanges.size(); ++i) {
        auto const& e = r.exchanges[i];
        auto const [model, method] = model_and_method(e.path);
        std::string const id = "gemini:" + model;
        llmap::request const req{.prompt = "replayed"};
        try {
            if (method == "streamGenerateContent") {
                targets.push_back("/v1beta/models/" + model + ":streamGenerateContent?alt=sse");
                // visit: the concrete model, its stream through the SSE parser and decoder.
                auto const got = reg.visit(id, [&](auto& m) {
                    return m.stream(req, [&](const llmap::stream_event&) { ++events; });
                });
                BOOST_TEST((got == decode_sse(e.response_body)), e.name());
                ++streams;
            } else if (method == "generateContent") {
                targets.push_back("/v1beta/models/" + model + ":generateContent");
                // make: the erased model.
                llmap::any_model m = reg.make(id);
                auto const got = m.complete(req);
                BOOST_TEST((got == gw::parse_generate_response(json::parse(e.response_body))),
                           e.name());
                ++answers;
            } else {
                BOOST_REQUIRE(method == "batchEmbedContents");
                llmap::embedding_request er;
                auto const recorded = json::parse(e.request_body);
                for (auto const& q : recorded.at("requests").as_array())
                    er.inputs.emplace_back(
                        q.at("content").at("parts").at(0).at("text").as_string());
                // Rig batches a single input too; llmap sends it to :embedContent.
                targets.push_back(
                    "/v1beta/models/" + model +
                    (er.inputs.size() == 1 ? ":embedContent" : ":batchEmbedContents"));
                auto const got = reg.visit(id, [&](auto& m) { return m.embed(er); });
                BOOST_TEST((got == gw::parse_embed_response(json::parse(e.response_body))),
                           e.name());
                ++embeddings;
            }
            BOOST_TEST(e.status == 200u, e.name() << " answered without an error");
        } catch (const llmap::error& err) {
            BOOST_TEST_CONTEXT(e.name()) {
                BOOST_TEST(e.status != 200u);
                BOOST_TEST((err.code() == llmap::errc::http_error));
                BOOST_TEST(err.http_status() == static_cast<int>(e.status));
                auto const doc = json::parse(e.response_body);
                auto const& recorded = doc.at("error");
                std::string const message(recorded.at("message").as_string());
                BOOST_TEST(std::string(err.what()).find(message.substr(0, 40)) !=
                           std::string::npos);
                // Gemini's error type is its "status" (NOT_FOUND, ...); the shared
                // answer_context reads "type" or a string "code" only (see the report).
                BOOST_TEST((err.provider_error_type().empty() ||
                            err.provider_error_type() == recorded.at("status").as_string()));
                BOOST_TEST(std::string(err.what()).find(key) == std::string::npos);
            }
            ++errors;
        }
    }
    // What the server received: the path with the model, the key in its header only.
    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == r.exchanges.size());
    for (std::size_t i = 0; i != received.size(); ++i) {
        BOOST_TEST(received[i].target == targets[i]);
        BOOST_TEST(header(received[i], "x-goog-api-key") == key);
        BOOST_TEST(received[i].target.find("key=") == std::string::npos);
    }
    std::cout << "gemini_http/rig_over_http: " << answers << " answers, " << streams << " streams ("
              << events << " events), " << embeddings << " embedding answers, " << errors
              << " error answers replayed over HTTP\n";
    BOOST_TEST(errors == 3u);
}

BOOST_AUTO_TEST_CASE(aisdk_streams_over_http) {
    auto const dir = fx::root() / "aisdk" / "google";
    std::vector<std::string> bodies;
    for (auto const& f : fx::files(dir, ".chunks.txt"))
        if (f.parent_path() == dir) {
            std::string sse;
            for (auto const& l : fx::chunk_lines(f))
                sse += "data: " + l + "\r\n\r\n";
            bodies.push_back(std::move(sse));
        }
    BOOST_REQUIRE(bodies.size() == 9u);
    replay r;
    for (auto const& b : bodies)
        r.exchanges.push_back(answer(200, b));
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"gemini:gemini-3-pro-preview">();
    static_assert(std::is_same_v<decltype(m), llmap::gemini::generative_model>);
    for (auto const& b : bodies) {
        std::vector<llmap::stream_event> seen;
        auto const got =
            m.stream({.prompt = "x"}, [&](const llmap::stream_event& e) { seen.push_back(e); });
        BOOST_TEST((got == decode_sse(b)));
        llmap::stream_accumulator acc;
        for (auto const& e : seen)
            acc.add(e);
        BOOST_TEST((std::move(acc).finish() == got));
    }
}

BOOST_AUTO_TEST_CASE(asynchronous_calls) {
    auto const dir = fx::root() / "aisdk" / "google";
    std::string sse;
    for (auto const& l : fx::chunk_lines(dir / "google-tool-call.chunks.txt"))
        sse += "data: " + l + "\n\n";
    replay r;
    r.exchanges.push_back(answer(200, fx::read_file(dir / "google-text.json")));
    r.exchanges.push_back(answer(200, sse));
    r.exchanges.push_back(answer(200, R"({"embedding":{"values":[0.25,0.5]}})"));
    r.exchanges.push_back(answer(429, R"({"error":{"code":429,"message":"Resource exhausted.",)"
                                      R"("status":"RESOURCE_EXHAUSTED"}})"));
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"gemini:models/gemini-2.5-flash">();

    auto answer = m.async_complete({.prompt = "x"}, boost::asio::use_future).get();
    BOOST_TEST((answer == gw::parse_generate_response(json::parse(r.exchanges[0].response_body))));

    std::size_t events = 0;
    auto streamed = m.async_stream(
                         {.prompt = "x"}, [&](const llmap::stream_event&) { ++events; },
                         boost::asio::use_future)
                        .get();
    BOOST_TEST((streamed == decode_sse(sse)));
    BOOST_TEST(events > 0u);

    auto embedded = m.async_embed(llmap::embedding_request{.inputs = {"hi"}, .dimensions = 2},
                                  boost::asio::use_future)
                        .get();
    BOOST_TEST((embedded.vectors == std::vector<std::vector<float>>{{0.25f, 0.5f}}));

    auto failing = m.async_complete({.prompt = "x"}, boost::asio::use_future);
    try {
        failing.get();
        BOOST_FAIL("no error");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::http_error));
        BOOST_TEST(e.http_status() == 429);
        BOOST_TEST(std::string(e.what()).find("Resource exhausted.") != std::string::npos);
    }

    auto const q = server.requests();
    BOOST_REQUIRE(q.size() == 4u);
    // The models/ prefix is not doubled.
    BOOST_TEST(q[0].target == "/v1beta/models/gemini-2.5-flash:generateContent");
    BOOST_TEST(q[1].target == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    BOOST_TEST(q[2].target == "/v1beta/models/gemini-2.5-flash:embedContent");
    BOOST_TEST(
        json::parse(q[2].body) ==
        json::parse(
            R"({"content":{"role":"user","parts":[{"text":"hi"}]},"outputDimensionality":2})"));
    BOOST_TEST(json::parse(q[0].body) == json::parse(R"({"contents":[{"role":"user",
        "parts":[{"text":"x"}]}]})"));
}

BOOST_AUTO_TEST_CASE(urls_keys_and_environment) {
    replay r;
    for (int i = 0; i != 2; ++i)
        r.exchanges.push_back(answer(200, R"({"candidates":[{"content":{"parts":[)"
                                          R"({"text":"ok"}]},"finishReason":"STOP"}]})"));
    ts::test_server server(std::ref(r));
    {
        // An id cannot change the URL's structure.
        auto reg = registry_for(server);
        auto const got = reg.make("gemini:a/b?c#d:e").complete({.prompt = "x"});
        BOOST_TEST(got.text() == "ok");
    }
    {
        // A base URL that names the version is used as it is.
        auto reg = registry_for(server, "/v1beta");
        reg.make("gemini").complete({.prompt = "x"});
    }
    auto const q = server.requests();
    BOOST_REQUIRE(q.size() == 2u);
    BOOST_TEST(q[0].target == "/v1beta/models/a%2Fb%3Fc%23d%3Ae:generateContent");
    BOOST_TEST(q[1].target == "/v1beta/models/gemini-2.5-flash:generateContent");

    // No key: missing_api_key, before any request.
    llmap::provider_config none;
    none.base_url = server.url("");
    try {
        llmap::gemini(none).model("gemini-2.5-flash").complete({.prompt = "x"});
        BOOST_FAIL("no error");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::missing_api_key));
    }
    BOOST_TEST(server.request_count() == 2u);

    // Google's other variables, when GEMINI_API_KEY gave none.
    ::setenv("GOOGLE_API_KEY", "from-google", 1);
    ::setenv("GOOGLE_GENERATIVE_AI_API_KEY", "from-ai-sdk", 1);
    llmap::provider_config c;
    llmap::gemini::apply_env(c);
    BOOST_TEST(c.api_key == "from-google");
    ::unsetenv("GOOGLE_API_KEY");
    c.api_key.clear();
    llmap::gemini::apply_env(c);
    BOOST_TEST(c.api_key == "from-ai-sdk");
    c.api_key = "from-gemini";
    llmap::gemini::apply_env(c);
    BOOST_TEST(c.api_key == "from-gemini");
    ::unsetenv("GOOGLE_GENERATIVE_AI_API_KEY");

    auto m = llmap::gemini(c).model("gemini-2.5-flash");
    BOOST_TEST(m.capabilities().contains(llmap::capability::reasoning));
    BOOST_TEST((m.thinking_budget(512).thinking().budget == std::optional<int>(512)));
    BOOST_TEST(llmap::capabilities_of(m).contains(llmap::capability::embeddings));
}

// A stream's failures over HTTP: an error status, an error event mid-stream, a body cut in
// the middle of an event, a body that ends before the finish reason.
BOOST_AUTO_TEST_CASE(stream_failures_over_http) {
    std::string const chunk =
        R"(data: {"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"}}]})"
        "\r\n\r\n";
    replay r;
    r.exchanges.push_back(answer(400, R"({"error":{"code":400,"message":"Invalid JSON payload.",)"
                                      R"("status":"INVALID_ARGUMENT"}})"));
    r.exchanges.push_back(answer(200, chunk + R"(data: {"error":{"code":503,"message":)"
                                              R"("The model is overloaded.","status":)"
                                              R"("UNAVAILABLE"}})"
                                              "\r\n\r\n"));
    r.exchanges.push_back(answer(200, chunk + R"(data: {"candidates":[{"content":)"));
    r.exchanges.push_back(answer(200, chunk));
    ts::test_server server(std::ref(r));
    auto reg = registry_for(server);
    auto m = reg.model<"gemini:gemini-2.5-flash">();
    auto failure = [&] {
        std::size_t events = 0;
        try {
            m.stream({.prompt = "x"}, [&](const llmap::stream_event&) { ++events; });
        } catch (const llmap::error& e) {
            return std::pair{e, events};
        }
        BOOST_FAIL("no error");
        return std::pair{llmap::error(llmap::errc::cancelled, ""), events};
    };
    auto const [status, n0] = failure();
    BOOST_TEST((status.code() == llmap::errc::http_error));
    BOOST_TEST(status.http_status() == 400);
    BOOST_TEST(std::string(status.what()).find("Invalid JSON payload.") != std::string::npos);
    auto const [event, n1] = failure();
    BOOST_TEST((event.code() == llmap::errc::http_error));
    BOOST_TEST(event.http_status() == 503);
    BOOST_TEST(event.provider_error_type() == "UNAVAILABLE");
    BOOST_TEST(n1 >= 1u); // the text before the error was delivered
    auto const [cut, n2] = failure();
    BOOST_TEST((cut.code() == llmap::errc::malformed_response));
    auto const [unfinished, n3] = failure();
    BOOST_TEST((unfinished.code() == llmap::errc::malformed_response));
}

BOOST_AUTO_TEST_SUITE_END()
