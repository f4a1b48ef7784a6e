//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// LLMAP_SEPARATE_COMPILATION: this program's translation units are built with the macro and
// the transport is compiled once, in llmap_src.cpp (<llmap/src.hpp>). The same calls as a
// header-only program, over HTTP against a loopback server replaying recorded answers:
// a blocking answer, a blocking stream, an async call through any_model, and a transport
// error, each through the registry.

#define BOOST_TEST_MODULE separate_compilation
#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <llmap/llmap.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#ifndef LLMAP_SEPARATE_COMPILATION
#error "this test is built with LLMAP_SEPARATE_COMPILATION"
#endif

namespace fx = test::fixtures;
namespace ts = llmap::test;

namespace {

std::string const answer = fx::read_file(fx::root() / "aisdk/openai/chat/openai-text.json");
std::vector<std::string> const stream_lines =
    fx::chunk_lines(fx::root() / "aisdk/openai/chat/azure-model-router.1.chunks.txt");
std::string const stream_body = fx::openai_sse(stream_lines);

// The text of the recorded answer, read without llmap.
std::string answer_text() {
    return std::string(
        boost::json::parse(answer).at("choices").at(0).at("message").at("content").as_string());
}

// The text of the recorded stream: every chunk's delta.content, read without llmap.
std::string stream_text() {
    std::string text;
    for (auto const& line : stream_lines) {
        auto const chunk = boost::json::parse(line);
        for (auto const& c : chunk.at("choices").as_array())
            if (auto const* d = c.as_object().if_contains("delta"))
                if (auto const* t = d->as_object().if_contains("content"); t && t->is_string())
                    text += t->get_string();
    }
    return text;
}

using providers = llmap::registry<llmap::openai_chat>;

providers registry_for(const ts::test_server& server) {
    return providers{{"openai-chat", llmap::provider_config{}.with_api_key("sk-test").with_base_url(
                                         server.url("/v1"))}};
}

} // namespace

BOOST_AUTO_TEST_CASE(calls_work_with_the_transport_compiled_apart) {
    ts::test_server server([](const ts::test_server::request& req, ts::test_session& s) {
        auto const body = boost::json::parse(req.body());
        auto const* flag = body.as_object().if_contains("stream");
        bool const stream = flag && flag->is_bool() && flag->get_bool();
        s.respond(200, stream ? stream_body : answer,
                  {{"content-type", stream ? "text/event-stream" : "application/json"}});
    });
    auto reg = registry_for(server);
    llmap::request const req{.system = "Be brief.", .prompt = "Hi"};

    auto model = reg.model<"openai-chat:gpt-4o-mini">();
    BOOST_TEST(model.complete(req).text() == answer_text());

    std::string streamed;
    auto const r = model.stream(req, [&](const llmap::stream_event& e) {
        if (auto const* d = std::get_if<llmap::text_delta>(&e.data))
            streamed += d->text;
    });
    BOOST_TEST(!stream_text().empty());
    BOOST_TEST(streamed == stream_text());
    BOOST_TEST(r.text() == stream_text());

    llmap::any_model erased = reg.make("openai-chat:gpt-4o-mini");
    BOOST_TEST(erased.async_complete(req, boost::asio::use_future).get().text() == answer_text());
    BOOST_TEST(server.request_count() == 3u);
}

BOOST_AUTO_TEST_CASE(transport_errors_are_typed) {
    llmap::http::client_options opts;
    opts.retry.max_retries = 0;
    llmap::http::client client(opts);
    try {
        llmap::http::http_request req;
        req.url = "not a url";
        (void)client.send(std::move(req));
        BOOST_FAIL("no exception");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::invalid_url));
    }
}
