//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Fallback chains over HTTP: an Anthropic member on a loopback server scripted to fail (529,
// 503, 429, a stall past the request timeout, a reset, a 400, an error event, a stream cut
// after its first events), then an OpenAI Chat Completions member on another server that
// replays a recorded answer of ../shared/fixtures. The chain's answer must be that member's
// own answer, and each server must have received its own member's model id.

#include "../support/fixtures.hpp"
#include "../support/test_providers.hpp"
#include "../support/test_server.hpp"

#include <llmap/fallback.hpp>
#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/openai.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <string_view>
#include <vector>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;
namespace wire = llmap::openai_api::wire;
using namespace std::chrono_literals;

namespace {

constexpr std::string_view anthropic_key = "sk-ant-test-0123456789SECRET";
constexpr std::string_view openai_key = "sk-test-0123456789abcdefSECRET";

using providers = llmap::registry<llmap::anthropic, llmap::openai_chat>;

constexpr std::string_view first_id = "anthropic:claude-sonnet-4-5";
constexpr std::string_view second_id = "openai-chat:gpt-4o";

bool asks_stream(std::string_view body) {
    auto const v = json::parse(body);
    auto const* s = v.as_object().if_contains("stream");
    return s && s->is_bool() && s->as_bool();
}

std::string model_in(std::string_view body) {
    return std::string(json::parse(body).at("model").as_string());
}

// The SSE decoding of a recorded Chat Completions stream, by the library's own stream run.
llmap::response decode_chat_sse(std::string_view body) {
    auto ignore = [](const llmap::stream_event&) {};
    llmap::detail::stream_run<wire::chat_stream_decoder, llmap::stream_handler> run(
        wire::chat_stream_decoder("openai-chat"), llmap::detail::stream_framing::sse,
        llmap::http::limits{}.max_event, ignore);
    run.feed(body);
    llmap::http::http_response ok;
    ok.status = 200;
    return run.finish(llmap::detail::answer_context{"openai-chat", {}}, ok, {});
}

// A recorded Chat Completions answer with text, streamed or not.
const fx::exchange& recorded_openai(bool stream) {
    static const std::vector<fx::exchange> picked = [] {
        std::vector<fx::exchange> out(2);
        bool have[2] = {false, false};
        for (auto& e : fx::rig_exchanges("openai")) {
            if (e.path != "/v1/chat/completions" || e.status != 200 || e.method != "POST")
                continue;
            bool const s = asks_stream(e.request_body);
            if (have[s])
                continue;
            auto const answer = s ? decode_chat_sse(e.response_body)
                                  : wire::parse_chat_response(json::parse(e.response_body));
            if (answer.text().empty())
                continue;
            out[s] = std::move(e);
            have[s] = true;
        }
        BOOST_REQUIRE(have[0] && have[1]);
        return out;
    }();
    return picked[stream ? 1 : 0];
}

// A recorded Anthropic stream with text, and where its first text delta ends.
const std::string& recorded_anthropic_stream() {
    static const std::string body = [] {
        for (auto const& e : fx::rig_exchanges("anthropic"))
            if (e.status == 200 && e.response_body.starts_with("event: message_start") &&
                e.response_body.find("text_delta") != std::string::npos)
                return e.response_body;
        BOOST_FAIL("no recorded Anthropic stream with text");
        return std::string();
    }();
    return body;
}

void write_response(ts::test_session& s, unsigned status, std::string_view content_type,
                    std::string_view body) {
    s.write_raw(
        "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: " + std::string(content_type) +
        "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body));
}

// The second member's server: the recorded answer, streamed if asked.
void answer_as_openai(const ts::test_server::request& q, ts::test_session& s) {
    bool const stream = asks_stream(q.body());
    write_response(s, 200, stream ? "text/event-stream" : "application/json",
                   recorded_openai(stream).response_body);
}

enum class failure { overloaded_529, unavailable_503, rate_limited_429, timeout, reset, bad_400 };

const char* name_of(failure f) {
    switch (f) {
    case failure::overloaded_529:
        return "529";
    case failure::unavailable_503:
        return "503";
    case failure::rate_limited_429:
        return "429";
    case failure::timeout:
        return "timeout";
    case failure::reset:
        return "reset";
    case failure::bad_400:
        return "400";
    }
    return "?";
}

// A server that fails every request as `f` says, in Anthropic's words.
ts::test_server::handler failing(failure f) {
    return [f](const ts::test_server::request&, ts::test_session& s) {
        auto const error = [&](unsigned status, std::string_view type, std::string_view message) {
            write_response(s, status, "application/json",
                           R"({"type":"error","error":{"type":")" + std::string(type) +
                               R"(","message":")" + std::string(message) + R"("}})");
        };
        switch (f) {
        case failure::overloaded_529:
            return error(529, "overloaded_error", "Overloaded");
        case failure::unavailable_503:
            return error(503, "api_error", "Service unavailable");
        case failure::rate_limited_429:
            return error(429, "rate_limit_error",
                         "Number of requests has exceeded your rate limit");
        case failure::timeout:
            return s.sleep(10s); // woken when the server stops
        case failure::reset:
            return s.reset();
        case failure::bad_400:
            return error(400, "invalid_request_error", "max_tokens: Field required");
        }
    };
}

// Neither member retries (unless told to); a stall fails after 300 ms.
providers registry_for(const ts::test_server& first, const ts::test_server& second,
                       llmap::http::retry_policy first_retry = {.max_retries = 0}) {
    llmap::provider_config a;
    a.api_key = anthropic_key;
    a.base_url = first.url("/v1");
    a.transport.retry = first_retry;
    a.transport.timeout.request = 300ms;
    llmap::provider_config o;
    o.api_key = openai_key;
    o.base_url = second.url("/v1");
    o.transport.retry.max_retries = 0;
    o.transport.timeout.request = 300ms;
    return providers{{"anthropic", a}, {"openai-chat", o}};
}

// Each server received its own member's model id, and only its own key.
void check_received(const ts::test_server& first, const ts::test_server& second) {
    for (auto const& q : first.requests()) {
        BOOST_TEST(model_in(q.body) == "claude-sonnet-4-5");
        BOOST_TEST(q.target == "/v1/messages");
    }
    for (auto const& q : second.requests()) {
        BOOST_TEST(model_in(q.body) == "gpt-4o");
        BOOST_TEST(q.target == "/v1/chat/completions");
    }
}

bool mentions(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

const llmap::request question{.prompt = "Say hello.", .max_output_tokens = 64};

} // namespace

BOOST_AUTO_TEST_SUITE(fallback)

BOOST_AUTO_TEST_CASE(retryable_failures_pass_the_call_on) {
    for (failure f : {failure::overloaded_529, failure::unavailable_503, failure::rate_limited_429,
                      failure::timeout, failure::reset}) {
        BOOST_TEST_CONTEXT(name_of(f)) {
            ts::test_server first(failing(f));
            ts::test_server second(answer_as_openai);
            auto reg = registry_for(first, second);
            auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
            static_assert(
                std::is_same_v<decltype(m), llmap::fallback_model<llmap::anthropic::messages_model,
                                                                  llmap::openai_api::chat_model>>);

            auto const answer = m.complete(question);
            BOOST_TEST((answer == wire::parse_chat_response(
                                      json::parse(recorded_openai(false).response_body))));
            BOOST_TEST(answer.answered_by == second_id);

            std::size_t events = 0;
            auto const streamed = m.stream(question, [&](const llmap::stream_event&) { ++events; });
            BOOST_TEST((streamed == decode_chat_sse(recorded_openai(true).response_body)));
            BOOST_TEST(streamed.answered_by == second_id);
            BOOST_TEST(events > 0u);

            BOOST_TEST(first.request_count() == 2u);
            BOOST_TEST(second.request_count() == 2u);
            check_received(first, second);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_first_member_answers_when_it_can) {
    ts::test_server anthropic_server(failing(failure::unavailable_503));
    ts::test_server openai_server(answer_as_openai);
    auto reg = registry_for(anthropic_server, openai_server);
    auto m = reg.fallback<"openai-chat:gpt-4o", "anthropic:claude-sonnet-4-5">();
    BOOST_TEST(m.complete(question).answered_by == second_id);
    BOOST_TEST(openai_server.request_count() == 1u);
    BOOST_TEST(anthropic_server.request_count() == 0u);
    BOOST_TEST((m.ids()[0] == second_id && m.ids()[1] == first_id));
}

BOOST_AUTO_TEST_CASE(an_overloaded_event_before_the_first_byte_passes_on) {
    // Anthropic may answer 200 and then report overload as the stream's first event.
    ts::test_server first([](const ts::test_server::request&, ts::test_session& s) {
        write_response(
            s, 200, "text/event-stream",
            "event: error\ndata: "
            R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"
            "\n\n");
    });
    ts::test_server second(answer_as_openai);
    auto reg = registry_for(first, second);
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
    std::size_t events = 0;
    auto const streamed = m.stream(question, [&](const llmap::stream_event&) { ++events; });
    BOOST_TEST(streamed.answered_by == second_id);
    BOOST_TEST((streamed == decode_chat_sse(recorded_openai(true).response_body)));
    check_received(first, second);
}

BOOST_AUTO_TEST_CASE(a_stream_that_failed_after_its_first_event_is_not_passed_on) {
    // The recorded stream up to its first text delta, then a reset.
    std::string const& body = recorded_anthropic_stream();
    std::size_t const cut = body.find("\n\n", body.find("text_delta")) + 2;
    ts::test_server first([&](const ts::test_server::request&, ts::test_session& s) {
        s.write_raw("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, cut));
        s.sleep(50ms);
        s.reset();
    });
    ts::test_server second(answer_as_openai);
    auto reg = registry_for(first, second);
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
    std::size_t events = 0;
    std::string text;
    try {
        m.stream(question, [&](const llmap::stream_event& e) {
            ++events;
            if (auto const* d = std::get_if<llmap::text_delta>(&e.data))
                text += d->text;
        });
        BOOST_FAIL("the cut stream must fail");
    } catch (const llmap::fallback_error&) {
        BOOST_FAIL("a stream that has started must not pass on");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::connection_closed));
    }
    BOOST_TEST(events > 0u);
    BOOST_TEST(!text.empty());
    BOOST_TEST(second.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_400_is_not_passed_on) {
    ts::test_server first(failing(failure::bad_400));
    ts::test_server second(answer_as_openai);
    auto reg = registry_for(first, second);
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
    for (bool stream : {false, true}) {
        try {
            if (stream)
                m.stream(question, [](const llmap::stream_event&) {});
            else
                m.complete(question);
            BOOST_FAIL("a 400 must reach the caller");
        } catch (const llmap::error& e) {
            BOOST_TEST(dynamic_cast<const llmap::fallback_error*>(&e) == nullptr);
            BOOST_TEST((e.code() == llmap::errc::http_error));
            BOOST_TEST(e.http_status() == 400);
            BOOST_TEST(e.provider_error_type() == "invalid_request_error");
        }
    }
    BOOST_TEST(first.request_count() == 2u);
    BOOST_TEST(second.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(the_predicate_decides_what_passes_on) {
    ts::test_server first(failing(failure::bad_400));
    ts::test_server second(failing(failure::unavailable_503));
    auto reg = registry_for(first, second);
    // Only a 400 passes on: the 400 goes to the next member, whose 503 then stops the call.
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">(
        {.pass_on = [](const llmap::error& e) { return e.http_status() == 400; }});
    try {
        m.complete(question);
        BOOST_FAIL("the 503 must reach the caller");
    } catch (const llmap::error& e) {
        BOOST_TEST(dynamic_cast<const llmap::fallback_error*>(&e) == nullptr);
        BOOST_TEST(e.http_status() == 503);
    }
    BOOST_TEST(first.request_count() == 1u);
    BOOST_TEST(second.request_count() == 1u);
    check_received(first, second);
}

BOOST_AUTO_TEST_CASE(when_every_member_fails_the_error_has_each) {
    ts::test_server first(failing(failure::overloaded_529));
    ts::test_server second(failing(failure::unavailable_503));
    auto reg = registry_for(first, second);
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
    for (bool stream : {false, true}) {
        BOOST_TEST_CONTEXT("stream " << stream) {
            try {
                if (stream)
                    m.stream(question, [](const llmap::stream_event&) {});
                else
                    m.complete(question);
                BOOST_FAIL("every member failed");
            } catch (const llmap::fallback_error& e) {
                // The last member's code and details; each member's error.
                BOOST_TEST((e.code() == llmap::errc::http_error));
                BOOST_TEST(e.http_status() == 503);
                BOOST_REQUIRE(e.failures().size() == 2u);
                BOOST_TEST(e.failures()[0].member == first_id);
                BOOST_TEST(e.failures()[0].failure.http_status() == 529);
                BOOST_TEST(e.failures()[0].failure.provider_error_type() == "overloaded_error");
                BOOST_TEST(e.failures()[1].member == second_id);
                BOOST_TEST(e.failures()[1].failure.http_status() == 503);
                std::string const what = e.what();
                BOOST_TEST(what.starts_with("llmap: every model of the fallback chain failed: "));
                BOOST_TEST(mentions(what, std::string(first_id) + ": "));
                BOOST_TEST(mentions(what, std::string(second_id) + ": "));
                BOOST_TEST(mentions(what, "Overloaded"));
                BOOST_TEST(mentions(what, "Service unavailable"));
                BOOST_TEST(!mentions(what, "SECRET"));
            }
        }
    }
    BOOST_TEST(first.request_count() == 2u);
    BOOST_TEST(second.request_count() == 2u);
    check_received(first, second);
}

BOOST_AUTO_TEST_CASE(members_retry_first_unless_the_chain_turns_it_down) {
    ts::test_server first(failing(failure::unavailable_503));
    ts::test_server second(answer_as_openai);
    // The first member retries once, at once.
    auto reg = registry_for(first, second,
                            {.max_retries = 1, .initial_delay = 1ms, .factor = 1, .jitter = 0});
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
    BOOST_TEST(m.complete(question).answered_by == second_id);
    BOOST_TEST(first.request_count() == 2u);

    auto quick = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">(
        {.member_retry = llmap::http::retry_policy{.max_retries = 0}});
    BOOST_TEST(quick.complete(question).answered_by == second_id);
    BOOST_TEST(first.request_count() == 3u);
    BOOST_TEST(second.request_count() == 2u);
}

BOOST_AUTO_TEST_CASE(asynchronous_calls_chain_the_members) {
    ts::test_server first(failing(failure::overloaded_529));
    ts::test_server second(answer_as_openai);
    auto reg = registry_for(first, second);
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();

    auto const answer = m.async_complete(question, boost::asio::use_future).get();
    BOOST_TEST(answer.answered_by == second_id);
    BOOST_TEST(
        (answer == wire::parse_chat_response(json::parse(recorded_openai(false).response_body))));

    auto events = std::make_shared<std::atomic<std::size_t>>(0);
    auto const streamed =
        m.async_stream(
             question, [events](const llmap::stream_event&) { ++*events; }, boost::asio::use_future)
            .get();
    BOOST_TEST(streamed.answered_by == second_id);
    BOOST_TEST((streamed == decode_chat_sse(recorded_openai(true).response_body)));
    BOOST_TEST(events->load() > 0u);
    check_received(first, second);
}

BOOST_AUTO_TEST_CASE(asynchronous_calls_fail_with_every_error) {
    ts::test_server first(failing(failure::reset));
    ts::test_server second(failing(failure::timeout));
    auto reg = registry_for(first, second);
    llmap::any_model m = reg.make_fallback({first_id, second_id});
    auto f = m.async_stream(
        question, [](const llmap::stream_event&) {}, boost::asio::use_future);
    try {
        f.get();
        BOOST_FAIL("every member failed");
    } catch (const llmap::fallback_error& e) {
        BOOST_REQUIRE(e.failures().size() == 2u);
        BOOST_TEST((e.failures()[0].failure.code() == llmap::errc::connection_closed));
        BOOST_TEST((e.failures()[1].failure.code() == llmap::errc::request_timeout));
        BOOST_TEST((e.code() == llmap::errc::request_timeout));
    }
}

BOOST_AUTO_TEST_CASE(a_later_member_that_cannot_start_fails_the_call) {
    // The second member has no key: its initiating function throws, inside the first
    // member's completion. The call completes with that error (which does not pass on).
    ts::test_server first(failing(failure::overloaded_529));
    ts::test_server second(answer_as_openai);
    llmap::provider_config a;
    a.api_key = anthropic_key;
    a.base_url = first.url("/v1");
    a.transport.retry.max_retries = 0;
    llmap::provider_config o;
    o.base_url = second.url("/v1");
    providers reg{{"anthropic", a}, {"openai-chat", o}};
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
    llmap::any_model erased = reg.make_fallback({first_id, second_id});
    // A plain handler, not use_future: use_future's executor would catch an exception that
    // escapes a completion, and hide the fault this checks.
    auto code_of = [](auto start) {
        auto done = std::make_shared<std::promise<std::exception_ptr>>();
        auto result = done->get_future();
        start([done](std::exception_ptr e, llmap::response) { done->set_value(e); });
        if (result.wait_for(10s) != std::future_status::ready)
            return boost::system::error_code(llmap::errc::cancelled); // never completed
        try {
            if (auto e = result.get())
                std::rethrow_exception(e);
        } catch (const llmap::fallback_error&) {
            return boost::system::error_code(llmap::errc::unsupported_capability); // not this
        } catch (const llmap::error& e) {
            return e.code();
        }
        return boost::system::error_code();
    };
    BOOST_TEST((code_of([&](auto h) { m.async_complete(question, std::move(h)); }) ==
                llmap::errc::missing_api_key));
    BOOST_TEST((code_of([&](auto h) {
                    m.async_stream(
                        question, [](const llmap::stream_event&) {}, std::move(h));
                }) == llmap::errc::missing_api_key));
    BOOST_TEST((code_of([&](auto h) { erased.async_complete(question, std::move(h)); }) ==
                llmap::errc::missing_api_key));
    BOOST_CHECK_THROW(m.complete(question), llmap::error);
    BOOST_TEST(first.request_count() == 4u);
    BOOST_TEST(second.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(embeddings_pass_on_too) {
    // Two OpenAI endpoints, the first unavailable; the second replays a recorded embedding.
    fx::exchange recorded;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.path == "/v1/embeddings" && e.status == 200) {
            recorded = std::move(e);
            break;
        }
    BOOST_REQUIRE(!recorded.response_body.empty());
    ts::test_server first(failing(failure::unavailable_503));
    ts::test_server second([&](const ts::test_server::request&, ts::test_session& s) {
        write_response(s, 200, "application/json", recorded.response_body);
    });
    using embedders = llmap::registry<llmap::openai, llmap::as<"openai-backup", llmap::openai>>;
    llmap::provider_config c;
    c.api_key = openai_key;
    c.transport.retry.max_retries = 0;
    embedders reg{{"openai", c.with_base_url(first.url("/v1"))},
                  {"openai-backup", c.with_base_url(second.url("/v1"))}};
    auto m =
        reg.fallback<"openai:text-embedding-3-small", "openai-backup:text-embedding-3-large">();
    auto const expected = wire::parse_embeddings_response(json::parse(recorded.response_body));
    llmap::embedding_request const req{.inputs = {"hello"}};
    BOOST_TEST((m.embed(req).vectors == expected.vectors));
    BOOST_TEST((m.async_embed(req, boost::asio::use_future).get().vectors == expected.vectors));
    BOOST_TEST(first.request_count() == 2u);
    BOOST_REQUIRE(second.request_count() == 2u);
    BOOST_TEST(model_in(first.requests()[0].body) == "text-embedding-3-small");
    BOOST_TEST(model_in(second.requests()[1].body) == "text-embedding-3-large");
}

BOOST_AUTO_TEST_CASE(make_fallback_erases_the_same_chain) {
    ts::test_server first(failing(failure::rate_limited_429));
    ts::test_server second(answer_as_openai);
    auto reg = registry_for(first, second);
    std::vector<std::string> const ids{std::string(first_id), std::string(second_id)};
    llmap::any_model m = reg.make_fallback(ids);
    BOOST_TEST(m.supports(llmap::capability::chat));
    BOOST_TEST(m.supports(llmap::capability::streaming));
    BOOST_TEST(!m.supports(llmap::capability::embeddings)); // Anthropic has none
    BOOST_TEST(m.supports(llmap::capability::tools));       // both have
    try {
        m.embed({.inputs = {"x"}});
        BOOST_FAIL("a member cannot embed");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::unsupported_capability));
        BOOST_TEST(mentions(e.what(), first_id));
    }

    auto const answer = m.complete(question);
    BOOST_TEST(answer.answered_by == second_id);
    auto const streamed = m.stream(question, [](const llmap::stream_event&) {});
    BOOST_TEST(streamed.answered_by == second_id);
    BOOST_TEST((streamed == decode_chat_sse(recorded_openai(true).response_body)));
    check_received(first, second);
}

BOOST_AUTO_TEST_CASE(make_fallback_refuses_bad_ids) {
    providers reg;
    auto code_of = [&](std::initializer_list<std::string_view> ids) {
        try {
            reg.make_fallback(ids);
        } catch (const llmap::error& e) {
            return e.code();
        }
        return boost::system::error_code();
    };
    BOOST_TEST((code_of({first_id, "anthropik:claude"}) == llmap::errc::unknown_provider));
    BOOST_TEST((code_of({":gpt-4o", second_id}) == llmap::errc::invalid_model_id));
    BOOST_TEST((code_of({first_id}) == llmap::errc::invalid_model_id));
    BOOST_TEST((code_of({}) == llmap::errc::invalid_model_id));
    BOOST_TEST(!code_of({first_id, second_id}));
}

BOOST_AUTO_TEST_CASE(the_chain_has_what_every_member_has) {
    using echo_providers =
        llmap::registry<test::echo_provider, test::chat_only_provider, test::embed_only_provider>;
    echo_providers reg;
    auto full = reg.fallback<"echo:a", "echo:b">();
    static_assert(llmap::chat_model<decltype(full)> && llmap::streaming_model<decltype(full)> &&
                  llmap::embedding_model<decltype(full)>);
    auto chat = reg.fallback<"echo:a", "chat-only">();
    static_assert(llmap::chat_model<decltype(chat)> && !llmap::streaming_model<decltype(chat)> &&
                  !llmap::embedding_model<decltype(chat)>);
    // The features too: echo declares tools and image input, chat-only nothing.
    BOOST_TEST(full.capabilities().contains(llmap::capability::tools));
    BOOST_TEST(!llmap::capabilities_of(chat).contains(llmap::capability::tools));
    BOOST_TEST(llmap::capabilities_of(chat).contains(llmap::capability::chat));
    BOOST_TEST(full.complete({.prompt = "hi"}).text() == "a: hi");
    BOOST_TEST(full.embed({.inputs = {"xy"}}).vectors.at(0).at(0) == 2.0f);
    BOOST_TEST(full.member<1>().model_name == "b");

    // Erased, it can do what the type can.
    llmap::any_model erased = std::move(chat);
    BOOST_TEST(erased.complete({.prompt = "hi"}).text() == "a: hi");
    BOOST_TEST(!erased.supports(llmap::capability::streaming));
    BOOST_CHECK_THROW(erased.stream({.prompt = "hi"}, [](const llmap::stream_event&) {}),
                      llmap::error);
}

BOOST_AUTO_TEST_SUITE_END()
