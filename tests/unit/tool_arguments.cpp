//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// One rule for a tool call's arguments sent as JSON text, in every decoder: blank text and
// `null` are `{}`, a JSON text is its value, anything else is kept as a string with a
// warning. Cohere's recorded answer sends "null" for a call without arguments; the other
// wires are given the same texts in their recorded answers (the streamed path is pinned by
// the stream accumulator's test in types.cpp, the toolset's by tools.cpp).

#include <llmap/providers/cohere/chat_wire.hpp>
#include <llmap/providers/ollama/chat_wire.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
#include <llmap/providers/openai/responses_wire.hpp>

#include "../support/fixtures.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fx = test::fixtures;
namespace json = boost::json;

std::string rig_body(std::string_view provider, std::string_view file) {
    for (auto& e : fx::rig_exchanges(provider))
        if (e.file.filename() == file)
            return e.response_body;
    BOOST_FAIL("no recording " << file);
    return {};
}

/// The body with the first `"arguments": <recorded>` given `text` instead.
json::value with_arguments(std::string const& body, std::string_view recorded,
                           std::string_view text) {
    std::string out = body;
    auto const at = out.find(recorded);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    out.replace(at, recorded.size(), std::string(json::serialize(json::string(text))));
    return json::parse(out);
}

using decoder = std::function<llmap::response(json::value)>;

void check_rule(const char* wire, const std::string& body, std::string_view recorded,
                const decoder& decode) {
    for (std::string_view none : {"", "  ", "null", " null ", "{}"}) {
        auto const r = decode(with_arguments(body, recorded, none));
        BOOST_TEST_REQUIRE(r.tool_calls().size() >= 1u, wire);
        BOOST_TEST(r.tool_calls()[0].arguments == json::value(json::object()),
                   wire << " [" << none << "]");
        BOOST_TEST(r.warnings.empty(), wire);
    }
    auto const ok = decode(with_arguments(body, recorded, R"({"x": [1, null]})"));
    BOOST_TEST(ok.tool_calls()[0].arguments == json::parse(R"({"x":[1,null]})"), wire);
    auto const bad = decode(with_arguments(body, recorded, R"({"x": )"));
    BOOST_TEST(bad.tool_calls()[0].arguments == json::value(R"({"x": )"), wire);
    BOOST_TEST_REQUIRE(bad.warnings.size() == 1u, wire);
    BOOST_TEST(bad.warnings[0].message.find("are not valid JSON") != std::string::npos, wire);
}

} // namespace

BOOST_AUTO_TEST_SUITE(tool_arguments)

BOOST_AUTO_TEST_CASE(cohere_recorded_null_arguments) {
    auto const body = fx::read_file(fx::root() / "aisdk" / "cohere" / "cohere-null-args.json");
    auto const r = llmap::cohere_api::wire::parse_chat_response(json::parse(body));
    BOOST_TEST_REQUIRE(r.tool_calls().size() == 1u);
    BOOST_TEST(r.tool_calls()[0].arguments == json::value(json::object()));
    BOOST_TEST(r.warnings.empty());
    check_rule("cohere", body, R"("null")", [](json::value b) {
        return llmap::cohere_api::wire::parse_chat_response(std::move(b));
    });
}

BOOST_AUTO_TEST_CASE(one_rule_in_every_blocking_decoder) {
    check_rule(
        "chat completions", rig_body("openai", "blocking_gpt4o_zero_model.json"), R"("{}")",
        [](json::value b) { return llmap::openai_api::wire::parse_chat_response(std::move(b)); });
    std::string const responses = rig_body("openai", "required_forces_a_tool_call.json");
    auto const args_at = responses.find(R"("arguments":")");
    BOOST_TEST_REQUIRE(args_at != std::string::npos);
    auto const end = responses.find(R"(",")", args_at + 13);
    std::string const recorded = responses.substr(args_at + 12, end - args_at - 11);
    check_rule("responses", responses, recorded, [](json::value b) {
        return llmap::openai_api::wire::parse_responses_response(std::move(b));
    });
}

BOOST_AUTO_TEST_SUITE_END()
