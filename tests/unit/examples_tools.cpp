//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The typed-tools examples (examples/typed_tools.cpp, examples/extract.cpp), run as a user
// would against a loopback server replaying recorded OpenAI traffic: what they print, and what
// they send.

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#ifdef LLMAP_EXAMPLES_BIN

namespace fx = test::fixtures;
namespace json = boost::json;
namespace ts = llmap::test;

namespace {

constexpr std::string_view key = "sk-test-0123456789abcdefSECRET";

std::vector<fx::exchange> recorded(std::string_view folder, std::string_view file) {
    std::vector<fx::exchange> out;
    for (auto& e : fx::rig_exchanges("openai"))
        if (e.file.parent_path().filename() == folder && e.file.filename() == file)
            out.push_back(std::move(e));
    return out;
}

// Serves one recorded answer per request, in order; a stream goes out in random pieces.
struct replay {
    std::vector<fx::exchange> exchanges;
    std::size_t next = 0;
    std::mt19937 rng{7};

    void operator()(const ts::test_server::request&, ts::test_session& s) {
        auto const& e = exchanges.at(next++);
        bool const sse = e.response_body.starts_with("data:");
        std::string head = "HTTP/1.1 " + std::to_string(e.status) + " X\r\n";
        head += std::string("Content-Type: ") + (sse ? "text/event-stream" : "application/json") +
                "\r\nContent-Length: " + std::to_string(e.response_body.size()) + "\r\n\r\n";
        std::string_view body = e.response_body;
        std::size_t n = sse ? 1 + rng() % 200 : body.size();
        s.write_raw(head + std::string(body.substr(0, n)));
        body.remove_prefix(std::min(n, body.size()));
        while (!body.empty()) {
            n = 1 + rng() % 200;
            s.write_raw(body.substr(0, n));
            body.remove_prefix(std::min(n, body.size()));
        }
    }
};

struct example_run {
    std::string out;
    int status = -1;
};

// Runs an example with <NAME>_BASE_URL pointing at `server`; its standard output and status.
example_run run_example(const ts::test_server& server, std::string_view provider_env,
                        const std::string& command) {
    std::string const env(provider_env);
    std::string const cmd = env + "_BASE_URL=" + server.url("/v1") + " " + env +
                            "_API_KEY=" + std::string(key) + " " LLMAP_EXAMPLES_BIN "/" + command +
                            " 2>/dev/null";
    example_run r;
    std::FILE* p = ::popen(cmd.c_str(), "r");
    BOOST_REQUIRE(p != nullptr);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
        r.out.append(buf, n);
    r.status = ::pclose(p);
    return r;
}

// The text of a recorded Chat Completions stream, read from its chunks directly.
std::string streamed_text(std::string_view sse) {
    std::string text;
    for (std::size_t at = 0; (at = sse.find("data: {", at)) != std::string_view::npos;) {
        std::size_t const end = sse.find("\n\n", at);
        auto const chunk = json::parse(sse.substr(at + 6, end - at - 6)).as_object();
        at = end;
        for (auto const& c : chunk.at("choices").as_array())
            if (auto const* t = c.at("delta").as_object().if_contains("content");
                t && t->is_string())
                text += t->as_string();
    }
    return text;
}

} // namespace

BOOST_AUTO_TEST_SUITE(examples_tools)

BOOST_AUTO_TEST_CASE(example_typed_tools) {
    // A streamed tool session: the model calls add {x: 2, y: 3}, then answers with its result.
    replay r;
    r.exchanges =
        recorded("raw_capture_agent_matrix", "chat_streamed_tool_run_records_distinct_raw.json");
    BOOST_REQUIRE(r.exchanges.size() == 2u);
    std::string const answer = streamed_text(r.exchanges[1].response_body);
    BOOST_REQUIRE(answer.find('5') != std::string::npos);
    ts::test_server server(std::ref(r));
    auto const run = run_example(server, "OPENAI_CHAT", "typed_tools openai-chat:gpt-4.1-nano");
    BOOST_TEST(run.status == 0);
    BOOST_TEST(run.out == "[add {\"x\":2,\"y\":3} -> 5]\n" + answer + "\n");

    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == 2u);
    // The first request streams, with both tools, their schemas derived from the C++ types.
    auto const first = json::parse(received[0].body).as_object();
    BOOST_TEST(first.at("stream") == true);
    BOOST_TEST(first.at("model").as_string() == "gpt-4.1-nano");
    auto const& tools = first.at("tools").as_array();
    BOOST_REQUIRE(tools.size() == 2u);
    auto const& add = tools[0].at("function");
    BOOST_TEST(add.at("name").as_string() == "add");
    BOOST_TEST(add.at("description").as_string() == "Add x and y together.");
    BOOST_TEST(add.at("parameters").at("properties").at("x").at("type").as_string() == "integer");
    BOOST_TEST(add.at("parameters").at("properties").at("y").at("type").as_string() == "integer");
    BOOST_TEST(tools[1].at("function").at("name").as_string() == "utc_time");
    BOOST_TEST(tools[1].at("function").at("parameters").at("properties").as_object().empty());
    BOOST_TEST(first.at("messages").as_array().size() == 1u);
    // The second request carries the prompt, the assistant's tool call and the tool's result.
    auto const second = json::parse(received[1].body).as_object();
    BOOST_TEST(second.at("stream") == true);
    BOOST_TEST(second.at("tools").as_array().size() == 2u);
    auto const& msgs = second.at("messages").as_array();
    BOOST_REQUIRE(msgs.size() == 3u);
    BOOST_TEST(msgs[0].at("role").as_string() == "user");
    BOOST_TEST(msgs[0].at("content").as_string() == "What is 2 + 3? Use the tool.");
    BOOST_TEST(msgs[1].at("role").as_string() == "assistant");
    auto const& call = msgs[1].at("tool_calls").at(0);
    BOOST_TEST(call.at("id").as_string() == "call_REDACTED_1");
    BOOST_TEST(call.at("function").at("name").as_string() == "add");
    BOOST_TEST(json::parse(call.at("function").at("arguments").as_string()) ==
               json::parse(R"({"x":2,"y":3})"));
    BOOST_TEST(msgs[2].at("role").as_string() == "tool");
    BOOST_TEST(msgs[2].at("tool_call_id").as_string() == "call_REDACTED_1");
    BOOST_TEST(msgs[2].at("content").as_string() == "5");
}

BOOST_AUTO_TEST_CASE(example_typed_tools_unknown_provider) {
    ts::test_server server(
        [](const ts::test_server::request&, ts::test_session& s) { s.respond(500); });
    auto const run = run_example(server, "OPENAI_CHAT", "typed_tools anthropik:claude");
    BOOST_TEST(run.status != 0);
    BOOST_TEST(run.out.empty());
    BOOST_TEST(server.request_count() == 0u);
}

BOOST_AUTO_TEST_CASE(example_extract) {
    // The person in a sentence, given as the arguments of a forced call of `submit`.
    replay r;
    r.exchanges = recorded("extractor", "extractor_smoke.json");
    BOOST_REQUIRE(r.exchanges.size() == 1u);
    ts::test_server server(std::ref(r));
    auto const run = run_example(server, "OPENAI", "extract openai:gpt-4o");
    BOOST_TEST(run.status == 0);
    BOOST_TEST(run.out == "first name: Ada\nlast name: Lovelace\njob: mathematician\n");

    auto const received = server.requests();
    BOOST_REQUIRE(received.size() == 1u);
    BOOST_TEST(received[0].target == "/v1/responses");
    auto const body = json::parse(received[0].body).as_object();
    BOOST_TEST(body.at("model").as_string() == "gpt-4o");
    BOOST_TEST(json::serialize(body.at("input")).find("Ada Lovelace") != std::string::npos);
    auto const& tools = body.at("tools").as_array();
    BOOST_REQUIRE(tools.size() == 1u);
    BOOST_TEST(tools[0].at("name").as_string() == "submit");
    auto const& props = tools[0].at("parameters").at("properties").as_object();
    BOOST_TEST(props.size() == 3u);
    BOOST_TEST(props.contains("first_name"));
    BOOST_TEST(props.contains("last_name"));
    BOOST_TEST(props.contains("job"));
    BOOST_TEST(json::serialize(body.at("tool_choice")).find("submit") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

#endif
