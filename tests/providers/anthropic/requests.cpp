//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The Messages request body: Rig's recorded requests rebuilt as unified requests (llmap's
// body must equal the recorded one, up to the spellings the API takes as the same), each
// mapping rule on its own, and bad answers and streams, which must give a typed error.

#include "../../support/fixtures.hpp"

#include <llmap/detail/base64.hpp>
#include <llmap/providers/anthropic/messages_wire.hpp>

#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <iostream>
#include <set>

namespace fx = test::fixtures;
namespace json = boost::json;
namespace wire = llmap::anthropic_api::wire;

namespace {

std::string str(const json::object& o, std::string_view key) {
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

// ---- a recorded body as a unified request ---------------------------------------------------

struct unrepresentable {
    std::string what;
};

json::object cache_options(const json::object& block) {
    if (auto const* cc = block.if_contains("cache_control"))
        return {{"anthropic", {{"cache_control", *cc}}}};
    return {};
}

// The parts of one block; its cache marker goes on the message when it is the last block.
llmap::content_part part_of(const json::object& b) {
    std::string const type = str(b, "type");
    if (type == "text")
        return llmap::text_part{str(b, "text")};
    if (type == "image" || type == "document") {
        for (auto const& kv : b)
            if (kv.key() != "type" && kv.key() != "source" && kv.key() != "title" &&
                kv.key() != "cache_control")
                throw unrepresentable{"a " + type + " with '" + std::string(kv.key()) + "'"};
        auto const& src = b.at("source").as_object();
        std::string const kind = str(src, "type");
        std::vector<std::uint8_t> bytes;
        if (kind == "base64")
            bytes = *llmap::detail::base64_decode(str(src, "data"));
        else if (kind == "text") {
            std::string const text = str(src, "data");
            bytes.assign(text.begin(), text.end());
        } else if (kind != "url")
            throw unrepresentable{"a " + type + " from source " + kind};
        if (type == "image")
            return kind == "url" ? llmap::image_part::from_url(str(src, "url"))
                                 : llmap::image_part::from_bytes(bytes, str(src, "media_type"));
        std::string const media = kind == "url" ? "application/pdf" : str(src, "media_type");
        return kind == "url" ? llmap::file_part::from_url(str(src, "url"), media, str(b, "title"))
                             : llmap::file_part::from_bytes(bytes, media, str(b, "title"));
    }
    if (type == "tool_use")
        return llmap::tool_call_part{str(b, "id"), str(b, "name"), b.at("input")};
    if (type == "thinking")
        return llmap::reasoning_part{str(b, "thinking"), str(b, "signature")};
    if (type == "redacted_thinking")
        return llmap::reasoning_part{str(b, "data"), {}, true};
    if (type == "tool_result") {
        std::string text;
        if (auto const* c = b.if_contains("content"); c && c->is_string())
            text = c->as_string();
        else if (c && c->is_array())
            for (auto const& p : c->as_array()) {
                if (str(p.as_object(), "type") != "text")
                    throw unrepresentable{"a tool result that is not text"};
                text += str(p.as_object(), "text");
            }
        auto const* err = b.if_contains("is_error");
        return llmap::tool_result_part{str(b, "tool_use_id"), "", json::string(text),
                                       err && err->is_bool() && err->as_bool()};
    }
    throw unrepresentable{"a '" + type + "' block"};
}

llmap::request logical_request(const json::object& body) {
    llmap::request req;
    auto const add_blocks = [&](llmap::role role, const json::value& content) {
        if (content.is_string()) {
            req.messages.push_back(
                {.role = role, .content = {llmap::text_part{std::string(content.as_string())}}});
            return;
        }
        auto const& blocks = content.as_array();
        for (std::size_t i = 0; i != blocks.size(); ++i) {
            auto const& b = blocks[i].as_object();
            bool const result = str(b, "type") == "tool_result";
            llmap::role const r = result ? llmap::role::tool : role;
            // A new message at each change of role; tool results and text alternate in a turn.
            if (req.messages.empty() || req.messages.back().role != r ||
                !req.messages.back().provider_options.empty())
                req.messages.push_back({.role = r});
            req.messages.back().content.push_back(part_of(b));
            if (b.contains("cache_control"))
                req.messages.back().provider_options = cache_options(b);
        }
    };
    if (auto const* s = body.if_contains("system"))
        add_blocks(llmap::role::system, *s);
    for (auto const& mv : body.at("messages").as_array()) {
        auto const& m = mv.as_object();
        add_blocks(*llmap::role_from_string(str(m, "role")), m.at("content"));
    }
    req.max_output_tokens = body.at("max_tokens").to_number<int>();
    if (auto const* t = body.if_contains("temperature"))
        req.temperature = t->to_number<double>();
    if (auto const* s = body.if_contains("stop_sequences"))
        for (auto const& x : s->as_array())
            req.stop_sequences.emplace_back(x.as_string());
    if (auto const* ts = body.if_contains("tools"))
        for (auto const& tv : ts->as_array()) {
            auto const& t = tv.as_object();
            if (t.contains("type") && str(t, "type") != "custom")
                throw unrepresentable{"a server tool"};
            if (!t.at("input_schema").is_object())
                throw unrepresentable{"a tool schema that is not an object"};
            llmap::tool tool{str(t, "name"), str(t, "description"),
                             t.at("input_schema").as_object()};
            json::object extra;
            for (auto const& kv : t)
                if (kv.key() != "name" && kv.key() != "description" && kv.key() != "input_schema")
                    extra[kv.key()] = kv.value();
            if (!extra.empty())
                tool.provider_options = {{"anthropic", std::move(extra)}};
            req.tools.push_back(std::move(tool));
        }
    if (auto const* c = body.if_contains("tool_choice")) {
        auto const& o = c->as_object();
        std::string const type = str(o, "type");
        if (o.size() != (type == "tool" ? 2u : 1u))
            throw unrepresentable{"tool choice options"};
        req.tool_choice = type == "auto"   ? llmap::tool_choice::auto_choice()
                          : type == "any"  ? llmap::tool_choice::required()
                          : type == "none" ? llmap::tool_choice::none()
                                           : llmap::tool_choice::specific(str(o, "name"));
    }
    // What the unified request has no field for goes in raw, as a user would send it.
    json::object raw;
    for (auto const& kv : body)
        if (kv.key() == "thinking" || kv.key() == "cache_control" || kv.key() == "output_config" ||
            kv.key() == "metadata")
            raw[kv.key()] = kv.value();
    if (!raw.empty())
        req.provider_options = {{"anthropic", std::move(raw)}};
    return req;
}

// The spellings the API takes as the same: a string content is one text block; a tool
// result's content is text, as a string or as text blocks; `is_error: false` is its absence.
json::value normal(json::value v) {
    auto const blocks = [](json::value& content) {
        if (content.is_string())
            content = json::array{{{"type", "text"}, {"text", content.as_string()}}};
        for (auto& b : content.as_array()) {
            auto& o = b.as_object();
            if (str(o, "type") == "tool_result") {
                if (auto* c = o.if_contains("content"); c && c->is_array()) {
                    std::string text;
                    for (auto const& p : c->as_array())
                        text += str(p.as_object(), "text");
                    *c = json::string(text);
                }
                if (auto* e = o.if_contains("is_error"); e && *e == false)
                    o.erase("is_error");
            }
        }
    };
    auto& o = v.as_object();
    if (auto* s = o.if_contains("system"))
        blocks(*s);
    for (auto& m : o.at("messages").as_array())
        blocks(m.as_object().at("content"));
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(anthropic_requests)

BOOST_AUTO_TEST_CASE(rig_recorded_requests) {
    std::size_t same = 0, skipped = 0;
    std::map<std::string, std::size_t> reasons;
    for (auto const& e : fx::rig_exchanges("anthropic")) {
        if (!(e.method == "POST" && e.path.ends_with("/v1/messages")))
            continue;
        auto const recorded = json::parse(e.request_body).as_object();
        llmap::request req;
        try {
            req = logical_request(recorded);
        } catch (const unrepresentable& u) {
            ++reasons[u.what];
            ++skipped;
            continue;
        }
        bool const stream = recorded.contains("stream") && recorded.at("stream") == true;
        std::vector<llmap::warning> warnings;
        auto const body =
            wire::messages_request_body(req, str(recorded, "model"), {}, stream, warnings);
        BOOST_TEST(!body.json_tool);
        BOOST_TEST(warnings.empty(), e.name());
        BOOST_TEST((normal(body.body) == normal(recorded)),
                   e.name() << "\n  llmap:    " << json::serialize(body.body)
                            << "\n  recorded: " << e.request_body);
        ++same;
    }
    BOOST_TEST(same > 200u);
    std::cout << "anthropic_requests/rig_recorded_requests: " << same
              << " recorded bodies rebuilt and matched; " << skipped << " not representable:";
    for (auto const& [why, n] : reasons)
        std::cout << " " << why << " (" << n << ")";
    std::cout << "\n";
}

// ---- each rule on its own -------------------------------------------------------------------

namespace {

json::object body_of(const llmap::request& req, std::vector<llmap::warning>& w,
                     wire::body_options opts = {}, bool stream = false) {
    return wire::messages_request_body(req, "claude-sonnet-4-5", opts, stream, w).body;
}

json::object body_of(const llmap::request& req) {
    std::vector<llmap::warning> w;
    return body_of(req, w);
}

bool has_warning(const std::vector<llmap::warning>& w, std::string_view setting) {
    for (auto const& x : w)
        if (x.setting == setting)
            return true;
    return false;
}

json::object ephemeral() {
    return {{"anthropic", {{"cache_control", {{"type", "ephemeral"}}}}}};
}

} // namespace

BOOST_AUTO_TEST_CASE(reference_scenario_is_the_official_sdks_body) {
    // ../shared/conformance/sdk-requests: @anthropic-ai/sdk sent exactly this.
    std::vector<llmap::warning> w;
    auto const body = body_of({.system = "You are a terse assistant.",
                               .prompt = "Say hello.",
                               .max_output_tokens = 64,
                               .temperature = 0.2},
                              w);
    BOOST_TEST((body == json::parse(R"({"model":"claude-sonnet-4-5",
        "system":"You are a terse assistant.","messages":[{"role":"user","content":"Say hello."}],
        "temperature":0.2,"max_tokens":64})")));
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_CASE(max_tokens_default_is_a_warning) {
    std::vector<llmap::warning> w;
    auto const body = body_of({.prompt = "x"}, w);
    BOOST_TEST(body.at("max_tokens") == llmap::anthropic_api::default_max_tokens);
    BOOST_TEST(has_warning(w, "max_output_tokens"));
}

BOOST_AUTO_TEST_CASE(system_messages_and_cache_control) {
    llmap::request req{.max_output_tokens = 10};
    req.messages.push_back(llmap::message::system("one"));
    req.messages.push_back(llmap::message::system("two"));
    req.messages.back().provider_options = ephemeral();
    req.messages.push_back(llmap::message::user("hi"));
    auto const body = body_of(req);
    BOOST_TEST((body.at("system") == json::parse(R"([{"type":"text","text":"one"},
        {"type":"text","text":"two","cache_control":{"type":"ephemeral"}}])")));
    // A system message after the conversation began stays in place.
    req.messages.push_back(llmap::message::system("later"));
    req.messages.push_back(llmap::message::user("again"));
    auto const later = body_of(req);
    BOOST_TEST((later.at("messages").as_array()[1] ==
                json::parse(R"({"role":"system","content":"later"})")));
}

BOOST_AUTO_TEST_CASE(turns_merge_and_tool_results_go_in_a_user_turn) {
    llmap::request req{.max_output_tokens = 10};
    req.messages.push_back(llmap::message::user("a"));
    req.messages.push_back(llmap::message::user("b"));
    req.messages.back().provider_options = ephemeral();
    llmap::message call{.role = llmap::role::assistant};
    call.content.push_back(llmap::reasoning_part{"think", "sig"});
    call.content.push_back(llmap::reasoning_part{"opaque", "", true});
    call.content.push_back(llmap::text_part{"calling"});
    call.content.push_back(llmap::tool_call_part{"toolu_1", "f", {{"x", 1}}});
    call.content.push_back(llmap::tool_call_part{"toolu_2", "g", json::object{}});
    req.messages.push_back(call);
    llmap::message results{.role = llmap::role::tool};
    results.content.push_back(llmap::tool_result_part{"toolu_1", "f", "done", false});
    results.content.push_back(llmap::tool_result_part{"toolu_2", "g", {{"v", 2}}, true});
    req.messages.push_back(results);
    req.messages.push_back(llmap::message::user("next"));
    auto const body = body_of(req);
    BOOST_TEST((body.at("messages") == json::parse(R"([
        {"role":"user","content":[{"type":"text","text":"a"},
            {"type":"text","text":"b","cache_control":{"type":"ephemeral"}}]},
        {"role":"assistant","content":[
            {"type":"thinking","thinking":"think","signature":"sig"},
            {"type":"redacted_thinking","data":"opaque"},
            {"type":"text","text":"calling"},
            {"type":"tool_use","id":"toolu_1","name":"f","input":{"x":1}},
            {"type":"tool_use","id":"toolu_2","name":"g","input":{}}]},
        {"role":"user","content":[
            {"type":"tool_result","tool_use_id":"toolu_1","content":"done"},
            {"type":"tool_result","tool_use_id":"toolu_2","content":"{\"v\":2}","is_error":true},
            {"type":"text","text":"next"}]}])")));
}

BOOST_AUTO_TEST_CASE(reasoning_without_signature_is_dropped_with_a_warning) {
    llmap::request req{.max_output_tokens = 10};
    req.messages.push_back(llmap::message::user("a"));
    llmap::message m{.role = llmap::role::assistant};
    m.content.push_back(llmap::reasoning_part{"unsigned"});
    m.content.push_back(llmap::text_part{"ok"});
    req.messages.push_back(m);
    std::vector<llmap::warning> w;
    auto const body = body_of(req, w);
    BOOST_TEST((body.at("messages").as_array()[1] ==
                json::parse(R"({"role":"assistant","content":"ok"})")));
    BOOST_TEST(w.size() == 1u);
}

BOOST_AUTO_TEST_CASE(images_and_documents) {
    llmap::request req{.max_output_tokens = 10};
    llmap::message m = llmap::message::user("look");
    m.content.push_back(llmap::image_part::from_url("https://x/cat.png"));
    m.content.push_back(llmap::image_part::from_bytes({1, 2, 3}, "image/jpeg"));
    m.content.push_back(llmap::image_part::from_url("data:image/gif;base64,AAEC"));
    m.content.push_back(llmap::file_part::from_url("https://x/a.pdf", "application/pdf"));
    m.content.push_back(llmap::file_part::from_bytes({4, 5}, "application/pdf", "a.pdf"));
    m.content.push_back(llmap::file_part::from_bytes({'h', 'i'}, "text/plain"));
    m.content.push_back(llmap::file_part::from_bytes({0}, "audio/wav"));
    req.messages.push_back(m);
    std::vector<llmap::warning> w;
    auto const body = body_of(req, w);
    BOOST_TEST((body.at("messages").as_array()[0].at("content") == json::parse(R"([
        {"type":"text","text":"look"},
        {"type":"image","source":{"type":"url","url":"https://x/cat.png"}},
        {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"AQID"}},
        {"type":"image","source":{"type":"base64","media_type":"image/gif","data":"AAEC"}},
        {"type":"document","source":{"type":"url","url":"https://x/a.pdf"}},
        {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"BAU="},
         "title":"a.pdf"},
        {"type":"document","source":{"type":"text","media_type":"text/plain","data":"hi"}}])")));
    BOOST_TEST(w.size() == 1u); // the audio file
}

BOOST_AUTO_TEST_CASE(tools_and_tool_choice) {
    llmap::request req{.prompt = "x", .max_output_tokens = 10};
    req.tools.push_back({.name = "f",
                         .description = "d",
                         .parameters = {{"type", "object"}},
                         .provider_options = ephemeral()});
    req.tools.push_back({.name = "g"});
    auto const choice = [&](llmap::tool_choice c) {
        req.tool_choice = c;
        return body_of(req).at("tool_choice");
    };
    BOOST_TEST((choice(llmap::tool_choice::auto_choice()) == json::parse(R"({"type":"auto"})")));
    BOOST_TEST((choice(llmap::tool_choice::required()) == json::parse(R"({"type":"any"})")));
    BOOST_TEST((choice(llmap::tool_choice::none()) == json::parse(R"({"type":"none"})")));
    BOOST_TEST((choice(llmap::tool_choice::specific("g")) ==
                json::parse(R"({"type":"tool","name":"g"})")));
    BOOST_TEST((body_of(req).at("tools") == json::parse(R"([
        {"name":"f","description":"d","input_schema":{"type":"object"},
         "cache_control":{"type":"ephemeral"}},
        {"name":"g","input_schema":{"type":"object"}}])")));
}

BOOST_AUTO_TEST_CASE(thinking_budget_and_effort) {
    llmap::request req{.prompt = "x", .max_output_tokens = 100, .temperature = 0.5, .top_k = 3};
    std::vector<llmap::warning> w;
    auto body = body_of(req, w, {.thinking_budget = 2048});
    BOOST_TEST((body.at("thinking") == json::parse(R"({"type":"enabled","budget_tokens":2048})")));
    BOOST_TEST(body.at("max_tokens") == 2148);
    BOOST_TEST(!body.contains("temperature"));
    BOOST_TEST(!body.contains("top_k"));
    BOOST_TEST(has_warning(w, "temperature"));
    BOOST_TEST(has_warning(w, "top_k"));
    req.reasoning = llmap::reasoning_effort::medium;
    body = body_of(req);
    BOOST_TEST(body.at("thinking").at("budget_tokens") == 8192);
    req.reasoning = llmap::reasoning_effort::none;
    body = body_of(req);
    BOOST_TEST(!body.contains("thinking"));
    BOOST_TEST(body.at("temperature") == 0.5);
    BOOST_TEST(body.at("top_k") == 3);
}

BOOST_AUTO_TEST_CASE(json_schema_through_the_json_tool) {
    json::object const schema{{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}};
    llmap::request req{.prompt = "x",
                       .max_output_tokens = 10,
                       .format = llmap::response_format::json_schema("r", schema)};
    std::vector<llmap::warning> w;
    auto const out = wire::messages_request_body(req, "m", {}, false, w);
    BOOST_TEST(out.json_tool);
    BOOST_TEST((out.body.at("tools").as_array()[0].at("input_schema") == schema));
    BOOST_TEST((out.body.at("tool_choice") == json::parse(R"({"type":"tool","name":"json"})")));
    // The answer: the tool's input is the text; the preamble is left out.
    auto const r = wire::parse_messages_response(
        json::parse(R"({"id":"m","content":[{"type":"text","text":"Here it is"},
            {"type":"tool_use","id":"t","name":"json","input":{"a":"b"}}],
            "stop_reason":"tool_use"})"),
        "anthropic", true);
    BOOST_TEST((json::parse(r.text()) == json::parse(R"({"a":"b"})")));
    BOOST_TEST(r.tool_calls().empty());
    BOOST_TEST((r.finish == llmap::finish_reason::stop));
    // Plain JSON mode has no Anthropic form.
    req.format = llmap::response_format::json();
    w.clear();
    auto const plain = body_of(req, w);
    BOOST_TEST(!plain.contains("tools"));
    BOOST_TEST(has_warning(w, "format"));
}

BOOST_AUTO_TEST_CASE(options_stop_sequences_seed_and_stream) {
    llmap::request req{.prompt = "x",
                       .max_output_tokens = 10,
                       .top_p = 0.9,
                       .stop_sequences = {"END", "STOP"},
                       .seed = 7};
    req.provider_options = {{"anthropic", {{"metadata", {{"user_id", "u"}}}, {"max_tokens", 5}}},
                            {"openai", {{"store", true}}}};
    std::vector<llmap::warning> w;
    auto const body = body_of(req, w, {}, true);
    BOOST_TEST((body.at("stop_sequences") == json::parse(R"(["END","STOP"])")));
    BOOST_TEST(body.at("top_p") == 0.9);
    BOOST_TEST(body.at("stream") == true);
    BOOST_TEST(body.at("max_tokens") == 5); // the raw options win
    BOOST_TEST(body.at("metadata").at("user_id") == "u");
    BOOST_TEST(!body.contains("store"));
    BOOST_TEST(!body.contains("seed"));
    BOOST_TEST(has_warning(w, "seed"));
}

BOOST_AUTO_TEST_CASE(stop_reasons_and_usage) {
    using llmap::finish_reason;
    BOOST_TEST((wire::messages_finish_reason("end_turn") == finish_reason::stop));
    BOOST_TEST((wire::messages_finish_reason("stop_sequence") == finish_reason::stop));
    BOOST_TEST((wire::messages_finish_reason("pause_turn") == finish_reason::stop));
    BOOST_TEST((wire::messages_finish_reason("max_tokens") == finish_reason::length));
    BOOST_TEST((wire::messages_finish_reason("tool_use") == finish_reason::tool_calls));
    BOOST_TEST((wire::messages_finish_reason("refusal") == finish_reason::content_filter));
    BOOST_TEST((wire::messages_finish_reason("novel") == finish_reason::other));
    BOOST_TEST((wire::messages_finish_reason("") == finish_reason::unknown));
    auto const u = wire::messages_usage(json::parse(R"({"input_tokens":3,
        "cache_creation_input_tokens":10,"cache_read_input_tokens":100,"output_tokens":7,
        "output_tokens_details":{"thinking_tokens":4}})")
                                            .as_object(),
                                        "anthropic");
    BOOST_TEST(*u.input_tokens == 113);
    BOOST_TEST(*u.cache_write_tokens == 10);
    BOOST_TEST(*u.cache_read_tokens == 100);
    BOOST_TEST(*u.output_tokens == 7);
    BOOST_TEST(*u.reasoning_tokens == 4);
    BOOST_TEST(u.total() == 120);
}

// ---- bad answers and streams ------------------------------------------------------------------

namespace {

bool malformed(const llmap::error& e) {
    return e.code() == llmap::errc::malformed_response;
}

template <class Decoder = wire::messages_stream_decoder>
llmap::response decode(const std::vector<std::string>& datas) {
    Decoder d;
    llmap::stream_accumulator acc;
    for (auto const& data : datas)
        if (!d.done())
            d.on_data(data, [&](llmap::stream_event&& e) { acc.add(e); });
    if (!d.done())
        d.finish([&](llmap::stream_event&& e) { acc.add(e); });
    return std::move(acc).finish();
}

std::string const start =
    R"({"type":"message_start","message":{"id":"m1","model":"c","content":[],"usage":{"input_tokens":1}}})";

} // namespace

BOOST_AUTO_TEST_CASE(bad_answers_are_typed_errors) {
    for (char const* body :
         {R"([])", R"({"id":"x"})", R"({"content":{}})", R"({"content":[1]})",
          R"({"content":[{"type":"text","text":5}]})",
          R"({"content":[],"usage":{"input_tokens":-1}})", R"({"content":[],"stop_reason":7})",
          R"({"content":[{"type":"tool_use","name":[]}]})"})
        BOOST_CHECK_EXCEPTION(wire::parse_messages_response(json::parse(body)), llmap::error,
                              malformed);
    BOOST_CHECK_EXCEPTION(
        wire::parse_messages_response(json::parse(
            R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})")),
        llmap::error, [](const llmap::error& e) {
            return e.code() == llmap::errc::http_error && e.http_status() == 529 &&
                   e.provider_error_type() == "overloaded_error";
        });
}

BOOST_AUTO_TEST_CASE(bad_streams_are_typed_errors) {
    std::string const text_start =
        R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})";
    std::string const text_delta =
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hi"}})";
    std::string const stop = R"({"type":"content_block_stop","index":0})";
    std::string const message_stop = R"({"type":"message_stop"})";
    // The complete stream decodes.
    auto const ok = decode({start, text_start, text_delta, stop, message_stop});
    BOOST_TEST(ok.text() == "hi");
    std::vector<std::vector<std::string>> const bad{
        {"not json"},
        {"[1]"},
        {text_start},                                  // before message_start
        {start, text_delta},                           // a block never started
        {start, text_start, text_start},               // started twice
        {start, text_start, text_delta},               // cut: no message_stop
        {start, text_start, text_delta, message_stop}, // stops with a block open
        {start, R"({"type":"content_block_start","index":"0","content_block":{}})"},
        {start, text_start,
         R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta"}})"},
        {start, text_start, stop, R"({"type":"message_delta","usage":{"output_tokens":"3"}})",
         message_stop},
    };
    for (auto const& datas : bad)
        BOOST_CHECK_EXCEPTION(decode(datas), llmap::error, malformed);
    // An error event mid-stream: the provider's error, typed.
    BOOST_CHECK_EXCEPTION(
        decode({start, text_start, text_delta,
                R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"}),
        llmap::error, [](const llmap::error& e) {
            return e.code() == llmap::errc::http_error && e.http_status() == 529 &&
                   e.provider_error_type() == "overloaded_error" &&
                   std::string_view(e.what()).find("Overloaded") != std::string_view::npos;
        });
}

// With thinking on, the API rejects a forced tool: a required or named choice becomes auto,
// with a warning; without thinking, and for auto or none, the choice goes as given.
BOOST_AUTO_TEST_CASE(forced_tool_choice_with_thinking) {
    llmap::request req{.prompt = "x", .max_output_tokens = 10, .tools = {llmap::tool{.name = "f"}}};
    for (auto const& choice : {llmap::tool_choice::required(), llmap::tool_choice::specific("f")}) {
        req.tool_choice = choice;
        std::vector<llmap::warning> w;
        auto const thinking =
            wire::messages_request_body(req, "m", {.thinking_budget = 1024}, false, w);
        BOOST_TEST((thinking.body.at("tool_choice") == json::parse(R"({"type":"auto"})")));
        BOOST_TEST(has_warning(w, "tool_choice"));
        w.clear();
        auto const plain = wire::messages_request_body(req, "m", {}, false, w);
        BOOST_TEST((plain.body.at("tool_choice") != json::parse(R"({"type":"auto"})")));
        BOOST_TEST(!has_warning(w, "tool_choice"));
    }
    req.tool_choice = llmap::tool_choice::none();
    std::vector<llmap::warning> w;
    auto const none = wire::messages_request_body(req, "m", {.thinking_budget = 1024}, false, w);
    BOOST_TEST((none.body.at("tool_choice") == json::parse(R"({"type":"none"})")));
    BOOST_TEST(!has_warning(w, "tool_choice"));
}

// A JSON schema with thinking on: the API rejects a forced tool_choice, so thinking is kept,
// the json tool is offered with tool_choice auto, and a warning says so. An answer that
// calls no tool keeps its text (streamed or not); one that calls the tool is as before.
BOOST_AUTO_TEST_CASE(json_schema_with_thinking) {
    json::object const schema{{"type", "object"}, {"properties", {{"a", {{"type", "string"}}}}}};
    llmap::request req{.prompt = "x",
                       .max_output_tokens = 10,
                       .format = llmap::response_format::json_schema("r", schema)};
    std::vector<llmap::warning> w;
    auto const out = wire::messages_request_body(req, "m", {.thinking_budget = 1024}, false, w);
    BOOST_TEST(out.json_tool);
    BOOST_TEST(
        (out.body.at("thinking") == json::parse(R"({"type":"enabled","budget_tokens":1024})")));
    BOOST_TEST((out.body.at("tools").as_array()[0].at("name") == "json"));
    BOOST_TEST((out.body.at("tool_choice") == json::parse(R"({"type":"auto"})")));
    BOOST_TEST(has_warning(w, "format"));
    // With other tools too: auto, one call at a time.
    req.tools.push_back(llmap::tool{.name = "f"});
    w.clear();
    auto const with_tools =
        wire::messages_request_body(req, "m", {.thinking_budget = 1024}, false, w);
    BOOST_TEST((with_tools.body.at("tool_choice") ==
                json::parse(R"({"type":"auto","disable_parallel_tool_use":true})")));
    BOOST_TEST(has_warning(w, "format"));
    // Without thinking the tool is still forced, with no warning.
    req.tools.clear();
    w.clear();
    auto const forced = wire::messages_request_body(req, "m", {}, false, w);
    BOOST_TEST((forced.body.at("tool_choice") == json::parse(R"({"type":"tool","name":"json"})")));
    BOOST_TEST(!has_warning(w, "format"));

    // The model answered in text: that text is the answer.
    auto const text_only = wire::parse_messages_response(json::parse(R"({"id":"m","content":[
            {"type":"thinking","thinking":"hm","signature":"s"},
            {"type":"text","text":"{\"a\":\"b\"}"}],"stop_reason":"end_turn"})"),
                                                         "anthropic", true);
    BOOST_TEST(text_only.text() == R"({"a":"b"})");
    BOOST_TEST(text_only.reasoning_text() == "hm");
    BOOST_TEST((text_only.finish == llmap::finish_reason::stop));
    std::string const thinking_start =
        R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})";
    std::string const thinking_delta =
        R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}})";
    std::string const text_start =
        R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})";
    std::string const text_delta =
        R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"{\"a\":"}})";
    std::string const text_delta2 =
        R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"\"b\"}"}})";
    std::string const delta = R"({"type":"message_delta","delta":{"stop_reason":"end_turn"}})";
    auto const streamed = decode<wire::json_tool_stream_decoder>(
        {start, thinking_start, thinking_delta, R"({"type":"content_block_stop","index":0})",
         text_start, text_delta, text_delta2, R"({"type":"content_block_stop","index":1})", delta,
         R"({"type":"message_stop"})"});
    BOOST_TEST(streamed.text() == R"({"a":"b"})");
    BOOST_TEST(streamed.reasoning_text() == "hm");
    BOOST_TEST((streamed.finish == llmap::finish_reason::stop));

    // The model called the tool: its input is the answer and the preamble is left out.
    auto const called = decode<wire::json_tool_stream_decoder>(
        {start, text_start, text_delta, R"({"type":"content_block_stop","index":1})",
         R"({"type":"content_block_start","index":2,"content_block":{"type":"tool_use",
             "id":"t","name":"json","input":{}}})",
         R"({"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta",
             "partial_json":"{\"a\":\"c\"}"}})",
         R"({"type":"content_block_stop","index":2})",
         R"({"type":"message_delta","delta":{"stop_reason":"tool_use"}})",
         R"({"type":"message_stop"})"});
    BOOST_TEST(called.text() == R"({"a":"c"})");
    BOOST_TEST((called.finish == llmap::finish_reason::stop));
}

BOOST_AUTO_TEST_SUITE_END()
