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
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <iostream>
#include <limits>
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
    std::vector<std::string> call_signatures;          // thoughtSignature of each call's part
    std::size_t signed_texts = 0; // text parts (not thoughts) that carry a thoughtSignature
    std::optional<std::int64_t> input, candidates, thoughts, total, cached;
    std::vector<std::string> source_urls;
    bool blocked = false;
};

const json::object* obj(const json::object& o, std::string_view key) {
    auto const* m = o.if_contains(key);
    return m && m->is_object() ? &m->as_object() : nullptr;
}

const json::object* obj(const json::value& v, std::string_view key) {
    return v.is_object() ? obj(v.as_object(), key) : nullptr;
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
                auto const* sig = part.if_contains("thoughtSignature");
                if (auto const* t = part.if_contains("text")) {
                    (thought ? e.reasoning : e.text) += t->as_string();
                    if (!thought && sig)
                        ++e.signed_texts;
                }
                if (auto const* fc = obj(p, "functionCall"); fc && fc->contains("name")) {
                    e.call_names.emplace_back(fc->at("name").as_string());
                    e.call_signatures.emplace_back(sig ? sig->as_string() : "");
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
            BOOST_TEST(calls[i].signature == e.call_signatures[i]);
            if (e.call_args[i])
                BOOST_TEST(calls[i].arguments == *e.call_args[i]);
            BOOST_TEST(calls[i].arguments.is_object());
            ids.insert(calls[i].id);
        }
        BOOST_TEST(ids.size() == calls.size()); // parallel calls never merge
        // A call's signature is on the call: signature-only reasoning parts stand only for
        // the signatures of text parts.
        std::size_t signature_only = 0;
        for (auto const& p : r.content)
            if (auto const* rp = std::get_if<llmap::reasoning_part>(&p))
                if (rp->text.empty() && !rp->signature.empty())
                    ++signature_only;
        BOOST_TEST(signature_only == e.signed_texts);
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

// A streamed argument's jsonPath makes one level per step: it is limited to the depth the
// library parses any JSON to (Boost.JSON's default max_depth, 32). A path 100,000 levels deep
// (200 KB) is refused at once instead of pinning the CPU; one at the limit still works.
BOOST_AUTO_TEST_CASE(deep_partial_argument_paths) {
    auto const chunk = [](std::string const& path) {
        return sse_of({R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f",)"
                       R"("partialArgs":[{"jsonPath":")" +
                       path + R"(","stringValue":"x"}]}}]},"finishReason":"STOP"}]})"});
    };
    auto const path = [](std::size_t depth) {
        std::string p = "$";
        for (std::size_t i = 0; i != depth; ++i)
            p += i % 2 ? "[0]" : ".a";
        return p;
    };
    std::size_t const max_depth = json::parse_options().max_depth;

    auto const start = std::chrono::steady_clock::now();
    try {
        decode_stream(chunk(path(100000)), 0);
        BOOST_ERROR("a 100,000-deep jsonPath was accepted");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::malformed_response), e.what());
    }
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));
    BOOST_CHECK_THROW(decode_stream(chunk(path(max_depth + 1)), 0), llmap::error);

    // At the limit: the arguments come out whole, as JSON (they parse back within the limit).
    json::value expected = "x";
    for (std::size_t i = max_depth; i-- != 0;)
        expected =
            i % 2 ? json::value(json::array{expected}) : json::value(json::object{{"a", expected}});
    auto const calls = decode_stream(chunk(path(max_depth)), 0).tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(calls[0].arguments == expected);
}

// An index far past an array's end is refused: padding it with nulls turned a 1.4 MB chunk
// of `$.kN[999]` entries into a gigabyte (found by the fuzzing target's author).
BOOST_AUTO_TEST_CASE(partial_argument_indexes_stay_near_the_end) {
    auto const chunk = [](std::string const& entries) {
        return sse_of({R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f",)"
                       R"("partialArgs":[)" +
                       entries + R"(]}}]},"finishReason":"STOP"}]})"});
    };
    BOOST_CHECK_EXCEPTION(
        decode_stream(chunk(R"({"jsonPath":"$.k[999]","nullValue":null})"), 0), llmap::error,
        [](const llmap::error& e) { return e.code() == llmap::errc::malformed_response; });
    auto const calls = decode_stream(chunk(R"({"jsonPath":"$.k[0]","stringValue":"a"},)"
                                           R"({"jsonPath":"$.k[2]","stringValue":"c"})"),
                                     0)
                           .tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 1u);
    BOOST_TEST(calls[0].arguments == json::parse(R"({"k":["a",null,"c"]})"));
}

// thoughtSignature is kept (on reasoning, on the call, or as a signature-only reasoning part
// before the text that carried it) and goes back on the same part.
BOOST_AUTO_TEST_CASE(thought_signatures_round_trip) {
    auto const doc = json::parse(fx::read_file(aisdk_dir / "google-tool-call-gemini3.json"));
    auto const& part = doc.at("candidates").at(0).at("content").at("parts").at(0);
    auto const r = gw::parse_generate_response(doc);
    BOOST_TEST_REQUIRE(r.content.size() == 1u);
    auto const* call = std::get_if<llmap::tool_call_part>(&r.content[0]);
    BOOST_TEST_REQUIRE(call);
    BOOST_TEST(call->signature == part.at("thoughtSignature").as_string());
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

    // The streamed answer (another recording) gives the call its own signature too; check()
    // compares every fixture's call signatures with the recording's.
    auto const streamed = decode_stream(
        sse_of(fx::chunk_lines(aisdk_dir / "google-tool-call-gemini3.chunks.txt")), 0);
    BOOST_TEST_REQUIRE(streamed.tool_calls().size() == 1u);
    BOOST_TEST(!streamed.tool_calls()[0].signature.empty());

    // A signature-only reasoning part (how an older conversation carried a call's signature)
    // still reaches the call that follows; a call's own signature wins.
    llmap::message legacy{.role = llmap::role::assistant};
    legacy.content.emplace_back(llmap::reasoning_part{{}, "b2xk"});
    legacy.content.emplace_back(llmap::tool_call_part{.id = "c", .name = "f"});
    legacy.content.emplace_back(llmap::reasoning_part{{}, "b2xk"});
    legacy.content.emplace_back(llmap::tool_call_part{.id = "d", .name = "g", .signature = "bmV3"});
    auto const legacy_body = gw::generate_request_body(
        llmap::request{.messages = {llmap::message::user("q"), legacy}}, "m", {}, w);
    auto const& legacy_parts = legacy_body.at("contents").at(1).at("parts").as_array();
    BOOST_TEST_REQUIRE(legacy_parts.size() == 2u);
    BOOST_TEST(legacy_parts[0].at("thoughtSignature") == "b2xk");
    BOOST_TEST(legacy_parts[1].at("thoughtSignature") == "bmV3");

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

namespace {

// ---- Rig's recorded requests, rebuilt as llmap requests ------------------------------------

std::vector<std::uint8_t> unbase64(std::string_view s) {
    auto b = llmap::detail::base64_decode(s);
    BOOST_REQUIRE(b);
    return *b;
}

/// The llmap request that means what Rig's recorded body says (only what llmap models).
llmap::request rebuild(const json::object& body) {
    llmap::request req;
    if (auto const* si = obj(body, "systemInstruction"))
        for (auto const& p : si->at("parts").as_array())
            req.system += p.at("text").as_string();
    std::size_t call = 0;
    for (auto const& c : body.at("contents").as_array()) {
        bool const model = c.at("role") == "model";
        for (auto const& pv : c.at("parts").as_array()) {
            auto const& p = pv.as_object();
            bool const result = p.contains("functionResponse");
            llmap::role const role =
                model ? llmap::role::assistant : (result ? llmap::role::tool : llmap::role::user);
            if (req.messages.empty() || req.messages.back().role != role)
                req.messages.push_back(llmap::message{.role = role});
            auto& parts = req.messages.back().content;
            bool const thought = p.contains("thought") && p.at("thought") == true;
            std::string const sig = p.contains("thoughtSignature")
                                        ? std::string(p.at("thoughtSignature").as_string())
                                        : std::string();
            if (thought) {
                parts.emplace_back(
                    llmap::reasoning_part{std::string(p.at("text").as_string()), sig});
                continue;
            }
            if (auto const* t = p.if_contains("text")) {
                if (!sig.empty())
                    parts.emplace_back(llmap::reasoning_part{{}, sig});
                parts.emplace_back(llmap::text_part{std::string(t->as_string())});
            } else if (auto const* fc = obj(pv, "functionCall")) {
                parts.emplace_back(llmap::tool_call_part{
                    .id = "rig_" + std::to_string(call++),
                    .name = std::string(fc->at("name").as_string()),
                    .arguments = fc->contains("args") ? fc->at("args") : json::object(),
                    .signature = sig});
            } else if (auto const* fr = obj(pv, "functionResponse")) {
                parts.emplace_back(llmap::tool_result_part{
                    .name = std::string(fr->at("name").as_string()), .result = fr->at("response")});
            } else if (auto const* blob = obj(pv, "inlineData")) {
                parts.emplace_back(
                    llmap::image_part::from_bytes(unbase64(blob->at("data").as_string()),
                                                  std::string(blob->at("mimeType").as_string())));
            }
        }
    }
    for (auto const& t : body.contains("tools") && body.at("tools").is_array()
                             ? body.at("tools").as_array()
                             : json::array())
        if (auto const* decls = t.as_object().if_contains("functionDeclarations");
            decls && decls->is_array())
            for (auto const& d : decls->as_array())
                req.tools.push_back(
                    llmap::tool{.name = std::string(d.at("name").as_string()),
                                .description = std::string(d.at("description").as_string()),
                                .parameters = d.at("parameters").as_object()});
    if (auto const* g = obj(body, "generationConfig")) {
        if (auto const* t = g->if_contains("temperature"))
            req.temperature = t->to_number<double>();
        if (auto const* m = g->if_contains("maxOutputTokens"))
            req.max_output_tokens = m->to_number<int>();
        if (auto const* s = g->if_contains("responseJsonSchema"))
            req.format = llmap::response_format::json_schema("", s->as_object());
    }
    return req;
}

/// The parts of a body's contents in order, whatever the grouping into turns: role, kind,
/// and what identifies it.
std::vector<std::string> flat_parts(const json::object& body) {
    std::vector<std::string> out;
    for (auto const& c : body.at("contents").as_array())
        for (auto const& pv : c.at("parts").as_array()) {
            auto const& p = pv.as_object();
            std::string s = std::string(c.at("role").as_string()) + " ";
            if (p.contains("thought") && p.at("thought") == true)
                s += "thought ";
            if (auto const* sig = p.if_contains("thoughtSignature"))
                s += "signed:" + std::string(sig->as_string()) + " ";
            if (auto const* t = p.if_contains("text"))
                s += "text:" + std::string(t->as_string());
            else if (auto const* fc = obj(pv, "functionCall"))
                s += "call:" + json::serialize(fc->at("name")) + json::serialize(fc->at("args"));
            else if (auto const* fr = obj(pv, "functionResponse"))
                s += "result:" + json::serialize(fr->at("name")) +
                     json::serialize(fr->at("response"));
            else if (auto const* blob = obj(pv, "inlineData"))
                s += "blob:" + json::serialize(blob->at("mimeType")) +
                     json::serialize(blob->at("data"));
            out.push_back(std::move(s));
        }
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(gemini_requests)

// Every generate request Rig recorded (which the live API accepted), rebuilt as an llmap
// request: llmap's body has the same turns and parts, tools and settings.
BOOST_AUTO_TEST_CASE(rig_recorded_requests) {
    int compared = 0, skipped_cache = 0;
    for (auto const& e : fx::rig_exchanges("gemini")) {
        if (!e.path.ends_with("enerateContent"))
            continue;
        auto const recorded = json::parse(e.request_body).as_object();
        if (recorded.contains("cachedContent") && !recorded.at("cachedContent").is_null()) {
            ++skipped_cache; // refers to a cache made through the cachedContents API
            continue;
        }
        BOOST_TEST_CONTEXT(e.name()) {
            auto const req = rebuild(recorded);
            std::vector<llmap::warning> w;
            std::string const model = e.path.substr(e.path.find("models/") + 7);
            auto const body =
                gw::generate_request_body(req, model.substr(0, model.find(':')), {}, w);
            BOOST_TEST(w.empty());
            BOOST_TEST(flat_parts(body) == flat_parts(recorded), boost::test_tools::per_element());
            // Consecutive turns of one role are merged.
            auto const& contents = body.at("contents").as_array();
            for (std::size_t i = 1; i < contents.size(); ++i)
                BOOST_TEST(contents[i].at("role") != contents[i - 1].at("role"));
            if (!req.system.empty())
                BOOST_TEST(body.at("systemInstruction").at("parts").at(0).at("text") ==
                           json::value(req.system));
            std::vector<std::string> sent_tools, recorded_tools;
            if (auto const* t = body.if_contains("tools"))
                for (auto const& d : t->at(0).at("functionDeclarations").as_array()) {
                    sent_tools.push_back(json::serialize(d.at("name")) +
                                         json::serialize(d.at("parametersJsonSchema")));
                }
            for (auto const& tool : req.tools)
                recorded_tools.push_back(json::serialize(json::value(tool.name)) +
                                         json::serialize(tool.parameters));
            BOOST_TEST(sent_tools == recorded_tools, boost::test_tools::per_element());
            auto const* rg = obj(recorded, "generationConfig");
            auto const* sg = body.if_contains("generationConfig");
            for (std::string_view k :
                 {"temperature", "maxOutputTokens", "responseMimeType", "responseJsonSchema"}) {
                json::value const want = rg && rg->contains(k) ? rg->at(k) : json::value(nullptr);
                json::value const got = sg && sg->as_object().contains(k) ? sg->as_object().at(k)
                                                                          : json::value(nullptr);
                BOOST_TEST(got == want, k);
            }
            ++compared;
        }
    }
    std::cout << "gemini_requests/rig: " << compared << " recorded requests rebuilt and compared; "
              << skipped_cache << " skipped (they name a cachedContents cache)\n";
    BOOST_TEST(compared > 180);
}

BOOST_AUTO_TEST_CASE(request_mapping) {
    llmap::message user = llmap::message::user("Look:");
    user.content.emplace_back(llmap::image_part::from_bytes({1, 2, 3}, "image/png"));
    user.content.emplace_back(llmap::image_part::from_url("data:image/jpeg;base64,AAEC"));
    user.content.emplace_back(
        llmap::file_part::from_url("https://example.com/a.pdf", "application/pdf"));
    llmap::request const req{
        .system = "Be brief.",
        .prompt = "And this?",
        .messages = {user, llmap::message::user("Second user message")},
        .max_output_tokens = 100,
        .temperature = 0.5,
        .top_p = 0.9,
        .top_k = 40,
        .stop_sequences = {"END"},
        .seed = 7,
        .tools = {llmap::tool{.name = "f",
                              .description = "d",
                              .provider_options = {{"gemini", {{"behavior", "BLOCKING"}}}}}},
        .tool_choice = llmap::tool_choice::specific("f"),
        .format = llmap::response_format::json_schema("x", {{"type", "object"}}),
        .reasoning = llmap::reasoning_effort::low,
        .provider_options = {{"gemini", {{"safetySettings", json::array()}}}}};
    std::vector<llmap::warning> w;
    auto const body = gw::generate_request_body(req, "gemini-2.5-flash", {}, w);
    BOOST_TEST(w.empty());
    BOOST_TEST(body == json::parse(R"({
        "contents":[{"role":"user","parts":[
            {"text":"Look:"},
            {"inlineData":{"mimeType":"image/png","data":"AQID"}},
            {"inlineData":{"mimeType":"image/jpeg","data":"AAEC"}},
            {"fileData":{"fileUri":"https://example.com/a.pdf","mimeType":"application/pdf"}},
            {"text":"Second user message"},
            {"text":"And this?"}]}],
        "systemInstruction":{"parts":[{"text":"Be brief."}]},
        "generationConfig":{"maxOutputTokens":100,"temperature":0.5,"topP":0.9,"topK":40,
            "stopSequences":["END"],"seed":7,"responseMimeType":"application/json",
            "responseJsonSchema":{"type":"object"},
            "thinkingConfig":{"thinkingBudget":1024,"includeThoughts":true}},
        "tools":[{"functionDeclarations":[{"name":"f","description":"d",
            "parametersJsonSchema":{"type":"object","properties":{}},"behavior":"BLOCKING"}]}],
        "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}},
        "safetySettings":[]})"));

    // Gemini 3 takes a thinking level; the model's own budget wins over the request.
    auto const g3 = gw::generate_request_body(
        llmap::request{.prompt = "x", .reasoning = llmap::reasoning_effort::high},
        "gemini-3-pro-preview", {}, w);
    BOOST_TEST(g3.at("generationConfig").at("thinkingConfig") ==
               json::parse(R"({"thinkingLevel":"high","includeThoughts":true})"));
    auto const budget = gw::generate_request_body(
        llmap::request{.prompt = "x", .reasoning = llmap::reasoning_effort::high},
        "gemini-2.5-flash", llmap::gemini_api::thinking_settings{.budget = 0}, w);
    BOOST_TEST(budget.at("generationConfig").at("thinkingConfig") ==
               json::parse(R"({"thinkingBudget":0,"includeThoughts":false})"));

    // Tool choices.
    auto choice = [&](llmap::tool_choice c) {
        return gw::generate_request_body(llmap::request{.prompt = "x", .tool_choice = c}, "m", {},
                                         w)
            .at("toolConfig")
            .at("functionCallingConfig")
            .at("mode");
    };
    BOOST_TEST(choice(llmap::tool_choice::auto_choice()) == "AUTO");
    BOOST_TEST(choice(llmap::tool_choice::none()) == "NONE");
    BOOST_TEST(choice(llmap::tool_choice::required()) == "ANY");
    BOOST_TEST(w.empty());

    // A seed beyond 32 bits is dropped with a warning; JSON mode is a MIME type.
    auto const seeded = gw::generate_request_body(
        llmap::request{.prompt = "x", .seed = 1LL << 40, .format = llmap::response_format::json()},
        "m", {}, w);
    BOOST_TEST(!seeded.at("generationConfig").as_object().contains("seed"));
    BOOST_TEST(seeded.at("generationConfig").at("responseMimeType") == "application/json");
    BOOST_TEST_REQUIRE(w.size() == 1u);
    BOOST_TEST(w[0].setting == "seed");
}

BOOST_AUTO_TEST_CASE(tool_results_matched_by_name) {
    llmap::message a{.role = llmap::role::assistant};
    a.content.emplace_back(llmap::tool_call_part{.id = "call_0", .name = "old"});
    llmap::message r1{.role = llmap::role::tool};
    r1.content.emplace_back(llmap::tool_result_part{.tool_call_id = "call_0", .result = "x"});
    llmap::message b{.role = llmap::role::assistant};
    // Parallel calls of one response; ids repeat those of the earlier turn.
    b.content.emplace_back(
        llmap::tool_call_part{.id = "call_0", .name = "weather", .arguments = {{"c", "A"}}});
    b.content.emplace_back(
        llmap::tool_call_part{.id = "call_1", .name = "time", .arguments = {{"c", "B"}}});
    llmap::message r2{.role = llmap::role::tool};
    r2.content.emplace_back(llmap::tool_result_part{.tool_call_id = "call_1", .result = 12});
    r2.content.emplace_back(
        llmap::tool_result_part{.tool_call_id = "call_0", .result = "failed", .is_error = true});
    std::vector<llmap::warning> w;
    auto const body = gw::generate_request_body(
        llmap::request{.messages = {llmap::message::user("q"), a, r1, b, r2}}, "m", {}, w);
    auto const& contents = body.at("contents").as_array();
    BOOST_TEST_REQUIRE(contents.size() == 5u);
    BOOST_TEST(contents[2].at("parts").at(0).at("functionResponse") ==
               json::parse(R"({"name":"old","response":{"output":"x"}})"));
    BOOST_TEST(contents[4].at("parts") == json::parse(R"([
        {"functionResponse":{"name":"time","response":{"output":12}}},
        {"functionResponse":{"name":"weather","response":{"error":"failed"}}}])"));
}

// A signature left at the end of a message (a stream's last, empty text part carried it) is
// not handed to the next message's first part.
BOOST_AUTO_TEST_CASE(signature_stays_in_its_message) {
    llmap::message a = llmap::message::assistant("Hi.");
    a.content.emplace_back(llmap::reasoning_part{{}, "c2ln"});
    std::vector<llmap::warning> w;
    auto const body = gw::generate_request_body(
        llmap::request{.prompt = "Next", .messages = {llmap::message::user("Hello"), a}}, "m", {},
        w);
    BOOST_TEST(body.at("contents") == json::parse(R"([
        {"role":"user","parts":[{"text":"Hello"}]},
        {"role":"model","parts":[{"text":"Hi."}]},
        {"role":"user","parts":[{"text":"Next"}]}])"));
}

// Parallel calls of one answer get distinct ids; STOP with calls is tool_calls.
BOOST_AUTO_TEST_CASE(parallel_calls_and_finish_reasons) {
    auto const r = gw::parse_generate_response(json::parse(R"({"candidates":[{"content":{
        "role":"model","parts":[{"functionCall":{"name":"a","args":{"x":1}}},
        {"functionCall":{"name":"a","args":{"x":2}}}]},"finishReason":"STOP"}]})"));
    auto const calls = r.tool_calls();
    BOOST_TEST_REQUIRE(calls.size() == 2u);
    BOOST_TEST(calls[0].id != calls[1].id);
    BOOST_TEST(r.finish == llmap::finish_reason::tool_calls);
    auto finish = [](std::string_view raw) {
        return gw::parse_generate_response(json::parse(R"({"candidates":[{"finishReason":")" +
                                                       std::string(raw) +
                                                       R"(","safetyRatings":[]}]})"))
            .finish;
    };
    BOOST_TEST(finish("MAX_TOKENS") == llmap::finish_reason::length);
    for (auto raw : {"SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII"})
        BOOST_TEST(finish(raw) == llmap::finish_reason::content_filter, raw);
    BOOST_TEST(finish("MALFORMED_FUNCTION_CALL") == llmap::finish_reason::error);
    BOOST_TEST(finish("OTHER") == llmap::finish_reason::other);
    BOOST_TEST(finish("STOP") == llmap::finish_reason::stop);
}

// A blocked prompt is a typed result, not an exception and not an empty "stop".
BOOST_AUTO_TEST_CASE(blocked_prompt) {
    auto const body = json::parse(R"({"promptFeedback":{"blockReason":"PROHIBITED_CONTENT",
        "safetyRatings":[]},"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7},
        "modelVersion":"gemini-2.5-flash","responseId":"r1"})");
    auto const r = gw::parse_generate_response(body);
    BOOST_TEST(r.finish == llmap::finish_reason::content_filter);
    BOOST_TEST(r.raw_finish_reason == "PROHIBITED_CONTENT");
    BOOST_TEST(r.content.empty());
    BOOST_TEST(r.usage.input_tokens == std::optional<std::int64_t>(7));
    auto const s = decode_stream("data: " + json::serialize(body) + "\r\n\r\n", 0);
    BOOST_TEST(s.finish == llmap::finish_reason::content_filter);
    BOOST_TEST(s.raw_finish_reason == "PROHIBITED_CONTENT");
    BOOST_TEST(s.content.empty());
}

BOOST_AUTO_TEST_CASE(grounding_sources) {
    auto const body = json::parse(R"({"candidates":[{"content":{"role":"model","parts":[
        {"text":"Answer."}]},"finishReason":"STOP","groundingMetadata":{"groundingChunks":[
        {"web":{"uri":"https://a.example","title":"A"}},
        {"web":{"uri":"https://b.example","title":"B"}}]}}]})");
    auto const r = gw::parse_generate_response(body);
    BOOST_TEST_REQUIRE(r.content.size() == 3u);
    BOOST_TEST((std::get<llmap::source_part>(r.content[1]) ==
                llmap::source_part{"1", "https://a.example", "A"}));
    BOOST_TEST((std::get<llmap::source_part>(r.content[2]) ==
                llmap::source_part{"2", "https://b.example", "B"}));
    // Repeated in a later chunk of a stream, kept once.
    json::value again = body;
    again.at("candidates").at(0).as_object().erase("content");
    auto const s = decode_stream(
        "data: " + json::serialize(body) + "\n\ndata: " + json::serialize(again) + "\n\n", 0);
    BOOST_TEST((s.content == r.content));
}

// Counts at INT64_MAX: output (candidates + thoughts) saturates instead of overflowing.
BOOST_AUTO_TEST_CASE(usage_at_int64_max_saturates) {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    auto const r = gw::parse_generate_response(json::parse(
        R"({"candidates":[{"finishReason":"STOP"}],"usageMetadata":{)"
        R"("promptTokenCount":9223372036854775807,"candidatesTokenCount":9223372036854775807,)"
        R"("thoughtsTokenCount":9223372036854775807}})"));
    BOOST_TEST(r.usage.input_tokens.value() == max);
    BOOST_TEST(r.usage.output_tokens.value() == max);
    BOOST_TEST(r.usage.reasoning_tokens.value() == max);
    BOOST_TEST(r.usage.total() == max);
}

BOOST_AUTO_TEST_CASE(bad_input_is_a_typed_error) {
    auto malformed = [](auto&& f) {
        try {
            f();
        } catch (const llmap::error& e) {
            return e.code() == llmap::errc::malformed_response;
        }
        return false;
    };
    for (
        std::string_view bad :
        {R"([])", R"({})", R"({"candidates":"x"})", R"({"candidates":[1]})",
         R"({"candidates":[{"content":{"parts":[{"text":5}]}}]})",
         R"({"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","args":3}}]}}]})",
         R"({"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":"x"}})",
         R"({"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"*"}}]}}]})"})
        BOOST_TEST(malformed([&] { gw::parse_generate_response(json::parse(bad)); }), bad);

    std::string const ok = R"(data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]})"
                           "\n\n";
    // Not JSON; cut before its finish reason; partial arguments with no call open.
    BOOST_TEST(malformed([&] { decode_stream("data: {nope\n\n", 0); }));
    BOOST_TEST(malformed([&] { decode_stream(ok, 0); }));
    BOOST_TEST(malformed([&] {
        decode_stream(
            R"(data: {"candidates":[{"content":{"parts":[{"functionCall":{"partialArgs":[{"jsonPath":"$.a","stringValue":"x"}],"willContinue":true}}]}}]})"
            "\n\n",
            0);
    }));
    BOOST_TEST(malformed([&] {
        decode_stream(
            R"(data: {"candidates":[{"content":{"parts":[{"functionCall":{"name":"f","willContinue":true}},{"functionCall":{"partialArgs":[{"jsonPath":"a.b","stringValue":"x"}]}}]}}]})"
            "\n\n",
            0);
    }));
    // An error event mid-stream: http_error with Gemini's code and status.
    try {
        decode_stream(ok + R"(data: {"error":{"code":503,"message":"The model is overloaded.",)"
                           R"("status":"UNAVAILABLE"}})"
                           "\n\n",
                      0);
        BOOST_FAIL("no error");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::http_error));
        BOOST_TEST(e.http_status() == 503);
        BOOST_TEST(e.provider_error_type() == "UNAVAILABLE");
        BOOST_TEST(std::string(e.what()).find("overloaded") != std::string::npos);
    }
    BOOST_TEST(malformed([] { gw::parse_embed_response(json::parse(R"({"embedding":{}})")); }));
    BOOST_TEST(malformed(
        [] { gw::parse_embed_response(json::parse(R"({"embeddings":[{"values":["a"]}]})")); }));
}

BOOST_AUTO_TEST_CASE(embedding_requests) {
    std::vector<llmap::warning> w;
    llmap::embedding_request one{.inputs = {"hello"}, .dimensions = 8};
    BOOST_TEST(gw::embed_method(one) == ":embedContent");
    BOOST_TEST(
        gw::embed_request_body(one, "gemini-embedding-001", w) ==
        json::parse(
            R"({"content":{"role":"user","parts":[{"text":"hello"}]},"outputDimensionality":8})"));
    llmap::embedding_request two{.inputs = {"a", "b"}};
    BOOST_TEST(gw::embed_method(two) == ":batchEmbedContents");
    BOOST_TEST(gw::embed_request_body(two, "gemini-embedding-001", w) == json::parse(R"({
        "requests":[{"content":{"role":"user","parts":[{"text":"a"}]},"model":"models/gemini-embedding-001"},
                    {"content":{"role":"user","parts":[{"text":"b"}]},"model":"models/gemini-embedding-001"}]})"));
    auto const r = gw::parse_embed_response(json::parse(R"({"embedding":{"values":[0.5,-1]}})"));
    BOOST_TEST_REQUIRE(r.vectors.size() == 1u);
    BOOST_TEST((r.vectors[0] == std::vector<float>{0.5f, -1.0f}));
    BOOST_TEST(w.empty());
}

BOOST_AUTO_TEST_SUITE_END()
