//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Gemini's wire format against the recorded traffic of ../shared/fixtures: every answer and
// stream of the AI SDK's google fixtures and of Rig's gemini cassettes (streams whole, one
// byte at a time and in random splits), checked against what a minimal walk of the fixture's
// own JSON says (text, reasoning, calls, usage, finish reason); the requests Rig recorded,
// rebuilt as llmap requests and compared field by field; the request mapping; bad input.

#include "../../support/fixtures.hpp"

#include <llmap/http/sse.hpp>
#include <llmap/providers/gemini.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <iostream>
#include <map>
#include <optional>
#include <set>

// How Boost.Test prints the values it compares here.
template <>
struct boost::test_tools::tt_detail::print_log_value<std::optional<std::int64_t>> {
    void operator()(std::ostream& os, const std::optional<std::int64_t>& v) {
        if (v)
            os << *v;
        else
            os << "(none)";
    }
};
template <>
struct boost::test_tools::tt_detail::print_log_value<llmap::finish_reason> {
    void operator()(std::ostream& os, llmap::finish_reason r) { os << llmap::to_string(r); }
};

namespace fx = test::fixtures;
namespace json = boost::json;
namespace gw = llmap::gemini_api::wire;

namespace {

// ---- what the fixture itself says (a minimal, independent walk of its JSON) --------------

struct expected {
    std::string text, reasoning, finish_raw;
    std::vector<std::string> call_names;
    std::vector<std::optional<json::value>> call_args; // unset for arguments streamed in pieces
    std::optional<std::int64_t> input, candidates, thoughts, total, cached;
    std::vector<std::string> source_urls;
    bool blocked = false;
};

const json::object* obj(const json::value& v, std::string_view key) {
    if (!v.is_object())
        return nullptr;
    auto const* m = v.as_object().if_contains(key);
    return m && m->is_object() ? &m->as_object() : nullptr;
}

std::optional<std::int64_t> num(const json::object& o, std::string_view key) {
    auto const* v = o.if_contains(key);
    return v ? std::optional<std::int64_t>(v->to_number<std::int64_t>()) : std::nullopt;
}

expected walk(const std::vector<json::value>& chunks) {
    expected e;
    for (auto const& c : chunks) {
        if (auto const* u = obj(c, "usageMetadata"); u && u->contains("promptTokenCount")) {
            e.input = num(*u, "promptTokenCount");
            e.candidates = num(*u, "candidatesTokenCount");
            e.thoughts = num(*u, "thoughtsTokenCount");
            e.total = num(*u, "totalTokenCount");
            e.cached = num(*u, "cachedContentTokenCount");
        }
        auto const* cands = c.as_object().if_contains("candidates");
        if (!cands || cands->as_array().empty()) {
            if (auto const* fb = obj(c, "promptFeedback"); fb && fb->contains("blockReason")) {
                e.finish_raw = fb->at("blockReason").as_string();
                e.blocked = true;
            }
            continue;
        }
        auto const& cand = cands->as_array()[0];
        if (auto const* content = obj(cand, "content"); content && content->contains("parts")) {
            for (auto const& p : content->at("parts").as_array()) {
                auto const& part = p.as_object();
                bool const thought = part.contains("thought") && part.at("thought") == true;
                if (auto const* t = part.if_contains("text"))
                    (thought ? e.reasoning : e.text) += t->as_string();
                if (auto const* fc = obj(p, "functionCall"); fc && fc->contains("name")) {
                    e.call_names.emplace_back(fc->at("name").as_string());
                    bool const pieces = fc->contains("willContinue") || fc->contains("partialArgs");
                    if (pieces)
                        e.call_args.emplace_back();
                    else
                        e.call_args.emplace_back(
                            fc->contains("args") ? fc->at("args") : json::value(json::object()));
                }
            }
        }
        if (auto const* f = cand.as_object().if_contains("finishReason"))
            e.finish_raw = f->as_string();
        if (auto const* g = obj(cand, "groundingMetadata"))
            if (auto const* chunks_ = g->if_contains("groundingChunks"))
                for (auto const& gc : chunks_->as_array())
                    if (auto const* web = obj(gc, "web")) {
                        std::string url(web->at("uri").as_string());
                        if (std::find(e.source_urls.begin(), e.source_urls.end(), url) ==
                            e.source_urls.end())
                            e.source_urls.push_back(url);
                    }
    }
    return e;
}

void check(const llmap::response& r, const expected& e, const std::string& name) {
    BOOST_TEST_CONTEXT(name) {
        BOOST_TEST(r.text() == e.text);
        BOOST_TEST(r.reasoning_text() == e.reasoning);
        auto const calls = r.tool_calls();
        BOOST_TEST_REQUIRE(calls.size() == e.call_names.size());
        std::set<std::string> ids;
        for (std::size_t i = 0; i != calls.size(); ++i) {
            BOOST_TEST(calls[i].name == e.call_names[i]);
            if (e.call_args[i])
                BOOST_TEST(calls[i].arguments == *e.call_args[i]);
            BOOST_TEST(calls[i].arguments.is_object());
            ids.insert(calls[i].id);
        }
        BOOST_TEST(ids.size() == calls.size()); // parallel calls never merge
        BOOST_TEST(r.raw_finish_reason == e.finish_raw);
        llmap::finish_reason want = llmap::finish_reason::other;
        if (e.blocked)
            want = llmap::finish_reason::content_filter;
        else if (e.finish_raw == "STOP")
            want = calls.empty() ? llmap::finish_reason::stop : llmap::finish_reason::tool_calls;
        else if (e.finish_raw == "MAX_TOKENS")
            want = llmap::finish_reason::length;
        else if (e.finish_raw == "SAFETY" || e.finish_raw == "RECITATION")
            want = llmap::finish_reason::content_filter;
        else if (e.finish_raw == "MALFORMED_FUNCTION_CALL")
            want = llmap::finish_reason::error;
        BOOST_TEST(llmap::to_string(r.finish) == llmap::to_string(want));
        BOOST_TEST(r.usage.input_tokens == e.input);
        if (e.candidates || e.thoughts)
            BOOST_TEST(
                r.usage.output_tokens ==
                std::optional<std::int64_t>(e.candidates.value_or(0) + e.thoughts.value_or(0)));
        BOOST_TEST(r.usage.reasoning_tokens == e.thoughts);
        BOOST_TEST(r.usage.total_tokens == e.total);
        BOOST_TEST(r.usage.cache_read_tokens == e.cached);
        std::vector<std::string> urls;
        for (auto const& p : r.content)
            if (auto const* s = std::get_if<llmap::source_part>(&p))
                urls.push_back(s->url);
        BOOST_TEST(urls == e.source_urls, boost::test_tools::per_element());
    }
}

// ---- decoding ----------------------------------------------------------------------------

std::string sse_of(const std::vector<std::string>& lines) {
    std::string out;
    for (auto const& l : lines)
        out += "data: " + l + "\n\n";
    return out;
}

/// A recorded SSE body through the SSE parser and the decoder, fed as `mode` says.
llmap::response decode_stream(std::string_view body, unsigned mode, std::size_t* events = nullptr) {
    llmap::http::sse_parser sse;
    gw::generate_stream_decoder d;
    llmap::stream_accumulator acc;
    auto emit = [&](llmap::stream_event&& e) {
        acc.add(e);
        if (events)
            ++*events;
    };
    fx::feed_split(body, mode, [&](std::string_view bytes) {
        sse.feed(bytes, [&](llmap::http::sse_event& ev) { d.on_data(ev.data, emit); });
    });
    BOOST_TEST(!sse.has_partial_event());
    d.finish(emit);
    return std::move(acc).finish();
}

/// The data payloads of an SSE body, as JSON.
std::vector<json::value> sse_payloads(std::string_view body) {
    std::vector<json::value> out;
    llmap::http::sse_parser sse;
    sse.feed(body, [&](llmap::http::sse_event& ev) { out.push_back(json::parse(ev.data)); });
    return out;
}

/// Whole, one byte at a time and three random splits give the same response; returns it.
llmap::response decode_every_way(const std::string& body, const std::string& name) {
    std::size_t events = 0;
    auto const whole = decode_stream(body, 0, &events);
    BOOST_TEST(events > 0u, name);
    for (unsigned mode : {1u, 2u, 3u, 4u})
        BOOST_TEST((decode_stream(body, mode) == whole), name << " split mode " << mode);
    return whole;
}

bool is_aisdk_out_of_scope(const std::filesystem::path& p, std::map<std::string, int>& skipped) {
    std::string const dir = p.parent_path().filename().string();
    if (dir == "interactions") {
        ++skipped["interactions/: the Interactions API (/v1beta/interactions), another endpoint"];
        return true;
    }
    if (dir == "speech-translation") {
        ++skipped["speech-translation/: the Live API (WebSocket), another transport"];
        return true;
    }
    return false;
}

const std::filesystem::path aisdk_dir = fx::root() / "aisdk" / "google";

} // namespace

BOOST_AUTO_TEST_SUITE(gemini_wire)

BOOST_AUTO_TEST_CASE(aisdk_answers_and_streams) {
    std::map<std::string, int> skipped;
    int answers = 0, streams = 0;
    for (auto const& f : fx::files(aisdk_dir, ".json")) {
        if (is_aisdk_out_of_scope(f, skipped))
            continue;
        auto doc = json::parse(fx::read_file(f));
        auto const r = gw::parse_generate_response(doc);
        check(r, walk({doc}), f.filename().string());
        BOOST_TEST(r.id == doc.at("responseId").as_string());
        BOOST_TEST(r.model == doc.at("modelVersion").as_string());
        BOOST_TEST(r.raw == doc);
        ++answers;
    }
    for (auto const& f : fx::files(aisdk_dir, ".chunks.txt")) {
        if (is_aisdk_out_of_scope(f, skipped))
            continue;
        auto const lines = fx::chunk_lines(f);
        std::vector<json::value> chunks;
        for (auto const& l : lines)
            chunks.push_back(json::parse(l));
        auto const r = decode_every_way(sse_of(lines), f.filename().string());
        check(r, walk(chunks), f.filename().string());
        ++streams;
    }
    int total_skipped = 0;
    for (auto const& [reason, n] : skipped) {
        std::cout << "gemini_wire/aisdk: skipped " << n << " fixtures: " << reason << "\n";
        total_skipped += n;
    }
    std::cout << "gemini_wire/aisdk: " << answers << " answers, " << streams
              << " streams replayed (whole, bytewise, 3 random splits), " << total_skipped
              << " skipped\n";
    BOOST_TEST(answers == 5);
    BOOST_TEST(streams == 9);
    BOOST_TEST(answers + streams + total_skipped == 29);
}

// Vertex's streamed function-call arguments (`partialArgs`), assembled into the arguments the
// fixture spells out piece by piece.
BOOST_AUTO_TEST_CASE(aisdk_streamed_function_call_arguments) {
    auto stream = [](std::string_view file) {
        return decode_every_way(sse_of(fx::chunk_lines(aisdk_dir / std::string(file))),
                                std::string(file));
    };
    {
        auto const calls = stream("google-stream-tool-call-arguments.chunks.txt").tool_calls();
        BOOST_TEST_REQUIRE(calls.size() == 2u);
        BOOST_TEST(calls[0].arguments == json::parse(R"({"location":"Boston"})"));
        BOOST_TEST(calls[1].arguments == json::parse(R"({"location":"San Francisco"})"));
    }
    {
        auto const calls = stream("google-stream-no-args-tool-call.chunks.txt").tool_calls();
        BOOST_TEST_REQUIRE(calls.size() == 4u);
        BOOST_TEST(calls[0].name == "read_theme");
        BOOST_TEST(calls[0].arguments == json::object());
        BOOST_TEST(calls[1].arguments == json::parse(R"({"id":"A"})"));
        BOOST_TEST(calls[2].arguments == json::parse(R"({"id":"B"})"));
        BOOST_TEST(calls[3].arguments == json::parse(R"({"id":"C"})"));
    }
    {
        auto const r = stream(
            "google-stream-tool-call-array-arguments-missing-terminal-function-call.chunks.txt");
        auto const calls = r.tool_calls();
        BOOST_TEST_REQUIRE(calls.size() == 1u);
        BOOST_TEST(calls[0].arguments == json::parse(R"({"operations":[
            {"action":"add","description":"Fresh red apple","itemid":"apple_001","price":0.5},
            {"action":"add","description":"Ripe yellow banana","itemid":"banana_001",
             "price":0.3}]})"));
        BOOST_TEST(r.finish == llmap::finish_reason::tool_calls);
    }
    {
        auto const calls =
            stream("google-vertex-stream-tool-call-arguments-nested.1.chunks.txt").tool_calls();
        BOOST_TEST_REQUIRE(calls.size() == 1u);
        auto const& recipe = calls[0].arguments.at("recipe");
        BOOST_TEST(recipe.at("name") == "Lasagna");
        BOOST_TEST(recipe.at("ingredients").as_array().size() == 10u);
        BOOST_TEST(recipe.at("ingredients").at(0) ==
                   json::parse(R"({"amount":"16 oz","name":"Lasagna noodles"})"));
        BOOST_TEST(recipe.at("steps").as_array().size() == 10u);
        // A step streamed in two pieces, joined.
        BOOST_TEST(recipe.at("steps").at(1) ==
                   "Cook lasagna noodles according to package directions, drain and set aside.");
        BOOST_TEST(recipe.at("steps").at(4) ==
                   "In a 9x13 baking dish, spread a thin layer of meat sauce.");
    }
}

// thoughtSignature is kept (on reasoning, or as a signature-only reasoning part before the
// text or call that carried it) and goes back on the same part.
BOOST_AUTO_TEST_CASE(thought_signatures_round_trip) {
    auto const doc = json::parse(fx::read_file(aisdk_dir / "google-tool-call-gemini3.json"));
    auto const& part = doc.at("candidates").at(0).at("content").at("parts").at(0);
    auto const r = gw::parse_generate_response(doc);
    BOOST_TEST_REQUIRE(r.content.size() == 2u);
    auto const* sig = std::get_if<llmap::reasoning_part>(&r.content[0]);
    BOOST_TEST_REQUIRE(sig);
    BOOST_TEST(sig->signature == part.at("thoughtSignature").as_string());
    BOOST_TEST(sig->text.empty());
    llmap::message assistant{.role = llmap::role::assistant, .content = r.content};
    llmap::message result{.role = llmap::role::tool};
    result.content.emplace_back(llmap::tool_result_part{.tool_call_id = r.tool_calls()[0].id,
                                                        .result = {{"temperature", 21}}});
    llmap::request const req{.messages = {llmap::message::user("Weather?"), assistant, result}};
    std::vector<llmap::warning> w;
    auto const body = gw::generate_request_body(req, "gemini-3-pro-preview", {}, w);
    auto const& contents = body.at("contents").as_array();
    BOOST_TEST_REQUIRE(contents.size() == 3u);
    auto const& sent = contents[1].at("parts").at(0).as_object();
    BOOST_TEST(sent.at("thoughtSignature") == part.at("thoughtSignature"));
    BOOST_TEST(sent.at("functionCall").at("name") == part.at("functionCall").at("name"));
    BOOST_TEST(sent.at("functionCall").at("args") == part.at("functionCall").at("args"));
    // The result, matched to its call by id, carries the call's name.
    BOOST_TEST(contents[2].at("parts").at(0).at("functionResponse") ==
               json::parse(R"({"name":"weather","response":{"temperature":21}})"));

    // A streamed thought keeps its signature on the reasoning part.
    auto const s = decode_stream(
        sse_of(fx::chunk_lines(aisdk_dir / "google-reasoning-gemini3.chunks.txt")), 0);
    bool signed_part = false;
    for (auto const& p : s.content)
        if (auto const* rp = std::get_if<llmap::reasoning_part>(&p))
            signed_part = signed_part || !rp->signature.empty();
    BOOST_TEST(signed_part);
}

BOOST_AUTO_TEST_CASE(rig_answers_streams_and_embeddings) {
    std::map<std::string, int> skipped;
    int answers = 0, streams = 0, embeddings = 0, errors = 0;
    for (auto const& e : fx::rig_exchanges("gemini")) {
        if (e.path.starts_with("/v1beta/cachedContents")) {
            ++skipped["the cachedContents API (context caching management), another endpoint"];
            continue;
        }
        if (e.path.starts_with("/v1beta/interactions")) {
            ++skipped["the Interactions API (/v1beta/interactions), another endpoint"];
            continue;
        }
        if (e.status != 200) {
            ++errors; // error answers: replayed over HTTP in http.cpp
            continue;
        }
        if (e.path.ends_with(":generateContent")) {
            auto doc = json::parse(e.response_body);
            check(gw::parse_generate_response(doc), walk({doc}), e.name());
            ++answers;
        } else if (e.path.ends_with(":streamGenerateContent")) {
            auto const r = decode_every_way(e.response_body, e.name());
            check(r, walk(sse_payloads(e.response_body)), e.name());
            ++streams;
        } else if (e.path.ends_with(":batchEmbedContents")) {
            auto doc = json::parse(e.response_body);
            auto const r = gw::parse_embed_response(doc);
            auto const& want = doc.at("embeddings").as_array();
            BOOST_TEST_REQUIRE(r.vectors.size() == want.size(), e.name());
            // As many inputs as vectors, in the request.
            BOOST_TEST(json::parse(e.request_body).at("requests").as_array().size() == want.size());
            for (std::size_t i = 0; i != want.size(); ++i) {
                auto const& values = want[i].at("values").as_array();
                BOOST_TEST_REQUIRE(r.vectors[i].size() == values.size());
                BOOST_TEST(r.vectors[i].front() ==
                           static_cast<float>(values.front().to_number<double>()));
                BOOST_TEST(r.vectors[i].back() ==
                           static_cast<float>(values.back().to_number<double>()));
            }
            ++embeddings;
        } else {
            BOOST_FAIL("unclassified exchange " << e.name() << ": " << e.path);
        }
    }
    int total_skipped = 0;
    for (auto const& [reason, n] : skipped) {
        std::cout << "gemini_wire/rig: skipped " << n << " exchanges: " << reason << "\n";
        total_skipped += n;
    }
    std::cout << "gemini_wire/rig: " << answers << " answers, " << streams
              << " streams (whole, bytewise, 3 random splits), " << embeddings
              << " embedding answers replayed; " << errors << " error answers (over HTTP); "
              << total_skipped << " skipped\n";
    BOOST_TEST(answers == 120);
    BOOST_TEST(streams == 70);
    BOOST_TEST(embeddings == 11);
}

BOOST_AUTO_TEST_SUITE_END()
