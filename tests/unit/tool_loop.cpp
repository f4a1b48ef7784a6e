//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/tool_loop.hpp: the tool loop replays the recorded multi-turn tool sessions of Rig's
// cassettes. For each session, the first recorded request gives the conversation and the
// tools; the tools answer what the recording's tools answered; a loopback server answers each
// call with the next recorded answer; and every request the loop sends must carry the same
// conversation as the recorded one (messages, tool calls with their ids and arguments, tool
// results, reasoning signatures) and the same tools. The blocking loop replays the
// non-streamed sessions and the streamed loop the streamed ones, on every provider with tools.

#include <llmap/tool_loop.hpp>

#include <llmap/default_registry.hpp>

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/describe.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fx = test::fixtures;
namespace ts = llmap::test;
namespace json = boost::json;

// ---- a wire-independent reading of a recorded or sent request ---------------------------

/// One turn of a conversation as the wire carries it: who speaks, the text, and the tool
/// calls, results and reasoning signatures as comparable strings.
struct turn {
    std::string role; // system, user, assistant, tool
    std::string text;
    std::vector<std::string> items;
    bool plain = true; // only text, tool calls and tool results (no image, file, ...)

    bool operator==(const turn& o) const {
        return role == o.role && text == o.text && items == o.items;
    }
};

std::ostream& operator<<(std::ostream& o, const turn& t) {
    o << t.role << ": \"" << t.text << "\"";
    for (auto const& i : t.items)
        o << " [" << i << "]";
    return o;
}

std::string describe(const std::vector<turn>& turns) {
    std::ostringstream o;
    for (auto const& t : turns)
        o << "\n    " << t;
    return o.str();
}

enum class wire { chat, responses, anthropic, gemini, ollama, cohere };

/// Arguments as canonical JSON text (a wire that sends them as a JSON text is parsed).
std::string canonical(const json::value& args) {
    if (args.is_string()) {
        boost::system::error_code ec;
        auto v = json::parse(args.get_string(), ec);
        if (!ec)
            return json::serialize(v.is_null() ? json::value(json::object()) : v);
        return args.get_string().empty() ? "{}" : std::string(args.get_string());
    }
    if (args.is_null())
        return "{}";
    return json::serialize(args);
}

/// The text of a content value: a string, or the text of an array of parts.
std::string text_of(const json::value& v, bool* plain = nullptr) {
    if (v.is_string())
        return std::string(v.get_string());
    std::string out;
    if (auto const* a = v.if_array())
        for (auto const& p : *a) {
            if (p.is_string()) {
                out += p.get_string();
                continue;
            }
            auto const& o = p.as_object();
            if (auto const* t = o.if_contains("text"); t && t->is_string())
                out += t->get_string();
            else if (auto const* d = o.if_contains("document"))
                out += d->at("data").is_string() ? std::string(d->at("data").get_string())
                                                 : json::serialize(d->at("data"));
            else if (plain)
                *plain = false;
        }
    return out;
}

struct reader {
    std::vector<turn> turns;

    turn& last(const std::string& role) {
        if (turns.empty() || turns.back().role != role)
            turns.push_back({role, {}, {}});
        return turns.back();
    }
    void call(const std::string& id, const json::value& name, const json::value& args) {
        last("assistant")
            .items.push_back("call " + id + " " + std::string(name.as_string()) + " " +
                             canonical(args));
    }
    void result(const std::string& id, const std::string& text) {
        last("tool").items.push_back("result " + id + " " + text);
    }
};

std::string str(const json::object& o, std::string_view key) {
    auto const* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<turn> read_chat(const json::object& body, bool ollama) {
    reader r;
    for (auto const& mv : body.at("messages").as_array()) {
        auto const& m = mv.as_object();
        std::string role = str(m, "role");
        if (role == "developer")
            role = "system";
        json::value const content = m.contains("content") ? m.at("content") : json::value();
        if (role == "tool") {
            std::string const id = ollama ? str(m, "tool_name") : str(m, "tool_call_id");
            r.result(id, text_of(content));
            continue;
        }
        turn t{role, {}, {}};
        t.text = text_of(content, &t.plain);
        if (m.contains("images"))
            t.plain = false;
        r.turns.push_back(std::move(t));
        if (auto const* calls = m.if_contains("tool_calls"); calls && calls->is_array())
            for (auto const& c : calls->as_array()) {
                auto const& f = c.at("function").as_object();
                std::string const id = ollama ? str(f, "name") : str(c.as_object(), "id");
                r.call(id, f.at("name"), f.contains("arguments") ? f.at("arguments") : nullptr);
            }
    }
    return r.turns;
}

std::vector<turn> read_responses(const json::object& body) {
    reader r;
    if (auto i = str(body, "instructions"); !i.empty())
        r.turns.push_back({"system", i, {}});
    json::value const& input = body.at("input");
    if (input.is_string()) {
        r.turns.push_back({"user", std::string(input.get_string()), {}});
        return r.turns;
    }
    for (auto const& iv : input.as_array()) {
        auto const& item = iv.as_object();
        std::string const type = item.contains("type") ? str(item, "type") : "message";
        if (type == "message") {
            std::string role = str(item, "role");
            if (role == "developer")
                role = "system";
            turn& t = role == "assistant" ? r.last("assistant")
                                          : (r.turns.push_back({role, {}, {}}), r.turns.back());
            t.text += text_of(item.at("content"), &t.plain);
        } else if (type == "function_call") {
            r.call(str(item, "call_id"), item.at("name"), item.at("arguments"));
        } else if (type == "function_call_output") {
            r.result(str(item, "call_id"), text_of(item.at("output")));
        } else if (type == "reasoning") {
            // llmap gives back reasoning that carries its encrypted content, without its item
            // id, which the API accepts; reasoning without it (Rig sends such items by id,
            // relying on the provider's stored response) it leaves out (responses_wire.hpp).
            if (auto const e = str(item, "encrypted_content"); !e.empty())
                r.last("assistant").items.push_back("reasoning " + e);
        } else {
            r.last("other").plain = false;
        }
    }
    return r.turns;
}

std::vector<turn> read_anthropic(const json::object& body) {
    reader r;
    if (auto const* s = body.if_contains("system"))
        r.turns.push_back({"system", text_of(*s), {}});
    for (auto const& mv : body.at("messages").as_array()) {
        auto const& m = mv.as_object();
        std::string const role = str(m, "role");
        json::value const& content = m.at("content");
        if (content.is_string()) {
            r.turns.push_back({role, std::string(content.get_string()), {}});
            continue;
        }
        bool opened = false;
        for (auto const& bv : content.as_array()) {
            auto const& b = bv.as_object();
            std::string const type = str(b, "type");
            if (type == "tool_result") {
                r.result(str(b, "tool_use_id"),
                         b.contains("content") ? text_of(b.at("content")) : std::string());
                continue;
            }
            if (!opened) {
                r.turns.push_back({role, {}, {}});
                opened = true;
            }
            turn& t = r.turns.back();
            if (type == "text")
                t.text += str(b, "text");
            else if (type == "tool_use")
                r.call(str(b, "id"), b.at("name"), b.at("input"));
            else if (type == "thinking")
                t.items.push_back("thinking " + str(b, "signature"));
            else if (type == "redacted_thinking")
                t.items.push_back("redacted " + str(b, "data"));
            else
                t.plain = false;
        }
    }
    return r.turns;
}

std::vector<turn> read_gemini(const json::object& body) {
    reader r;
    if (auto const* s = body.if_contains("systemInstruction"))
        r.turns.push_back({"system", text_of(s->at("parts")), {}});
    for (auto const& cv : body.at("contents").as_array()) {
        auto const& c = cv.as_object();
        std::string const role = str(c, "role") == "model" ? "assistant" : "user";
        bool opened = false;
        for (auto const& pv : c.at("parts").as_array()) {
            auto const& p = pv.as_object();
            if (auto const* fr = p.if_contains("functionResponse")) {
                // The result's text: a response object of one string member is that string.
                auto const& resp = fr->at("response");
                std::string text = json::serialize(resp);
                if (auto const* o = resp.if_object();
                    o && o->size() == 1 && o->begin()->value().is_string())
                    text = std::string(o->begin()->value().get_string());
                r.result(str(fr->as_object(), "name"), text);
                continue;
            }
            if (!opened) {
                r.turns.push_back({role, {}, {}});
                opened = true;
            }
            turn& t = r.turns.back();
            if (auto const* fc = p.if_contains("functionCall")) {
                auto const& f = fc->as_object();
                r.call(str(f, "name"), f.at("name"), f.contains("args") ? f.at("args") : nullptr);
            } else if (auto const* tx = p.if_contains("text")) {
                if (p.contains("thought") && p.at("thought").as_bool())
                    t.items.push_back("thought");
                else
                    t.text += tx->as_string();
            } else if (!p.contains("thoughtSignature")) {
                t.plain = false;
            }
            if (auto const* sig = p.if_contains("thoughtSignature"))
                r.turns.back().items.push_back("signature " + std::string(sig->as_string()));
        }
    }
    return r.turns;
}

std::vector<turn> read_cohere(const json::object& body) {
    reader r;
    for (auto const& mv : body.at("messages").as_array()) {
        auto const& m = mv.as_object();
        std::string const role = str(m, "role");
        if (role == "tool") {
            r.result(str(m, "tool_call_id"), text_of(m.at("content")));
            continue;
        }
        turn t{role, {}, {}};
        if (auto const* c = m.if_contains("content"))
            t.text = text_of(*c, &t.plain);
        r.turns.push_back(std::move(t));
        if (auto const* calls = m.if_contains("tool_calls"); calls && calls->is_array())
            for (auto const& c : calls->as_array()) {
                auto const& f = c.at("function").as_object();
                r.call(str(c.as_object(), "id"), f.at("name"), f.at("arguments"));
            }
    }
    return r.turns;
}

std::vector<turn> read_turns(wire w, const json::object& body) {
    switch (w) {
    case wire::chat:
        return read_chat(body, false);
    case wire::ollama:
        return read_chat(body, true);
    case wire::responses:
        return read_responses(body);
    case wire::anthropic:
        return read_anthropic(body);
    case wire::gemini:
        return read_gemini(body);
    case wire::cohere:
        return read_cohere(body);
    }
    return {};
}

/// The tools of a request, as definitions.
std::vector<llmap::tool> read_tools(wire w, const json::object& body) {
    std::vector<llmap::tool> out;
    auto const* tools = body.if_contains("tools");
    if (!tools || !tools->is_array())
        return out;
    auto object_of = [](const json::object& o, std::string_view key) {
        auto const* v = o.if_contains(key);
        return v && v->is_object() ? v->get_object() : json::object();
    };
    for (auto const& tv : tools->as_array()) {
        auto const& t = tv.as_object();
        if (w == wire::gemini) {
            if (auto const* decls = t.if_contains("functionDeclarations"))
                for (auto const& d : decls->as_array()) {
                    auto const& o = d.as_object();
                    json::object p = object_of(o, "parametersJsonSchema");
                    if (p.empty())
                        p = object_of(o, "parameters");
                    out.push_back({str(o, "name"), str(o, "description"), std::move(p)});
                }
            else
                out.push_back({"<builtin>", {}, {}});
        } else if (w == wire::anthropic) {
            out.push_back({str(t, "name"), str(t, "description"), object_of(t, "input_schema")});
        } else if (w == wire::responses) {
            out.push_back({str(t, "name"), str(t, "description"), object_of(t, "parameters")});
        } else {
            auto const& f = t.at("function").as_object();
            out.push_back({str(f, "name"), str(f, "description"), object_of(f, "parameters")});
        }
    }
    return out;
}

std::vector<std::string> tool_names(wire w, const json::object& body) {
    std::vector<std::string> out;
    for (auto const& t : read_tools(w, body))
        out.push_back(t.name);
    return out;
}

/// The recorded request's tool choice, if it names one.
std::optional<llmap::tool_choice> read_tool_choice(wire w, const json::object& body) {
    auto named = [](std::string_view mode, std::string name) -> std::optional<llmap::tool_choice> {
        if (mode == "required" || mode == "any" || mode == "ANY")
            return name.empty() ? llmap::tool_choice::required()
                                : llmap::tool_choice::specific(std::move(name));
        if (mode == "none" || mode == "NONE")
            return llmap::tool_choice::none();
        if (mode == "auto" || mode == "AUTO")
            return llmap::tool_choice::auto_choice();
        return std::nullopt;
    };
    if (w == wire::gemini) {
        auto const* tc = body.if_contains("toolConfig");
        if (!tc || !tc->is_object() || !tc->get_object().contains("functionCallingConfig"))
            return std::nullopt;
        auto const& f = tc->get_object().at("functionCallingConfig").as_object();
        std::string name;
        if (auto const* a = f.if_contains("allowedFunctionNames"); a && a->as_array().size() == 1)
            name = a->as_array()[0].as_string();
        return named(str(f, "mode"), name);
    }
    auto const* tc = body.if_contains("tool_choice");
    if (!tc)
        return std::nullopt;
    if (tc->is_string())
        return named(tc->get_string(), "");
    auto const& o = tc->as_object();
    std::string const type = str(o, "type");
    if (type == "tool")
        return llmap::tool_choice::specific(str(o, "name"));
    if (type == "function")
        return llmap::tool_choice::specific(
            o.contains("function") ? str(o.at("function").as_object(), "name") : str(o, "name"));
    return named(type, "");
}

std::optional<int> read_max_tokens(wire w, const json::object& body) {
    auto get = [](const json::object& o, std::string_view key) -> std::optional<int> {
        if (auto const* v = o.if_contains(key); v && v->is_int64())
            return static_cast<int>(v->get_int64());
        return std::nullopt;
    };
    switch (w) {
    case wire::gemini:
        if (auto const* g = body.if_contains("generationConfig"); g && g->is_object())
            return get(g->get_object(), "maxOutputTokens");
        return std::nullopt;
    case wire::responses:
        return get(body, "max_output_tokens");
    case wire::ollama:
        if (auto const* o = body.if_contains("options"); o && o->is_object())
            return get(o->get_object(), "num_predict");
        return std::nullopt;
    default:
        if (auto m = get(body, "max_completion_tokens"))
            return m;
        return get(body, "max_tokens");
    }
}

// ---- the sessions ---------------------------------------------------------------------

struct session {
    std::filesystem::path file;
    std::vector<fx::exchange> exchanges;
    wire format = wire::chat;
    std::string provider; // llmap's registry name
    std::string model;
    std::string base_path; // the recorded path before the API's own endpoint
    bool streamed = false;
    std::vector<std::vector<turn>> turns; // of each recorded request
};

/// Why a cassette is not a tool session the loop can replay, or empty if it is.
std::string classify(session& s, std::string_view folder) {
    auto const& first = s.exchanges.front();
    for (auto const& e : s.exchanges)
        if (e.status != 200)
            return "an exchange failed (status " + std::to_string(e.status) + ")";
    std::string const path = first.path.substr(0, first.path.find('?'));
    auto strip = [&](std::string_view suffix) {
        if (!path.ends_with(suffix))
            return false;
        s.base_path = path.substr(0, path.size() - suffix.size());
        return true;
    };
    for (auto const& e : s.exchanges)
        if (e.path.substr(0, e.path.find('?')) != path &&
            s.exchanges.front().path.find("models/") == std::string::npos)
            return "the exchanges go to different endpoints";
    std::string const prov(folder);
    if (strip("/chat/completions")) {
        s.format = wire::chat;
        s.provider = prov == "openai" ? "openai-chat" : prov == "llamacpp" ? "llama-cpp" : prov;
    } else if (strip("/responses")) {
        // xAI's Responses API is OpenAI's wire format: replayed through the openai provider.
        s.format = wire::responses;
        s.provider = "openai";
    } else if (prov == "anthropic" && strip("/messages")) {
        s.format = wire::anthropic;
        s.provider = "anthropic";
    } else if (prov == "gemini" && path.find(":generateContent") != std::string::npos) {
        s.format = wire::gemini;
        s.provider = "gemini";
    } else if (prov == "gemini" && path.find(":streamGenerateContent") != std::string::npos) {
        s.format = wire::gemini;
        s.provider = "gemini";
        s.streamed = true;
    } else if (prov == "ollama" && strip("/api/chat")) {
        s.format = wire::ollama;
        s.provider = "ollama";
    } else if (prov == "cohere" && strip("/v2/chat")) {
        s.format = wire::cohere;
        s.provider = "cohere";
    } else {
        return "an endpoint the tool loop does not call (" + path + ")";
    }
    for (auto const& e : s.exchanges) {
        boost::system::error_code ec;
        auto const body = json::parse(e.request_body, ec);
        if (ec || !body.is_object())
            return "a request body that is not a JSON object";
        s.turns.push_back(read_turns(s.format, body.as_object()));
    }
    auto const body = json::parse(first.request_body).as_object();
    if (s.format == wire::gemini) {
        auto const at = path.find("models/") + 7;
        s.model = path.substr(at, path.find(':', at) - at);
    } else {
        s.model = str(body, "model");
    }
    if (s.format != wire::gemini)
        s.streamed = body.contains("stream") && body.at("stream").as_bool();
    auto const tools = tool_names(s.format, body);
    if (tools.empty())
        return "no tools";
    for (auto const& t : tools)
        if (t == "<builtin>")
            return "a provider tool (search, code execution) beside the functions";
    for (auto const& t : s.turns.front())
        if (!t.plain)
            return "the first request carries content other than text and tools";
    // A tool session: each request is the last one, the model's turn, and the tool results.
    for (std::size_t k = 1; k < s.turns.size(); ++k) {
        auto const& before = s.turns[k - 1];
        auto const& now = s.turns[k];
        if (now.size() != before.size() + 2 ||
            !std::equal(before.begin(), before.end(), now.begin()))
            return "a request is not the previous conversation plus a model turn and its tool "
                   "results";
        if (now[now.size() - 2].role != "assistant" || now.back().role != "tool")
            return "a request does not end with tool results";
        if (tool_names(s.format, json::parse(s.exchanges[k].request_body).as_object()) != tools)
            return "the tools change between requests";
    }
    return {};
}

/// The request the loop starts from: the first recorded request's conversation and tools.
llmap::request first_request(const session& s, std::vector<llmap::tool>& tools) {
    auto const body = json::parse(s.exchanges.front().request_body).as_object();
    llmap::request req;
    tools = read_tools(s.format, body);
    for (auto const& t : s.turns.front()) {
        if (t.role == "system") {
            req.system += t.text;
            continue;
        }
        llmap::message m{.role = t.role == "user"        ? llmap::role::user
                                 : t.role == "assistant" ? llmap::role::assistant
                                                         : llmap::role::tool};
        if (!t.text.empty())
            m.content.emplace_back(llmap::text_part{t.text});
        for (auto const& item : t.items) {
            // "call ID NAME ARGS" or "result ID TEXT"; ids and names have no spaces.
            auto const a = item.find(' ');
            auto const b = item.find(' ', a + 1);
            auto const c = item.find(' ', b + 1);
            if (item.starts_with("call "))
                m.content.emplace_back(
                    llmap::tool_call_part{.id = item.substr(a + 1, b - a - 1),
                                          .name = item.substr(b + 1, c - b - 1),
                                          .arguments = json::parse(item.substr(c + 1))});
            else if (item.starts_with("result "))
                m.content.emplace_back(
                    llmap::tool_result_part{.tool_call_id = item.substr(a + 1, b - a - 1),
                                            .name = item.substr(a + 1, b - a - 1),
                                            .result = json::string(item.substr(b + 1))});
        }
        req.messages.push_back(std::move(m));
    }
    req.max_output_tokens = read_max_tokens(s.format, body);
    if (auto const* t = body.if_contains("temperature"); t && t->is_number())
        req.temperature = t->to_number<double>();
    req.tool_choice = read_tool_choice(s.format, body);
    return req;
}

/// The tool results of the recording, in the order the loop will ask for them.
std::deque<std::pair<std::string, std::string>> recorded_results(const session& s) {
    std::deque<std::pair<std::string, std::string>> out;
    for (std::size_t k = 1; k < s.turns.size(); ++k)
        for (auto const& item : s.turns[k].back().items) {
            auto const a = item.find(' ');
            auto const b = item.find(' ', a + 1);
            out.emplace_back(item.substr(a + 1, b - a - 1), item.substr(b + 1));
        }
    return out;
}

/// Answers each request with the next recorded answer, and keeps the requests.
class replay {
public:
    explicit replay(const std::vector<fx::exchange>& e) : exchanges_(e) {}

    void operator()(const ts::test_server::request& req, ts::test_session& s) {
        std::unique_lock lock(mutex_);
        received_.push_back({std::string(req.target()), req.body()});
        if (next_ == exchanges_.size()) {
            lock.unlock();
            s.respond(500, R"({"error":{"message":"the recording has no more answers"}})",
                      {{"content-type", "application/json"}});
            return;
        }
        auto const& e = exchanges_[next_++];
        lock.unlock();
        std::vector<std::pair<std::string, std::string>> headers;
        for (auto const& [n, v] : e.response_headers)
            if (n == "content-type" || n == "Content-Type")
                headers.emplace_back("content-type", v);
        s.respond(e.status, e.response_body, headers);
    }

    std::vector<std::pair<std::string, std::string>> received() const {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    mutable std::mutex mutex_;
    const std::vector<fx::exchange>& exchanges_;
    std::size_t next_ = 0;
    std::vector<std::pair<std::string, std::string>> received_;
};

/** Where a recorded request is not what its own recording's answers imply, so that llmap's
    faithful request differs from it. Listed one by one, each with the reason; the rest of that
    request is still compared.
*/
struct deviation {
    std::string_view cassette;
    std::size_t request;
    std::size_t turn;
    std::string_view why;
};
constexpr deviation recording_deviations[] = {
    {"tools/two_tools_nonstreaming.json", 3, 6,
     "Ollama answered the third call with its text in `content` (the recorded answer 2); Rig "
     "sent that text back as `thinking` with an empty `content`, where it had sent the two "
     "answers before it back as `content`. llmap sends it back as the content it came as."},
};

/// Sessions shaped by a feature of Rig's that rewrites the conversation, skipped with the reason.
constexpr std::pair<std::string_view, std::string_view> rig_rewrites[] = {
    {"agent_run_recovery/repair_renames_tool_call_and_executes_it.json",
     "Rig's repair hook renamed the model's tool call before sending it back"},
    {"hook_stress/request_patch_injects_context_and_narrows_active_tools_blocking.json",
     "Rig's request hook put a document before the prompt as a user message of its own, which "
     "llmap's Gemini mapping joins with the prompt's"},
};

/// Every Rig cassette of `provider` with more than one exchange, by file.
std::vector<session> sessions_of(std::string_view provider) {
    std::map<std::filesystem::path, session> by_file;
    for (auto& e : fx::rig_exchanges(provider)) {
        auto& s = by_file[e.file];
        s.file = e.file;
        s.exchanges.push_back(std::move(e));
    }
    std::vector<session> out;
    for (auto& [f, s] : by_file)
        if (s.exchanges.size() > 1)
            out.push_back(std::move(s));
    return out;
}

struct tally {
    int replayed = 0;
    int steps = 0;
    std::map<std::string, int> skipped; // by reason
};

/// What was replayed per provider, for the README's table.
struct row {
    int blocking = 0;
    int streamed = 0;
    int calls = 0;
};
std::map<std::string, row>& rows() {
    static std::map<std::string, row> r;
    return r;
}

/// Replay one session; BOOST_TEST failures name the cassette.
void replay_session(session& s) {
    replay r(s.exchanges);
    ts::test_server srv(std::ref(r));
    llmap::provider_config cfg;
    cfg.api_key = "sk-test";
    cfg.base_url = srv.url(s.base_path);
    cfg.transport.retry.max_retries = 0;
    llmap::default_registry reg{{s.provider, cfg}};
    llmap::any_model model = reg.make(s.provider + ":" + s.model);

    std::vector<llmap::tool> defs;
    llmap::request req = first_request(s, defs);
    auto results = recorded_results(s);
    llmap::dynamic_tools recorded;
    for (auto const& d : defs)
        recorded.add(d, [&results, name = d.name](const json::value&) -> json::value {
            // A recording that ends on the model's tool calls (its loop hit its step limit)
            // has no results for them; the loop still runs them after its last step.
            if (results.empty())
                return json::string("(not recorded)");
            auto next = std::move(results.front());
            results.pop_front();
            return json::string(next.second);
        });
    auto tools = llmap::toolset{std::move(recorded)};
    llmap::run_options const options{.max_steps = s.exchanges.size()};

    std::string const name =
        s.file.parent_path().filename().string() + "/" + s.file.filename().string();
    llmap::run_result run;
    std::size_t step_events = 0;
    try {
        if (s.streamed)
            run = llmap::stream_tools(
                model, req, tools,
                [&](const llmap::run_event& e) {
                    if (std::holds_alternative<llmap::step_finished>(e))
                        ++step_events;
                },
                options);
        else
            run = llmap::run_tools(model, req, tools, options);
    } catch (const std::exception& e) {
        BOOST_ERROR(name << ": the loop threw: " << e.what());
        return;
    }
    BOOST_TEST(run.steps.size() == s.exchanges.size(), name);
    if (s.streamed)
        BOOST_TEST(step_events == run.steps.size(), name);
    BOOST_TEST(results.empty(), name << ": " << results.size() << " recorded results unused");
    auto const received = r.received();
    BOOST_TEST_REQUIRE(received.size() == s.exchanges.size(), name);
    for (std::size_t k = 0; k < received.size(); ++k) {
        auto const parsed = json::parse(received[k].second);
        BOOST_TEST_REQUIRE(parsed.is_object(),
                           name << " request " << k << ": " << received[k].second);
        auto const& sent = parsed.get_object();
        auto const recorded_body = json::parse(s.exchanges[k].request_body).as_object();
        auto ours = read_turns(s.format, sent);
        auto expected = s.turns[k];
        for (auto const& d : recording_deviations)
            if (name == d.cassette && k == d.request) {
                // Compare everything but the assistant text of that turn.
                BOOST_TEST_REQUIRE(ours.size() > d.turn);
                BOOST_TEST_REQUIRE(expected.size() > d.turn);
                ours[d.turn].text = expected[d.turn].text = "<see recording_deviations>";
            }
        BOOST_TEST(ours == expected, name << " request " << k << "\n  sent:" << describe(ours)
                                          << "\n  recorded:" << describe(expected));
        BOOST_TEST(tool_names(s.format, sent) == tool_names(s.format, recorded_body),
                   name << " request " << k);
        std::string const target = received[k].first;
        BOOST_TEST(target.substr(0, target.find('?')) ==
                       s.exchanges[k].path.substr(0, s.exchanges[k].path.find('?')),
                   name << " request " << k);
    }
    // Every tool call was answered as the recording's tool answered it.
    for (auto const& step : run.steps)
        for (auto const& t : step.tool_results)
            BOOST_TEST((t.outcome == llmap::tool_outcome::ok),
                       name << ": " << t.call.name << ": " << t.result.result);
    BOOST_TEST(run.usage.total() >= run.steps.front().response.usage.total(), name);
}

tally replay_provider(std::string_view provider) {
    tally t;
    for (auto& s : sessions_of(provider)) {
        std::string why;
        std::string const name =
            s.file.parent_path().filename().string() + "/" + s.file.filename().string();
        for (auto const& [cassette, reason] : rig_rewrites)
            if (name == cassette)
                why = reason;
        try {
            if (why.empty())
                why = classify(s, provider);
        } catch (const std::exception& e) {
            why = std::string("a recorded request this test cannot read (") + e.what() + ")";
            std::cout << s.file << ": " << why << "\n";
        }
        if (!why.empty()) {
            ++t.skipped[why.substr(0, why.find(" ("))];
            continue;
        }
        try {
            replay_session(s);
        } catch (const std::exception& e) {
            BOOST_ERROR(s.file << ": " << e.what());
        }
        ++t.replayed;
        t.steps += static_cast<int>(s.exchanges.size());
        std::string const folder(provider);
        bool const own = folder == s.provider ||
                         (folder == "openai" && s.provider == "openai-chat") ||
                         (folder == "llamacpp" && s.provider == "llama-cpp");
        row& w = rows()["`" + s.provider + "`" + (own ? "" : " (" + folder + "'s recordings)")];
        ++(s.streamed ? w.streamed : w.blocking);
        w.calls += static_cast<int>(s.exchanges.size());
    }
    std::cout << "tool_loop replay of rig/" << provider << ": " << t.replayed
              << " sessions replayed (" << t.steps << " calls)";
    for (auto const& [why, n] : t.skipped)
        std::cout << "; " << n << " skipped: " << why;
    std::cout << "\n";
    return t;
}

} // namespace

BOOST_AUTO_TEST_SUITE(tool_loop)

BOOST_AUTO_TEST_CASE(recorded_tool_sessions_replay) {
    int replayed = 0;
    for (std::string_view provider :
         {"openai", "anthropic", "gemini", "ollama", "mistral", "deepseek", "groq", "xai",
          "openrouter", "llamacpp", "cohere"}) {
        BOOST_TEST_CONTEXT(provider) {
            auto const t = replay_provider(provider);
            replayed += t.replayed;
        }
    }
    BOOST_TEST(replayed > 0);

    // The README's table of what this test replays.
    std::string table = "| provider | recorded tool sessions replayed: blocking | streamed | model "
                        "calls |\n|---|---|---|---|\n";
    for (auto const& [name, w] : rows())
        table += "| " + name + " | " + std::to_string(w.blocking) + " | " +
                 std::to_string(w.streamed) + " | " + std::to_string(w.calls) + " |\n";
    std::string const readme = fx::read_file(std::filesystem::path(LLMAP_SOURCE_DIR) / "README.md");
    std::string const begin = "<!-- tool-loop-replay:begin -->\n";
    auto const from = readme.find(begin);
    auto const to = readme.find("<!-- tool-loop-replay:end -->");
    BOOST_TEST_REQUIRE((from != std::string::npos && to != std::string::npos));
    BOOST_TEST(readme.substr(from + begin.size(), to - from - begin.size()) == table,
               "README.md's tool-loop table is out of date; it should read:\n"
                   << table);
}

namespace {

struct add_args {
    long long x;
    long long y;
};
BOOST_DESCRIBE_STRUCT(add_args, (), (x, y))

/// Rig's recorded Anthropic run of its `add` tool: "What is 2 + 3?", a call, "5", the answer.
fx::exchange const& add_session(std::size_t i) {
    static auto const session = [] {
        std::vector<fx::exchange> out;
        for (auto& e : fx::rig_exchanges("anthropic"))
            if (e.file.filename() == "multi_turn_tool_run_records_distinct_raw_blocking.json")
                out.push_back(std::move(e));
        BOOST_TEST_REQUIRE(out.size() == 2u);
        return out;
    }();
    return session.at(i);
}

llmap::default_registry anthropic_registry(const ts::test_server& srv) {
    llmap::provider_config cfg;
    cfg.api_key = "sk-test";
    cfg.base_url = srv.url("/v1");
    cfg.transport.retry.max_retries = 0;
    return llmap::default_registry{{"anthropic", cfg}};
}

const llmap::request add_request{
    .system = "You are a calculator here to help the user perform arithmetic operations. Use the "
              "tools provided to answer the user's question.",
    .prompt = "What is 2 + 3? Use the tool, then state the result.",
    .max_output_tokens = 1024};

/// The tool result the loop sent in its second request.
std::string sent_result(const replay& r) {
    auto const body = json::parse(r.received().at(1).second);
    auto const turns = read_anthropic(body.as_object());
    return turns.back().items.at(0);
}

} // namespace

BOOST_AUTO_TEST_CASE(a_typed_tool_on_the_static_path) {
    std::vector<fx::exchange> const session{add_session(0), add_session(1)};
    replay r(session);
    ts::test_server srv(std::ref(r));
    auto reg = anthropic_registry(srv);
    auto model = reg.model<"anthropic:claude-haiku-4-5">(); // llmap::anthropic::messages_model
    std::vector<add_args> calls;
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together",
                                [&](const add_args& a) {
                                    calls.push_back(a);
                                    return a.x + a.y;
                                }),
    };
    auto const run = llmap::run_tools(model, add_request, tools, {.max_steps = 8});
    BOOST_TEST(run.text() == "The result is **5**.\n\n2 + 3 = 5");
    BOOST_TEST((run.end == llmap::run_end::answered));
    BOOST_TEST_REQUIRE(run.steps.size() == 2u);
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(calls[0].x == 2);
    BOOST_TEST(calls[0].y == 3);
    auto const& step = run.steps[0];
    BOOST_TEST_REQUIRE(step.tool_results.size() == 1u);
    BOOST_TEST(step.tool_results[0].call.id == "toolu_REDACTED_1");
    BOOST_TEST(step.tool_results[0].result.result == json::value(5));
    // The typed tool's result went back as the recording's tool result did.
    BOOST_TEST(sent_result(r) == "result toolu_REDACTED_1 5");
    // Usage is summed over the steps (630 + 712 input tokens).
    BOOST_TEST(run.usage.input_tokens.value_or(0) == 1342);
    // The conversation to go on from: the prompt, the call, the result, the answer.
    BOOST_TEST_REQUIRE(run.messages.size() == 4u);
    BOOST_TEST((run.messages[2].role == llmap::role::tool));
}

BOOST_AUTO_TEST_CASE(asynchronous_and_in_visit) {
    std::vector<fx::exchange> const session{add_session(0), add_session(1), add_session(0),
                                            add_session(1)};
    replay r(session);
    ts::test_server srv(std::ref(r));
    auto reg = anthropic_registry(srv);
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together",
                                [](const add_args& a) { return a.x + a.y; }),
    };
    llmap::any_model model = reg.make("anthropic:claude-haiku-4-5");
    std::future<llmap::run_result> f =
        llmap::async_run_tools(model, add_request, tools, {}, boost::asio::use_future);
    auto const run = f.get();
    BOOST_TEST(run.text() == "The result is **5**.\n\n2 + 3 = 5");
    BOOST_TEST(run.steps.size() == 2u);
    BOOST_TEST(sent_result(r) == "result toolu_REDACTED_1 5");

    auto const text = reg.visit("anthropic:claude-haiku-4-5", [&](auto& m) {
        return llmap::run_tools(m, add_request, tools).text();
    });
    BOOST_TEST(text == run.text());
    BOOST_TEST(r.received().size() == 4u);
}

BOOST_AUTO_TEST_CASE(stop_conditions_and_max_steps) {
    // The recording's first answer calls add; each loop below stops after that first step.
    std::vector<fx::exchange> const first{add_session(0), add_session(0), add_session(0)};
    replay r(first);
    ts::test_server srv(std::ref(r));
    auto reg = anthropic_registry(srv);
    auto model = reg.model<"anthropic:claude-haiku-4-5">();
    int runs = 0;
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together",
                                [&](const add_args& a) {
                                    ++runs;
                                    return a.x + a.y;
                                }),
    };
    auto const by_tool =
        llmap::run_tools(model, add_request, tools, {.stop_when = llmap::has_tool_call("add")});
    BOOST_TEST((by_tool.end == llmap::run_end::stop_condition));
    BOOST_TEST(by_tool.steps.size() == 1u);
    auto const by_count =
        llmap::run_tools(model, add_request, tools, {.stop_when = llmap::step_count_is(1)});
    BOOST_TEST((by_count.end == llmap::run_end::stop_condition));
    auto const by_max = llmap::run_tools(model, add_request, tools, {.max_steps = 1});
    BOOST_TEST((by_max.end == llmap::run_end::max_steps));
    BOOST_TEST(by_max.steps.size() == 1u);
    // The tools of the last step ran: their results end the conversation.
    BOOST_TEST(runs == 3);
    BOOST_TEST((by_max.messages.back().role == llmap::role::tool));
    BOOST_CHECK_THROW(llmap::run_tools(model, add_request, tools, {.max_steps = 0}),
                      std::invalid_argument);
    BOOST_TEST(r.received().size() == 3u);
}

BOOST_AUTO_TEST_CASE(an_agent_keeps_the_conversation) {
    std::vector<fx::exchange> const session{add_session(0), add_session(1), add_session(1)};
    replay r(session);
    ts::test_server srv(std::ref(r));
    auto reg = anthropic_registry(srv);
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together",
                                [](const add_args& a) { return a.x + a.y; }),
    };
    llmap::agent bot(reg.model<"anthropic:claude-haiku-4-5">(), std::move(tools),
                     add_request.system);
    bot.settings().max_output_tokens = 1024;
    auto const first = bot.send(add_request.prompt);
    BOOST_TEST(first.text() == "The result is **5**.\n\n2 + 3 = 5");
    BOOST_TEST(bot.history().size() == 4u);
    bot.send("And twice that?");
    BOOST_TEST(bot.history().size() == 6u);
    // The third request carries the whole conversation, then the new question.
    auto const third = read_anthropic(json::parse(r.received().at(2).second).as_object());
    auto const second = read_anthropic(json::parse(r.received().at(1).second).as_object());
    BOOST_TEST_REQUIRE(third.size() == second.size() + 2);
    BOOST_TEST(std::equal(second.begin(), second.end(), third.begin()));
    BOOST_TEST(third[third.size() - 2].text == "The result is **5**.\n\n2 + 3 = 5");
    BOOST_TEST(third.back().text == "And twice that?");
    BOOST_TEST(third.front().role == "system");
}

BOOST_AUTO_TEST_CASE(asynchronous_tools_of_one_step_run_together) {
    // Rig's recorded Anthropic turn with two add calls at once: an awaitable tool answers
    // both, in flight together, blocking and in async_run_tools.
    std::vector<fx::exchange> session;
    for (auto& e : fx::rig_exchanges("anthropic"))
        if (e.file.filename() == "parallel_tool_calls_one_identity_per_turn.json")
            session.push_back(std::move(e));
    BOOST_TEST_REQUIRE(session.size() == 2u);
    session.push_back(session[0]);
    session.push_back(session[1]);
    replay r(session);
    ts::test_server srv(std::ref(r));
    auto reg = anthropic_registry(srv);
    std::atomic<int> in_flight = 0;
    std::atomic<int> most = 0;
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together",
                                [&](add_args a) -> boost::asio::awaitable<long long> {
                                    int const now = ++in_flight;
                                    int seen = most.load();
                                    while (now > seen && !most.compare_exchange_weak(seen, now)) {
                                    }
                                    boost::asio::steady_timer t(
                                        co_await boost::asio::this_coro::executor,
                                        std::chrono::milliseconds(20));
                                    co_await t.async_wait(boost::asio::use_awaitable);
                                    --in_flight;
                                    co_return a.x + a.y;
                                }),
    };
    llmap::request const req{
        .system = "Use the add tool for arithmetic. When asked for several sums, emit all the "
                  "tool calls in one single response.",
        .prompt = "Compute 2 + 3 and 10 + 20. Emit both add calls together, then state both "
                  "results.",
        .max_output_tokens = 1024};
    auto model = reg.model<"anthropic:claude-sonnet-4-6">();
    auto const blocking = llmap::run_tools(model, req, tools);
    BOOST_TEST(most.load() == 2);
    BOOST_TEST(blocking.text() == "Here are the results:\n\n- **2 + 3 = 5**\n- **10 + 20 = 30**");

    most = 0;
    llmap::any_model erased = reg.make("anthropic:claude-sonnet-4-6");
    auto const run =
        llmap::async_run_tools(erased, req, std::move(tools), {}, boost::asio::use_future).get();
    BOOST_TEST(most.load() == 2);
    BOOST_TEST(run.text() == blocking.text());
    for (std::size_t k : {1u, 3u}) {
        auto const turns = read_anthropic(json::parse(r.received().at(k).second).as_object());
        BOOST_TEST(turns.back().items == (std::vector<std::string>{"result toolu_REDACTED_1 5",
                                                                   "result toolu_REDACTED_2 30"}),
                   k);
    }
}

namespace {

struct release_checks {
    bool compile;
    bool replay;
};
BOOST_DESCRIBE_STRUCT(release_checks, (), (compile, replay))

struct release_plan {
    std::string lane;
    release_checks checks;
    std::string risk;
};
BOOST_DESCRIBE_STRUCT(release_plan, (), (lane, checks, risk))

} // namespace

BOOST_AUTO_TEST_CASE(a_typed_final_answer) {
    // Rig's recorded structured answer of Mistral: the loop offers its tools, the model
    // answers at once with the JSON, which run_tools<T> checks into the type.
    std::vector<fx::exchange> session;
    for (auto& e : fx::rig_exchanges("mistral"))
        if (e.file.filename() == "json_schema_structured_output_roundtrip.json")
            session.push_back(std::move(e));
    BOOST_TEST_REQUIRE(session.size() == 1u);
    session.push_back(session.front()); // for the second loop below
    replay r(session);
    ts::test_server srv(std::ref(r));
    llmap::provider_config cfg;
    cfg.api_key = "sk-test";
    cfg.base_url = srv.url("/v1");
    llmap::default_registry reg{{"mistral", cfg}};
    auto model = reg.model<"mistral:mistral-small-latest">();
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together",
                                [](const add_args& a) { return a.x + a.y; }),
    };
    llmap::request const req{.system = "Return only the requested structured object.",
                             .prompt = "Return lane=canary, risk=low, checks.compile=true, and "
                                       "checks.replay=true."};
    auto const run = llmap::run_tools<release_plan>(model, req, tools);
    BOOST_TEST(run.value.lane == "canary");
    BOOST_TEST(run.value.risk == "low");
    BOOST_TEST(run.value.checks.compile);
    BOOST_TEST(run.value.checks.replay);
    BOOST_TEST(run.steps.size() == 1u);
    auto const sent = json::parse(r.received().at(0).second);
    BOOST_TEST(sent.at("response_format").at("type") == json::value("json_schema"));
    BOOST_TEST(sent.at("response_format").at("json_schema").at("schema") ==
               json::value(llmap::json_schema<release_plan>()));
    BOOST_TEST(sent.at("tools").as_array().size() == 1u);

    // A type the answer does not fit: the error says where, and keeps the text.
    try {
        llmap::run_tools<std::vector<int>>(model, req, tools);
        BOOST_FAIL("the answer is not a list of integers");
    } catch (const llmap::output_error& e) {
        BOOST_TEST(e.path() == "$", e.what()); // asked for as {"value": [...]}
        BOOST_TEST(e.text().find("canary") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
