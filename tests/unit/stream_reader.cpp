//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/stream_reader.hpp: recorded Chat Completions streams read one event at a time,
// blocking and from a coroutine, on the concrete model and on any_model; the events must be
// those the callback form gets, and the result the response it returns.

#include <llmap/stream_reader.hpp>

#include <llmap/any_model.hpp>
#include <llmap/providers/openai_compatible.hpp>

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fx = test::fixtures;
namespace ts = llmap::test;
namespace net = boost::asio;

/// The recorded streams of Chat Completions answers with text (Rig's OpenAI cassettes).
std::vector<std::string> recorded_streams() {
    std::vector<std::string> out;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/chat/completions" && e.status == 200 &&
            e.response_body.starts_with("data:"))
            out.push_back(std::move(e.response_body));
    return out;
}

/// A server that answers every request with `body` as a stream, in pieces.
ts::test_server stream_server(const std::string& body) {
    return ts::test_server([body](const ts::test_server::request&, ts::test_session& s) {
        s.write_raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n");
        for (std::size_t at = 0; at < body.size(); at += 97)
            s.write_raw(std::string_view(body).substr(at, 97));
    });
}

auto chat_model(const ts::test_server& srv) {
    llmap::provider_config c;
    c.api_key = "sk-test";
    c.base_url = srv.url("/v1");
    c.transport.retry.max_retries = 0;
    return llmap::openai_chat(c).model("gpt-4o");
}

/// The events and response of the callback form, to compare with.
struct pushed {
    std::vector<llmap::stream_event> events;
    llmap::response result;
};

template <class Model>
pushed push_stream(Model& m) {
    pushed p;
    p.result =
        m.stream({.prompt = "hi"}, [&](const llmap::stream_event& e) { p.events.push_back(e); });
    return p;
}

} // namespace

BOOST_AUTO_TEST_SUITE(stream_reader)

BOOST_AUTO_TEST_CASE(blocking_reads_give_the_callbacks_events) {
    auto const streams = recorded_streams();
    BOOST_REQUIRE(streams.size() >= 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        auto srv = stream_server(streams[i]);
        auto m = chat_model(srv);
        auto const expected = push_stream(m);
        BOOST_REQUIRE(!expected.events.empty());

        auto s = llmap::open_stream(m, {.prompt = "hi"});
        std::vector<llmap::stream_event> got;
        while (auto ev = s.next())
            got.push_back(std::move(*ev));
        BOOST_TEST((got == expected.events));
        BOOST_TEST((s.result() == expected.result));
        BOOST_TEST(!s.next().has_value()); // the end stays the end
    }
}

BOOST_AUTO_TEST_CASE(awaited_reads_on_any_model) {
    auto const streams = recorded_streams();
    auto srv = stream_server(streams.at(0));
    auto concrete = chat_model(srv);
    auto const expected = push_stream(concrete);
    llmap::any_model m = chat_model(srv);

    net::io_context ioc;
    std::vector<llmap::stream_event> got;
    llmap::response result;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            llmap::request const req{.prompt = "hi"};
            auto s = llmap::open_stream(m, req);
            while (auto ev = co_await s.async_next(net::use_awaitable))
                got.push_back(std::move(*ev));
            result = s.result();
        },
        net::detached);
    ioc.run();
    BOOST_TEST((got == expected.events));
    BOOST_TEST((result == expected.result));
}

BOOST_AUTO_TEST_CASE(a_failed_stream_throws_after_its_events) {
    // The stream ends in the middle of an event: the events before it come first, then the
    // error, from next() and from async_next alike.
    auto const streams = recorded_streams();
    std::string cut = streams.at(0);
    cut.resize(cut.size() / 2);
    cut += "\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"x";
    auto srv = stream_server(cut);
    auto m = chat_model(srv);

    auto s = llmap::open_stream(m, {.prompt = "hi"});
    std::size_t events = 0;
    try {
        while (s.next())
            ++events;
        BOOST_ERROR("no error");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::malformed_response));
    }
    BOOST_TEST(events > 0u);
    BOOST_CHECK_THROW(s.result(), llmap::error);

    auto a = llmap::open_stream(m, {.prompt = "hi"});
    std::size_t awaited = 0;
    for (;;) {
        auto f = a.async_next(net::use_future);
        try {
            if (!f.get())
                break;
            ++awaited;
        } catch (const llmap::error& e) {
            BOOST_TEST((e.code() == llmap::errc::malformed_response));
            break;
        }
    }
    BOOST_TEST(awaited == events);
}

BOOST_AUTO_TEST_CASE(a_reader_dropped_early_stops_its_stream) {
    // A stream that goes on for as long as it is read: dropping the reader must end it (the
    // server sees its connection closed), not leave it running.
    std::atomic<bool> stopped{false};
    ts::test_server srv([&](const ts::test_server::request&, ts::test_session& s) {
        s.write_raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
        std::string const event = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\","
                                  "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n";
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", event.size());
        for (int i = 0; i < 2000 && !s.closed(); ++i) {
            s.write_raw(std::string(size) + event + "\r\n");
            s.sleep(std::chrono::milliseconds(5));
        }
        stopped = s.closed();
    });
    auto m = chat_model(srv);
    {
        auto s = llmap::open_stream(m, {.prompt = "hi"});
        BOOST_TEST_REQUIRE(s.next().has_value());
    }
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!stopped && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    BOOST_TEST(stopped.load());
}

BOOST_AUTO_TEST_CASE(misuse_is_an_error_not_a_crash_or_a_lost_handler) {
    // A second async_next while one is pending is told so at once; the first still gets its
    // event. An empty reader throws instead of dereferencing nothing.
    auto const streams = recorded_streams();
    auto srv = stream_server(streams.at(0));
    auto m = chat_model(srv);
    auto s = llmap::open_stream(m, {.prompt = "hi"});
    auto first = s.async_next(net::use_future);
    auto second = s.async_next(net::use_future);
    BOOST_CHECK_EXCEPTION(second.get(), llmap::error,
                          [](const llmap::error& e) { return e.code() == llmap::errc::cancelled; });
    BOOST_TEST(first.get().has_value());

    llmap::stream_reader moved = std::move(s);
    BOOST_TEST(moved.next().has_value());
    BOOST_CHECK_THROW(s.next(), llmap::error); // NOLINT(bugprone-use-after-move): on purpose
    BOOST_CHECK_THROW(s.result(), llmap::error);
    llmap::stream_reader empty;
    BOOST_CHECK_THROW(empty.async_next(net::use_future).get(), llmap::error);
}

BOOST_AUTO_TEST_CASE(a_model_without_streaming_ends_the_reader_with_its_error) {
    struct chat_only {
        llmap::response complete(const llmap::request&) { return {}; }
    };
    llmap::any_model m = chat_only{};
    auto s = llmap::open_stream(m, {.prompt = "hi"});
    BOOST_CHECK_EXCEPTION(s.next(), llmap::error, [](const llmap::error& e) {
        return e.code() == llmap::errc::unsupported_capability;
    });
}

BOOST_AUTO_TEST_CASE(a_provider_on_the_users_executor) {
    // provider_config::executor: the calls run on the user's io_context, driven by this
    // thread alone (the provider starts no thread of its own), stream events included.
    auto const streams = recorded_streams();
    auto srv = stream_server(streams.at(0));
    auto const expected = [&] {
        auto m = chat_model(srv);
        return push_stream(m);
    }();

    net::io_context ioc;
    llmap::provider_config c;
    c.api_key = "sk-test";
    c.base_url = srv.url("/v1");
    c = c.with_executor(ioc.get_executor());
    auto m = llmap::openai_chat(c).model("gpt-4o");

    auto const here = std::this_thread::get_id();
    std::vector<llmap::stream_event> got;
    bool all_here = true;
    std::optional<llmap::response> completed;
    m.async_stream(
        {.prompt = "hi"},
        [&](const llmap::stream_event& e) {
            all_here = all_here && std::this_thread::get_id() == here;
            got.push_back(e);
        },
        [&](std::exception_ptr e, llmap::response r) {
            all_here = all_here && std::this_thread::get_id() == here;
            if (!e)
                completed = std::move(r);
        });
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            auto s = llmap::open_stream(m, {.prompt = "again"});
            std::size_t n = 0;
            while (co_await s.async_next(net::use_awaitable))
                ++n;
            BOOST_TEST(n == expected.events.size());
        },
        net::detached);
    ioc.run(); // returns once both calls are done: nothing else keeps the context busy
    BOOST_TEST(all_here);
    BOOST_TEST((got == expected.events));
    BOOST_TEST_REQUIRE(completed.has_value());
    BOOST_TEST((*completed == expected.result));
}

namespace {

llmap::request named_request(std::string prompt) {
    return {.system = "Be brief.", .prompt = std::move(prompt)};
}

} // namespace

BOOST_AUTO_TEST_CASE(requests_in_co_await_expressions) {
    // GCC 12 miscompiles an aggregate temporary inside a co_await expression: it builds the
    // members apart, copies them bitwise into the object and destroys both (free(): invalid
    // pointer). No signature of the async_ functions avoids it, since the temporary is the
    // caller's; the README says to name the request or make it in a function there, and
    // both are checked here under GCC with ASan. Other compilers run the braced form too.
    std::string const answer =
        R"({"id":"c1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[)"
        R"({"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],)"
        R"("usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}})";
    ts::test_server srv([&](const ts::test_server::request&, ts::test_session& s) {
        s.respond(200, answer, {{"content-type", "application/json"}});
    });
    auto m = chat_model(srv);
    net::io_context ioc;
    std::string texts;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            llmap::request const req{.prompt = "a long enough prompt to live on the heap, surely"};
            texts += (co_await m.async_complete(req, net::use_awaitable)).text();
            texts += (co_await m.async_complete(named_request("hi"), net::use_awaitable)).text();
#if !defined(__GNUC__) || defined(__clang__) || __GNUC__ >= 13
            texts += (co_await m.async_complete({.prompt = "hi"}, net::use_awaitable)).text();
#endif
        },
        net::detached);
    ioc.run();
#if !defined(__GNUC__) || defined(__clang__) || __GNUC__ >= 13
    BOOST_TEST(texts == "okokok");
#else
    BOOST_TEST(texts == "okok");
#endif
    BOOST_TEST(srv.request_count() == texts.size() / 2);
}

BOOST_AUTO_TEST_SUITE_END()
