//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// No credential leaves the library in an exception: every path by which a provider's text
// reaches an error (an HTTP failure, an error event in a stream, a 200 answer that reports an
// error, an id echoed in a "malformed" message, the request id header) is tried against a
// loopback server that echoes the key, through the blocking calls and their async_ forms.
// An exception thrown by the caller's own stream handler comes back untouched.

#include "../support/test_server.hpp"

#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/ollama.hpp>
#include <llmap/providers/openai.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ts = llmap::test;

namespace {

constexpr std::string_view key = "sk-redact-0123456789abcdefSECRET";
// How some providers echo a wrong key: masked, with its head and tail.
constexpr std::string_view masked = "sk-red*******************SECRET";

using headers = std::vector<std::pair<std::string, std::string>>;

// A handler that gives every request the same answer.
ts::test_server::handler answer(unsigned status, std::string content_type, std::string body,
                                headers extra = {}) {
    extra.emplace_back("Content-Type", std::move(content_type));
    return [status, body = std::move(body),
            extra = std::move(extra)](const ts::test_server::request&, ts::test_session& s) {
        s.respond(status, body, extra);
    };
}

llmap::provider_config config_for(const ts::test_server& server, std::string_view path,
                                  std::string_view api_key = key) {
    llmap::provider_config c;
    c.api_key = api_key;
    c.base_url = server.url(path);
    c.transport.retry.max_retries = 0;
    return c;
}

using openai_providers = llmap::registry<llmap::openai, llmap::openai_chat>;

openai_providers openai_for(const ts::test_server& server, std::string_view api_key = key) {
    auto const c = config_for(server, "/v1", api_key);
    return openai_providers{{"openai", c}, {"openai-chat", c}};
}

llmap::registry<llmap::anthropic> anthropic_for(const ts::test_server& server) {
    return llmap::registry<llmap::anthropic>{{"anthropic", config_for(server, "")}};
}

llmap::registry<llmap::ollama> ollama_for(const ts::test_server& server) {
    return llmap::registry<llmap::ollama>{{"ollama", config_for(server, "")}};
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// Nothing a caller can read from the error holds `secret`, and the echo was there to hide.
bool hides(const llmap::error& e, std::string_view secret) {
    BOOST_TEST(!contains(e.what(), secret), e.what());
    BOOST_TEST(!contains(e.request_id(), secret), e.request_id());
    BOOST_TEST(!contains(e.provider_error_type(), secret), e.provider_error_type());
    BOOST_TEST(contains(e.what(), "[redacted]"), e.what());
    return true;
}

// `hides` for the long key, whose masked echo must go too.
bool hides_key(const llmap::error& e) {
    BOOST_TEST(!contains(e.what(), "SECRET"), e.what());
    return hides(e, key);
}

constexpr auto ignore = [](const llmap::stream_event&) {};

template <class Model>
void stream_fails(Model m, const std::function<bool(const llmap::error&)>& check) {
    llmap::request const req{.prompt = "x"};
    BOOST_CHECK_EXCEPTION(m.stream(req, ignore), llmap::error, check);
    BOOST_CHECK_EXCEPTION(m.async_stream(req, ignore, boost::asio::use_future).get(), llmap::error,
                          check);
}

template <class Model>
void complete_fails(Model m, const std::function<bool(const llmap::error&)>& check) {
    llmap::request const req{.prompt = "x"};
    BOOST_CHECK_EXCEPTION(m.complete(req), llmap::error, check);
    BOOST_CHECK_EXCEPTION(m.async_complete(req, boost::asio::use_future).get(), llmap::error,
                          check);
}

template <class Model>
void embed_fails(Model m, const std::function<bool(const llmap::error&)>& check) {
    llmap::embedding_request const req{.inputs = {"x"}};
    BOOST_CHECK_EXCEPTION(m.embed(req), llmap::error, check);
    BOOST_CHECK_EXCEPTION(m.async_embed(req, boost::asio::use_future).get(), llmap::error, check);
}

std::string incorrect_key_message(std::string_view k) {
    return "Incorrect API key provided: " + std::string(k) + " (" + std::string(masked) + ").";
}

} // namespace

BOOST_AUTO_TEST_SUITE(redaction)

BOOST_AUTO_TEST_CASE(chat_completions_stream_error_event) {
    ts::test_server server(answer(200, "text/event-stream",
                                  R"(data: {"error":{"message":")" + incorrect_key_message(key) +
                                      R"(","type":"invalid_request_error"}})"
                                      "\n\n"));
    auto reg = openai_for(server);
    stream_fails(reg.model<"openai-chat:gpt-4.1">(), [](const llmap::error& e) {
        return hides_key(e) && e.code() == llmap::errc::malformed_response;
    });
    // The erased model goes through the same calls.
    stream_fails(reg.make("openai-chat:gpt-4.1"), hides_key);
}

BOOST_AUTO_TEST_CASE(responses_answer_with_an_error_body) {
    ts::test_server server(
        answer(200, "application/json",
               R"({"id":"resp_1","object":"response","status":"failed","output":[],)"
               R"("error":{"code":"invalid_api_key","message":")" +
                   incorrect_key_message(key) + R"("}})"));
    auto reg = openai_for(server);
    complete_fails(reg.model<"openai:gpt-4.1">(), [](const llmap::error& e) {
        return hides_key(e) && e.code() == llmap::errc::malformed_response;
    });
}

BOOST_AUTO_TEST_CASE(responses_stream_error_event) {
    ts::test_server server(answer(200, "text/event-stream",
                                  "event: error\n"
                                  R"(data: {"type":"error","code":"invalid_api_key","message":")" +
                                      incorrect_key_message(key) + "\"}\n\n"));
    auto reg = openai_for(server);
    stream_fails(reg.model<"openai:gpt-4.1">(), hides_key);
}

BOOST_AUTO_TEST_CASE(embeddings_answer_with_an_error_body) {
    ts::test_server server(answer(200, "application/json",
                                  R"({"error":{"message":")" + incorrect_key_message(key) +
                                      R"(","type":"invalid_request_error"}})"));
    auto reg = openai_for(server);
    embed_fails(reg.model<"openai:text-embedding-3-small">(), hides_key);
}

BOOST_AUTO_TEST_CASE(anthropic_answer_of_type_error) {
    // The key echoed in the message and, by a misbehaving proxy, as the request id.
    ts::test_server server(answer(
        200, "application/json",
        R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key )" +
            std::string(key) + R"("},"request_id":")" + std::string(key) + "\"}"));
    auto reg = anthropic_for(server);
    complete_fails(reg.model<"anthropic:claude-sonnet-4-5">(), [](const llmap::error& e) {
        BOOST_TEST(e.request_id() == "[redacted]");
        return hides_key(e) && e.code() == llmap::errc::http_error && e.http_status() == 401 &&
               e.provider_error_type() == "authentication_error";
    });
}

BOOST_AUTO_TEST_CASE(anthropic_stream_error_event) {
    ts::test_server server(answer(
        200, "text/event-stream",
        "event: error\n"
        R"(data: {"type":"error","error":{"type":"authentication_error","message":"invalid key )" +
            std::string(key) + " " + std::string(masked) + "\"}}\n\n"));
    auto reg = anthropic_for(server);
    stream_fails(reg.model<"anthropic:claude-sonnet-4-5">(), [](const llmap::error& e) {
        return hides_key(e) && e.code() == llmap::errc::http_error &&
               e.provider_error_type() == "authentication_error";
    });
}

BOOST_AUTO_TEST_CASE(anthropic_id_echoed_in_a_malformed_message) {
    auto const start = [](std::string_view id) {
        return "event: message_start\n"
               R"(data: {"type":"message_start","message":{"id":")" +
               std::string(id) +
               R"(","type":"message","role":"assistant","model":"m","content":[],)"
               R"("usage":{"input_tokens":1,"output_tokens":0}}})"
               "\n\n";
    };
    ts::test_server server(answer(200, "text/event-stream", start(key) + start("msg_2")));
    auto reg = anthropic_for(server);
    stream_fails(reg.model<"anthropic:claude-sonnet-4-5">(), [](const llmap::error& e) {
        return hides(e, key) && e.code() == llmap::errc::malformed_response &&
               contains(e.what(), "msg_2");
    });
}

BOOST_AUTO_TEST_CASE(ollama_answer_with_an_error) {
    std::string const body = R"({"error":"unauthorized: )" + std::string(key) + "\"}";
    ts::test_server server([&](const ts::test_server::request& req, ts::test_session& s) {
        bool const stream = contains(req.body(), R"("stream":true)");
        s.respond(200, stream ? body + "\n" : body,
                  {{"Content-Type", stream ? "application/x-ndjson" : "application/json"}});
    });
    auto reg = ollama_for(server);
    auto const check = [](const llmap::error& e) {
        return hides(e, key) && e.code() == llmap::errc::http_error;
    };
    complete_fails(reg.model<"ollama:m">(), check);
    stream_fails(reg.model<"ollama:m">(), check);
    embed_fails(reg.model<"ollama:m">(), check);
}

BOOST_AUTO_TEST_CASE(request_id_header_of_an_error_answer) {
    ts::test_server server(answer(401, "application/json",
                                  R"({"error":{"message":"no","type":"invalid_request_error"}})",
                                  {{"x-request-id", std::string(key)}}));
    auto reg = openai_for(server);
    auto const check = [](const llmap::error& e) {
        BOOST_TEST(!contains(e.request_id(), key), e.request_id());
        BOOST_TEST(!contains(e.what(), key), e.what());
        return e.request_id() == "[redacted]" && e.http_status() == 401 &&
               e.code() == llmap::errc::http_error &&
               e.provider_error_type() == "invalid_request_error";
    };
    complete_fails(reg.model<"openai-chat:gpt-4.1">(), check);
    stream_fails(reg.model<"openai-chat:gpt-4.1">(), check);
}

BOOST_AUTO_TEST_CASE(short_key) {
    constexpr std::string_view short_key = "k3y9";
    ts::test_server server([&](const ts::test_server::request& req, ts::test_session& s) {
        std::string const message = "Incorrect API key provided: " + std::string(short_key) + ".";
        if (contains(req.body(), R"("stream":true)"))
            s.respond(200, R"(data: {"error":{"message":")" + message + "\"}}\n\n",
                      {{"Content-Type", "text/event-stream"}});
        else
            s.respond(401, R"({"error":{"message":")" + message + "\"}}",
                      {{"Content-Type", "application/json"}, {"x-request-id", "k3y9"}});
    });
    auto reg = openai_for(server, short_key);
    auto const check = [&](const llmap::error& e) {
        // The rest of the text is left alone.
        BOOST_TEST(contains(e.what(), "Incorrect API key provided: [redacted]."), e.what());
        return hides(e, short_key);
    };
    complete_fails(reg.model<"openai-chat:gpt-4.1">(), check);
    stream_fails(reg.model<"openai-chat:gpt-4.1">(), check);
}

BOOST_AUTO_TEST_CASE(rules_for_short_and_long_secrets) {
    llmap::detail::answer_context const ctx{"ollama",
                                            {"ollama", "k3y9", "abcdefgh", std::string(key)}};
    // A short secret goes where it stands alone, not inside another word.
    BOOST_TEST(ctx.redact("key 'k3y9' or k3y9x or xk3y9 or k3y9") ==
               "key '[redacted]' or k3y9x or xk3y9 or [redacted]");
    // From 8 characters on, every occurrence goes.
    BOOST_TEST(ctx.redact("xabcdefghx abcdefg") == "x[redacted]x abcdefg");
    // Masked echoes (sharing the first or last 6 characters) only for keys of 12 and more: a
    // word that shares 6 characters with an 8-character key is not an echo of it.
    BOOST_TEST(ctx.redact(std::string("key ") + std::string(masked) + ", abcdef**") ==
               "key [redacted], abcdef**");
    // A key equal to the provider's name hides nothing: the message names the provider.
    BOOST_TEST(ctx.redact("llmap: ollama reported an error") == "llmap: ollama reported an error");
    // Empty secrets are no secrets.
    llmap::detail::answer_context const none{"p", {""}};
    BOOST_TEST(none.redact("text") == "text");
}

// An exception from the caller's handler is the caller's: same type, same text, even if that
// text happens to hold the key.
BOOST_AUTO_TEST_CASE(user_exceptions_pass_unchanged) {
    struct user_stop : std::runtime_error {
        using std::runtime_error::runtime_error;
    };
    ts::test_server server(
        answer(200, "text/event-stream",
               R"(data: {"id":"c1","object":"chat.completion.chunk","model":"m",)"
               R"("choices":[{"index":0,"delta":{"content":"Hi"}}]})"
               "\n\ndata: [DONE]\n\n"));
    auto reg = openai_for(server);
    std::string const text = "stop at " + std::string(key);
    auto const stop = [&](const llmap::stream_event&) { throw user_stop(text); };
    auto const same = [&](const user_stop& e) { return e.what() == text; };
    auto m = reg.model<"openai-chat:gpt-4.1">();
    BOOST_CHECK_EXCEPTION(m.stream({.prompt = "x"}, stop), user_stop, same);
    BOOST_CHECK_EXCEPTION(m.async_stream({.prompt = "x"}, stop, boost::asio::use_future).get(),
                          user_stop, same);
    // An llmap::error the caller throws is not rebuilt either.
    auto const rethrow = [&](const llmap::stream_event&) {
        throw llmap::error(llmap::errc::cancelled, text);
    };
    auto const same_error = [&](const llmap::error& e) { return e.what() == text; };
    BOOST_CHECK_EXCEPTION(m.stream({.prompt = "x"}, rethrow), llmap::error, same_error);
    BOOST_CHECK_EXCEPTION(m.async_stream({.prompt = "x"}, rethrow, boost::asio::use_future).get(),
                          llmap::error, same_error);
}

BOOST_AUTO_TEST_SUITE_END()
