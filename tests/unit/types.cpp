//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Tests of the unified data model: include/llmap/types/*.hpp and detail/base64.hpp.

#include <llmap/detail/base64.hpp>
#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

template <class T>
T round_trip(const T& x) {
    return json::value_to<T>(json::value_from(x));
}

llmap::stream_event ev(auto data) {
    return llmap::stream_event{.data = std::move(data)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(types)

BOOST_AUTO_TEST_CASE(message_text_concatenates_text_parts_only) {
    llmap::message m{
        .role = llmap::role::assistant,
        .content = {llmap::text_part{"Hello, "}, llmap::image_part::from_url("https://x/cat.png"),
                    llmap::reasoning_part{.text = "thinking"}, llmap::text_part{"world"},
                    llmap::tool_call_part{.id = "c1", .name = "f"}}};
    BOOST_TEST(m.text() == "Hello, world");
    BOOST_TEST(llmap::message{}.text() == "");

    const auto u = llmap::message::user("hi");
    BOOST_TEST((u.role == llmap::role::user));
    BOOST_TEST(u.content.size() == 1u);
    BOOST_TEST(u.text() == "hi");
    BOOST_TEST((llmap::message::system("s").role == llmap::role::system));
    BOOST_TEST((llmap::message::assistant("a").role == llmap::role::assistant));
}

BOOST_AUTO_TEST_CASE(role_names) {
    for (auto r :
         {llmap::role::system, llmap::role::user, llmap::role::assistant, llmap::role::tool})
        BOOST_TEST((llmap::role_from_string(llmap::to_string(r)) == r));
    BOOST_TEST(llmap::to_string(llmap::role::assistant) == "assistant");
    BOOST_TEST(!llmap::role_from_string("User").has_value());
    BOOST_TEST(!llmap::role_from_string("").has_value());
    BOOST_TEST(!llmap::role_from_string("developer").has_value());
    static_assert(llmap::role_from_string("tool") == llmap::role::tool);
}

BOOST_AUTO_TEST_CASE(content_part_factories) {
    const auto url = llmap::image_part::from_url("https://x/a.png");
    BOOST_TEST(url.is_url());
    BOOST_TEST(url.media_type == "");
    const auto img = llmap::image_part::from_bytes({1, 2, 3}, "image/png");
    BOOST_TEST(!img.is_url());
    BOOST_TEST((img.data == std::vector<std::uint8_t>{1, 2, 3}));
    BOOST_TEST(img.media_type == "image/png");
    const auto f = llmap::file_part::from_bytes(bytes_of("%PDF"), "application/pdf", "a.pdf");
    BOOST_TEST(f.filename == "a.pdf");
    BOOST_TEST(llmap::file_part::from_url("https://x/a.pdf").is_url());
    // A call without arguments has an empty object, not null, so providers can send it as is.
    BOOST_TEST((llmap::tool_call_part{}.arguments == json::object()));
}

BOOST_AUTO_TEST_CASE(request_designated_initializers_and_all_messages) {
    const llmap::request brief{.system = "Be brief.", .prompt = "Hi"};
    auto all = brief.all_messages();
    BOOST_TEST_REQUIRE(all.size() == 2u);
    BOOST_TEST((all[0] == llmap::message::system("Be brief.")));
    BOOST_TEST((all[1] == llmap::message::user("Hi")));

    const llmap::request full{
        .system = "sys",
        .prompt = "last",
        .messages = {llmap::message::user("first"), llmap::message::assistant("second")},
        .max_output_tokens = 100,
        .temperature = 0.5,
        .top_k = 40,
        .stop_sequences = {"END"},
        .seed = 7,
        .tools = {llmap::tool{.name = "f"}},
        .tool_choice = llmap::tool_choice::specific("f"),
        .format = llmap::response_format::json(),
        .reasoning = llmap::reasoning_effort::low,
        .provider_options = {{"openai", {{"service_tier", "flex"}}}},
        .headers = {{"x-trace", "1"}},
        .timeout = 30s,
    };
    all = full.all_messages();
    BOOST_TEST_REQUIRE(all.size() == 4u);
    BOOST_TEST(all[0].text() == "sys");
    BOOST_TEST((all[0].role == llmap::role::system));
    BOOST_TEST(all[1].text() == "first");
    BOOST_TEST(all[2].text() == "second");
    BOOST_TEST(all[3].text() == "last");
    BOOST_TEST((all[3].role == llmap::role::user));
    BOOST_TEST(!full.top_p.has_value());

    // Without the shorthands the conversation is just the messages.
    const llmap::request plain{.messages = {llmap::message::user("only")}};
    BOOST_TEST((plain.all_messages() == plain.messages));
    BOOST_TEST(llmap::request{}.all_messages().empty());
}

BOOST_AUTO_TEST_CASE(tool_choice_response_format_and_effort) {
    using kind = llmap::tool_choice::kind;
    BOOST_TEST((llmap::tool_choice{}.mode == kind::auto_));
    BOOST_TEST((llmap::tool_choice::auto_choice() == llmap::tool_choice{}));
    BOOST_TEST((llmap::tool_choice::none().mode == kind::none));
    BOOST_TEST((llmap::tool_choice::required().mode == kind::required));
    const auto specific = llmap::tool_choice::specific("search");
    BOOST_TEST((specific.mode == kind::tool));
    BOOST_TEST(specific.tool_name == "search");

    using fkind = llmap::response_format::kind;
    BOOST_TEST((llmap::response_format{}.type == fkind::text));
    BOOST_TEST((llmap::response_format::text() == llmap::response_format{}));
    BOOST_TEST((llmap::response_format::json().type == fkind::json));
    const auto schema = llmap::response_format::json_schema("person", {{"type", "object"}}, false);
    BOOST_TEST((schema.type == fkind::json_schema));
    BOOST_TEST(schema.name == "person");
    BOOST_TEST((schema.schema == json::object{{"type", "object"}}));
    BOOST_TEST(!schema.strict);

    for (auto e : {llmap::reasoning_effort::none, llmap::reasoning_effort::minimal,
                   llmap::reasoning_effort::low, llmap::reasoning_effort::medium,
                   llmap::reasoning_effort::high})
        BOOST_TEST((llmap::reasoning_effort_from_string(llmap::to_string(e)) == e));
    BOOST_TEST(!llmap::reasoning_effort_from_string("max").has_value());
}

BOOST_AUTO_TEST_CASE(finish_reason_names) {
    for (auto r :
         {llmap::finish_reason::stop, llmap::finish_reason::length,
          llmap::finish_reason::content_filter, llmap::finish_reason::tool_calls,
          llmap::finish_reason::error, llmap::finish_reason::other, llmap::finish_reason::unknown})
        BOOST_TEST((llmap::finish_reason_from_string(llmap::to_string(r)) == r));
    BOOST_TEST(llmap::to_string(llmap::finish_reason::tool_calls) == "tool_calls");
    BOOST_TEST(!llmap::finish_reason_from_string("end_turn").has_value());
}

BOOST_AUTO_TEST_CASE(usage_addition_and_total) {
    llmap::usage a{.input_tokens = 10, .output_tokens = 5, .reasoning_tokens = 2};
    const llmap::usage b{.output_tokens = 7, .cache_read_tokens = 3};
    a += b;
    BOOST_TEST(a.input_tokens.value() == 10);
    BOOST_TEST(a.output_tokens.value() == 12);
    BOOST_TEST(a.cache_read_tokens.value() == 3);
    BOOST_TEST(a.reasoning_tokens.value() == 2);
    // Absent from both operands stays absent: "not reported" is not "zero".
    BOOST_TEST(!a.total_tokens.has_value());
    BOOST_TEST(!a.cache_write_tokens.has_value());
    BOOST_TEST(a.total() == 22);

    BOOST_TEST(llmap::usage{}.total() == 0);
    BOOST_TEST((llmap::usage{} + llmap::usage{} == llmap::usage{}));
    BOOST_TEST(
        (llmap::usage{.input_tokens = 1, .output_tokens = 1, .total_tokens = 9}.total() == 9));

    // An operand without total_tokens contributes its total(), so totals stay consistent.
    const llmap::usage with_total{.input_tokens = 10, .output_tokens = 5, .total_tokens = 15};
    const llmap::usage without{.input_tokens = 3, .output_tokens = 2};
    const auto sum = with_total + without;
    BOOST_TEST(sum.total_tokens.value() == 20);
    BOOST_TEST(sum.total() == sum.input_tokens.value() + sum.output_tokens.value());
    BOOST_TEST(((without + with_total) == sum));
}

// A server may report any count up to INT64_MAX: sums clamp there instead of overflowing (the
// test build traps signed overflow), and stay put once clamped.
BOOST_AUTO_TEST_CASE(usage_sums_saturate) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    BOOST_TEST((llmap::usage{.input_tokens = max, .output_tokens = 1}.total() == max));
    BOOST_TEST((llmap::usage{.input_tokens = max, .output_tokens = max}.total() == max));

    llmap::usage a{.input_tokens = max,
                   .output_tokens = max,
                   .cache_read_tokens = max,
                   .cache_write_tokens = max,
                   .reasoning_tokens = max};
    a += llmap::usage{.input_tokens = 7,
                      .output_tokens = 7,
                      .cache_read_tokens = 7,
                      .cache_write_tokens = 7,
                      .reasoning_tokens = 7};
    BOOST_TEST((a == llmap::usage{max, max, std::nullopt, max, max, max}));
    BOOST_TEST(a.total() == max);
    a += llmap::usage{.total_tokens = max};
    BOOST_TEST(a.total_tokens.value() == max);

    // Counts a caller builds may be negative: the other end clamps too.
    BOOST_TEST((llmap::usage{.input_tokens = min, .output_tokens = -1}.total() == min));
    BOOST_TEST((llmap::usage{.input_tokens = min, .output_tokens = max}.total() == -1));
    BOOST_TEST((llmap::usage{.input_tokens = max - 1, .output_tokens = 1}.total() == max));
}

BOOST_AUTO_TEST_CASE(response_accessors) {
    llmap::response r{
        .content = {llmap::reasoning_part{.text = "Let me think. "},
                    llmap::reasoning_part{.text = "opaque", .redacted = true},
                    llmap::reasoning_part{.text = "Done."}, llmap::text_part{"A"},
                    llmap::tool_call_part{.id = "1", .name = "f", .arguments = {{"x", 1}}},
                    llmap::text_part{"B"}, llmap::tool_call_part{.id = "2", .name = "g"}},
        .finish = llmap::finish_reason::tool_calls,
    };
    BOOST_TEST(r.text() == "AB");
    BOOST_TEST(r.reasoning_text() == "Let me think. Done.");
    const auto calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 2u);
    BOOST_TEST(calls[0].name == "f");
    BOOST_TEST((calls[0].arguments == json::value{{"x", 1}}));
    BOOST_TEST(calls[1].id == "2");
}

BOOST_AUTO_TEST_CASE(accumulator_joins_split_text_deltas) {
    llmap::stream_accumulator acc;
    acc.add(ev(llmap::response_metadata{.id = "resp_1", .model = "m-1"}));
    acc.add(ev(llmap::text_delta{"t0", "Hel"}));
    acc.add(ev(llmap::text_delta{"t0", ""}));
    acc.add(ev(llmap::text_delta{"t0", "lo"}));
    BOOST_TEST(acc.current().text() == "Hello");
    acc.add(ev(llmap::text_delta{"t1", " again"})); // another id: another part
    acc.add(ev(llmap::usage_event{{.input_tokens = 4}}));
    acc.add(ev(llmap::usage_event{{.output_tokens = 6}}));
    acc.add(ev(llmap::usage_event{{.output_tokens = 1}}));
    acc.add(ev(llmap::finish_event{llmap::finish_reason::stop, "end_turn"}));
    acc.add(ev(llmap::response_metadata{.model = ""})); // unknown values keep earlier ones

    const llmap::response r = std::move(acc).finish();
    BOOST_TEST_REQUIRE(r.content.size() == 2u);
    BOOST_TEST(std::get<llmap::text_part>(r.content[0]).text == "Hello");
    BOOST_TEST(std::get<llmap::text_part>(r.content[1]).text == " again");
    BOOST_TEST(r.text() == "Hello again");
    BOOST_TEST(r.usage.input_tokens.value() == 4);
    BOOST_TEST(r.usage.output_tokens.value() == 7);
    BOOST_TEST((r.finish == llmap::finish_reason::stop));
    BOOST_TEST(r.raw_finish_reason == "end_turn");
    BOOST_TEST(r.id == "resp_1");
    BOOST_TEST(r.model == "m-1");
    BOOST_TEST(r.warnings.empty());
    BOOST_TEST(r.raw.is_null());
}

BOOST_AUTO_TEST_CASE(accumulator_keeps_interleaved_parallel_tool_calls_apart) {
    llmap::stream_accumulator acc;
    acc.add(ev(llmap::text_delta{"t", "Checking."}));
    acc.add(ev(llmap::tool_call_start{"A", "weather"}));
    acc.add(ev(llmap::tool_call_start{"B", "time"}));
    acc.add(ev(llmap::tool_call_delta{"A", R"({"city":)"}));
    acc.add(ev(llmap::tool_call_delta{"B", R"({"zone":"UTC"})"}));
    acc.add(ev(llmap::tool_call_delta{"A", R"("Oslo"})"}));
    // Before their end the calls are in place, with empty arguments.
    BOOST_TEST(acc.current().tool_calls().size() == 2u);
    BOOST_TEST((acc.current().tool_calls()[0].arguments == json::object()));
    acc.add(ev(llmap::tool_call_end{"B"}));
    acc.add(ev(llmap::tool_call_end{"A"}));
    acc.add(ev(llmap::tool_call_end{"A"})); // a duplicate end changes nothing
    acc.add(ev(llmap::finish_event{llmap::finish_reason::tool_calls, "tool_calls"}));

    const llmap::response r = std::move(acc).finish();
    BOOST_TEST(r.text() == "Checking.");
    const auto calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 2u);
    BOOST_TEST(calls[0].id == "A");
    BOOST_TEST(calls[0].name == "weather");
    BOOST_TEST((calls[0].arguments == json::parse(R"({"city":"Oslo"})")));
    BOOST_TEST(calls[1].id == "B");
    BOOST_TEST(calls[1].name == "time");
    BOOST_TEST((calls[1].arguments == json::parse(R"({"zone":"UTC"})")));
    BOOST_TEST(r.warnings.empty());
    BOOST_TEST((r.finish == llmap::finish_reason::tool_calls));
    // The text part comes first: parts keep stream order.
    BOOST_TEST(std::holds_alternative<llmap::text_part>(r.content[0]));
}

BOOST_AUTO_TEST_CASE(accumulator_keeps_invalid_tool_arguments_as_string_with_warning) {
    llmap::stream_accumulator acc;
    acc.add(ev(llmap::tool_call_start{"c1", "f"}));
    acc.add(ev(llmap::tool_call_delta{"c1", R"({"a": 1,)"}));
    BOOST_CHECK_NO_THROW(acc.add(ev(llmap::tool_call_end{"c1"})));
    acc.add(ev(llmap::tool_call_start{"c2", "g"}));
    acc.add(ev(llmap::tool_call_delta{"c2", "  "}));
    acc.add(ev(llmap::tool_call_end{"c2"}));
    // `null` (Cohere's arguments for a call without any), in pieces and spaced, means none.
    acc.add(ev(llmap::tool_call_start{"c3", "h"}));
    acc.add(ev(llmap::tool_call_delta{"c3", " nu"}));
    acc.add(ev(llmap::tool_call_delta{"c3", "ll "}));
    acc.add(ev(llmap::tool_call_end{"c3"}));
    // Other JSON values stay as they are.
    acc.add(ev(llmap::tool_call_start{"c4", "k"}));
    acc.add(ev(llmap::tool_call_delta{"c4", "[null]"}));
    acc.add(ev(llmap::tool_call_end{"c4"}));

    const llmap::response r = std::move(acc).finish();
    const auto calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 4u);
    BOOST_TEST((calls[0].arguments == json::string(R"({"a": 1,)")));
    BOOST_TEST((calls[1].arguments == json::object())); // blank arguments mean none
    BOOST_TEST((calls[2].arguments == json::object()));
    BOOST_TEST((calls[3].arguments == json::array{nullptr}));
    BOOST_TEST_REQUIRE(r.warnings.size() == 1u);
    BOOST_TEST((r.warnings[0].type == llmap::warning::kind::other));
    BOOST_TEST(r.warnings[0].message.find("c1") != std::string::npos);
}

// A call's signature is kept on its part; a repeated start fills one the first lacked, and
// never replaces one already there.
BOOST_AUTO_TEST_CASE(accumulator_keeps_tool_call_signatures) {
    llmap::stream_accumulator acc;
    acc.add(ev(llmap::tool_call_start{.id = "a", .name = "f", .signature = "sigA"}));
    acc.add(ev(llmap::tool_call_start{.id = "b", .name = "g"}));
    acc.add(ev(llmap::tool_call_start{.id = "b", .signature = "sigB"}));
    acc.add(ev(llmap::tool_call_start{.id = "a", .name = "f", .signature = "other"}));
    acc.add(ev(llmap::tool_call_start{"c", "h"}));
    const llmap::response r = std::move(acc).finish();
    const auto calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 3u);
    BOOST_TEST(calls[0].signature == "sigA");
    BOOST_TEST(calls[1].name == "g");
    BOOST_TEST(calls[1].signature == "sigB");
    BOOST_TEST(calls[2].signature.empty());
}

// A warning from inside the stream lands in response::warnings, in order, beside the
// accumulator's own.
BOOST_AUTO_TEST_CASE(accumulator_collects_stream_warnings) {
    llmap::stream_accumulator acc;
    acc.add(ev(llmap::warning::other("first")));
    acc.add(ev(llmap::text_delta{"t", "a"}));
    acc.add(ev(llmap::warning::unsupported_setting("top_k")));
    acc.add(ev(llmap::text_delta{"t", "b"})); // a warning is not a part: the text goes on
    acc.add(ev(llmap::tool_call_start{"c", "f"}));
    acc.add(ev(llmap::tool_call_delta{"c", "{"}));
    const llmap::response r = std::move(acc).finish();
    BOOST_TEST(r.text() == "ab");
    BOOST_TEST(r.content.size() == 2u);
    BOOST_TEST_REQUIRE(r.warnings.size() == 3u);
    BOOST_TEST((r.warnings[0] == llmap::warning::other("first")));
    BOOST_TEST((r.warnings[1] == llmap::warning::unsupported_setting("top_k")));
    BOOST_TEST(r.warnings[2].message.find("not valid JSON") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(accumulator_edge_cases) {
    llmap::stream_accumulator acc;
    // Reasoning text then its signature, then a redacted block with the same id.
    acc.add(ev(llmap::reasoning_delta{.id = "r", .text = "Think"}));
    acc.add(ev(llmap::reasoning_delta{.id = "r", .text = "ing."}));
    acc.add(ev(llmap::reasoning_delta{.id = "r", .signature = "sig"}));
    acc.add(ev(llmap::reasoning_delta{.id = "r", .text = "enc", .redacted = true}));
    // A text delta with the id of text before a tool call starts a new part.
    acc.add(ev(llmap::text_delta{"t", "a"}));
    acc.add(ev(llmap::tool_call_delta{"x", R"({"k":true})"})); // no start event
    acc.add(ev(llmap::text_delta{"t", "b"}));
    acc.add(ev(llmap::tool_call_start{"y", "late"}));
    acc.add(ev(llmap::tool_call_delta{"y", "[1,"}));
    acc.add(ev(llmap::tool_call_end{"unknown"})); // ignored
    // The stream ends without the end events: finish() closes the calls.
    const llmap::response r = std::move(acc).finish();

    BOOST_TEST_REQUIRE(r.content.size() == 6u);
    const auto& thinking = std::get<llmap::reasoning_part>(r.content[0]);
    BOOST_TEST(thinking.text == "Thinking.");
    BOOST_TEST(thinking.signature == "sig");
    BOOST_TEST(!thinking.redacted);
    const auto& redacted = std::get<llmap::reasoning_part>(r.content[1]);
    BOOST_TEST(redacted.redacted);
    BOOST_TEST(redacted.text == "enc");
    BOOST_TEST(r.reasoning_text() == "Thinking.");
    BOOST_TEST(std::get<llmap::text_part>(r.content[2]).text == "a");
    const auto& x = std::get<llmap::tool_call_part>(r.content[3]);
    BOOST_TEST(x.name == "");
    BOOST_TEST((x.arguments == json::value{{"k", true}}));
    BOOST_TEST(std::get<llmap::text_part>(r.content[4]).text == "b");
    const auto& y = std::get<llmap::tool_call_part>(r.content[5]);
    BOOST_TEST((y.arguments == json::string("[1,")));
    BOOST_TEST(r.warnings.size() == 1u);
    BOOST_TEST((r.finish == llmap::finish_reason::unknown));
}

BOOST_AUTO_TEST_CASE(json_round_trips) {
    const llmap::usage u{.input_tokens = 1, .output_tokens = 2, .cache_write_tokens = 3};
    BOOST_TEST((round_trip(u) == u));
    BOOST_TEST((round_trip(llmap::usage{}) == llmap::usage{}));
    const llmap::usage all{1, 2, 3, 4, 5, 6};
    BOOST_TEST((round_trip(all) == all));

    for (auto r :
         {llmap::finish_reason::stop, llmap::finish_reason::length,
          llmap::finish_reason::content_filter, llmap::finish_reason::tool_calls,
          llmap::finish_reason::error, llmap::finish_reason::other, llmap::finish_reason::unknown})
        BOOST_TEST((round_trip(r) == r));
    for (auto r :
         {llmap::role::system, llmap::role::user, llmap::role::assistant, llmap::role::tool})
        BOOST_TEST((round_trip(r) == r));

    // The schema as in the doc comment of llmap::tool.
    const llmap::tool t{
        .name = "get_weather",
        .description = "Current weather for a city.",
        .parameters = {{"type", "object"},
                       {"properties", {{"city", {{"type", "string"}}}}},
                       {"required", {"city"}}},
    };
    BOOST_TEST((t.parameters.at("required") == json::array{"city"}));
    BOOST_TEST((round_trip(t) == t));

    const llmap::tool_call_part call{.id = "c", .name = "f", .arguments = {{"a", {1, 2}}}};
    BOOST_TEST((round_trip(call) == call));
    const llmap::tool_call_part bad{.id = "c", .name = "f", .arguments = "not json"};
    BOOST_TEST((round_trip(bad) == bad));
    // A signature is written only when there is one, and read back.
    const llmap::tool_call_part signed_call{.id = "c", .name = "f", .signature = "c2ln"};
    BOOST_TEST((round_trip(signed_call) == signed_call));
    BOOST_TEST(json::value_from(signed_call).at("signature") == "c2ln");
    BOOST_TEST(!json::value_from(call).as_object().contains("signature"));

    std::vector<std::uint8_t> every_byte(256);
    for (std::size_t i = 0; i < every_byte.size(); ++i)
        every_byte[i] = static_cast<std::uint8_t>(i);
    const llmap::message m{
        .role = llmap::role::user,
        .content = {llmap::text_part{"look"}, llmap::image_part::from_url("https://x/a.png"),
                    llmap::image_part::from_bytes(every_byte, "image/png"),
                    llmap::file_part::from_bytes(bytes_of("%PDF-1.7"), "application/pdf", "a.pdf"),
                    llmap::file_part::from_url("https://x/b.pdf", "application/pdf"),
                    llmap::tool_call_part{.id = "c", .name = "f", .arguments = {{"q", "x"}}},
                    llmap::tool_result_part{.tool_call_id = "c",
                                            .name = "f",
                                            .result = {{"ok", false}},
                                            .is_error = true},
                    llmap::reasoning_part{.text = "hmm", .signature = "s"},
                    llmap::reasoning_part{.text = "blob", .redacted = true}},
    };
    BOOST_TEST((round_trip(m) == m));
    BOOST_TEST((round_trip(llmap::message::system("")) == llmap::message::system("")));
    for (const llmap::content_part& p : m.content)
        BOOST_TEST((round_trip(p) == p));
}

BOOST_AUTO_TEST_CASE(message_json_shape) {
    const llmap::message m{
        .role = llmap::role::assistant,
        .content = {llmap::text_part{"Hi"}, llmap::image_part::from_bytes({0, 1, 2}, "image/png"),
                    llmap::tool_call_part{.id = "c1", .name = "f", .arguments = {{"x", 1}}}},
    };
    BOOST_TEST(json::serialize(json::value_from(m)) ==
               R"({"role":"assistant","content":[{"type":"text","text":"Hi"},)"
               R"({"type":"image","data":"AAEC","media_type":"image/png"},)"
               R"({"type":"tool_call","id":"c1","name":"f","arguments":{"x":1}}]})");

    BOOST_TEST(json::serialize(json::value_from(llmap::usage{.output_tokens = 3})) ==
               R"({"output_tokens":3})");
    BOOST_TEST(json::serialize(json::value_from(llmap::finish_reason::length)) == R"("length")");
    BOOST_TEST(json::serialize(json::value_from(llmap::tool{.name = "f"})) ==
               R"({"name":"f","description":"","parameters":{}})");

    // The common chat form with string content is accepted too.
    const auto plain =
        json::value_to<llmap::message>(json::parse(R"({"role":"user","content":"Hi"})"));
    BOOST_TEST((plain == llmap::message::user("Hi")));
}

BOOST_AUTO_TEST_CASE(json_conversion_rejects_malformed_input) {
    const auto message_from = [](std::string_view text) {
        return json::value_to<llmap::message>(json::parse(text));
    };
    BOOST_CHECK_THROW(message_from(R"({"role":"robot","content":[]})"), std::invalid_argument);
    BOOST_CHECK_THROW(message_from(R"({"content":[]})"), std::invalid_argument);
    BOOST_CHECK_THROW(message_from(R"({"role":"user"})"), std::invalid_argument);
    BOOST_CHECK_THROW(message_from(R"({"role":"user","content":7})"), std::invalid_argument);
    BOOST_CHECK_THROW(message_from(R"({"role":"user","content":[{"type":"video"}]})"),
                      std::invalid_argument);
    BOOST_CHECK_THROW(message_from(R"({"role":"user","content":[{"text":"no type"}]})"),
                      std::invalid_argument);
    BOOST_CHECK_THROW(message_from(R"({"role":"user","content":[{"type":"image","data":"A"}]})"),
                      std::invalid_argument);
    BOOST_CHECK_THROW(message_from("[]"), std::invalid_argument);
    BOOST_CHECK_THROW(json::value_to<llmap::text_part>(json::parse(R"({"type":"image"})")),
                      std::invalid_argument);
    BOOST_CHECK_THROW(json::value_to<llmap::usage>(json::parse(R"({"input_tokens":1.5})")),
                      std::invalid_argument);
    BOOST_CHECK_THROW(
        json::value_to<llmap::usage>(json::parse(R"({"input_tokens":18446744073709551615})")),
        std::invalid_argument);
    BOOST_CHECK_THROW(json::value_to<llmap::finish_reason>(json::value("end_turn")),
                      std::invalid_argument);
    BOOST_CHECK_THROW(json::value_to<llmap::tool>(json::parse(R"({"description":"x"})")),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(base64_known_vectors) {
    // RFC 4648 section 10, covering input lengths 0 to 6.
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        BOOST_TEST(llmap::detail::base64_encode(plain) == encoded);
        const auto decoded = llmap::detail::base64_decode(encoded);
        BOOST_TEST_REQUIRE(decoded.has_value());
        BOOST_TEST((*decoded == bytes_of(plain)));
    }
}

BOOST_AUTO_TEST_CASE(base64_round_trips_every_byte_value_and_length) {
    std::vector<std::uint8_t> all(256);
    for (std::size_t i = 0; i < all.size(); ++i)
        all[i] = static_cast<std::uint8_t>(255 - i);
    const std::string encoded = llmap::detail::base64_encode(all);
    BOOST_TEST(encoded.size() == 344u);
    BOOST_TEST((llmap::detail::base64_decode(encoded) == all));

    // Every length 0..5 at every offset, so each padding case meets high and low bytes.
    for (std::size_t len = 0; len <= 5; ++len)
        for (std::size_t start = 0; start + len <= all.size(); ++start) {
            const std::vector<std::uint8_t> slice(all.begin() + static_cast<long>(start),
                                                  all.begin() + static_cast<long>(start + len));
            const std::string e = llmap::detail::base64_encode(slice);
            BOOST_TEST_REQUIRE(e.size() == (len + 2) / 3 * 4);
            BOOST_TEST_REQUIRE((llmap::detail::base64_decode(e) == slice));
        }
}

BOOST_AUTO_TEST_CASE(base64_rejects_malformed_input) {
    using llmap::detail::base64_decode;
    const std::string_view bad[] = {
        "Zg",          // length not a multiple of 4
        "Zm9vY",       // length not a multiple of 4
        "Zg=",         // length not a multiple of 4
        "Zm9!",        // character outside the alphabet
        "Zm-v",        // URL-safe alphabet
        "Zm_v",        // URL-safe alphabet
        "Zm9v\n",      // whitespace
        "Zm 9",        // whitespace
        "Z===",        // too much padding
        "====",        // only padding
        "=Zm9",        // padding first
        "Zg=a",        // padding in the middle of a group
        "Zg==Zm9v",    // padding before the end
        "Zm9vYg=\x80", // high byte
        "\xff\xff\xff\xff",
    };
    for (std::string_view s : bad)
        BOOST_TEST(!base64_decode(s).has_value(), "accepted: " << s);
    BOOST_TEST(!base64_decode(std::string_view("Zm\0v", 4)).has_value());
    BOOST_TEST(base64_decode("").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
