//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/http/client.hpp (with message.hpp and options.hpp): requests against scripted
// loopback servers (plain, TLS with a CA made at test time, through a CONNECT proxy), every
// completion token, cancellation, streaming, and the faults, each of which must end in its
// own error and never hang. All transport tests live in this one file: Beast and OpenSSL
// headers are heavy to compile.

#include <llmap/http/client.hpp>

#include <llmap/config.hpp>

#include "../support/test_server.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace llmap {
// For Boost.Test's messages; internal, so other test files may have their own.
[[maybe_unused]] static std::ostream& boost_test_print_type(std::ostream& os, errc e) {
    return os << make_error_code(e).message();
}
} // namespace llmap

namespace {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using llmap::errc;
using llmap::http::client;
using llmap::http::client_options;
using llmap::http::http_request;
using llmap::http::http_response;
using llmap::test::test_server;
using llmap::test::test_session;
using request = test_server::request;
using std::chrono::milliseconds;

/// Options for tests: short delays and generous (but finite) limits, so nothing hangs.
client_options quick(int max_retries = 0) {
    client_options o;
    o.retry.max_retries = max_retries;
    o.retry.initial_delay = milliseconds(10);
    o.retry.jitter = 0;
    o.timeout.connect = std::chrono::seconds(10);
    o.timeout.request = std::chrono::seconds(20);
    o.timeout.idle = std::chrono::seconds(20);
    return o;
}

http_request post(std::string url, std::string body = "{}") {
    http_request r;
    r.url = std::move(url);
    r.headers = {{"content-type", "application/json"}};
    r.body = std::move(body);
    return r;
}

/// The error code of a blocking send (none when it succeeded).
boost::system::error_code send_error(client& c, http_request req) {
    try {
        c.send(std::move(req));
    } catch (const llmap::error& e) {
        return e.code();
    }
    return {};
}

void ok_handler(const request& req, test_session& s) {
    s.respond(200, "echo:" + req.body(), {{"content-type", "text/plain"}, {"X-Test", "yes"}});
}

const llmap::test::test_pki& pki() {
    static const llmap::test::test_pki p = llmap::test::make_test_pki();
    return p;
}

/// A loopback port nothing listens on.
unsigned short closed_port() {
    net::io_context ioc;
    net::ip::tcp::acceptor a(ioc, {net::ip::address_v4::loopback(), 0});
    return a.local_endpoint().port();
}

const char* const sse_head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                             "Transfer-Encoding: chunked\r\n\r\n";

std::string chunk(std::string_view data) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    return std::string(size) + std::string(data) + "\r\n";
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_client)

// ---------------------------------------------------------------------------------------------
// Basics
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(plain_request_and_response) {
    test_server srv(ok_handler);
    client c(quick());
    auto req = post(srv.url("/v1/chat?x=1"), R"({"a":1})");
    req.headers.emplace_back("Authorization", "Bearer k");
    http_response r = c.send(req);
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == R"(echo:{"a":1})");
    BOOST_TEST(r.header("x-test") == "yes");
    BOOST_TEST(r.header("X-TEST") == "yes");
    BOOST_TEST(r.header("missing") == "");

    auto seen = srv.requests();
    BOOST_TEST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].method == "POST");
    BOOST_TEST(seen[0].target == "/v1/chat?x=1");
    BOOST_TEST(seen[0].body == R"({"a":1})");
    auto header = [&](std::string_view n) {
        for (auto& [k, v] : seen[0].headers)
            if (boost::beast::iequals(k, n))
                return v;
        return std::string();
    };
    BOOST_TEST(header("authorization") == "Bearer k");
    BOOST_TEST(header("content-type") == "application/json");
    BOOST_TEST(header("host") == "127.0.0.1:" + std::to_string(srv.port()));
    BOOST_TEST(header("content-length") == "7");
}

BOOST_AUTO_TEST_CASE(get_without_body) {
    test_server srv([](const request& req, test_session& s) {
        s.respond(200, std::string(req.method_string()) + " " + std::string(req.target()));
    });
    client c(quick());
    http_request req;
    req.method = bhttp::verb::get;
    req.url = srv.url(); // no path at all: "/"
    req.url.pop_back();
    BOOST_TEST(c.send(req).body == "GET /");
}

BOOST_AUTO_TEST_CASE(keep_alive_reuses_the_connection) {
    test_server srv(ok_handler);
    client c(quick());
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    BOOST_TEST(srv.request_count() == 3u);
    BOOST_TEST(srv.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(connection_closed_by_server_is_replaced) {
    // The server closes every connection after its response without saying so: the pooled
    // connection is stale, and the next request must go out on a fresh one.
    test_server srv([](const request&, test_session& s) {
        s.respond(200, "ok");
        s.close();
    });
    client c(quick());
    BOOST_TEST(c.send(post(srv.url())).body == "ok");
    std::this_thread::sleep_for(milliseconds(50));
    BOOST_TEST(c.send(post(srv.url())).body == "ok");
    BOOST_TEST(srv.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(stale_connection_is_retried_once_on_a_fresh_one) {
    // The server drops the kept-alive connection just as the second request arrives (the
    // race a peek cannot catch): that request is sent again on a new connection, without
    // counting as a retry.
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 1)
            s.close();
        else
            s.respond(200, "ok");
    });
    client c(quick(0));
    BOOST_TEST(c.send(post(srv.url())).body == "ok");
    BOOST_TEST(c.send(post(srv.url())).body == "ok");
    BOOST_TEST(srv.request_count() == 3u);
    BOOST_TEST(srv.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(connection_close_header_is_honoured) {
    test_server srv([](const request&, test_session& s) {
        s.respond(200, "ok", {{"Connection", "close"}});
    });
    client c(quick());
    BOOST_TEST(c.send(post(srv.url())).body == "ok");
    BOOST_TEST(c.send(post(srv.url())).body == "ok");
    BOOST_TEST(srv.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(concurrent_requests_from_two_threads) {
    test_server srv([](const request& req, test_session& s) {
        s.sleep(milliseconds(20)); // overlap the requests
        s.respond(200, req.body());
    });
    net::io_context ioc;
    client c(ioc.get_executor(), quick());
    std::atomic<int> ok{0};
    std::vector<std::string> bodies(8);
    for (int i = 0; i < 8; ++i) {
        c.async_send(post(srv.url(), std::to_string(i)),
                     [&, i](boost::system::error_code ec, http_response r) {
                         if (!ec && r.status == 200 && r.body == std::to_string(i))
                             ++ok;
                     });
    }
    std::thread t([&] { ioc.run(); });
    ioc.run();
    t.join();
    BOOST_TEST(ok.load() == 8);
    BOOST_TEST(srv.request_count() == 8u);
    BOOST_TEST(srv.connections() <= 8u);
}

BOOST_AUTO_TEST_CASE(concurrent_blocking_sends_share_one_client) {
    test_server srv(ok_handler);
    client c(quick());
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 5; ++j)
                if (c.send(post(srv.url(), "b")).body == "echo:b")
                    ++ok;
        });
    for (auto& t : threads)
        t.join();
    BOOST_TEST(ok.load() == 20);
    BOOST_TEST(srv.connections() <= 4u); // connections were reused
}

// ---------------------------------------------------------------------------------------------
// Completion tokens and cancellation
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(use_future_token) {
    test_server srv(ok_handler);
    client c(quick());
    std::future<http_response> f = c.async_send(post(srv.url(), "f"), net::use_future);
    BOOST_TEST(f.get().body == "echo:f");
}

BOOST_AUTO_TEST_CASE(use_future_reports_errors_as_system_error) {
    client c(quick());
    auto f = c.async_send(post("ftp://127.0.0.1/x"), net::use_future);
    try {
        f.get();
        BOOST_FAIL("no exception");
    } catch (const boost::system::system_error& e) {
        BOOST_TEST(e.code() == errc::invalid_url);
    }
}

BOOST_AUTO_TEST_CASE(callback_token) {
    test_server srv(ok_handler);
    net::io_context ioc;
    client c(ioc.get_executor(), quick());
    std::string body;
    boost::system::error_code error = llmap::errc::http_error;
    c.async_send(post(srv.url(), "cb"), [&](boost::system::error_code ec, http_response r) {
        error = ec;
        body = r.body;
    });
    ioc.run();
    BOOST_TEST(!error);
    BOOST_TEST(body == "echo:cb");
}

BOOST_AUTO_TEST_CASE(deferred_token) {
    test_server srv(ok_handler);
    net::io_context ioc;
    client c(ioc.get_executor(), quick());
    auto op = c.async_send(post(srv.url(), "d"), net::deferred);
    BOOST_TEST(srv.request_count() == 0u); // nothing happens until it is launched
    std::string body;
    std::move(op)([&](boost::system::error_code ec, http_response r) {
        BOOST_TEST(!ec);
        body = r.body;
    });
    ioc.run();
    BOOST_TEST(body == "echo:d");
}

BOOST_AUTO_TEST_CASE(awaitable_token) {
    test_server srv(ok_handler);
    net::io_context ioc;
    client c(ioc.get_executor(), quick());
    std::string a, b;
    auto fut = net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            http_response r1 = co_await c.async_send(post(srv.url(), "1"), net::use_awaitable);
            http_response r2 = co_await c.async_send(post(srv.url(), "2"), net::use_awaitable);
            a = r1.body;
            b = r2.body;
        },
        net::use_future);
    ioc.run();
    fut.get();
    BOOST_TEST(a == "echo:1");
    BOOST_TEST(b == "echo:2");
    BOOST_TEST(srv.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(awaitable_token_throws_on_error) {
    net::io_context ioc;
    client c(ioc.get_executor(), quick());
    boost::system::error_code got;
    net::co_spawn(
        ioc,
        [&]() -> net::awaitable<void> {
            try {
                co_await c.async_send(post("nonsense"), net::use_awaitable);
            } catch (const boost::system::system_error& e) {
                got = e.code();
            }
        },
        net::detached);
    ioc.run();
    BOOST_TEST(got == errc::invalid_url);
}

BOOST_AUTO_TEST_CASE(cancellation_through_a_signal) {
    test_server srv([](const request&, test_session& s) { s.sleep(std::chrono::seconds(30)); });
    net::io_context ioc;
    client c(ioc.get_executor(), quick(2));
    net::cancellation_signal signal;
    boost::system::error_code error;
    bool done = false;
    c.async_send(post(srv.url()),
                 net::bind_cancellation_slot(signal.slot(),
                                             [&](boost::system::error_code ec, http_response) {
                                                 error = ec;
                                                 done = true;
                                             }));
    net::steady_timer t(ioc, milliseconds(100));
    t.async_wait([&](boost::system::error_code) { signal.emit(net::cancellation_type::terminal); });
    ioc.run();
    BOOST_TEST(done);
    BOOST_TEST(error == errc::cancelled);
    BOOST_TEST(srv.request_count() == 1u); // a cancellation is not retried
}

BOOST_AUTO_TEST_CASE(cancellation_during_retry_delay) {
    test_server srv([](const request&, test_session& s) { s.respond(503, "busy"); });
    net::io_context ioc;
    auto opts = quick(5);
    opts.retry.initial_delay = std::chrono::seconds(30);
    client c(ioc.get_executor(), opts);
    net::cancellation_signal signal;
    boost::system::error_code error;
    c.async_send(post(srv.url()),
                 net::bind_cancellation_slot(signal.slot(), [&](boost::system::error_code ec,
                                                                http_response) { error = ec; }));
    net::steady_timer t(ioc, milliseconds(200));
    t.async_wait([&](boost::system::error_code) { signal.emit(net::cancellation_type::terminal); });
    ioc.run();
    BOOST_TEST(error == errc::cancelled);
    BOOST_TEST(srv.request_count() == 1u);
}

// ---------------------------------------------------------------------------------------------
// Streaming
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(stream_chunks_arrive_in_order) {
    const std::vector<std::string> events = {"data: one\n\n", "data: two\n\n", "data: three\n\n"};
    test_server srv([&](const request&, test_session& s) {
        s.write_raw(sse_head);
        for (auto& e : events) {
            s.write_raw(chunk(e));
            s.sleep(milliseconds(30));
        }
        s.write_raw("0\r\n\r\n");
    });
    client c(quick());
    std::string got;
    int calls = 0;
    http_response r = c.stream(post(srv.url()), [&](std::string_view bytes) {
        got += bytes;
        ++calls;
    });
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.header("content-type") == "text/event-stream");
    BOOST_TEST(r.body.empty());
    BOOST_TEST(got == events[0] + events[1] + events[2]);
    BOOST_TEST(calls >= 2); // delivered as it came, not at the end
    // The connection is reusable after a complete chunked stream.
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    BOOST_TEST(srv.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(stream_first_chunk_arrives_before_the_end) {
    // The callback sees the first event while the server still holds the rest back.
    std::atomic<bool> first_seen{false};
    std::atomic<bool> seen_before_end{false};
    test_server srv([&](const request&, test_session& s) {
        s.write_raw(sse_head);
        s.write_raw(chunk("data: early\n\n"));
        for (int i = 0; i < 200 && !first_seen; ++i)
            s.sleep(milliseconds(10));
        seen_before_end = first_seen.load();
        s.write_raw(chunk("data: late\n\n"));
        s.write_raw("0\r\n\r\n");
    });
    client c(quick());
    std::string got;
    c.stream(post(srv.url()), [&](std::string_view b) {
        got += b;
        first_seen = true;
    });
    BOOST_TEST(seen_before_end.load());
    BOOST_TEST(got == "data: early\n\ndata: late\n\n");
}

BOOST_AUTO_TEST_CASE(stream_until_close_without_framing) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nConnection: close\r\n\r\n");
        s.write_raw("{\"a\":1}\n");
        s.sleep(milliseconds(20));
        s.write_raw("{\"b\":2}\n");
        s.close();
    });
    client c(quick());
    std::string got;
    auto r = c.stream(post(srv.url()), [&](std::string_view b) { got += b; });
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(got == "{\"a\":1}\n{\"b\":2}\n");
}

BOOST_AUTO_TEST_CASE(stream_error_status_reads_the_body) {
    test_server srv([](const request&, test_session& s) {
        s.respond(400, R"({"error":{"message":"bad"}})", {{"content-type", "application/json"}});
    });
    client c(quick());
    bool called = false;
    auto r = c.stream(post(srv.url()), [&](std::string_view) { called = true; });
    BOOST_TEST(!called);
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(r.body == R"({"error":{"message":"bad"}})");
}

BOOST_AUTO_TEST_CASE(stream_retried_before_first_byte_only) {
    std::atomic<int> n{0};
    std::atomic<bool> received{false};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 0) {
            s.respond(503, "later");
            return;
        }
        s.write_raw(sse_head);
        s.write_raw(chunk("data: x\n\n"));
        // A reset discards unread data: wait until the client has the chunk.
        for (int i = 0; i < 500 && !received; ++i)
            s.sleep(milliseconds(10));
        s.reset(); // after the first byte: not retried
    });
    client c(quick(3));
    std::string got;
    boost::system::error_code ec;
    try {
        c.stream(post(srv.url()), [&](std::string_view b) {
            got += b;
            received = true;
        });
    } catch (const llmap::error& e) {
        ec = e.code();
    }
    BOOST_TEST(ec == errc::connection_closed);
    BOOST_TEST(got == "data: x\n\n");
    BOOST_TEST(srv.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(stream_callback_exception_stops_the_stream) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw(sse_head);
        for (int i = 0; i < 100; ++i) {
            s.write_raw(chunk("data: x\n\n"));
            s.sleep(milliseconds(5));
        }
        s.write_raw("0\r\n\r\n");
    });
    client c(quick());
    // Sync: the very exception comes back.
    BOOST_CHECK_THROW(
        c.stream(post(srv.url()), [](std::string_view) { throw std::runtime_error("stop"); }),
        std::runtime_error);
    // Async: a system_error's code completes the operation.
    auto f = c.async_stream(
        post(srv.url()),
        [](std::string_view) { throw boost::system::system_error(errc::event_too_large); },
        net::use_future);
    try {
        f.get();
        BOOST_FAIL("no exception");
    } catch (const boost::system::system_error& e) {
        BOOST_TEST(e.code() == errc::event_too_large);
    }
}

BOOST_AUTO_TEST_CASE(stream_idle_timeout) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw(sse_head);
        s.write_raw(chunk("data: one\n\n"));
        s.sleep(std::chrono::seconds(30)); // stalls
    });
    auto opts = quick(2);
    opts.timeout.idle = milliseconds(200);
    client c(opts);
    std::string got;
    boost::system::error_code ec;
    try {
        c.stream(post(srv.url()), [&](std::string_view b) { got += b; });
    } catch (const llmap::error& e) {
        ec = e.code();
    }
    BOOST_TEST(ec == errc::idle_timeout);
    BOOST_TEST(got == "data: one\n\n");
    BOOST_TEST(srv.request_count() == 1u);
}

// ---------------------------------------------------------------------------------------------
// Faults
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(reset_mid_body) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        s.sleep(milliseconds(20));
        s.reset();
    });
    client c(quick());
    BOOST_TEST(send_error(c, post(srv.url())) == errc::connection_closed);
}

BOOST_AUTO_TEST_CASE(truncated_body) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        s.close();
    });
    client c(quick());
    BOOST_TEST(send_error(c, post(srv.url())) == errc::connection_closed);
}

BOOST_AUTO_TEST_CASE(truncated_chunked_stream) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw(sse_head);
        s.write_raw(chunk("data: one\n\n"));
        s.write_raw("40\r\ndata: tw");
        s.close();
    });
    client c(quick());
    std::string got;
    boost::system::error_code ec;
    try {
        c.stream(post(srv.url()), [&](std::string_view b) { got += b; });
    } catch (const llmap::error& e) {
        ec = e.code();
    }
    BOOST_TEST(ec == errc::connection_closed);
    BOOST_TEST(got.substr(0, 11) == "data: one\n\n");
}

BOOST_AUTO_TEST_CASE(closed_without_response) {
    test_server srv([](const request&, test_session& s) { s.close(); });
    client c(quick(1));
    BOOST_TEST(send_error(c, post(srv.url())) == errc::connection_closed);
    BOOST_TEST(srv.request_count() == 2u); // a connection error is retried
}

BOOST_AUTO_TEST_CASE(malformed_http) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw("this is not HTTP at all\r\n\r\n");
        s.close();
    });
    client c(quick(2));
    BOOST_TEST(send_error(c, post(srv.url())) == errc::bad_response);
    BOOST_TEST(srv.request_count() == 1u); // not retried
}

BOOST_AUTO_TEST_CASE(retry_after_ms_is_honoured) {
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 0)
            s.respond(429, "slow down", {{"retry-after-ms", "50"}});
        else
            s.respond(200, "ok");
    });
    auto opts = quick(2);
    opts.retry.initial_delay = milliseconds(1); // the server's 50 ms must win
    client c(opts);
    auto start = std::chrono::steady_clock::now();
    http_response r = c.send(post(srv.url()));
    auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(srv.request_count() == 2u);
    BOOST_TEST((elapsed >= milliseconds(50)));
}

BOOST_AUTO_TEST_CASE(retry_after_seconds_is_honoured) {
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 0)
            s.respond(503, "", {{"Retry-After", "0.1"}});
        else
            s.respond(200, "ok");
    });
    auto opts = quick(1);
    opts.retry.initial_delay = milliseconds(1);
    client c(opts);
    auto start = std::chrono::steady_clock::now();
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    auto elapsed = std::chrono::steady_clock::now() - start;
    BOOST_TEST((elapsed >= milliseconds(100)));
}

BOOST_AUTO_TEST_CASE(server_errors_until_retries_run_out) {
    test_server srv([](const request&, test_session& s) { s.respond(500, "broken"); });
    client c(quick(2));
    http_response r = c.send(post(srv.url()));
    BOOST_TEST(r.status == 500u); // returned as a response: the provider layer maps it
    BOOST_TEST(r.body == "broken");
    BOOST_TEST(srv.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(retried_statuses) {
    for (unsigned status : {408u, 409u, 429u, 502u}) {
        test_server srv([&](const request&, test_session& s) { s.respond(status); });
        client c(quick(1));
        BOOST_TEST(c.send(post(srv.url())).status == status);
        BOOST_TEST(srv.request_count() == 2u, "status " << status);
    }
    for (unsigned status : {400u, 401u, 404u, 422u}) {
        test_server srv([&](const request&, test_session& s) { s.respond(status); });
        client c(quick(1));
        BOOST_TEST(c.send(post(srv.url())).status == status);
        BOOST_TEST(srv.request_count() == 1u, "status " << status);
    }
}

BOOST_AUTO_TEST_CASE(request_timeout) {
    test_server srv([](const request&, test_session& s) { s.sleep(std::chrono::seconds(30)); });
    auto opts = quick(2);
    opts.timeout.request = milliseconds(200);
    client c(opts);
    BOOST_TEST(send_error(c, post(srv.url())) == errc::request_timeout);
    BOOST_TEST(srv.request_count() == 1u); // a timeout is not retried
}

BOOST_AUTO_TEST_CASE(per_request_options_override_the_client) {
    test_server slow([](const request&, test_session& s) { s.sleep(std::chrono::seconds(30)); });
    test_server failing([](const request&, test_session& s) { s.respond(500); });
    client c(quick(2));
    auto req = post(slow.url());
    req.timeout = c.options().timeout;
    req.timeout->request = milliseconds(200);
    BOOST_TEST(send_error(c, req) == errc::request_timeout);
    auto req2 = post(failing.url());
    req2.retry = llmap::http::retry_policy{};
    req2.retry->max_retries = 0;
    BOOST_TEST(c.send(req2).status == 500u);
    BOOST_TEST(failing.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(provider_config_carries_client_options) {
    llmap::provider_config cfg;
    cfg.transport.retry.max_retries = 5;
    BOOST_TEST(!(cfg == llmap::provider_config{}));
    client c(cfg.transport);
    BOOST_TEST(c.options().retry.max_retries == 5);
}

BOOST_AUTO_TEST_CASE(connect_timeout) {
    // The connection is accepted but the TLS handshake never answered: establishing the
    // connection (which includes the handshake) times out. Loopback only, deterministic.
    llmap::test::loopback_listener silent([](net::ip::tcp::socket& s) {
        char b[256];
        boost::system::error_code ec;
        while (!ec)
            s.read_some(net::buffer(b), ec);
    });
    auto opts = quick();
    opts.timeout.connect = milliseconds(200);
    client c(opts);
    auto url = "https://127.0.0.1:" + std::to_string(silent.port()) + "/";
    BOOST_TEST(send_error(c, post(url)) == errc::connect_timeout);
}

BOOST_AUTO_TEST_CASE(connection_refused) {
    client c(quick());
    auto url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/";
    BOOST_TEST(send_error(c, post(url)) == errc::connection_failed);
}

BOOST_AUTO_TEST_CASE(body_over_limit) {
    test_server srv(
        [](const request&, test_session& s) { s.respond(200, std::string(4096, 'x')); });
    auto opts = quick();
    opts.limit.max_body = 1024;
    client c(opts);
    BOOST_TEST(send_error(c, post(srv.url())) == errc::body_too_large);
    // At the limit is fine.
    opts.limit.max_body = 4096;
    client c2(opts);
    BOOST_TEST(c2.send(post(srv.url())).body.size() == 4096u);
}

BOOST_AUTO_TEST_CASE(error_body_of_a_stream_over_limit) {
    test_server srv(
        [](const request&, test_session& s) { s.respond(500, std::string(4096, 'x')); });
    auto opts = quick();
    opts.limit.max_body = 1024;
    client c(opts);
    boost::system::error_code ec;
    try {
        c.stream(post(srv.url()), [](std::string_view) {});
    } catch (const llmap::error& e) {
        ec = e.code();
    }
    BOOST_TEST(ec == errc::body_too_large);
}

BOOST_AUTO_TEST_CASE(redirects_are_not_followed) {
    test_server srv([](const request& req, test_session& s) {
        if (req.target() == "/start")
            s.respond(302, "", {{"Location", "/elsewhere"}});
        else
            s.respond(200, "followed");
    });
    client c(quick(2));
    http_response r = c.send(post(srv.url("/start")));
    BOOST_TEST(r.status == 302u);
    BOOST_TEST(r.header("location") == "/elsewhere");
    BOOST_TEST(srv.request_count() == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_urls) {
    client c(quick());
    for (const char* url : {"ftp://127.0.0.1/x", "not a url", "", "http://", "/relative",
                            "http://user:pw@127.0.0.1/", "https://127.0.0.1:0/"}) {
        BOOST_TEST(send_error(c, post(url)) == errc::invalid_url, url);
    }
}

// ---------------------------------------------------------------------------------------------
// Proxies
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(proxy_refuses_connect) {
    test_server srv(ok_handler);
    llmap::test::test_proxy proxy(llmap::test::test_proxy::mode::refuse);
    auto opts = quick(2);
    opts.proxy.url = proxy.url();
    client c(opts);
    BOOST_TEST(send_error(c, post(srv.url())) == errc::proxy_error);
    BOOST_TEST(srv.request_count() == 0u);
    auto t = proxy.targets();
    BOOST_TEST_REQUIRE(t.size() == 1u); // a refusal is not retried
    BOOST_TEST(t[0] == "127.0.0.1:" + std::to_string(srv.port()));
}

BOOST_AUTO_TEST_CASE(proxy_tunnels) {
    test_server srv(ok_handler);
    llmap::test::test_proxy proxy(llmap::test::test_proxy::mode::tunnel);
    auto opts = quick();
    opts.proxy.url = proxy.url();
    client c(opts);
    BOOST_TEST(c.send(post(srv.url(), "p")).body == "echo:p");
    BOOST_TEST(c.send(post(srv.url(), "q")).body == "echo:q"); // through the same tunnel
    BOOST_TEST(proxy.targets().size() == 1u);
    BOOST_TEST(srv.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(proxy_credentials_from_the_url) {
    test_server srv(ok_handler);
    llmap::test::test_proxy proxy(llmap::test::test_proxy::mode::tunnel);
    auto opts = quick();
    opts.proxy.url = "http://user:pa%20ss@" + proxy.url().substr(7);
    client c(opts);
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    auto a = proxy.authorizations();
    BOOST_TEST_REQUIRE(a.size() == 1u);
    BOOST_TEST(a[0] == "Basic dXNlcjpwYSBzcw=="); // base64("user:pa ss")
    // The origin server never sees them.
    auto seen = srv.requests();
    BOOST_TEST_REQUIRE(seen.size() == 1u);
    for (auto& [k, v] : seen[0].headers)
        BOOST_TEST(!boost::beast::iequals(k, "proxy-authorization"));
}

BOOST_AUTO_TEST_CASE(proxy_tunnels_tls) {
    test_server srv(ok_handler, &pki().localhost);
    llmap::test::test_proxy proxy(llmap::test::test_proxy::mode::tunnel);
    auto opts = quick();
    opts.proxy.url = proxy.url();
    opts.tls.ca_pem = pki().ca_pem;
    client c(opts);
    BOOST_TEST(c.send(post(srv.url(), "s")).body == "echo:s");
    BOOST_TEST(proxy.targets().size() == 1u);
}

BOOST_AUTO_TEST_CASE(no_proxy_bypasses_the_proxy) {
    test_server srv(ok_handler);
    llmap::test::test_proxy proxy(llmap::test::test_proxy::mode::refuse);
    auto opts = quick();
    opts.proxy.url = proxy.url();
    opts.proxy.no_proxy = {"example.com", "127.0.0.1"};
    client c(opts);
    BOOST_TEST(c.send(post(srv.url())).status == 200u);
    BOOST_TEST(proxy.targets().empty());
}

BOOST_AUTO_TEST_CASE(no_proxy_matching) {
    llmap::http::proxy_options p;
    BOOST_TEST(!p.applies_to("api.openai.com", 443)); // no proxy at all
    p.url = "http://proxy:3128";
    BOOST_TEST(p.applies_to("api.openai.com", 443));
    p.no_proxy = {"openai.com"};
    BOOST_TEST(!p.applies_to("api.openai.com", 443));
    BOOST_TEST(!p.applies_to("openai.com", 443));
    BOOST_TEST(!p.applies_to("API.OpenAI.com", 443));
    BOOST_TEST(p.applies_to("notopenai.com", 443));
    p.no_proxy = {".corp.example"};
    BOOST_TEST(!p.applies_to("gw.corp.example", 443));
    BOOST_TEST(!p.applies_to("corp.example", 443));
    p.no_proxy = {"localhost:8080"};
    BOOST_TEST(!p.applies_to("localhost", 8080));
    BOOST_TEST(p.applies_to("localhost", 8081));
    p.no_proxy = {" * "};
    BOOST_TEST(!p.applies_to("anything", 1));
    p.no_proxy = {"::1"};
    BOOST_TEST(!p.applies_to("::1", 80));
}

BOOST_AUTO_TEST_CASE(proxy_from_environment) {
    const char* names[] = {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY",
                           "http_proxy",  "NO_PROXY",    "no_proxy"};
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    for (const char* n : names) {
        const char* v = std::getenv(n);
        saved.emplace_back(n, v ? std::optional<std::string>(v) : std::nullopt);
        ::unsetenv(n);
    }
    BOOST_TEST(llmap::http::proxy_from_env().url.empty());
    ::setenv("http_proxy", "proxy.local:3128", 1);
    BOOST_TEST(llmap::http::proxy_from_env().url == "http://proxy.local:3128");
    ::setenv("HTTPS_PROXY", "http://secure:8080", 1);
    ::setenv("NO_PROXY", "localhost, .internal,,10.0.0.1:80", 1);
    auto p = llmap::http::proxy_from_env();
    BOOST_TEST(p.url == "http://secure:8080");
    BOOST_TEST_REQUIRE(p.no_proxy.size() == 3u);
    BOOST_TEST(!p.applies_to("a.internal", 443));
    BOOST_TEST(!p.applies_to("10.0.0.1", 80));
    BOOST_TEST(p.applies_to("10.0.0.1", 443));
    for (auto& [n, v] : saved) {
        if (v)
            ::setenv(n.c_str(), v->c_str(), 1);
        else
            ::unsetenv(n.c_str());
    }
}

BOOST_AUTO_TEST_CASE(invalid_proxy_url) {
    auto opts = quick();
    opts.proxy.url = "socks5://user:secret@127.0.0.1:1080";
    try {
        client c(opts);
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST(e.code() == errc::proxy_error);
        BOOST_TEST(std::string(e.what()).find("secret") == std::string::npos);
    }
}

// ---------------------------------------------------------------------------------------------
// TLS
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tls_with_the_test_ca) {
    test_server srv(ok_handler, &pki().localhost);
    auto opts = quick();
    opts.tls.ca_pem = pki().ca_pem;
    client c(opts);
    BOOST_TEST(c.send(post(srv.url(), "t")).body == "echo:t"); // IP SAN
    BOOST_TEST(c.send(post(srv.url(), "u")).body == "echo:u");
    BOOST_TEST(srv.connections() == 1u); // TLS connections are pooled too
    // By name: SNI and a DNS SAN.
    auto by_name = "https://localhost:" + std::to_string(srv.port()) + "/";
    BOOST_TEST(c.send(post(by_name, "n")).body == "echo:n");
}

BOOST_AUTO_TEST_CASE(tls_ca_file) {
    auto path = std::filesystem::temp_directory_path() /
                ("llmap_test_ca_" + std::to_string(::getpid()) + ".pem");
    {
        std::ofstream f(path);
        f << pki().ca_pem;
    }
    test_server srv(ok_handler, &pki().localhost);
    auto opts = quick();
    opts.tls.ca_file = path.string();
    client c(opts);
    BOOST_TEST(c.send(post(srv.url(), "f")).body == "echo:f");
    std::filesystem::remove(path);

    opts.tls.ca_file = "/nonexistent/ca.pem";
    BOOST_CHECK_EXCEPTION(client{opts}, llmap::error,
                          [](const llmap::error& e) { return e.code() == errc::tls_error; });
}

BOOST_AUTO_TEST_CASE(tls_fails_without_the_ca) {
    test_server srv(ok_handler, &pki().localhost);
    client c(quick(2));
    BOOST_TEST(send_error(c, post(srv.url())) == errc::tls_error);
    BOOST_TEST(srv.request_count() == 0u);
    BOOST_TEST(srv.connections() == 1u); // a TLS failure is not retried
}

BOOST_AUTO_TEST_CASE(tls_fails_on_host_name_mismatch) {
    test_server srv(ok_handler, &pki().other_host);
    auto opts = quick();
    opts.tls.ca_pem = pki().ca_pem;
    client c(opts);
    BOOST_TEST(send_error(c, post(srv.url())) == errc::tls_error);
    BOOST_TEST(srv.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(https_to_a_plain_server_is_a_tls_error) {
    // What a plain HTTP server does with a TLS ClientHello: answer 400 in clear text.
    llmap::test::loopback_listener plain([](net::ip::tcp::socket& s) {
        char b[512];
        boost::system::error_code ec;
        s.read_some(net::buffer(b), ec);
        const std::string_view bad = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        net::write(s, net::buffer(bad.data(), bad.size()), ec);
    });
    client c(quick());
    auto url = "https://127.0.0.1:" + std::to_string(plain.port()) + "/";
    BOOST_TEST(send_error(c, post(url)) == errc::tls_error);
}

// ---------------------------------------------------------------------------------------------
// Error messages and helpers
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(api_key_never_in_error_messages) {
    const std::string key = "sk-test-SECRET-0123456789";
    auto with_key = [&](std::string url) {
        http_request r = post(std::move(url) + "?key=" + key);
        r.headers.emplace_back("Authorization", "Bearer " + key);
        r.headers.emplace_back("x-api-key", key);
        return r;
    };
    std::vector<std::string> messages;
    auto capture = [&](client& c, http_request r, errc expected) {
        try {
            c.send(std::move(r));
            BOOST_FAIL("no exception");
        } catch (const llmap::error& e) {
            BOOST_TEST(e.code() == expected);
            messages.emplace_back(e.what());
        }
    };
    test_server reset([](const request&, test_session& s) { s.reset(); });
    test_server slow([](const request&, test_session& s) { s.sleep(std::chrono::seconds(30)); });
    test_server tls(ok_handler, &pki().localhost);
    auto opts = quick();
    opts.timeout.request = milliseconds(200);
    client c(opts);
    capture(c, with_key(reset.url("/v1/chat")), errc::connection_closed);
    capture(c, with_key(slow.url("/v1/chat")), errc::request_timeout);
    capture(c, with_key(tls.url("/v1/chat")), errc::tls_error);
    capture(c, with_key("ftp://127.0.0.1/v1/chat"), errc::invalid_url);
    for (auto& m : messages) {
        BOOST_TEST(m.find("SECRET") == std::string::npos, m);
        BOOST_TEST(m.find("/v1/chat") != std::string::npos, m); // but the path is there
        BOOST_TEST(m.find("127.0.0.1") != std::string::npos, m);
    }
}

BOOST_AUTO_TEST_CASE(sync_send_throws_llmap_error) {
    client c(quick());
    try {
        c.send(post("http://127.0.0.1:" + std::to_string(closed_port()) + "/x"));
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST(e.code() == errc::connection_failed);
        BOOST_TEST(std::string(e.what()).find("connection failed") != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("POST http://127.0.0.1:") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(error_messages_are_complete) {
    for (int v = 100; v <= 113; ++v) {
        auto m = llmap::make_error_code(static_cast<errc>(v)).message();
        BOOST_TEST(m != "unknown llmap error", v);
    }
}

BOOST_AUTO_TEST_CASE(retry_after_parsing) {
    using llmap::http::detail::server_delay;
    http_response r;
    BOOST_TEST(!server_delay(r).has_value());
    r.headers = {{"Retry-After-Ms", "1500.5"}};
    BOOST_TEST(server_delay(r)->count() == 1501);
    r.headers = {{"retry-after", "3"}};
    BOOST_TEST(server_delay(r)->count() == 3000);
    r.headers = {{"retry-after", "-3"}};
    BOOST_TEST(!server_delay(r).has_value());
    r.headers = {{"retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"}}; // in the past
    BOOST_TEST(server_delay(r)->count() == 0);
    auto d = llmap::http::detail::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
    BOOST_TEST_REQUIRE(d.has_value());
    BOOST_TEST(std::chrono::duration_cast<std::chrono::seconds>(d->time_since_epoch()).count() ==
               784111777);
    BOOST_TEST(!llmap::http::detail::parse_http_date("yesterday").has_value());

    // The backoff: 2 s doubling, jitter within ±10 %; a too-long server wait is ignored.
    llmap::http::retry_policy p;
    llmap::http::detail::op_result last;
    last.response.headers = {{"retry-after", "120"}};
    for (int i = 0; i < 20; ++i) {
        auto d0 = llmap::http::detail::retry_delay(p, 0, last).count();
        auto d1 = llmap::http::detail::retry_delay(p, 1, last).count();
        BOOST_TEST((d0 >= 1800 && d0 <= 2200));
        BOOST_TEST((d1 >= 3600 && d1 <= 4400));
    }
    last.response.headers = {{"retry-after", "7"}};
    BOOST_TEST(llmap::http::detail::retry_delay(p, 0, last).count() == 7000);
}

// ---------------------------------------------------------------------------------------------
// What a hostile or broken server sends (each of these once corrupted the next call)
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(interim_responses_are_skipped) {
    // 100 Continue and 103 Early Hints come before the real answer: they are not the answer,
    // and the connection goes back to the pool only once the real one has been read.
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 0)
            s.write_raw("HTTP/1.1 100 Continue\r\n\r\n"
                        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
        else
            s.respond(200, "second");
    });
    client c(quick());
    http_response r = c.send(post(srv.url()));
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "first");
    BOOST_TEST(c.send(post(srv.url())).body == "second");
    BOOST_TEST(srv.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(interim_responses_before_a_stream) {
    test_server srv([](const request&, test_session& s) {
        s.write_raw("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n");
        s.write_raw(sse_head);
        s.write_raw(chunk("data: 1\n\n"));
        s.write_raw(chunk(""));
    });
    client c(quick());
    std::string got;
    http_response r = c.stream(post(srv.url()), [&](std::string_view b) { got += b; });
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(got == "data: 1\n\n");
}

BOOST_AUTO_TEST_CASE(endless_interim_responses_are_a_bad_response) {
    test_server srv([](const request&, test_session& s) {
        for (int i = 0; i < 100 && !s.closed(); ++i)
            s.write_raw("HTTP/1.1 103 Early Hints\r\n\r\n");
        s.respond(200, "late");
    });
    client c(quick());
    BOOST_TEST(send_error(c, post(srv.url())) == errc::bad_response);
}

BOOST_AUTO_TEST_CASE(switching_protocols_is_a_bad_response) {
    // We never ask for an upgrade: a 101 is not an interim answer to skip.
    test_server srv([](const request&, test_session& s) {
        s.write_raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n");
        s.close();
    });
    client c(quick());
    BOOST_TEST(send_error(c, post(srv.url())) == errc::bad_response);
}

namespace {

/// A server whose first answer carries a second, unasked-for answer behind it.
void pipelined_garbage(std::atomic<int>& n, test_session& s) {
    if (n++ == 0)
        s.write_raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst"
                    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale");
    else
        s.respond(200, "fresh");
}

} // namespace

BOOST_AUTO_TEST_CASE(bytes_after_a_response_never_reach_the_next_call) {
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) { pipelined_garbage(n, s); });
    client c(quick());
    BOOST_TEST(c.send(post(srv.url())).body == "first");
    BOOST_TEST(c.send(post(srv.url())).body == "fresh");
    BOOST_TEST(srv.connections() == 2u); // the first connection was not pooled
}

BOOST_AUTO_TEST_CASE(bytes_after_a_response_never_reach_the_next_call_late) {
    // The extra bytes arrive after the answer was read: the pooled connection is refused
    // when it is taken.
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 0) {
            s.respond(200, "first");
            s.sleep(milliseconds(100));
            s.write_raw("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale");
        } else {
            s.respond(200, "fresh");
        }
    });
    client c(quick());
    BOOST_TEST(c.send(post(srv.url())).body == "first");
    std::this_thread::sleep_for(milliseconds(300));
    BOOST_TEST(c.send(post(srv.url())).body == "fresh");
}

BOOST_AUTO_TEST_CASE(bytes_after_a_response_never_reach_the_next_call_over_tls) {
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) { pipelined_garbage(n, s); },
                    &pki().localhost);
    auto opts = quick();
    opts.tls.ca_pem = pki().ca_pem;
    client c(opts);
    BOOST_TEST(c.send(post(srv.url())).body == "first");
    std::this_thread::sleep_for(milliseconds(100));
    BOOST_TEST(c.send(post(srv.url())).body == "fresh");
}

BOOST_AUTO_TEST_CASE(bytes_after_a_stream_never_reach_the_next_call) {
    std::atomic<int> n{0};
    test_server srv([&](const request&, test_session& s) {
        if (n++ == 0) {
            s.write_raw(sse_head);
            s.write_raw(chunk("data: 1\n\n") + chunk("") +
                        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nstale");
        } else {
            s.respond(200, "fresh");
        }
    });
    client c(quick());
    std::string got;
    c.stream(post(srv.url()), [&](std::string_view b) { got += b; });
    BOOST_TEST(got == "data: 1\n\n");
    BOOST_TEST(c.send(post(srv.url())).body == "fresh");
}

BOOST_AUTO_TEST_CASE(huge_retry_after_values_fall_back_to_the_backoff) {
    // Each of these once overflowed into a negative wait that passed the cap, so every retry
    // went out at once. A wait over the cap is not honoured: the backoff applies.
    llmap::http::retry_policy p;
    p.jitter = 0;
    llmap::http::detail::op_result last;
    const std::vector<std::pair<std::string, std::string>> huge[] = {
        {{"retry-after", "1e300"}},
        {{"retry-after", "9300000000000000"}},
        {{"retry-after", "18446744073709551616"}},
        {{"retry-after-ms", "9.3e18"}},
        {{"retry-after-ms", "1e308"}},
        {{"retry-after", "Fri, 31 Dec 9999 23:59:59 GMT"}},
        {{"retry-after", "Sat, 01 Jan 2300 00:00:00 GMT"}},
    };
    for (const auto& h : huge) {
        last.response.headers = h;
        auto d = llmap::http::detail::server_delay(last.response);
        BOOST_TEST_REQUIRE(d.has_value(), h[0].second);
        BOOST_TEST((*d > p.max_retry_after), h[0].second);
        BOOST_TEST(llmap::http::detail::retry_delay(p, 0, last).count() == 2000, h[0].second);
    }
    // Just under the cap is honoured; a date in the far past is no wait.
    last.response.headers = {{"retry-after-ms", "59999"}};
    BOOST_TEST(llmap::http::detail::retry_delay(p, 0, last).count() == 59999);
    last.response.headers = {{"retry-after", "Mon, 01 Jan 1900 00:00:00 GMT"}};
    BOOST_TEST(llmap::http::detail::server_delay(last.response)->count() == 0);
}

BOOST_AUTO_TEST_CASE(header_injection_is_refused_before_sending) {
    test_server srv(ok_handler);
    client c(quick());
    const std::pair<std::string, std::string> bad[] = {
        {"Authorization", "Bearer sk-abc\r\nX-Injected: yes"},
        {"Authorization", "Bearer sk-abc\nX-Injected: yes"},
        {"x-api-key", std::string("sk-abc\0def", 10)},
        {"X-Bad Name", "v"},
        {"X-Bad:Name", "v"},
        {"", "v"},
        {"X-Inj\r\nX-Injected", "yes"},
    };
    for (const auto& h : bad) {
        auto req = post(srv.url());
        req.headers.push_back(h);
        try {
            c.send(req);
            BOOST_ERROR("no error for header " << h.first);
        } catch (const llmap::error& e) {
            BOOST_TEST(e.code() == errc::invalid_header);
            // The value may be a key: never in the message.
            BOOST_TEST(std::string(e.what()).find("sk-abc") == std::string::npos);
        }
    }
    BOOST_TEST(srv.request_count() == 0u);
    // Tabs and non-ASCII bytes are legal in a value.
    auto req = post(srv.url());
    req.headers.emplace_back("X-Fine", "a\tb \xc3\xa9");
    BOOST_TEST(c.send(req).status == 200u);
}

BOOST_AUTO_TEST_CASE(client_destroyed_by_its_own_handler) {
    // The handler holds the last owner of a client with its own thread: the client is
    // destroyed on that thread, which therefore cannot be joined there.
    test_server srv(ok_handler);
    for (int i = 0; i < 5; ++i) {
        auto c = std::make_shared<client>(quick());
        std::promise<unsigned> done;
        auto result = done.get_future();
        c->async_send(post(srv.url()),
                      [c, &done](boost::system::error_code, http_response r) mutable {
                          c.reset(); // the last owner
                          done.set_value(r.status);
                      });
        c.reset();
        BOOST_TEST(result.get() == 200u);
    }
}

BOOST_AUTO_TEST_CASE(destroying_a_client_cancels_its_calls_in_flight) {
    test_server srv([](const request&, test_session& s) { s.sleep(std::chrono::seconds(30)); });
    std::promise<boost::system::error_code> done;
    auto result = done.get_future();
    auto start = std::chrono::steady_clock::now();
    {
        client c(quick()); // a 20 s request timeout
        c.async_send(post(srv.url()),
                     [&](boost::system::error_code ec, http_response) { done.set_value(ec); });
        std::this_thread::sleep_for(milliseconds(100)); // the request is on the wire
    }
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
    BOOST_TEST_REQUIRE((result.wait_for(std::chrono::seconds(5)) == std::future_status::ready));
    BOOST_TEST(result.get() == errc::cancelled);
}

BOOST_AUTO_TEST_CASE(destroying_a_client_on_a_user_executor_cancels_its_calls) {
    test_server srv([](const request&, test_session& s) { s.sleep(std::chrono::seconds(30)); });
    net::io_context ioc;
    std::optional<boost::system::error_code> got;
    {
        client c(ioc.get_executor(), quick());
        c.async_send(post(srv.url()),
                     [&](boost::system::error_code ec, http_response) { got = ec; });
        ioc.run_for(milliseconds(100));
    }
    auto start = std::chrono::steady_clock::now();
    ioc.run_for(std::chrono::seconds(5));
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(*got == errc::cancelled);
}

BOOST_AUTO_TEST_CASE(failure_after_retries_says_how_many_attempts) {
    test_server srv([](const request&, test_session& s) { s.reset(); });
    client c(quick(2));
    try {
        c.send(post(srv.url()));
        BOOST_ERROR("no error");
    } catch (const llmap::error& e) {
        BOOST_TEST(std::string(e.what()).find("after 3 attempts") != std::string::npos, e.what());
    }
    test_server busy([](const request&, test_session& s) { s.respond(503, "busy"); });
    BOOST_TEST(c.send(post(busy.url())).attempts == 3u);
    test_server fine(ok_handler);
    BOOST_TEST(c.send(post(fine.url())).attempts == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
