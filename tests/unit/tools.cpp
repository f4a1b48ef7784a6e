//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/tools.hpp: typed tools, the compile-time toolset, and how every kind of bad call is
// answered to the model.

#include <llmap/tools.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;

struct weather_args {
    std::string city;
    std::optional<std::string> unit;
};
BOOST_DESCRIBE_STRUCT(weather_args, (), (city, unit))

enum class sky { clear, cloudy };
BOOST_DESCRIBE_ENUM(sky, clear, cloudy)

struct forecast {
    double celsius;
    sky sky_now;
};
BOOST_DESCRIBE_STRUCT(forecast, (), (celsius, sky_now))

struct add_args {
    int x;
    int y;
};
BOOST_DESCRIBE_STRUCT(add_args, (), (x, y))

int add(add_args a) {
    return a.x + a.y;
}

auto make_tools(std::vector<std::string>& seen) {
    return llmap::toolset{
        llmap::make_tool<"get_weather">("Current weather for a city.",
                                        [&seen](const weather_args& a) {
                                            seen.push_back(a.city + "/" + a.unit.value_or("-"));
                                            if (a.city == "Atlantis")
                                                throw std::runtime_error("no such city");
                                            return forecast{21.5, sky::clear};
                                        }),
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
        llmap::make_tool<"add">("Add two integers.", &add),
        llmap::make_tool<"raw">("Echo the arguments.",
                                [](const json::object& o) { return json::value(o); }),
    };
}

llmap::tool_call_part call(std::string name, json::value args, std::string id = "call_1") {
    return {.id = std::move(id), .name = std::move(name), .arguments = std::move(args)};
}

std::string result_text(const llmap::tool_execution& e) {
    return e.result.result.is_string() ? std::string(e.result.result.get_string())
                                       : json::serialize(e.result.result);
}

} // namespace

namespace llmap {
inline std::ostream& boost_test_print_type(std::ostream& o, tool_outcome t) {
    return o << to_string(t);
}
} // namespace llmap

BOOST_AUTO_TEST_SUITE(tools)

BOOST_AUTO_TEST_CASE(definitions_come_from_the_callables_signatures) {
    std::vector<std::string> seen;
    auto tools = make_tools(seen);
    static_assert(decltype(tools)::size() == 4);
    static_assert(decltype(tools)::contains("utc_time"));
    static_assert(!decltype(tools)::contains("utc"));
    std::vector<llmap::tool> const defs = tools.definitions();
    BOOST_TEST_REQUIRE(defs.size() == 4u);
    BOOST_TEST(defs[0].name == "get_weather");
    BOOST_TEST(defs[0].description == "Current weather for a city.");
    BOOST_TEST(defs[0].parameters == llmap::json_schema<weather_args>());
    BOOST_TEST(defs[1].name == "utc_time");
    BOOST_TEST(defs[1].parameters == json::parse(R"({"type":"object","properties":{}})"));
    BOOST_TEST(defs[2].parameters.at("required") == json::parse(R"(["x","y"])"));
    BOOST_TEST(defs[3].parameters == json::parse(R"({"type":"object"})"));
    BOOST_TEST((decltype(tools)::choose<"add">() == llmap::tool_choice::specific("add")));
    BOOST_TEST(tools.get<"utc_time">().description() == "The current UTC time.");
}

BOOST_AUTO_TEST_CASE(a_call_runs_the_tool_and_serialises_its_result) {
    std::vector<std::string> seen;
    auto tools = make_tools(seen);
    auto const w = tools.execute(call("get_weather", json::parse(R"({"city":"Paris"})")));
    BOOST_TEST(w.outcome == llmap::tool_outcome::ok);
    BOOST_TEST(!w.result.is_error);
    BOOST_TEST(w.result.tool_call_id == "call_1");
    BOOST_TEST(w.result.name == "get_weather");
    BOOST_TEST(w.result.result == json::parse(R"({"celsius":21.5,"sky_now":"clear"})"));
    BOOST_TEST(seen == std::vector<std::string>{"Paris/-"});

    auto const t = tools.execute(call("utc_time", json::object()));
    BOOST_TEST(t.result.result == json::value("12:00")); // a string is sent as is
    auto const a = tools.execute(call("add", json::parse(R"({"x":2,"y":3})")));
    BOOST_TEST(a.result.result == json::value(5));
    auto const r = tools.execute(call("raw", json::parse(R"({"k":[1,2]})")));
    BOOST_TEST(r.result.result == json::parse(R"({"k":[1,2]})"));
}

BOOST_AUTO_TEST_CASE(null_and_empty_arguments_are_the_empty_object_everywhere) {
    std::vector<std::string> seen;
    auto tools = make_tools(seen);
    // The three spellings the decoders produce for "no arguments".
    for (json::value const& args : {json::value(nullptr), json::value(""), json::value("null"),
                                    json::value("  "), json::value(json::object())}) {
        auto const t = tools.execute(call("utc_time", args));
        BOOST_TEST(t.outcome == llmap::tool_outcome::ok, json::serialize(args));
        auto const r = tools.execute(call("raw", args));
        BOOST_TEST(r.result.result == json::value(json::object()), json::serialize(args));
    }
    // A struct with a required member: the empty object does not fit, and the model is told.
    auto const w = tools.execute(call("get_weather", nullptr));
    BOOST_TEST(w.outcome == llmap::tool_outcome::invalid_arguments);
    BOOST_TEST(result_text(w).find("city") != std::string::npos, result_text(w));
    // Arguments given as a JSON text (a decoder that kept the wire string) are read.
    auto const a = tools.execute(call("add", json::value(R"({"x":1,"y":1})")));
    BOOST_TEST(a.result.result == json::value(2));
}

BOOST_AUTO_TEST_CASE(a_bad_call_is_answered_to_the_model) {
    std::vector<std::string> seen;
    auto tools = make_tools(seen);

    auto const unknown = tools.execute(call("get_wether", json::object()));
    BOOST_TEST(unknown.outcome == llmap::tool_outcome::unknown_tool);
    BOOST_TEST(unknown.result.is_error);
    BOOST_TEST(result_text(unknown) ==
               "Unknown tool \"get_wether\". The tools are: get_weather, utc_time, add, raw.");

    auto const wrong = tools.execute(call("add", json::parse(R"({"x":"two","y":3})")));
    BOOST_TEST(wrong.outcome == llmap::tool_outcome::invalid_arguments);
    BOOST_TEST(wrong.result.is_error);
    BOOST_TEST(result_text(wrong).starts_with("Invalid arguments for add: at $.x expected"),
               result_text(wrong));

    auto const not_json = tools.execute(call("add", json::value("{\"x\": 1, \"y\"")));
    BOOST_TEST(not_json.outcome == llmap::tool_outcome::invalid_arguments);
    BOOST_TEST(result_text(not_json).find("not valid JSON") != std::string::npos);

    auto const threw = tools.execute(call("get_weather", json::parse(R"({"city":"Atlantis"})")));
    BOOST_TEST(threw.outcome == llmap::tool_outcome::failed);
    BOOST_TEST(result_text(threw) == "get_weather failed: no such city");
    BOOST_TEST(threw.result.tool_call_id == "call_1");
}

BOOST_AUTO_TEST_CASE(a_tool_that_needs_approval_runs_only_when_approved) {
    int runs = 0;
    auto tools = llmap::toolset{
        llmap::make_tool<"delete_file">("Delete a file.",
                                        [&](const json::object&) {
                                            ++runs;
                                            return "deleted";
                                        })
            .require_approval(),
    };
    BOOST_TEST(tools.get<"delete_file">().needs_approval());
    auto const c = call("delete_file", json::parse(R"({"path":"/tmp/x"})"));

    auto const no_approver = tools.execute(c);
    BOOST_TEST(no_approver.outcome == llmap::tool_outcome::denied);
    BOOST_TEST(runs == 0);

    llmap::tool_approver const refuse = [](const llmap::tool_call_part&) { return false; };
    BOOST_TEST(tools.execute(c, &refuse).outcome == llmap::tool_outcome::denied);
    BOOST_TEST(runs == 0);

    std::string asked;
    llmap::tool_approver const approve = [&](const llmap::tool_call_part& p) {
        asked = json::serialize(p.arguments);
        return true;
    };
    auto const ok = tools.execute(c, &approve);
    BOOST_TEST(ok.outcome == llmap::tool_outcome::ok);
    BOOST_TEST(ok.result.result == json::value("deleted"));
    BOOST_TEST(asked == R"({"path":"/tmp/x"})");
    BOOST_TEST(runs == 1);
}

BOOST_AUTO_TEST_CASE(dynamic_tools_beside_typed_ones) {
    llmap::dynamic_tools found;
    found.add(
        {.name = "lookup", .description = "Look a key up.", .parameters = {{"type", "object"}}},
        [](const json::value& args) { return json::value("value of " + json::serialize(args)); });
    auto tools = llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return "12:00"; }),
        std::move(found),
    };
    static_assert(decltype(tools)::size() == 1);
    auto const defs = tools.definitions();
    BOOST_TEST_REQUIRE(defs.size() == 2u);
    BOOST_TEST(defs[1].name == "lookup");
    auto const r = tools.execute(call("lookup", json::value("null")));
    BOOST_TEST(r.outcome == llmap::tool_outcome::ok);
    BOOST_TEST(r.result.result == json::value("value of {}"));
    BOOST_TEST(tools.execute(call("utc_time", nullptr)).result.result == json::value("12:00"));
    BOOST_TEST(tools.execute(call("other", nullptr)).outcome == llmap::tool_outcome::unknown_tool);
}

BOOST_AUTO_TEST_CASE(asynchronous_tools_run_concurrently) {
    // Two calls of a tool that waits: both are in flight before either ends, which a
    // sequential run never shows (a behaviour, not a time, is checked).
    std::atomic<int> in_flight = 0;
    std::atomic<int> most = 0;
    auto tools = llmap::toolset{
        llmap::make_tool<"slow_add">(
            "Add two integers, slowly.",
            [&](add_args a) -> boost::asio::awaitable<int> {
                int const now = ++in_flight;
                int seen = most.load();
                while (now > seen && !most.compare_exchange_weak(seen, now)) {
                }
                boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                            std::chrono::milliseconds(20));
                co_await t.async_wait(boost::asio::use_awaitable);
                --in_flight;
                if (a.x < 0)
                    throw std::runtime_error("negative");
                co_return a.x + a.y;
            }),
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return "12:00"; }),
    };
    static_assert(decltype(tools)::has_asynchronous_tools);
    std::vector<llmap::tool_call_part> const calls{
        call("slow_add", json::parse(R"({"x":2,"y":3})"), "a"),
        call("utc_time", nullptr, "b"),
        call("slow_add", json::parse(R"({"x":10,"y":20})"), "c"),
        call("slow_add", json::parse(R"({"x":-1,"y":0})"), "d"),
        call("slow_add", json::parse(R"({"x":"one"})"), "e"),
    };
    auto const out = tools.execute_all(calls);
    BOOST_TEST_REQUIRE(out.size() == 5u);
    BOOST_TEST(most.load() == 3); // a, c and d waited together
    BOOST_TEST(out[0].result.result == json::value(5));
    BOOST_TEST(out[0].result.tool_call_id == "a");
    BOOST_TEST(out[1].result.result == json::value("12:00"));
    BOOST_TEST(out[2].result.result == json::value(30));
    BOOST_TEST((out[3].outcome == llmap::tool_outcome::failed));
    BOOST_TEST(result_text(out[3]) == "slow_add failed: negative");
    BOOST_TEST((out[4].outcome == llmap::tool_outcome::invalid_arguments));
    // One call alone, blocking.
    auto const one = tools.execute(calls[2]);
    BOOST_TEST(one.result.result == json::value(30));
}

BOOST_AUTO_TEST_SUITE_END()
