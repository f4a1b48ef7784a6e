//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The Messages wire format against recorded traffic: every answer and stream of the AI SDK's
// Anthropic fixtures and of Rig's Anthropic cassettes, streams replayed whole, byte by byte
// and in random splits. Expectations are read from the fixtures by the minimal JSON walk
// below, not from llmap. For Rig's cassettes the recorded request is also rebuilt as a
// unified request, and llmap's body for it must equal the recorded one.

#define BOOST_TEST_MODULE provider_anthropic
#include "../../support/fixtures.hpp"

#include <llmap/http/sse.hpp>
#include <llmap/providers/anthropic/messages_wire.hpp>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <set>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace wire = llmap::anthropic_api::wire;

namespace {

// ---- expectations, read straight from the recorded JSON -------------------------------------

struct expected_call {
    std::string id, name, arguments;
};

struct expected {
    std::string text, reasoning, finish;
    std::optional<json::value> json_answer; // the JSON tool's input
    std::vector<expected_call> calls;
    std::vector<std::string> signatures, redacted;
    std::size_t sources = 0;
    std::size_t skipped = 0; // blocks without a unified form
    std::optional<std::int64_t> input, output, cache_read, cache_write;
};

std::string str(const json::object& o, std::string_view key) {
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Anthropic's input count excludes the cache; the unified one includes both cache counts.
void read_usage(const json::object& u, std::map<std::string, std::int64_t>& into) {
    for (auto const& kv : u)
        if (kv.value().is_int64() || kv.value().is_uint64())
            into[std::string(kv.key())] = kv.value().to_number<std::int64_t>();
}

void finish_usage(const std::map<std::string, std::int64_t>& u, expected& e) {
    auto get = [&](const char* k) -> std::optional<std::int64_t> {
        auto it = u.find(k);
        return it == u.end() ? std::nullopt : std::optional<std::int64_t>(it->second);
    };
    e.cache_read = get("cache_read_input_tokens");
    e.cache_write = get("cache_creation_input_tokens");
    if (auto i = get("input_tokens"))
        e.input = *i + e.cache_read.value_or(0) + e.cache_write.value_or(0);
    e.output = get("output_tokens");
}

std::size_t web_results(const json::object& block) {
    std::size_t n = 0;
    if (auto const* c = block.if_contains("content"); c && c->is_array())
        for (auto const& r : c->as_array())
            n += str(r.as_object(), "type") == "web_search_result";
    return n;
}

expected expect_from_answer(const json::object& o, bool json_tool) {
    expected e;
    for (auto const& bv : o.at("content").as_array()) {
        auto const& b = bv.as_object();
        std::string const type = str(b, "type");
        if (type == "text")
            e.text += json_tool ? "" : str(b, "text"); // a preamble to the JSON answer
        else if (type == "thinking")
            e.reasoning += str(b, "thinking"), e.signatures.push_back(str(b, "signature"));
        else if (type == "redacted_thinking")
            e.redacted.push_back(str(b, "data"));
        else if (type == "tool_use" && json_tool && str(b, "name") == "json")
            e.json_answer = b.at("input");
        else if (type == "tool_use")
            e.calls.push_back({str(b, "id"), str(b, "name"), json::serialize(b.at("input"))});
        else if (type == "web_search_tool_result")
            e.sources += web_results(b);
        else
            ++e.skipped;
    }
    e.finish = str(o, "stop_reason");
    std::map<std::string, std::int64_t> u;
    if (auto const* uv = o.if_contains("usage"); uv && uv->is_object())
        read_usage(uv->as_object(), u);
    finish_usage(u, e);
    return e;
}

expected expect_from_events(const std::vector<std::string>& datas, bool json_tool) {
    expected e;
    std::map<std::int64_t, std::string> kind; // index -> block type ("json" for the JSON tool)
    std::map<std::int64_t, std::size_t> call_of;
    std::map<std::int64_t, std::string> start_input;
    std::string json_text;
    std::map<std::string, std::int64_t> u;
    for (auto const& d : datas) {
        if (d == "[DONE]") // a gateway's OpenAI-style end, after message_stop
            continue;
        auto const v = json::parse(d);
        auto const& o = v.as_object();
        std::string const type = str(o, "type");
        auto start_block = [&](std::int64_t i, const json::object& b) {
            std::string t = str(b, "type");
            if (t == "text" && json_tool)
                t = "preamble";
            else if (t == "text")
                e.text += str(b, "text");
            else if (t == "thinking")
                e.signatures.emplace_back();
            else if (t == "redacted_thinking")
                e.redacted.push_back(str(b, "data"));
            else if (t == "tool_use" && json_tool && str(b, "name") == "json")
                t = "json";
            else if (t == "tool_use")
                call_of[i] = e.calls.size(), e.calls.push_back({str(b, "id"), str(b, "name"), ""}),
                start_input[i] = json::serialize(b.at("input"));
            else if (t == "web_search_tool_result")
                e.sources += web_results(b);
            else if (t != "preamble")
                ++e.skipped;
            kind[i] = t;
        };
        if (type == "message_start") {
            auto const& m = o.at("message").as_object();
            if (auto const* uv = m.if_contains("usage"))
                read_usage(uv->as_object(), u);
            if (auto const* c = m.if_contains("content"); c && c->is_array())
                for (std::size_t k = 0; k != c->as_array().size(); ++k)
                    start_block(-1 - static_cast<std::int64_t>(k), c->as_array()[k].as_object());
            if (auto s = str(m, "stop_reason"); !s.empty())
                e.finish = s;
        } else if (type == "content_block_start") {
            start_block(o.at("index").to_number<std::int64_t>(), o.at("content_block").as_object());
        } else if (type == "content_block_delta") {
            auto const i = o.at("index").to_number<std::int64_t>();
            auto const& dl = o.at("delta").as_object();
            std::string const t = str(dl, "type");
            if (t == "text_delta" && kind[i] == "text")
                e.text += str(dl, "text");
            else if (t == "thinking_delta")
                e.reasoning += str(dl, "thinking");
            else if (t == "signature_delta")
                e.signatures.back() += str(dl, "signature");
            else if (t == "input_json_delta" && kind[i] == "json")
                json_text += str(dl, "partial_json");
            else if (t == "input_json_delta" && kind[i] == "tool_use")
                e.calls[call_of[i]].arguments += str(dl, "partial_json");
        } else if (type == "message_delta") {
            if (auto s = str(o.at("delta").as_object(), "stop_reason"); !s.empty())
                e.finish = s;
            if (auto const* uv = o.if_contains("usage"); uv && uv->is_object())
                read_usage(uv->as_object(), u);
        }
    }
    // A call whose input came whole with its start, and no deltas.
    for (auto const& [i, c] : call_of)
        if (e.calls[c].arguments.empty() && start_input[i] != "{}")
            e.calls[c].arguments = start_input[i];
    if (!json_text.empty())
        e.json_answer = json::parse(json_text);
    finish_usage(u, e);
    return e;
}

void check(const llmap::response& r, const expected& e, const std::string& name) {
    if (e.json_answer)
        BOOST_TEST((json::parse(r.text()) == *e.json_answer), name);
    else
        BOOST_TEST(r.text() == e.text, name);
    BOOST_TEST(r.reasoning_text() == e.reasoning, name);
    BOOST_TEST(r.raw_finish_reason == e.finish, name);
    std::vector<std::string> signatures, redacted;
    std::size_t sources = 0;
    for (auto const& p : r.content) {
        if (auto const* th = std::get_if<llmap::reasoning_part>(&p))
            (th->redacted ? redacted : signatures)
                .push_back(th->redacted ? th->text : th->signature);
        sources += std::holds_alternative<llmap::source_part>(p);
    }
    BOOST_TEST(signatures == e.signatures, name);
    BOOST_TEST(redacted == e.redacted, name);
    BOOST_TEST(sources == e.sources, name);
    auto const calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == e.calls.size(), name);
    for (std::size_t i = 0; i != calls.size(); ++i) {
        BOOST_TEST(calls[i].id == e.calls[i].id, name);
        BOOST_TEST(calls[i].name == e.calls[i].name, name);
        auto const args = e.calls[i].arguments.empty() ? json::value(json::object())
                                                       : json::parse(e.calls[i].arguments);
        BOOST_TEST((calls[i].arguments == args), name);
    }
    BOOST_TEST((r.usage.input_tokens == e.input), name);
    BOOST_TEST((r.usage.output_tokens == e.output), name);
    BOOST_TEST((r.usage.cache_read_tokens == e.cache_read), name);
    BOOST_TEST((r.usage.cache_write_tokens == e.cache_write), name);
}

// ---- replay ------------------------------------------------------------------------------------

// The data of each SSE event of a recorded body, by the simplest reading of the format.
std::vector<std::string> sse_datas(std::string_view body) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < body.size()) {
        std::size_t end = body.find('\n', at);
        if (end == std::string_view::npos)
            end = body.size();
        std::string_view line = body.substr(at, end - at);
        if (line.ends_with('\r'))
            line.remove_suffix(1);
        if (line.starts_with("data:")) {
            line.remove_prefix(5);
            if (line.starts_with(' '))
                line.remove_prefix(1);
            out.emplace_back(line);
        }
        at = end + 1;
    }
    return out;
}

// As Anthropic sends it: `event: TYPE` before each `data:` line.
std::string anthropic_sse(const std::vector<std::string>& lines) {
    std::string out;
    for (auto const& l : lines)
        out += "event: " + std::string(json::parse(l).at("type").as_string()) + "\ndata: " + l +
               "\n\n";
    return out;
}

template <class Decoder>
llmap::response replay_stream(std::string_view body, unsigned mode) {
    llmap::http::sse_parser sse;
    Decoder decoder;
    llmap::stream_accumulator acc;
    fx::feed_split(body, mode, [&](std::string_view bytes) {
        sse.feed(bytes, [&](const llmap::http::sse_event& ev) {
            if (!decoder.done())
                decoder.on_data(ev.data, [&](llmap::stream_event&& e) { acc.add(e); });
        });
    });
    BOOST_TEST(!sse.has_partial_event());
    if (!decoder.done())
        decoder.finish([&](llmap::stream_event&& e) { acc.add(e); });
    return std::move(acc).finish();
}

llmap::response replay(std::string_view body, unsigned mode, bool json_tool) {
    return json_tool ? replay_stream<wire::json_tool_stream_decoder>(body, mode)
                     : replay_stream<wire::messages_stream_decoder>(body, mode);
}

// The modes every stream is replayed in: whole, byte by byte, and five random splittings.
constexpr unsigned modes[] = {0, 1, 2, 3, 4, 5, 6};

// The AI SDK fixtures asked for a JSON answer through the JSON tool in these.
bool asked_json_tool(const std::string& file) {
    return file.find("json-tool") != std::string::npos ||
           file.find("json-other-tool") != std::string::npos;
}

bool is_messages(const fx::exchange& e) {
    return e.method == "POST" && e.path.ends_with("/v1/messages");
}

bool requested_stream(const fx::exchange& e) {
    auto const v = json::parse(e.request_body);
    auto const* s = v.as_object().if_contains("stream");
    return s && s->is_bool() && s->as_bool();
}

} // namespace

BOOST_AUTO_TEST_SUITE(anthropic_wire)

BOOST_AUTO_TEST_CASE(aisdk_answers) {
    std::size_t n = 0, skipped_blocks = 0, out_of_scope = 0;
    auto const dir = fx::root() / "aisdk" / "anthropic";
    for (auto const& f : fx::files(dir, ".json")) {
        std::string const name = f.filename().string();
        if (f.parent_path().filename() == "skills") { // the Skills API, not Messages
            ++out_of_scope;
            continue;
        }
        bool const json_tool = asked_json_tool(name);
        auto const body = json::parse(fx::read_file(f));
        auto const e = expect_from_answer(body.as_object(), json_tool);
        auto const r = wire::parse_messages_response(body, "anthropic", json_tool);
        check(r, e, name);
        // One warning per block left out, naming its type.
        BOOST_TEST(r.warnings.size() == e.skipped, name);
        BOOST_TEST((r.raw == body), name);
        BOOST_TEST(r.id == str(body.as_object(), "id"), name);
        skipped_blocks += e.skipped;
        ++n;
    }
    BOOST_TEST(n == 23u);
    std::cout << "anthropic_wire/aisdk_answers: " << n << " answers replayed; " << skipped_blocks
              << " server-tool/other blocks left out with a warning; " << out_of_scope
              << " skipped (skills/: the Skills API, not Messages)\n";
}

BOOST_AUTO_TEST_CASE(aisdk_streams) {
    std::size_t files = 0, n = 0, multi_step = 0, skipped_blocks = 0, rejected = 0;
    for (auto const& f : fx::files(fx::root() / "aisdk" / "anthropic", ".chunks.txt")) {
        std::string const name = f.filename().string();
        bool const json_tool = asked_json_tool(name);
        auto const all_lines = fx::chunk_lines(f);
        if (name == "spliced-message-start.chunks.txt") {
            std::string const body = anthropic_sse(all_lines);
            // A second message starts while the first is open: never a silent merge.
            for (unsigned mode : modes)
                BOOST_CHECK_EXCEPTION(replay(body, mode, false), llmap::error,
                                      [](const llmap::error& e) {
                                          return e.code() == llmap::errc::malformed_response &&
                                                 std::string_view(e.what()).find("msg_second") !=
                                                     std::string_view::npos;
                                      });
            ++rejected;
            continue;
        }
        // The steps of a multi-step call are recorded one after the other in one file: each
        // message (up to its message_stop) is one HTTP response.
        std::vector<std::vector<std::string>> messages(1);
        for (auto const& l : all_lines) {
            messages.back().push_back(l);
            if (json::parse(l).at("type") == "message_stop")
                messages.emplace_back();
        }
        if (messages.back().empty())
            messages.pop_back();
        multi_step += messages.size() > 1;
        for (auto const& lines : messages) {
            std::string const body = anthropic_sse(lines);
            auto const e = expect_from_events(lines, json_tool);
            llmap::response first;
            for (unsigned mode : modes) {
                auto const r = replay(body, mode, json_tool);
                check(r, e, name + " mode " + std::to_string(mode));
                // One warning per block left out, as in a whole answer.
                BOOST_TEST(r.warnings.size() == e.skipped, name);
                if (mode == 0)
                    first = r;
                else
                    BOOST_TEST((r == first), name << " mode " << mode);
            }
            BOOST_TEST(first.id == str(json::parse(lines.front()).at("message").as_object(), "id"));
            skipped_blocks += e.skipped;
            ++n;
        }
        ++files;
    }
    BOOST_TEST(files == 27u);
    std::cout << "anthropic_wire/aisdk_streams: " << files << " files, " << n
              << " streams (a multi-step file holds one per step; " << multi_step
              << " such files) replayed x" << std::size(modes) << " splittings; " << rejected
              << " spliced stream rejected; " << skipped_blocks
              << " server-tool/other blocks left out\n";
}

BOOST_AUTO_TEST_CASE(rig_answers_and_streams) {
    std::size_t answers = 0, streams = 0, errors = 0, out_of_scope = 0, skipped_blocks = 0,
                repaired = 0;
    for (auto const& e : fx::rig_exchanges("anthropic")) {
        if (!is_messages(e)) { // Files API uploads and deletes, the Models API
            ++out_of_scope;
            continue;
        }
        if (e.status != 200) {
            ++errors; // mapped to llmap::error in provider.cpp, over HTTP
            continue;
        }
        if (requested_stream(e)) {
            // One recording lost the blank line that ends its last event (message_stop), which
            // a real stream has: restored, and counted.
            std::string body = e.response_body;
            if (!body.ends_with("\n\n")) {
                body += body.ends_with('\n') ? "\n" : "\n\n";
                ++repaired;
            }
            auto const datas = sse_datas(body);
            auto const ex = expect_from_events(datas, false);
            llmap::response first;
            for (unsigned mode : modes) {
                auto const r = replay(body, mode, false);
                check(r, ex, e.name() + " mode " + std::to_string(mode));
                BOOST_TEST(r.warnings.size() == ex.skipped, e.name());
                if (mode == 0)
                    first = r;
                else
                    BOOST_TEST((r == first), e.name());
            }
            skipped_blocks += ex.skipped;
            ++streams;
        } else {
            auto const body = json::parse(e.response_body);
            auto const ex = expect_from_answer(body.as_object(), false);
            auto const r = wire::parse_messages_response(body);
            check(r, ex, e.name());
            BOOST_TEST(r.warnings.size() == ex.skipped, e.name());
            skipped_blocks += ex.skipped;
            ++answers;
        }
    }
    BOOST_TEST(answers > 100u);
    BOOST_TEST(streams > 50u);
    std::cout << "anthropic_wire/rig_answers_and_streams: " << answers << " answers, " << streams
              << " streams replayed (" << std::size(modes) << " splittings each); " << errors
              << " error answers (replayed over HTTP); " << skipped_blocks
              << " server-tool blocks left out; " << repaired
              << " recording(s) missing the final blank line restored; " << out_of_scope
              << " exchanges skipped (Files API and Models API: not Messages)\n";
}

// A server-tool block is left out with the same warning whether the answer is streamed or
// not, so the two responses agree.
// Counts at INT64_MAX: the unified input (input + both cache counts) saturates instead of
// overflowing, streamed or not.
BOOST_AUTO_TEST_CASE(usage_at_int64_max_saturates) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    std::string const counts = R"("usage":{"input_tokens":9223372036854775807,)"
                               R"("cache_read_input_tokens":9223372036854775807,)"
                               R"("cache_creation_input_tokens":1,)"
                               R"("output_tokens":9223372036854775807})";
    auto const whole = wire::parse_messages_response(
        json::parse(R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],)"
                    R"("stop_reason":"end_turn",)" +
                    counts + "}"));
    BOOST_TEST(whole.usage.input_tokens.value() == max);
    BOOST_TEST(whole.usage.cache_read_tokens.value() == max);
    BOOST_TEST(whole.usage.cache_write_tokens.value() == 1);
    BOOST_TEST(whole.usage.total() == max);
    std::vector<std::string> const lines = {
        R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",)"
        R"("model":"m","content":[],"stop_reason":null,)" +
            counts + "}}",
        R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},)" + counts + "}",
        R"({"type":"message_stop"})"};
    auto const streamed = replay(anthropic_sse(lines), 0, false);
    BOOST_TEST((streamed.usage == whole.usage));
}

BOOST_AUTO_TEST_CASE(left_out_blocks_warn_alike_streamed_or_not) {
    auto const answer = json::parse(R"({"id":"msg_1","type":"message","role":"assistant",
        "model":"claude-sonnet-4-5","content":[
        {"type":"server_tool_use","id":"srvtoolu_1","name":"code_execution","input":{"code":"1"}},
        {"type":"text","text":"Done."}],
        "stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":2}})");
    std::vector<std::string> const events = {
        R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",
            "model":"claude-sonnet-4-5","content":[],"stop_reason":null,
            "usage":{"input_tokens":3,"output_tokens":0}}})",
        R"({"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use",
            "id":"srvtoolu_1","name":"code_execution","input":{}}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta",
            "partial_json":"{\"code\":\"1\"}"}})",
        R"({"type":"content_block_stop","index":0})",
        R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})",
        R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Done."}})",
        R"({"type":"content_block_stop","index":1})",
        R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}})",
        R"({"type":"message_stop"})"};
    std::vector<std::string> lines;
    for (auto const& e : events)
        lines.push_back(json::serialize(json::parse(e)));
    auto const whole = wire::parse_messages_response(answer);
    BOOST_TEST_REQUIRE(whole.warnings.size() == 1u);
    BOOST_TEST(whole.warnings[0].message.find("'server_tool_use'") != std::string::npos);
    for (unsigned mode : modes) {
        auto const streamed = replay(anthropic_sse(lines), mode, false);
        BOOST_TEST((streamed.warnings == whole.warnings), "mode " << mode);
        BOOST_TEST(streamed.text() == whole.text());
    }
}

BOOST_AUTO_TEST_SUITE_END()
