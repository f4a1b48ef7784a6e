//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The Chat Completions wire format, against recorded traffic: every Chat Completions answer
// of Rig's cassettes (OpenAI, DeepSeek, Groq, llama.cpp, OpenRouter, Perplexity, Mistral) and
// of the AI SDK's fixtures, streamed ones replayed whole, byte by byte and in random splits.
// Expectations are read from the fixtures by the simple code below, not from llmap.

#include "../support/fixtures.hpp"

#include <llmap/http/sse.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
#include <llmap/providers/openai_compatible.hpp>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <iostream>
#include <map>
#include <optional>

namespace fx = test::fixtures;
namespace json = boost::json;

namespace {

// ---- expectations, read straight from the recorded JSON -------------------------------------

struct expected_call {
    std::string id, name, arguments;
};

struct expected {
    std::string text, reasoning, finish;
    std::vector<expected_call> calls;
    std::optional<std::int64_t> input_tokens, output_tokens;
    std::vector<std::string> source_urls; // Perplexity's citations (or search results)
};

std::string str(const json::object& o, std::string_view key) {
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// Content is a string, or (Mistral's reasoning models) an array of text and thinking parts.
void read_content(const json::object& m, expected& e) {
    if (auto const* c = m.if_contains("content"); c && c->is_array()) {
        for (auto const& p : c->as_array()) {
            if (str(p.as_object(), "type") == "text")
                e.text += str(p.as_object(), "text");
            if (str(p.as_object(), "type") == "thinking")
                for (auto const& t : p.at("thinking").as_array())
                    e.reasoning += str(t.as_object(), "text");
        }
    } else {
        e.text += str(m, "content");
    }
    e.text += str(m, "refusal");
    std::string const r = str(m, "reasoning_content");
    e.reasoning += r.empty() ? str(m, "reasoning") : r;
}

// `reasoning_apart`: the body is xAI's, whose completion_tokens leaves out the reasoning
// tokens (llmap's output_tokens counts them).
void read_usage(const json::object& o, expected& e, bool reasoning_apart) {
    auto const* u = o.if_contains("usage");
    if (!u || !u->is_object())
        return;
    if (auto const* p = u->as_object().if_contains("prompt_tokens"))
        e.input_tokens = p->to_number<std::int64_t>();
    if (auto const* c = u->as_object().if_contains("completion_tokens"))
        e.output_tokens = c->to_number<std::int64_t>();
    if (auto const* d = u->as_object().if_contains("completion_tokens_details");
        reasoning_apart && e.output_tokens && d && d->is_object())
        if (auto const* r = d->as_object().if_contains("reasoning_tokens"))
            *e.output_tokens += r->to_number<std::int64_t>();
}

// The cited URLs of a body or chunk, once: `citations`, else the search results' URLs.
void read_sources(const json::object& o, expected& e) {
    if (!e.source_urls.empty())
        return;
    if (auto const* c = o.if_contains("citations"); c && c->is_array()) {
        for (auto const& u : c->as_array())
            e.source_urls.emplace_back(u.as_string());
    } else if (auto const* s = o.if_contains("search_results"); s && s->is_array()) {
        for (auto const& r : s->as_array())
            e.source_urls.push_back(str(r.as_object(), "url"));
    }
}

expected expect_from_answer(const json::value& body, bool reasoning_apart = false) {
    expected e;
    auto const& o = body.as_object();
    auto const& choice = o.at("choices").as_array().at(0).as_object();
    auto const& m = choice.at("message").as_object();
    read_content(m, e);
    e.finish = str(choice, "finish_reason");
    if (auto const* calls = m.if_contains("tool_calls"); calls && calls->is_array())
        for (auto const& c : calls->as_array()) {
            auto const& fn = c.at("function").as_object();
            e.calls.push_back({str(c.as_object(), "id"), str(fn, "name"), str(fn, "arguments")});
        }
    read_usage(o, e, reasoning_apart);
    read_sources(o, e);
    return e;
}

expected expect_from_chunks(const std::vector<std::string>& datas, bool reasoning_apart = false) {
    expected e;
    std::map<std::int64_t, std::size_t> by_index;
    for (auto const& d : datas) {
        if (d == "[DONE]")
            continue;
        auto const v = json::parse(d);
        auto const& o = v.as_object();
        if (auto const* choices = o.if_contains("choices"); choices && choices->is_array()) {
            for (auto const& c : choices->as_array()) {
                auto const& choice = c.as_object();
                if (auto const* i = choice.if_contains("index"); i && i->to_number<int>() != 0)
                    continue;
                if (auto const* delta = choice.if_contains("delta"); delta && delta->is_object()) {
                    auto const& dl = delta->as_object();
                    read_content(dl, e);
                    if (auto const* tcs = dl.if_contains("tool_calls"); tcs && tcs->is_array())
                        for (auto const& tc : tcs->as_array()) {
                            auto const& t = tc.as_object();
                            std::int64_t const index =
                                t.contains("index") ? t.at("index").to_number<std::int64_t>()
                                                    : static_cast<std::int64_t>(e.calls.size());
                            if (!by_index.count(index)) {
                                by_index[index] = e.calls.size();
                                e.calls.push_back({});
                            }
                            auto& call = e.calls[by_index[index]];
                            if (call.id.empty())
                                call.id = str(t, "id");
                            if (auto const* fn = t.if_contains("function"); fn && fn->is_object()) {
                                if (call.name.empty())
                                    call.name = str(fn->as_object(), "name");
                                call.arguments += str(fn->as_object(), "arguments");
                            }
                        }
                }
                if (std::string f = str(choice, "finish_reason"); !f.empty())
                    e.finish = f;
            }
        }
        read_usage(o, e, reasoning_apart);
        read_sources(o, e);
    }
    return e;
}

void check(const llmap::response& r, const expected& e, const std::string& name) {
    BOOST_TEST(r.text() == e.text, name);
    std::vector<std::string> urls;
    for (auto const& p : r.content)
        if (auto const* s = std::get_if<llmap::source_part>(&p))
            urls.push_back(s->url);
    BOOST_TEST(urls == e.source_urls, name);
    BOOST_TEST(r.reasoning_text() == e.reasoning, name);
    BOOST_TEST(r.raw_finish_reason == e.finish, name);
    auto const calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == e.calls.size(), name);
    for (std::size_t i = 0; i != calls.size(); ++i) {
        if (!e.calls[i].id.empty())
            BOOST_TEST(calls[i].id == e.calls[i].id, name);
        else
            BOOST_TEST(!calls[i].id.empty(), name);
        BOOST_TEST(calls[i].name == e.calls[i].name, name);
        boost::system::error_code ec;
        auto const args = json::parse(e.calls[i].arguments, ec);
        if (e.calls[i].arguments.empty())
            BOOST_TEST((calls[i].arguments == json::object{}), name);
        else if (!ec)
            BOOST_TEST((calls[i].arguments == args), name);
        else
            BOOST_TEST((calls[i].arguments == json::string(e.calls[i].arguments)), name);
    }
    if (e.input_tokens)
        BOOST_TEST((r.usage.input_tokens == e.input_tokens), name);
    if (e.output_tokens)
        BOOST_TEST((r.usage.output_tokens == e.output_tokens), name);
}

// ---- replay ------------------------------------------------------------------------------------

struct stream_result {
    llmap::response response;
    std::vector<std::string> datas;
};

// Parses an SSE body fed as `mode` says, decodes the chunks and folds the events.
stream_result replay_stream(std::string_view body, unsigned mode) {
    stream_result out;
    llmap::http::sse_parser sse;
    llmap::openai_api::wire::chat_stream_decoder decoder;
    llmap::stream_accumulator acc;
    fx::feed_split(body, mode, [&](std::string_view bytes) {
        sse.feed(bytes, [&](const llmap::http::sse_event& ev) {
            out.datas.push_back(ev.data);
            if (!decoder.done())
                decoder.on_data(ev.data, [&](llmap::stream_event&& e) { acc.add(e); });
        });
    });
    if (!decoder.done())
        decoder.finish([&](llmap::stream_event&& e) { acc.add(e); });
    out.response = std::move(acc).finish();
    return out;
}

bool is_chat_completions(const fx::exchange& e) {
    return e.method == "POST" && e.path.ends_with("/chat/completions");
}

bool requested_stream(const fx::exchange& e) {
    boost::system::error_code ec;
    auto const v = json::parse(e.request_body, ec);
    if (ec || !v.is_object())
        return false;
    auto const* s = v.as_object().if_contains("stream");
    return s && s->is_bool() && s->as_bool();
}

// The unified request that corresponds to a recorded Chat Completions body (text, images,
// tool calls and results, tools, tool choice, sampling), to send it again through llmap.
llmap::request logical_request(const json::object& body) {
    llmap::request req;
    for (auto const& mv : body.at("messages").as_array()) {
        auto const& m = mv.as_object();
        std::string const role = str(m, "role");
        llmap::message msg;
        auto const& content = m.contains("content") ? m.at("content") : json::value();
        auto add_content = [&] {
            if (content.is_string()) {
                msg.content.emplace_back(llmap::text_part{std::string(content.as_string())});
            } else if (content.is_array()) {
                for (auto const& p : content.as_array()) {
                    auto const& part = p.as_object();
                    if (str(part, "type") == "text")
                        msg.content.emplace_back(llmap::text_part{str(part, "text")});
                    else if (str(part, "type") == "image_url")
                        msg.content.emplace_back(llmap::image_part::from_url(
                            str(part.at("image_url").as_object(), "url")));
                }
            }
        };
        if (role == "system" || role == "developer") {
            msg.role = llmap::role::system;
            add_content();
        } else if (role == "user") {
            msg.role = llmap::role::user;
            add_content();
        } else if (role == "assistant") {
            msg.role = llmap::role::assistant;
            add_content();
            if (auto const* calls = m.if_contains("tool_calls"); calls && calls->is_array())
                for (auto const& c : calls->as_array()) {
                    auto const& fn = c.at("function").as_object();
                    msg.content.emplace_back(
                        llmap::tool_call_part{str(c.as_object(), "id"), str(fn, "name"),
                                              json::parse(str(fn, "arguments"))});
                }
        } else if (role == "tool") {
            msg.role = llmap::role::tool;
            msg.content.emplace_back(llmap::tool_result_part{
                str(m, "tool_call_id"), "",
                json::string(content.is_string() ? content.as_string() : json::string()), false});
        }
        req.messages.push_back(std::move(msg));
    }
    if (auto const* t = body.if_contains("temperature"); t && t->is_number())
        req.temperature = t->to_number<double>();
    if (auto const* tools = body.if_contains("tools"); tools && tools->is_array())
        for (auto const& t : tools->as_array()) {
            auto const& fn = t.at("function").as_object();
            llmap::tool tool{str(fn, "name"), str(fn, "description"), {}};
            if (auto const* p = fn.if_contains("parameters"); p && p->is_object())
                tool.parameters = p->as_object();
            req.tools.push_back(std::move(tool));
        }
    return req;
}

} // namespace

BOOST_AUTO_TEST_SUITE(openai_chat_wire)

BOOST_AUTO_TEST_CASE(reference_scenario_matches_the_official_sdk) {
    // ../shared/conformance/sdk-requests: openai-sdk/chat and openai-sdk/chat-stream.
    llmap::request const req{.system = "You are a terse assistant.",
                             .prompt = "Say hello.",
                             .max_output_tokens = 64,
                             .temperature = 0.2};
    std::vector<llmap::warning> warnings;
    llmap::openai_api::chat_dialect const openai{.openai_reasoning_models = true};
    auto const body =
        llmap::openai_api::wire::chat_request_body(req, "gpt-4o-mini", openai, false, warnings);
    BOOST_TEST((
        json::value(body) ==
        json::parse(
            R"({"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a terse assistant."},{"role":"user","content":"Say hello."}],"temperature":0.2,"max_tokens":64})")));
    auto const stream =
        llmap::openai_api::wire::chat_request_body(req, "gpt-4o-mini", openai, true, warnings);
    BOOST_TEST((
        json::value(stream) ==
        json::parse(
            R"({"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are a terse assistant."},{"role":"user","content":"Say hello."}],"temperature":0.2,"max_tokens":64,"stream":true,"stream_options":{"include_usage":true}})")));
    BOOST_TEST(warnings.empty());
}

BOOST_AUTO_TEST_CASE(request_options_and_warnings) {
    llmap::request req{
        .prompt = "p",
        .max_output_tokens = 10,
        .temperature = 0.5,
        .top_k = 3,
        .seed = 7,
        .tools = {{"get_weather", "Weather", json::parse(R"({"type":"object"})").as_object()}},
        .tool_choice = llmap::tool_choice::specific("get_weather"),
        .format = llmap::response_format::json_schema(
            "w", json::parse(R"({"type":"object"})").as_object()),
        .reasoning = llmap::reasoning_effort::low};
    req.provider_options["openai"] = {{"user", "u-1"}, {"temperature", 0.9}};
    std::vector<llmap::warning> w;
    llmap::openai_api::chat_dialect const openai{.openai_reasoning_models = true};
    auto body = llmap::openai_api::wire::chat_request_body(req, "gpt-5-mini", openai, false, w);
    // A reasoning model: max_completion_tokens, no temperature; top_k is not OpenAI's.
    BOOST_TEST(body.at("max_completion_tokens").as_int64() == 10);
    BOOST_TEST(!body.contains("max_tokens"));
    BOOST_TEST(body.at("temperature").as_double() == 0.9); // from provider_options, which win
    BOOST_TEST(body.at("user").as_string() == "u-1");
    BOOST_TEST(!body.contains("top_k"));
    BOOST_TEST(body.at("seed").as_int64() == 7);
    BOOST_TEST(body.at("reasoning_effort").as_string() == "low");
    BOOST_TEST(body.at("tool_choice").at("function").at("name").as_string() == "get_weather");
    BOOST_TEST(body.at("response_format").at("json_schema").at("name").as_string() == "w");
    BOOST_TEST(body.at("tools").at(0).at("function").at("name").as_string() == "get_weather");
    std::vector<std::string> settings;
    for (auto const& x : w)
        settings.push_back(x.setting);
    // The schema {"type":"object"} has no strict form (an object without properties): sent
    // non-strict, with a warning.
    BOOST_TEST((settings == std::vector<std::string>{"temperature", "top_k", "format"}));
    BOOST_TEST(body.at("response_format").at("json_schema").at("strict") == json::value(false));
    for (auto const& x : w) // every ignored setting says why in words
        BOOST_TEST(!x.message.empty(), x.setting);

    // A vendor without seed or JSON schema support.
    llmap::openai_api::chat_dialect const plain{
        .name = "plain", .seed_field = "", .json_schema = false};
    w.clear();
    body = llmap::openai_api::wire::chat_request_body(req, "m", plain, false, w);
    BOOST_TEST(!body.contains("seed"));
    BOOST_TEST(body.at("response_format").at("type").as_string() == "json_object");
    BOOST_TEST(body.at("max_tokens").as_int64() == 10);
    BOOST_TEST(body.at("temperature").as_double() == 0.5); // openai's options are not plain's
}

BOOST_AUTO_TEST_CASE(multimodal_and_tool_round_trip_messages) {
    llmap::request req;
    llmap::message user = llmap::message::user("What is this?");
    user.content.emplace_back(llmap::image_part::from_bytes({0x89, 'P', 'N', 'G'}, "image/png"));
    user.content.emplace_back(llmap::image_part::from_url("https://example.com/a.jpg"));
    req.messages.push_back(user);
    llmap::message assistant{llmap::role::assistant, {}};
    assistant.content.emplace_back(llmap::reasoning_part{"thinking", "", false});
    assistant.content.emplace_back(
        llmap::tool_call_part{"call_1", "lookup", json::parse(R"({"q":"x"})")});
    req.messages.push_back(assistant);
    req.messages.push_back(
        {llmap::role::tool,
         {llmap::tool_result_part{"call_1", "lookup", json::parse(R"({"a":1})"), false}}});
    std::vector<llmap::warning> w;
    auto const body = llmap::openai_api::wire::chat_request_body(req, "gpt-4o", {}, false, w);
    auto const& msgs = body.at("messages").as_array();
    BOOST_REQUIRE(msgs.size() == 3u);
    auto const& parts = msgs[0].at("content").as_array();
    BOOST_TEST(parts[1].at("image_url").at("url").as_string() == "data:image/png;base64,iVBORw==");
    BOOST_TEST(parts[2].at("image_url").at("url").as_string() == "https://example.com/a.jpg");
    BOOST_TEST(msgs[1].at("content").is_null());
    BOOST_TEST(msgs[1].at("tool_calls").at(0).at("function").at("arguments").as_string() ==
               R"({"q":"x"})");
    BOOST_TEST(msgs[2].at("role").as_string() == "tool");
    BOOST_TEST(msgs[2].at("content").as_string() == R"({"a":1})");
}

BOOST_AUTO_TEST_CASE(malformed_answers_are_typed_errors) {
    for (std::string_view bad : {R"([])", R"({})", R"({"choices":[]})", R"({"choices":[1]})",
                                 R"({"choices":[{"message":{"content":5}}]})",
                                 R"({"choices":[{"message":{"tool_calls":[{"id":"x"}]}}]})",
                                 R"({"choices":[{"message":{}}],"usage":{"prompt_tokens":-1}})"}) {
        BOOST_CHECK_EXCEPTION(
            llmap::openai_api::wire::parse_chat_response(json::parse(bad)), llmap::error,
            [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
    }
    llmap::openai_api::wire::chat_stream_decoder d;
    BOOST_CHECK_EXCEPTION(
        d.on_data("{not json", [](llmap::stream_event&&) {}), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
}

BOOST_AUTO_TEST_CASE(parallel_tool_calls_stay_apart) {
    // Two calls whose argument deltas interleave, as OpenAI streams parallel calls.
    std::vector<std::string> const chunks = {
        R"({"id":"c","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"b","function":{"name":"g","arguments":"{\"y\""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":1}"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":":2}"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
        R"({"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}})",
        "[DONE]"};
    llmap::openai_api::wire::chat_stream_decoder d;
    llmap::stream_accumulator acc;
    for (auto const& c : chunks)
        d.on_data(c, [&](llmap::stream_event&& e) { acc.add(e); });
    auto const r = std::move(acc).finish();
    auto const calls = r.tool_calls();
    BOOST_REQUIRE(calls.size() == 2u);
    BOOST_TEST(calls[0].id == "a");
    BOOST_TEST((calls[0].arguments == json::parse(R"({"x":1})")));
    BOOST_TEST(calls[1].id == "b");
    BOOST_TEST((calls[1].arguments == json::parse(R"({"y":2})")));
    BOOST_TEST((r.finish == llmap::finish_reason::tool_calls));
    BOOST_TEST(r.usage.total() == 14);
    BOOST_TEST(r.id == "c");
}

// The end of the body without [DONE]: a stream that gave its finish_reason is whole (some
// vendors stop there), one cut after a few text deltas is malformed, not a shorter answer.
// [DONE] is the end whatever came before it.
BOOST_AUTO_TEST_CASE(a_stream_cut_before_its_end_is_malformed) {
    std::vector<std::string> const deltas = {
        R"({"id":"c","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"The"}}]})",
        R"({"choices":[{"index":0,"delta":{"content":" answer"}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{\"x\""}}]}}]})"};
    std::string const finishing = R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})";
    auto const decode = [&](std::vector<std::string> const& chunks) {
        llmap::openai_api::wire::chat_stream_decoder d;
        llmap::stream_accumulator acc;
        auto const add = [&](llmap::stream_event&& e) { acc.add(e); };
        for (auto const& c : chunks)
            d.on_data(c, add);
        if (!d.done())
            d.finish(add);
        return std::move(acc).finish();
    };
    for (std::size_t n = 0; n <= deltas.size(); ++n)
        BOOST_CHECK_EXCEPTION(
            decode({deltas.begin(), deltas.begin() + static_cast<std::ptrdiff_t>(n)}), llmap::error,
            [](const llmap::error& e) {
                return e.code() == llmap::errc::malformed_response &&
                       std::string_view(e.what()).find("[DONE]") != std::string_view::npos;
            });
    auto const finished = decode({deltas[0], deltas[1], finishing});
    BOOST_TEST(finished.text() == "The answer");
    BOOST_TEST((finished.finish == llmap::finish_reason::stop));
    auto const with_done = decode({deltas[0], deltas[1], "[DONE]"});
    BOOST_TEST(with_done.text() == "The answer");
    BOOST_TEST((with_done.finish == llmap::finish_reason::unknown));
}

BOOST_AUTO_TEST_CASE(every_event_carries_its_chunk_as_raw) {
    // One chunk gives five events (metadata, reasoning, text, a call's start and arguments):
    // each has the whole chunk as `raw` (moved into the last, copied into the others). The
    // events [DONE] gives (the call's end, usage, finish) come from no chunk: null.
    std::string const chunk =
        R"({"id":"c","model":"m","choices":[{"index":0,"delta":{"reasoning":"think","content":"Hi",)"
        R"("tool_calls":[{"index":0,"id":"a","function":{"name":"f","arguments":"{}"}}]}}]})";
    std::string const last =
        R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}})";
    llmap::openai_api::wire::chat_stream_decoder d;
    std::vector<llmap::stream_event> events;
    auto const keep = [&](llmap::stream_event&& e) { events.push_back(std::move(e)); };
    d.on_data(chunk, keep);
    BOOST_REQUIRE(events.size() == 5u);
    for (auto const& e : events)
        BOOST_TEST((e.raw == json::parse(chunk)));
    BOOST_TEST(std::holds_alternative<llmap::response_metadata>(events[0].data));
    BOOST_TEST(std::holds_alternative<llmap::reasoning_delta>(events[1].data));
    BOOST_TEST(std::holds_alternative<llmap::text_delta>(events[2].data));
    BOOST_TEST(std::holds_alternative<llmap::tool_call_start>(events[3].data));
    BOOST_TEST(std::holds_alternative<llmap::tool_call_delta>(events[4].data));

    events.clear();
    d.on_data(last, keep); // the call ends with the finishing chunk, as its one event
    BOOST_REQUIRE(events.size() == 1u);
    BOOST_TEST(std::holds_alternative<llmap::tool_call_end>(events[0].data));
    BOOST_TEST((events[0].raw == json::parse(last)));

    events.clear();
    d.on_data("[DONE]", keep);
    BOOST_REQUIRE(events.size() == 2u);
    BOOST_TEST(std::holds_alternative<llmap::usage_event>(events[0].data));
    BOOST_TEST(std::holds_alternative<llmap::finish_event>(events[1].data));
    for (auto const& e : events)
        BOOST_TEST(e.raw.is_null());
}

BOOST_AUTO_TEST_CASE(citations_become_source_parts) {
    // Perplexity: citations in the order of the text's markers, titled from search_results.
    auto const body = json::parse(R"({"id":"p","model":"sonar","citations":["https://a.example/",
        "https://b.example/x"],"search_results":[{"title":"B","url":"https://b.example/x"}],
        "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
        "content":"Yes [1][2]."}}]})");
    auto const r = llmap::openai_api::wire::parse_chat_response(body, "perplexity");
    BOOST_REQUIRE(r.content.size() == 3u);
    BOOST_TEST((std::get<llmap::source_part>(r.content[1]) ==
                llmap::source_part{"1", "https://a.example/", ""}));
    BOOST_TEST((std::get<llmap::source_part>(r.content[2]) ==
                llmap::source_part{"2", "https://b.example/x", "B"}));

    // Streamed: every chunk repeats the list; it is reported once, after the text.
    std::vector<std::string> const chunks = {
        R"({"id":"p","model":"sonar","citations":["https://a.example/"],"choices":[{"index":0,"delta":{"content":"Yes"}}]})",
        R"({"id":"p","model":"sonar","citations":["https://a.example/"],"choices":[{"index":0,"delta":{"content":" [1]."},"finish_reason":"stop"}]})",
        "[DONE]"};
    llmap::openai_api::wire::chat_stream_decoder d("perplexity");
    std::vector<llmap::stream_event> events;
    for (auto const& c : chunks)
        d.on_data(c, [&](llmap::stream_event&& e) { events.push_back(std::move(e)); });
    llmap::stream_accumulator acc;
    std::size_t sources = 0;
    for (auto const& e : events) {
        sources += std::holds_alternative<llmap::source_part>(e.data) ? 1 : 0;
        acc.add(e);
    }
    BOOST_TEST(sources == 1u);
    auto const streamed = std::move(acc).finish();
    BOOST_REQUIRE(streamed.content.size() == 2u);
    BOOST_TEST(streamed.text() == "Yes [1].");
    BOOST_TEST(std::get<llmap::source_part>(streamed.content[1]).url == "https://a.example/");

    // A citation that is not a URL string is a malformed answer, not a silent gap.
    auto bad = body;
    bad.as_object()["citations"] = json::array{1};
    BOOST_CHECK_EXCEPTION(
        llmap::openai_api::wire::parse_chat_response(bad, "perplexity"), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
}

BOOST_AUTO_TEST_CASE(rig_cassettes) {
    std::size_t answers = 0, streams = 0, requests = 0;
    std::map<std::string, std::size_t> skipped;
    for (std::string_view provider :
         {"openai", "deepseek", "groq", "llamacpp", "openrouter", "perplexity", "mistral"}) {
        for (auto const& e : fx::rig_exchanges(provider)) {
            if (!is_chat_completions(e)) {
                ++skipped["not a Chat Completions call (other endpoint)"];
                continue;
            }
            if (e.status != 200) {
                ++skipped["an error answer (its mapping to llmap::error comes with the transport)"];
                continue;
            }
            std::string const name = std::string(provider) + ":" + e.name();
            // The request: send the same logical request through llmap, compare what matters.
            auto const recorded = json::parse(e.request_body).as_object();
            std::vector<llmap::warning> w;
            // Mistral's own dialect (random_seed, no stream_options); the others' requests are
            // plain Chat Completions.
            llmap::openai_api::chat_dialect const d =
                provider == "mistral" ? llmap::vendors::mistral::dialect
                                      : llmap::openai_api::chat_dialect{.name = provider};
            auto const mine = llmap::openai_api::wire::chat_request_body(
                logical_request(recorded), str(recorded, "model"), d, requested_stream(e), w);
            BOOST_TEST(mine.at("model") == recorded.at("model"), name);
            BOOST_TEST(mine.contains("stream") == requested_stream(e), name);
            auto const& my_msgs = mine.at("messages").as_array();
            auto const& their_msgs = recorded.at("messages").as_array();
            BOOST_TEST_REQUIRE(my_msgs.size() == their_msgs.size(), name);
            for (std::size_t i = 0; i != my_msgs.size(); ++i) {
                std::string role = str(their_msgs[i].as_object(), "role");
                if (role == "developer")
                    role = "system";
                BOOST_TEST(str(my_msgs[i].as_object(), "role") == role, name << " message " << i);
                auto const& theirs = their_msgs[i].as_object();
                if (theirs.contains("content") && theirs.at("content").is_string() &&
                    !theirs.at("content").as_string().empty())
                    BOOST_TEST(my_msgs[i].at("content") == theirs.at("content"), name);
                if (auto const* tc = theirs.if_contains("tool_calls"); tc && tc->is_array())
                    BOOST_TEST(my_msgs[i].at("tool_calls").as_array().size() ==
                                   tc->as_array().size(),
                               name);
            }
            if (auto const* tools = recorded.if_contains("tools"))
                BOOST_TEST(mine.at("tools").as_array().size() == tools->as_array().size(), name);
            ++requests;

            // The answer.
            if (requested_stream(e)) {
                auto const whole = replay_stream(e.response_body, 0);
                check(whole.response, expect_from_chunks(whole.datas), name);
                for (unsigned mode : {1u, 2u, 3u, 4u})
                    BOOST_TEST((replay_stream(e.response_body, mode).response == whole.response),
                               name << " split mode " << mode);
                ++streams;
            } else {
                auto const body = json::parse(e.response_body);
                check(llmap::openai_api::wire::parse_chat_response(body, provider),
                      expect_from_answer(body), name);
                ++answers;
            }
        }
    }
    std::cout << "openai_chat_wire/rig_cassettes: " << answers << " answers and " << streams
              << " streams replayed, " << requests << " requests re-sent\n";
    for (auto const& [why, n] : skipped)
        std::cout << "  skipped " << n << ": " << why << "\n";
    BOOST_TEST(answers >= 100u);
    BOOST_TEST(streams >= 50u);
}

BOOST_AUTO_TEST_CASE(ai_sdk_fixtures) {
    std::size_t answers = 0, streams = 0;
    std::map<std::string, std::size_t> skipped;
    auto const base = fx::root() / "aisdk";
    std::vector<std::filesystem::path> dirs = {base / "openai" / "chat", base / "openai-compatible",
                                               base / "deepseek", base / "groq", base / "mistral"};
    for (auto const& f : fx::files(base / "xai", ""))
        if (f.parent_path() == base / "xai")
            dirs.push_back(f); // xai's chat files; xai/responses is the Responses API
    for (auto const& dir : dirs) {
        for (auto const& f : std::filesystem::is_directory(dir)
                                 ? fx::files(dir, "")
                                 : std::vector<std::filesystem::path>{dir}) {
            std::string const name = f.filename().string();
            if (name.ends_with(".chunks.txt")) {
                auto const lines = fx::chunk_lines(f);
                auto const body = fx::openai_sse(lines);
                auto const whole = replay_stream(body, 0);
                check(whole.response, expect_from_chunks(lines, name.starts_with("xai-")), name);
                for (unsigned mode : {1u, 5u})
                    BOOST_TEST((replay_stream(body, mode).response == whole.response), name);
                ++streams;
            } else if (name.ends_with(".json")) {
                auto const body = json::parse(fx::read_file(f));
                if (!body.as_object().contains("choices")) {
                    ++skipped["not a chat answer (an error body, a transcription)"];
                    continue;
                }
                check(llmap::openai_api::wire::parse_chat_response(body),
                      expect_from_answer(body, name.starts_with("xai-")), name);
                ++answers;
            }
        }
    }
    std::cout << "openai_chat_wire/ai_sdk_fixtures: " << answers << " answers and " << streams
              << " streams replayed\n";
    for (auto const& [why, n] : skipped)
        std::cout << "  skipped " << n << ": " << why << "\n";
    BOOST_TEST(answers >= 5u);
    BOOST_TEST(streams >= 5u);
}

BOOST_AUTO_TEST_SUITE_END()
