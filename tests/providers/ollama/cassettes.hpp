//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What the Ollama tests read from Rig's cassettes (../shared/fixtures/rig/ollama), with code
// of their own (a minimal walk of the recorded JSON), never with llmap's parser.

#ifndef LLMAP_TESTS_PROVIDERS_OLLAMA_CASSETTES_HPP
#define LLMAP_TESTS_PROVIDERS_OLLAMA_CASSETTES_HPP

#include "../../support/fixtures.hpp"

#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace test::ollama {

namespace fx = test::fixtures;
namespace json = boost::json;

/// The chat exchanges (`POST /api/chat`) and the count and reason of those skipped.
struct cassettes {
    std::vector<fx::exchange> chat;
    std::size_t skipped = 0;
};

inline cassettes load() {
    cassettes c;
    for (auto& e : fx::rig_exchanges("ollama")) {
        if (e.method == "POST" && e.path == "/api/chat")
            c.chat.push_back(std::move(e));
        else
            ++c.skipped; // GET /api/tags: listing models is not part of the model interface
    }
    return c;
}

inline constexpr std::string_view skip_reason =
    "not POST /api/chat (model listing, GET /api/tags, is out of llmap's scope)";

inline bool requested_stream(const fx::exchange& e) {
    auto const v = json::parse(e.request_body);
    auto const* s = v.as_object().if_contains("stream");
    return !s || s->as_bool(); // Ollama streams by default
}

struct expected_call {
    std::string id, name;
    json::value arguments;
};

/// What an answer or a stream says, read straight from the recorded JSON.
struct expected {
    std::string model, text, thinking, done_reason;
    std::vector<expected_call> calls;
    std::optional<std::int64_t> prompt_eval_count, eval_count;
    std::size_t lines = 0;
};

inline std::string str(const json::object& o, std::string_view key) {
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

inline void read_line(const json::object& o, expected& e) {
    if (e.model.empty())
        e.model = str(o, "model");
    if (auto const* m = o.if_contains("message")) {
        auto const& msg = m->as_object();
        e.text += str(msg, "content");
        e.thinking += str(msg, "thinking");
        if (auto const* calls = msg.if_contains("tool_calls"))
            for (auto const& c : calls->as_array())
                e.calls.push_back({str(c.as_object(), "id"),
                                   str(c.at("function").as_object(), "name"),
                                   c.at("function").at("arguments")});
    }
    if (auto const* done = o.if_contains("done"); done && done->as_bool()) {
        e.done_reason = str(o, "done_reason");
        if (auto const* p = o.if_contains("prompt_eval_count"))
            e.prompt_eval_count = p->to_number<std::int64_t>();
        if (auto const* c = o.if_contains("eval_count"))
            e.eval_count = c->to_number<std::int64_t>();
    }
}

inline expected expect(const fx::exchange& e) {
    expected out;
    std::istringstream in(e.response_body);
    for (std::string line; std::getline(in, line);) {
        if (line.empty())
            continue;
        read_line(json::parse(line).as_object(), out);
        ++out.lines;
    }
    return out;
}

/** The logical request a cassette's recorded body stands for: what a caller of llmap would
    write to send it (system prompts as messages, `think: true` through provider options).
*/
inline llmap::request request_of(const json::object& body) {
    llmap::request r;
    std::size_t call = 0;
    for (auto const& mv : body.at("messages").as_array()) {
        auto const& m = mv.as_object();
        std::string const role = str(m, "role");
        llmap::message msg{.role = *llmap::role_from_string(role)};
        if (role == "tool") {
            msg.content.emplace_back(
                llmap::tool_result_part{"", str(m, "tool_name"), json::string(str(m, "content"))});
        } else {
            if (!str(m, "thinking").empty())
                msg.content.emplace_back(llmap::reasoning_part{str(m, "thinking")});
            if (!str(m, "content").empty())
                msg.content.emplace_back(llmap::text_part{str(m, "content")});
            if (auto const* calls = m.if_contains("tool_calls"))
                for (auto const& c : calls->as_array())
                    msg.content.emplace_back(llmap::tool_call_part{
                        "call" + std::to_string(call++), str(c.at("function").as_object(), "name"),
                        c.at("function").at("arguments")});
        }
        r.messages.push_back(std::move(msg));
    }
    if (auto const* tools = body.if_contains("tools"))
        for (auto const& t : tools->as_array()) {
            auto const& fn = t.at("function").as_object();
            r.tools.push_back({.name = str(fn, "name"),
                               .description = str(fn, "description"),
                               .parameters = fn.at("parameters").as_object()});
        }
    if (auto const* f = body.if_contains("format"))
        r.format = f->is_string() ? llmap::response_format::json()
                                  : llmap::response_format::json_schema("", f->as_object());
    if (auto const* o = body.if_contains("options")) {
        auto const& opts = o->as_object();
        if (auto const* n = opts.if_contains("num_predict"))
            r.max_output_tokens = static_cast<int>(n->to_number<std::int64_t>());
        if (auto const* t = opts.if_contains("temperature"))
            r.temperature = t->to_number<double>();
    }
    if (auto const* t = body.if_contains("think")) {
        if (t->as_bool())
            r.provider_options["ollama"] = {{"think", true}};
        else
            r.reasoning = llmap::reasoning_effort::none;
    }
    return r;
}

} // namespace test::ollama

#endif
