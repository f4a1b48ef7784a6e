//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/middleware.hpp: layers around real models over HTTP, answered with a recorded Ollama
// answer of Qwen3 (Rig's cassette), whose text carries its reasoning before a `</think>`.

#include <llmap/middleware.hpp>

#include <llmap/any_model.hpp>
#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/ollama.hpp>
#include <llmap/registry.hpp>

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

namespace {

namespace fx = test::fixtures;
namespace ts = llmap::test;
namespace json = boost::json;

/// The recorded answer: Qwen3 through Ollama, its reasoning before `</think>` in the text (the
/// chat template opened the tag, so the answer has only the closing one).
fx::exchange qwen_answer() {
    for (auto& e : fx::rig_exchanges("ollama"))
        if (e.file.filename() == "optional_argument.json" && e.index == 1)
            return std::move(e);
    BOOST_FAIL("no recorded answer tools/optional_argument.json #1");
    return {};
}

/// The recorded answer's text, and the same answer as an NDJSON stream of 3-byte pieces (so
/// that the tag is cut across events), ending with the recorded counts.
struct recorded {
    std::string text;
    std::string answer;
    std::string stream;
    std::int64_t input_tokens = 0;
    std::int64_t output_tokens = 0;
};

recorded load() {
    recorded r;
    r.answer = qwen_answer().response_body;
    auto const doc = json::parse(r.answer).as_object();
    r.text = std::string(doc.at("message").at("content").as_string());
    r.input_tokens = doc.at("prompt_eval_count").as_int64();
    r.output_tokens = doc.at("eval_count").as_int64();
    for (std::size_t i = 0; i < r.text.size(); i += 3) {
        json::object line{{"model", doc.at("model")},
                          {"message", {{"role", "assistant"}, {"content", r.text.substr(i, 3)}}},
                          {"done", false}};
        r.stream += json::serialize(line) + "\n";
    }
    json::object last = doc;
    last["message"] = {{"role", "assistant"}, {"content", ""}};
    r.stream += json::serialize(last) + "\n";
    return r;
}

/// Serves the recorded answer (streamed when the request asks) and keeps the bodies received.
class server {
public:
    explicit server(recorded r)
        : r_(std::move(r)), srv_([this](auto const& q, auto& s) { on(q, s); }) {}

    std::string url() const { return srv_.url(""); }

    std::vector<json::object> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

    void fail_with(unsigned status) { status_ = status; }

private:
    void on(const ts::test_server::request& q, ts::test_session& s) {
        auto body = json::parse(q.body()).as_object();
        bool const stream = body.contains("stream") && body.at("stream").as_bool();
        {
            std::lock_guard lock(mutex_);
            received_.push_back(std::move(body));
        }
        if (status_ != 200)
            s.respond(status_, R"({"error":"model 'qwen3:4b' not found"})",
                      {{"content-type", "application/json"}});
        else if (stream)
            s.respond(200, r_.stream, {{"content-type", "application/x-ndjson"}});
        else
            s.respond(200, r_.answer, {{"content-type", "application/json"}});
    }

    recorded r_;
    mutable std::mutex mutex_;
    std::vector<json::object> received_;
    unsigned status_ = 200;
    ts::test_server srv_;
};

using providers = llmap::registry<llmap::ollama, llmap::anthropic>;

providers registry_for(const server& srv) {
    llmap::provider_config c;
    c.base_url = srv.url();
    c.transport.retry.max_retries = 0;
    return providers{{"ollama", c}, {"anthropic", llmap::provider_config{}.with_api_key("sk-ant")}};
}

/// Text and reasoning of a list of events, as the caller saw them.
struct seen {
    std::string text;
    std::string reasoning;
    std::vector<llmap::stream_event> events;

    void operator()(const llmap::stream_event& e) {
        events.push_back(e);
        if (auto const* t = std::get_if<llmap::text_delta>(&e.data))
            text += t->text;
        if (auto const* r = std::get_if<llmap::reasoning_delta>(&e.data))
            reasoning += r->text;
    }
};

std::string reasoning_of(const llmap::response& r) {
    std::string out;
    for (auto const& p : r.content)
        if (auto const* x = std::get_if<llmap::reasoning_part>(&p))
            out += x->text;
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(middleware)

BOOST_AUTO_TEST_CASE(the_wrapped_model_keeps_its_type_and_api) {
    providers reg{{"anthropic", llmap::provider_config{}.with_api_key("sk-ant")}};
    auto m = reg.model<"anthropic:claude-sonnet-4-5">() | llmap::defaults{} | llmap::hooks{};
    static_assert(std::is_same_v<std::remove_reference_t<decltype(m.inner().inner())>,
                                 llmap::anthropic::messages_model>);
    m->thinking_budget(2048); // Anthropic's own API, through both layers
    BOOST_TEST((m.inner().inner().thinking_budget() == 2048));
    BOOST_TEST(m.name() == "claude-sonnet-4-5");
    BOOST_TEST(m.provider() == "anthropic");
    static_assert(llmap::chat_model<decltype(m)> && llmap::streaming_model<decltype(m)>);
    static_assert(!llmap::embedding_model<decltype(m)>); // Anthropic has none: neither has m
}

BOOST_AUTO_TEST_CASE(defaults_fill_what_the_request_leaves_unset) {
    server srv(load());
    auto reg = registry_for(srv);
    auto m = reg.model<"ollama:qwen3:4b">() |
             llmap::defaults{{.system = "Be brief.", .max_output_tokens = 64, .temperature = 0.3}};
    (void)m.complete({.prompt = "Repeat banana", .temperature = 0.9});
    auto const sent = srv.received().at(0);
    BOOST_TEST(sent.at("options").at("temperature").as_double() == 0.9); // the request's own
    BOOST_TEST(sent.at("options").at("num_predict").as_int64() == 64);   // the default
    auto const& first = sent.at("messages").as_array().at(0).as_object();
    BOOST_TEST(first.at("role").as_string() == "system");
    BOOST_TEST(first.at("content").as_string() == "Be brief.");
}

BOOST_AUTO_TEST_CASE(hooks_see_and_change_the_request_and_the_response) {
    server srv(load());
    auto reg = registry_for(srv);
    std::string answered_model;
    auto m = reg.model<"ollama:qwen3:4b">() |
             llmap::hooks{.on_request = [](llmap::request& r) { r.prompt += " (hooked)"; },
                          .on_response =
                              [&](const llmap::request& q, llmap::response& r) {
                                  answered_model = r.model;
                                  r.warnings.push_back(llmap::warning::other(q.prompt));
                              }};
    auto const r = m.complete({.prompt = "Repeat banana"});
    auto const sent = srv.received().at(0);
    BOOST_TEST(sent.at("messages").as_array().back().at("content").as_string() ==
               "Repeat banana (hooked)");
    BOOST_TEST(answered_model == "qwen3:4b");
    BOOST_TEST(r.warnings.back().message == "Repeat banana (hooked)");
}

BOOST_AUTO_TEST_CASE(reasoning_in_think_tags_becomes_reasoning) {
    auto const rec = load();
    auto const close = rec.text.find("</think>");
    BOOST_TEST_REQUIRE(close != std::string::npos);
    std::string const expected_reasoning = rec.text.substr(0, close);
    std::string const expected_text = rec.text.substr(close + 8);
    BOOST_TEST(expected_text == "\n\nbanana banana banana");

    server srv(rec);
    auto reg = registry_for(srv);
    auto m = reg.model<"ollama:qwen3:4b">() | llmap::extract_reasoning{.starts_inside = true};
    auto const r = m.complete({.prompt = "Repeat banana"});
    BOOST_TEST(r.text() == expected_text);
    BOOST_TEST(reasoning_of(r) == expected_reasoning);

    // Streamed in 3-byte pieces: the tag is cut across events, and the caller sees the same.
    seen s;
    auto const streamed = m.stream({.prompt = "Repeat banana"}, std::ref(s));
    BOOST_TEST(s.text == expected_text);
    BOOST_TEST(s.reasoning == expected_reasoning);
    BOOST_TEST(streamed.text() == expected_text);
    BOOST_TEST(reasoning_of(streamed) == expected_reasoning);

    // Without the layer the tag stays in the text, as the model wrote it.
    BOOST_TEST(reg.model<"ollama:qwen3:4b">().complete({.prompt = "x"}).text() == rec.text);
}

BOOST_AUTO_TEST_CASE(tags_in_the_text_both_opened_and_closed) {
    llmap::extract_reasoning x;
    auto const parts = x.split("a<think>b</think>c<think>d");
    BOOST_TEST_REQUIRE(parts.size() == 4u);
    BOOST_TEST(std::get<llmap::text_part>(parts[0]).text == "a");
    BOOST_TEST(std::get<llmap::reasoning_part>(parts[1]).text == "b");
    BOOST_TEST(std::get<llmap::text_part>(parts[2]).text == "c");
    BOOST_TEST(std::get<llmap::reasoning_part>(parts[3]).text == "d"); // cut off while thinking
}

BOOST_AUTO_TEST_CASE(telemetry_reports_a_genai_span_without_content) {
    auto const rec = load();
    server srv(rec);
    auto reg = registry_for(srv);
    std::vector<llmap::span> spans;
    auto m = reg.model<"ollama:qwen3:4b">() |
             llmap::telemetry{.exporter = [&](const llmap::span& s) { spans.push_back(s); }};
    (void)m.complete({.prompt = "Repeat the secret word banana", .max_output_tokens = 99});
    BOOST_TEST_REQUIRE(spans.size() == 1u);
    auto const& a = spans[0].attributes;
    BOOST_TEST(spans[0].name == "chat qwen3:4b");
    BOOST_TEST(spans[0].ok);
    BOOST_TEST(a.at("gen_ai.operation.name").as_string() == "chat");
    BOOST_TEST(a.at("gen_ai.provider.name").as_string() == "ollama");
    BOOST_TEST(a.at("gen_ai.request.model").as_string() == "qwen3:4b");
    BOOST_TEST(a.at("gen_ai.request.max_tokens").as_int64() == 99);
    BOOST_TEST(a.at("gen_ai.response.model").as_string() == "qwen3:4b");
    BOOST_TEST(a.at("gen_ai.response.finish_reasons").as_array().at(0).as_string() == "stop");
    BOOST_TEST(a.at("gen_ai.usage.input_tokens").as_int64() == rec.input_tokens);
    BOOST_TEST(a.at("gen_ai.usage.output_tokens").as_int64() == rec.output_tokens);
    auto const all = json::serialize(a);
    BOOST_TEST(all.find("secret word") == std::string::npos); // no prompt text unless asked
    BOOST_TEST(all.find("banana banana") == std::string::npos);

    // Asked for: the messages are there.
    std::vector<llmap::span> with_content;
    auto c = reg.model<"ollama:qwen3:4b">() |
             llmap::telemetry{.exporter = [&](const llmap::span& s) { with_content.push_back(s); },
                              .record_content = true};
    (void)c.complete({.prompt = "Repeat the secret word banana"});
    BOOST_TEST(json::serialize(with_content.at(0).attributes).find("secret word") !=
               std::string::npos);

    // A failed call: a span with its error.
    srv.fail_with(404);
    BOOST_CHECK_THROW(m.complete({.prompt = "x"}), llmap::error);
    BOOST_TEST_REQUIRE(spans.size() == 2u);
    BOOST_TEST(!spans[1].ok);
    BOOST_TEST(spans[1].attributes.at("http.response.status_code").as_int64() == 404);
    BOOST_TEST(spans[1].attributes.contains("error.type"));
}

BOOST_AUTO_TEST_CASE(the_cache_answers_a_repeated_request_without_a_call) {
    server srv(load());
    auto reg = registry_for(srv);
    llmap::response_cache cache(1);
    auto m = reg.model<"ollama:qwen3:4b">() | cache;
    auto const first = m.complete({.prompt = "Repeat banana"});
    auto const second = m.complete({.prompt = "Repeat banana"});
    BOOST_TEST(srv.received().size() == 1u);
    BOOST_TEST(cache.hits() == 1u);
    BOOST_TEST((first == second));

    // Another request is another answer; with room for one, the first is evicted.
    (void)m.complete({.prompt = "Repeat banana", .temperature = 0.5});
    BOOST_TEST(srv.received().size() == 2u);
    (void)m.complete({.prompt = "Repeat banana"});
    BOOST_TEST(srv.received().size() == 3u);
    BOOST_TEST(cache.size() == 1u);

    // A stream is stored with its events and replayed as it came.
    seen live, replayed;
    auto const a = m.stream({.prompt = "Stream banana"}, std::ref(live));
    auto const b = m.stream({.prompt = "Stream banana"}, std::ref(replayed));
    BOOST_TEST(srv.received().size() == 4u);
    BOOST_TEST((live.events == replayed.events));
    BOOST_TEST(!live.events.empty());
    BOOST_TEST((a == b));

    // A failed call is not stored.
    srv.fail_with(404);
    BOOST_CHECK_THROW(m.complete({.prompt = "never answered"}), llmap::error);
    BOOST_CHECK_THROW(m.complete({.prompt = "never answered"}), llmap::error);
    BOOST_TEST(srv.received().size() == 6u);
}

BOOST_AUTO_TEST_CASE(layers_compose_and_work_asynchronously) {
    auto const rec = load();
    server srv(rec);
    auto reg = registry_for(srv);
    std::vector<llmap::span> spans;
    llmap::response_cache cache(8);
    auto m = reg.model<"ollama:qwen3:4b">() | llmap::extract_reasoning{.starts_inside = true} |
             cache |
             llmap::telemetry{.exporter = [&](const llmap::span& s) { spans.push_back(s); }};
    auto r = m.async_complete({.prompt = "Repeat banana"}, boost::asio::use_future).get();
    BOOST_TEST(r.text() == "\n\nbanana banana banana");
    // The second comes from the cache (posted, not sent) and still reports its span.
    auto again = m.async_complete({.prompt = "Repeat banana"}, boost::asio::use_future).get();
    BOOST_TEST((again == r));
    BOOST_TEST(srv.received().size() == 1u);
    BOOST_TEST(spans.size() == 2u);

    auto on = std::make_shared<seen>();
    auto streamed = m.async_stream(
                         {.prompt = "Stream banana"},
                         [on](const llmap::stream_event& e) { (*on)(e); }, boost::asio::use_future)
                        .get();
    BOOST_TEST(on->text == "\n\nbanana banana banana");
    BOOST_TEST(streamed.text() == "\n\nbanana banana banana");

    // Erased, the layers stay.
    llmap::any_model erased{m};
    BOOST_TEST(erased.complete({.prompt = "Repeat banana"}).text() == "\n\nbanana banana banana");
}

BOOST_AUTO_TEST_CASE(the_rate_limit_spaces_calls_out) {
    server srv(load());
    auto reg = registry_for(srv);
    // One call at once, 20 a second: three calls need at least two waits of 50 ms. (A lower
    // bound only: a slow machine makes it longer, never shorter.)
    auto m = reg.model<"ollama:qwen3:4b">() | llmap::rate_limit(20, 1);
    auto const start = std::chrono::steady_clock::now();
    for (int i = 0; i != 3; ++i)
        (void)m.complete({.prompt = "x"});
    BOOST_TEST((std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(95)));

    auto const async_start = std::chrono::steady_clock::now();
    for (int i = 0; i != 2; ++i)
        (void)m.async_complete({.prompt = "x"}, boost::asio::use_future).get();
    BOOST_TEST((std::chrono::steady_clock::now() - async_start >= std::chrono::milliseconds(45)));
    BOOST_TEST(srv.received().size() == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
