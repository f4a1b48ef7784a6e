//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Ollama's native wire format against Rig's recorded traffic: every recorded request body
// rebuilt from its logical request, every answer parsed, every NDJSON stream decoded whole,
// byte by byte and in random splits; then bad input of every kind.

#include "cassettes.hpp"

#include <llmap/http/ndjson.hpp>
#include <llmap/providers/ollama/chat_wire.hpp>
#include <llmap/providers/ollama/embed_wire.hpp>

#include <boost/test/unit_test.hpp>

#include <iostream>
#include <limits>

namespace to = test::ollama;
namespace fx = test::fixtures;
namespace json = boost::json;
namespace wire = llmap::ollama_api::wire;

namespace {

// A stream's bytes, cut as `mode` says (see fx::feed_split), through the NDJSON parser and the
// decoder into the accumulator.
llmap::response decode_stream(std::string_view body, unsigned mode,
                              std::vector<llmap::stream_event>* events = nullptr) {
    llmap::http::ndjson_parser lines;
    wire::chat_stream_decoder d;
    llmap::stream_accumulator acc;
    auto const emit = [&](llmap::stream_event&& e) {
        acc.add(e);
        if (events)
            events->push_back(std::move(e));
    };
    fx::feed_split(body, mode, [&](std::string_view bytes) {
        lines.feed(bytes, [&](std::string_view line) {
            if (!d.done())
                d.on_data(line, emit);
        });
    });
    BOOST_TEST(!lines.has_partial_line());
    if (!d.done())
        d.finish(emit);
    return std::move(acc).finish();
}

// The response agrees with what the fixture says.
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
        if (!x.calls[i].id.empty())
            BOOST_TEST(calls[i].id == x.calls[i].id, name);
        else
            BOOST_TEST(!calls[i].id.empty(), name);
    }
    // With tool calls, Ollama still says "stop"; unified, that is a request for results.
    if (!x.calls.empty())
        BOOST_TEST((r.finish == llmap::finish_reason::tool_calls), name);
    else if (x.done_reason == "stop")
        BOOST_TEST((r.finish == llmap::finish_reason::stop), name);
    else if (x.done_reason == "length")
        BOOST_TEST((r.finish == llmap::finish_reason::length), name);
}

// A body with the defaults that Rig writes and llmap leaves out: an empty `options`, and
// `"type": "function"` on tool calls in the history.
json::value without_rig_defaults(json::value v) {
    auto& o = v.as_object();
    if (auto* opts = o.if_contains("options"); opts && opts->as_object().empty())
        o.erase("options");
    for (auto& m : o.at("messages").as_array())
        if (auto* calls = m.as_object().if_contains("tool_calls"))
            for (auto& c : calls->as_array())
                c.as_object().erase("type");
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ollama_wire)

BOOST_AUTO_TEST_CASE(recorded_requests_rebuilt_from_their_logical_request) {
    auto const c = to::load();
    BOOST_REQUIRE(c.chat.size() == 20u);
    for (auto const& e : c.chat) {
        auto const recorded = json::parse(e.request_body);
        llmap::request const req = to::request_of(recorded.as_object());
        std::vector<llmap::warning> warnings;
        json::value const body = wire::chat_request_body(req, recorded.at("model").as_string(),
                                                         to::requested_stream(e), warnings);
        BOOST_TEST(warnings.empty(), e.name());
        // Model, messages (roles, text, thinking, tool calls, tool names), tools, format,
        // options, think and the stream flag: all of it, as recorded.
        BOOST_TEST((body == without_rig_defaults(recorded)),
                   e.name() << "\n got:      " << json::serialize(body)
                            << "\n recorded: " << json::serialize(recorded));
    }
    std::cout << "ollama_wire: " << c.chat.size() << " recorded request bodies rebuilt; "
              << c.skipped << " exchange(s) skipped: " << to::skip_reason << "\n";
}

BOOST_AUTO_TEST_CASE(every_recorded_answer) {
    std::size_t answers = 0, streams = 0, lines = 0;
    for (auto const& e : to::load().chat) {
        BOOST_TEST_REQUIRE(e.status == 200u, e.name());
        auto const x = to::expect(e);
        if (to::requested_stream(e)) {
            // Whole, one byte at a time, and cut at random in 8 ways: the same response.
            auto const whole = decode_stream(e.response_body, 0);
            check(whole, x, e.name());
            for (unsigned mode = 1; mode != 10; ++mode)
                BOOST_TEST((decode_stream(e.response_body, mode) == whole),
                           e.name() << " split " << mode);
            ++streams;
            lines += x.lines;
        } else {
            BOOST_TEST(x.lines == 1u, e.name());
            auto const r = wire::parse_chat_response(json::parse(e.response_body));
            check(r, x, e.name());
            BOOST_TEST((r.raw == json::parse(e.response_body)), e.name());
            ++answers;
        }
    }
    BOOST_TEST(answers == 13u);
    BOOST_TEST(streams == 7u);
    std::cout << "ollama_wire: " << answers << " answers and " << streams << " streams (" << lines
              << " NDJSON lines, each stream whole, byte by byte and in 8 random splits)\n";
}

BOOST_AUTO_TEST_CASE(stream_events_in_order) {
    // thinking_and_tool_call: thinking deltas, then one whole tool call, then the final line.
    for (auto const& e : to::load().chat) {
        if (e.file.filename() != "thinking_and_tool_call.json")
            continue;
        std::vector<llmap::stream_event> events;
        auto const r = decode_stream(e.response_body, 0, &events);
        BOOST_REQUIRE(events.size() > 4u);
        BOOST_TEST(std::holds_alternative<llmap::response_metadata>(events.front().data));
        BOOST_TEST(std::holds_alternative<llmap::reasoning_delta>(events[1].data));
        auto const n = events.size();
        BOOST_TEST(std::get<llmap::tool_call_start>(events[n - 5].data).name ==
                   "lookup_harbor_label");
        BOOST_TEST(std::get<llmap::tool_call_delta>(events[n - 4].data).arguments_delta == "{}");
        BOOST_TEST(std::holds_alternative<llmap::tool_call_end>(events[n - 3].data));
        BOOST_TEST(
            std::get<llmap::usage_event>(events[n - 2].data).usage.output_tokens.value_or(0) ==
            575);
        BOOST_TEST(std::get<llmap::finish_event>(events[n - 1].data).raw_reason == "stop");
        BOOST_TEST(!events.back().raw.is_null());
        BOOST_TEST(r.tool_calls().at(0).id == "call_REDACTED_1");
        return;
    }
    BOOST_FAIL("thinking_and_tool_call.json not found");
}

BOOST_AUTO_TEST_CASE(tool_call_ids_made_when_missing) {
    // Older servers send no ids: each call gets one, the same for the same answer, distinct
    // for two equal calls of one answer and for the same call in two answers.
    auto const body = [](std::string_view created) {
        return json::parse(R"({"model":"m","created_at":")" + std::string(created) +
                           R"(","message":{"role":"assistant","content":"","tool_calls":[
            {"function":{"name":"add","arguments":{"x":1}}},
            {"function":{"name":"add","arguments":{"x":1}}}]},"done":true,"done_reason":"stop"})");
    };
    auto const a = wire::parse_chat_response(body("2025-01-01T00:00:00Z")).tool_calls();
    auto const again = wire::parse_chat_response(body("2025-01-01T00:00:00Z")).tool_calls();
    auto const later = wire::parse_chat_response(body("2025-01-01T00:00:01Z")).tool_calls();
    BOOST_REQUIRE(a.size() == 2u);
    BOOST_TEST(!a[0].id.empty());
    BOOST_TEST(a[0].id != a[1].id);
    BOOST_TEST(a[0].id == again[0].id);
    BOOST_TEST(a[1].id == again[1].id);
    BOOST_TEST(a[0].id != later[0].id);
    // The same ids in a stream of the same calls, one per line.
    std::string const stream =
        R"({"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"add","arguments":{"x":1}}}]},"done":false})"
        "\n"
        R"({"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"add","arguments":{"x":1}}}]},"done":false})"
        "\n"
        R"({"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"})"
        "\n";
    auto const s = decode_stream(stream, 0);
    BOOST_REQUIRE(s.tool_calls().size() == 2u);
    BOOST_TEST(s.tool_calls()[0].id == a[0].id);
    BOOST_TEST(s.tool_calls()[1].id == a[1].id);
    BOOST_TEST((s.finish == llmap::finish_reason::tool_calls));
}

BOOST_AUTO_TEST_CASE(finish_reasons) {
    auto const finish = [](std::string_view reason) {
        return wire::parse_chat_response(
            json::parse(R"({"model":"m","message":{"role":"assistant","content":""},"done":true,)"
                        R"("done_reason":")" +
                        std::string(reason) + R"("})"));
    };
    BOOST_TEST((finish("stop").finish == llmap::finish_reason::stop));
    BOOST_TEST((finish("length").finish == llmap::finish_reason::length));
    BOOST_TEST((finish("load").finish == llmap::finish_reason::other)); // only loaded the model
    BOOST_TEST(finish("load").raw_finish_reason == "load");
    BOOST_TEST((finish("unload").finish == llmap::finish_reason::other));
    BOOST_TEST((wire::parse_chat_response(json::parse(R"({"message":{"content":""}})")).finish ==
                llmap::finish_reason::unknown));
}

BOOST_AUTO_TEST_CASE(request_mapping) {
    llmap::request req{
        .system = "sys",
        .prompt = "last",
        .max_output_tokens = 64,
        .temperature = 0.2,
        .top_p = 0.9,
        .top_k = 40,
        .stop_sequences = {"END"},
        .seed = 7,
        .reasoning = llmap::reasoning_effort::high,
        .provider_options = {{"ollama", {{"keep_alive", "10m"}, {"options", {{"num_ctx", 8192}}}}},
                             {"openai", {{"ignored", true}}}},
    };
    llmap::message user = llmap::message::user("see");
    user.content.push_back(llmap::image_part::from_bytes({'a', 'b', 'c'}, "image/png"));
    user.content.push_back(llmap::image_part::from_url("data:image/png;base64,QUJD"));
    user.content.push_back(llmap::image_part::from_url("https://example.com/cat.png"));
    user.provider_options = {{"ollama", {{"extra", 1}}}};
    req.messages.push_back(user);
    llmap::message assistant{.role = llmap::role::assistant};
    assistant.content.push_back(llmap::reasoning_part{"hmm"});
    assistant.content.push_back(llmap::text_part{"calling"});
    assistant.content.push_back(llmap::tool_call_part{"c1", "add", json::object{{"a", 1}}});
    assistant.content.push_back(llmap::tool_call_part{"c2", "mul", json::string("not json")});
    req.messages.push_back(assistant);
    llmap::message results{.role = llmap::role::tool};
    results.content.push_back(llmap::tool_result_part{"c1", "", json::object{{"sum", 1}}});
    results.content.push_back(llmap::tool_result_part{"c2", "mul", json::string("2")});
    req.messages.push_back(results);

    std::vector<llmap::warning> warnings;
    auto const body = wire::chat_request_body(req, "llama3:8b", false, warnings);
    auto const expected = json::parse(R"({
        "model": "llama3:8b",
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": "see", "images": ["YWJj", "QUJD"], "extra": 1},
            {"role": "assistant", "content": "calling", "thinking": "hmm", "tool_calls": [
                {"function": {"name": "add", "arguments": {"a": 1}}},
                {"function": {"name": "mul", "arguments": {}}}]},
            {"role": "tool", "content": "{\"sum\":1}", "tool_name": "add"},
            {"role": "tool", "content": "2", "tool_name": "mul"},
            {"role": "user", "content": "last"}],
        "options": {"temperature": 0.2, "top_p": 0.9, "top_k": 40, "num_predict": 64,
                    "stop": ["END"], "seed": 7, "num_ctx": 8192},
        "think": "high",
        "stream": false,
        "keep_alive": "10m"})");
    BOOST_TEST((json::value(body) == expected), json::serialize(body));
    // The URL image and the arguments that are not an object.
    BOOST_TEST(warnings.size() == 2u);

    // Formats, tools, tool choice, the other efforts.
    llmap::request t{.prompt = "x",
                     .tools = {{.name = "f", .description = "d"}},
                     .tool_choice = llmap::tool_choice::required(),
                     .format = llmap::response_format::json(),
                     .reasoning = llmap::reasoning_effort::minimal};
    warnings.clear();
    auto b = wire::chat_request_body(t, "m", true, warnings);
    BOOST_TEST(b.at("format") == "json");
    BOOST_TEST(b.at("stream") == true);
    BOOST_TEST(b.at("think") == "low");
    BOOST_TEST((b.at("tools") == json::parse(R"([{"type":"function","function":{"name":"f",
        "description":"d","parameters":{"type":"object","properties":{}}}}])")));
    BOOST_TEST(warnings.size() == 2u); // tool_choice required, minimal effort
    t.tool_choice = llmap::tool_choice::none();
    t.format = llmap::response_format::json_schema("s", {{"type", "object"}});
    t.reasoning = llmap::reasoning_effort::none;
    b = wire::chat_request_body(t, "m", false, warnings);
    BOOST_TEST(!b.contains("tools"));
    BOOST_TEST((b.at("format") == json::object{{"type", "object"}}));
    BOOST_TEST(b.at("think") == false);
    BOOST_TEST(!b.contains("options"));
}

BOOST_AUTO_TEST_CASE(embeddings_from_the_specs_example) {
    // The official OpenAPI document's example answer of /api/embed.
    auto const spec = json::parse(
        fx::read_file(fx::root() / ".." / "conformance" / "specs" / "ollama-openapi.json"));
    auto const& example =
        spec.at_pointer("/paths/~1api~1embed/post/responses/200/content/application~1json/example");
    auto const r = wire::parse_embed_response(example);
    auto const& vectors = example.at("embeddings").as_array();
    BOOST_REQUIRE(r.vectors.size() == vectors.size());
    for (std::size_t i = 0; i != vectors.size(); ++i) {
        BOOST_REQUIRE(r.vectors[i].size() == vectors[i].as_array().size());
        for (std::size_t j = 0; j != r.vectors[i].size(); ++j)
            BOOST_TEST(r.vectors[i][j] ==
                       static_cast<float>(vectors[i].as_array()[j].to_number<double>()));
    }
    BOOST_TEST(r.model == example.at("model").as_string());
    if (auto const* n = example.as_object().if_contains("prompt_eval_count"))
        BOOST_TEST((r.usage.input_tokens == n->to_number<std::int64_t>()));

    llmap::embedding_request req{.inputs = {"a", "b"},
                                 .dimensions = 128,
                                 .provider_options = {{"ollama", {{"truncate", false}}}}};
    std::vector<llmap::warning> warnings;
    BOOST_TEST((json::value(wire::embed_request_body(req, "nomic-embed-text", warnings)) ==
                json::parse(R"({"model":"nomic-embed-text","input":["a","b"],"dimensions":128,
                                "truncate":false})")));
    BOOST_CHECK_EXCEPTION(
        wire::parse_embed_response(json::parse(R"({"embeddings":[["x"]]})")), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
    BOOST_CHECK_EXCEPTION(
        wire::parse_embed_response(json::parse(R"({"model":"m"})")), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
}

// Counts at INT64_MAX: the total (prompt + eval) saturates instead of overflowing, streamed or
// not.
BOOST_AUTO_TEST_CASE(usage_at_int64_max_saturates) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    std::string const last =
        R"({"model":"m","created_at":"t","message":{"role":"assistant","content":"Hi"},)"
        R"("done":true,"done_reason":"stop","prompt_eval_count":9223372036854775807,)"
        R"("eval_count":9223372036854775807})";
    auto const whole = wire::parse_chat_response(json::parse(last));
    BOOST_TEST(whole.usage.input_tokens.value() == max);
    BOOST_TEST(whole.usage.output_tokens.value() == max);
    BOOST_TEST(whole.usage.total_tokens.value() == max);
    BOOST_TEST((decode_stream(last + "\n", 0).usage == whole.usage));
}

BOOST_AUTO_TEST_CASE(bad_answers_are_typed_errors) {
    auto const malformed = [](const llmap::error& e) {
        return e.code() == llmap::errc::malformed_response;
    };
    for (std::string_view body : {
             R"([])",
             R"({"model":"m","done":true})",                                 // no message
             R"({"message":"hi"})",                                          // not an object
             R"({"message":{"content":42}})",                                // not a string
             R"({"message":{"content":"","tool_calls":{}}})",                // not an array
             R"({"message":{"content":"","tool_calls":[3]}})",               // not an object
             R"({"message":{"content":"","tool_calls":[{}]}})",              // no function
             R"({"message":{"content":"","tool_calls":[{"function":{}}]}})", // no name
             R"({"message":{"content":"","tool_calls":[{"function":{"name":"f","arguments":3}}]}})",
             R"({"message":{"content":""},"eval_count":-1})", // not a count
             R"({"message":{"content":""},"done_reason":5})",
         })
        BOOST_CHECK_EXCEPTION(wire::parse_chat_response(json::parse(body)), llmap::error,
                              malformed);
    BOOST_CHECK_EXCEPTION(wire::parse_chat_response(json::parse(R"({"error":"boom"})")),
                          llmap::error, [](const llmap::error& e) {
                              return e.code() == llmap::errc::http_error &&
                                     std::string_view(e.what()).find("boom") !=
                                         std::string_view::npos;
                          });
}

BOOST_AUTO_TEST_CASE(bad_streams_are_typed_errors) {
    std::string const line =
        R"({"model":"m","created_at":"t","message":{"role":"assistant","content":"Hi"},"done":false})"
        "\n";
    std::string const last =
        R"({"model":"m","created_at":"t","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":3,"eval_count":1})"
        "\n";
    auto const fails = [](std::string const& body, llmap::errc code, std::string_view what) {
        for (unsigned mode = 0; mode != 4; ++mode) {
            try {
                (void)decode_stream(body, mode);
                BOOST_ERROR("no exception for " << what);
            } catch (const llmap::error& e) {
                BOOST_TEST((e.code() == code), what << ": " << e.what());
            }
        }
    };
    BOOST_TEST(decode_stream(line + last, 0).text() == "Hi");
    fails(line, llmap::errc::malformed_response, "a stream without its final line");
    fails(line + "{not json}\n" + last, llmap::errc::malformed_response, "a line that is not JSON");
    fails(line + "[1]\n" + last, llmap::errc::malformed_response, "a line that is not an object");
    fails(line +
              R"({"message":{"content":1}})"
              "\n" +
              last,
          llmap::errc::malformed_response, "a content that is not a string");
    fails(line + R"({"message":{"content":""},"done":"yes"})"
                 "\n",
          llmap::errc::malformed_response, "a done that is not a boolean");
    fails(line +
              R"({"message":{"tool_calls":"x"}})"
              "\n" +
              last,
          llmap::errc::malformed_response, "tool calls that are not an array");
    fails(line + R"({"error":"an error was encountered while running the model"})"
                 "\n",
          llmap::errc::http_error, "an error line mid-stream");
}

BOOST_AUTO_TEST_SUITE_END()
