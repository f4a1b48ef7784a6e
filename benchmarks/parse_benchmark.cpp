//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The parse benchmark: what llmap's parsing costs on recorded real provider traffic, against
// the least any client must do with the same bytes (issue 5, measurements 2b and 3).
//
//   (A) a streamed answer, no I/O: the SSE body of rig/openrouter/reasoning_roundtrip/
//       streaming.json, exchange [0] (OpenRouter Chat Completions chunks, reasoning + text)
//         sse/floor                  memchr for the blank lines ("\n\n", "\r\n\r\n") that end
//                                    the blocks, counting them: the least that finds every event
//         sse/llmap_parser/whole     llmap::http::sse_parser fed the whole body
//         sse/llmap_parser/16KiB     the same, fed in 16 KiB pieces (as the network gives it)
//         sse/json_parse_each        sse_parser + boost::json::parse of every event's data (in
//                                    16 KiB pieces): the least a client must do with the stream
//         sse/llmap_decode           the stream path of a streamed call without I/O, in 16 KiB
//                                    pieces: sse_parser + the Chat Completions stream decoder +
//                                    the stream_accumulator (llmap::detail::stream_run, as
//                                    model_base::post_stream drives it), ending in the response
//         sse/floor_ndjson           memchr for the line ends of an Ollama NDJSON stream
//         sse/llmap_ndjson           llmap::http::ndjson_parser on it (whole body)
//   (B) one non-streamed answer per provider (a recorded text answer with usage):
//         parse/<provider>/json_only boost::json::parse of the body alone (default memory
//                                    resource, as llmap parses an answer)
//         parse/<provider>/llmap     the production path: llmap::detail::answer_json (status
//                                    check + boost::json::parse) then the provider's parse
//                                    function, giving an llmap::response
//
// The fixtures are read in place from LLMAP_SOURCE_DIR "/../shared/fixtures" at startup; the
// program stops with a message if one is missing. Before anything is timed, every contender
// is run once and checked (event counts agree with an independent count, decoded text and
// reasoning equal the concatenated deltas, each provider's text and usage are there), and
// each benchmark checks its last iteration's result again: a broken path fails, it is not
// measured.
//
// Unless told otherwise, each benchmark runs 3 repetitions of at least 0.1 s and the summary
// uses the median repetition of the CPU time (Google Benchmark's default measure): every
// contender is single-threaded and does no I/O, so on an idle machine CPU time equals real
// time, and on a shared 2-vCPU VM it leaves out the time the thread waited for a core.
// Google Benchmark flags work as usual, including --benchmark_out=FILE
// --benchmark_out_format=json for the machine-readable results.
//
// Build standalone:
//   g++ -std=c++20 -O2 -DNDEBUG -I include -DLLMAP_SOURCE_DIR='"'$PWD'"'
//       benchmarks/parse_benchmark.cpp -lbenchmark -lboost_json -lboost_url -lssl -lcrypto
//       -lpthread

#include <llmap/http/message.hpp>
#include <llmap/http/ndjson.hpp>
#include <llmap/http/options.hpp>
#include <llmap/http/sse.hpp>
#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/cohere.hpp>
#include <llmap/providers/detail/endpoint.hpp>
#include <llmap/providers/detail/model_base.hpp>
#include <llmap/providers/gemini.hpp>
#include <llmap/providers/ollama.hpp>
#include <llmap/providers/openai.hpp>
#include <llmap/types.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#ifndef LLMAP_SOURCE_DIR
#define LLMAP_SOURCE_DIR "."
#endif

namespace {

constexpr std::string_view fixtures_dir = LLMAP_SOURCE_DIR "/../shared/fixtures";
constexpr std::size_t piece_size = 16 * 1024;

[[noreturn]] void fail(const std::string& what) {
    std::fprintf(stderr, "parse_benchmark: %s\n", what.c_str());
    std::exit(1);
}

// --- fixtures --------------------------------------------------------------------------------

std::string read_fixture(std::string_view rel) {
    std::string const path = std::string(fixtures_dir) + "/" + std::string(rel);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("cannot read " + path +
             ": the recorded traffic is read in place from ../shared/fixtures next to the "
             "repository (LLMAP_SOURCE_DIR \"/../shared/fixtures\")");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// The response body of exchange `i` of a rig cassette (a JSON array of exchanges).
std::string rig_body(std::string_view rel, std::size_t i) {
    std::string const text = read_fixture(rel);
    try {
        boost::json::value const v = boost::json::parse(text);
        auto const& response = v.as_array().at(i).as_object().at("response").as_object();
        if (response.at("status").to_number<int>() != 200)
            fail(std::string(rel) + ": exchange " + std::to_string(i) + " is not a 200 answer");
        return std::string(response.at("body").as_string());
    } catch (const std::exception& e) {
        fail(std::string(rel) + ": not a rig cassette with an exchange " + std::to_string(i) +
             " (" + e.what() + ")");
    }
}

/// A fixture's body: a rig cassette's exchange, or an AI SDK file (the raw body) if `exchange`
/// is empty.
std::string body_of(std::string_view rel, std::optional<std::size_t> exchange) {
    return exchange ? rig_body(rel, *exchange) : read_fixture(rel);
}

// --- (A) streams -----------------------------------------------------------------------------

constexpr std::string_view sse_fixture = "rig/openrouter/reasoning_roundtrip/streaming.json";
constexpr std::string_view ndjson_fixture =
    "rig/ollama/streaming_grammar/thinking_and_tool_call.json";

struct streams {
    std::string sse;             // the SSE body
    std::string ndjson;          // the NDJSON body
    std::size_t blocks = 0;      // blank-line-terminated blocks (events and comments)
    std::size_t events = 0;      // blocks with data: the events sse_parser dispatches
    std::size_t json_events = 0; // events whose data is JSON (all but "[DONE]")
    std::size_t lines = 0;       // non-empty NDJSON lines
    std::string text;            // the concatenated delta.content of the chunks
    std::string reasoning;       // the concatenated delta.reasoning of the chunks
};

streams stream_data;

/// The floor: counts the blank lines of an SSE body ("\n\n", or "\r\n\r\n"), one memchr per
/// line. That finds where every event ends, and nothing more.
std::size_t count_blank_lines(std::string_view s) noexcept {
    std::size_t n = 0;
    char const* p = s.data();
    char const* const end = p + s.size();
    while (p != end) {
        auto const* lf =
            static_cast<char const*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!lf)
            break;
        p = lf + 1;
        if (p != end && *p == '\n') {
            ++n;
            ++p;
        } else if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
            ++n;
            p += 2;
        }
    }
    return n;
}

/// The NDJSON floor: counts the non-empty lines, one memchr per line.
std::size_t count_lines(std::string_view s) noexcept {
    std::size_t n = 0;
    char const* p = s.data();
    char const* const end = p + s.size();
    while (p != end) {
        auto const* lf =
            static_cast<char const*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
        if (!lf)
            break;
        n += lf != p && !(lf == p + 1 && *p == '\r');
        p = lf + 1;
    }
    return n;
}

template <class F>
void feed_pieces(std::string_view body, std::size_t piece, F&& feed) {
    for (std::size_t at = 0; at < body.size(); at += piece)
        feed(body.substr(at, piece));
}

std::size_t llmap_parser_count(std::string_view body, std::size_t piece) {
    llmap::http::sse_parser parser;
    std::size_t n = 0;
    feed_pieces(body, piece, [&](std::string_view bytes) {
        parser.feed(bytes, [&](llmap::http::sse_event&) { ++n; });
    });
    if (parser.has_partial_event())
        fail("sse_parser: the recorded stream ends inside an event");
    return n;
}

std::size_t json_parse_each_count(std::string_view body, std::size_t piece) {
    llmap::http::sse_parser parser;
    std::size_t n = 0;
    feed_pieces(body, piece, [&](std::string_view bytes) {
        parser.feed(bytes, [&](llmap::http::sse_event& e) {
            if (e.data == "[DONE]")
                return;
            boost::system::error_code ec;
            boost::json::value v = boost::json::parse(e.data, ec);
            benchmark::DoNotOptimize(v);
            n += !ec;
        });
    });
    return n;
}

struct decoded {
    llmap::response response;
    std::size_t events = 0; // unified stream events emitted
};

decoded llmap_decode(std::string_view body, std::size_t piece) {
    using decoder = llmap::openai_api::wire::chat_stream_decoder;
    decoded out;
    auto on_event = [&](const llmap::stream_event&) { ++out.events; };
    llmap::detail::stream_run<decoder, llmap::stream_handler> run(
        decoder("openrouter"), llmap::detail::stream_framing::sse, llmap::http::limits{}.max_event,
        on_event);
    feed_pieces(body, piece, [&](std::string_view bytes) { run.feed(bytes); });
    llmap::http::http_response r;
    r.status = 200;
    out.response = run.finish(llmap::detail::answer_context{"openrouter", {}}, r, {});
    return out;
}

std::size_t llmap_ndjson_count(std::string_view body) {
    llmap::http::ndjson_parser parser;
    std::size_t n = 0;
    parser.feed(body, [&](std::string_view) { ++n; });
    if (parser.has_partial_line())
        fail("ndjson_parser: the recorded stream ends inside a line");
    return n;
}

void load_streams() {
    streams& s = stream_data;
    s.sse = rig_body(sse_fixture, 0);
    s.ndjson = rig_body(ndjson_fixture, 0);

    // The independent count: split on "\n\n" (the recording has no CR; checked), then look
    // at each block's lines.
    if (s.sse.find('\r') != std::string::npos)
        fail(std::string(sse_fixture) + ": the reference split expects LF line ends");
    std::string_view rest = s.sse;
    while (!rest.empty()) {
        std::size_t const end = rest.find("\n\n");
        if (end == std::string_view::npos)
            fail(std::string(sse_fixture) + ": the stream does not end with a blank line");
        std::string_view const block = rest.substr(0, end);
        rest.remove_prefix(end + 2);
        ++s.blocks;
        std::string data;
        bool has_data = false;
        for (std::string_view lines = block; !lines.empty();) {
            std::size_t const eol = std::min(lines.find('\n'), lines.size());
            std::string_view const line = lines.substr(0, eol);
            lines.remove_prefix(std::min(eol + 1, lines.size()));
            if (line.rfind("data:", 0) == 0) {
                data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
                has_data = true;
            }
        }
        if (!has_data)
            continue;
        ++s.events;
        if (data == "[DONE]")
            continue;
        ++s.json_events;
        boost::json::value const v = boost::json::parse(data);
        auto const& choices = v.at("choices").as_array();
        if (choices.empty())
            continue;
        auto const& delta = choices[0].at("delta").as_object();
        if (auto const* c = delta.if_contains("content"); c && c->is_string())
            s.text += c->get_string();
        if (auto const* r = delta.if_contains("reasoning"); r && r->is_string())
            s.reasoning += r->get_string();
    }
    for (std::string_view lines = s.ndjson; !lines.empty();) {
        std::size_t const eol = std::min(lines.find('\n'), lines.size());
        s.lines += eol != 0;
        lines.remove_prefix(std::min(eol + 1, lines.size()));
    }
}

void verify_streams() {
    streams const& s = stream_data;
    auto check = [](bool ok, const std::string& what) {
        if (!ok)
            fail("verification failed, nothing measured: " + what);
    };
    auto const n = [](std::size_t v) { return std::to_string(v); };
    check(s.events > 100 && !s.text.empty() && !s.reasoning.empty(),
          "the recorded SSE stream is not the expected reasoning + text stream");
    check(count_blank_lines(s.sse) == s.blocks,
          "sse/floor found " + n(count_blank_lines(s.sse)) + " blocks, expected " + n(s.blocks));
    for (std::size_t piece : {s.sse.size(), piece_size, std::size_t{1}, std::size_t{7}})
        check(llmap_parser_count(s.sse, piece) == s.events,
              "sse_parser (pieces of " + n(piece) + " bytes) dispatched " +
                  n(llmap_parser_count(s.sse, piece)) + " events, expected " + n(s.events));
    check(json_parse_each_count(s.sse, piece_size) == s.json_events,
          "sse/json_parse_each parsed " + n(json_parse_each_count(s.sse, piece_size)) +
              " events, expected " + n(s.json_events));
    decoded const d = llmap_decode(s.sse, piece_size);
    check(d.response.text() == s.text, "sse/llmap_decode: the text is " +
                                           n(d.response.text().size()) + " bytes, expected " +
                                           n(s.text.size()) + " (the concatenated delta.content)");
    check(d.response.reasoning_text() == s.reasoning,
          "sse/llmap_decode: the reasoning is " + n(d.response.reasoning_text().size()) +
              " bytes, expected " + n(s.reasoning.size()));
    check(d.response.finish == llmap::finish_reason::stop && d.response.usage.output_tokens &&
              *d.response.usage.output_tokens > 0,
          "sse/llmap_decode: no finish reason or no usage");
    check(s.lines > 100 && count_lines(s.ndjson) == s.lines, "sse/floor_ndjson counted " +
                                                                 n(count_lines(s.ndjson)) +
                                                                 " lines, expected " + n(s.lines));
    check(llmap_ndjson_count(s.ndjson) == s.lines, "sse/llmap_ndjson delivered " +
                                                       n(llmap_ndjson_count(s.ndjson)) +
                                                       " lines, expected " + n(s.lines));
}

/// Fails the benchmark if its last iteration's count is not `expected`.
void expect(benchmark::State& state, std::size_t got, std::size_t expected) {
    if (got != expected)
        state.SkipWithError(
            ("counted " + std::to_string(got) + ", expected " + std::to_string(expected)).c_str());
}

void set_throughput(benchmark::State& state, std::size_t bytes, std::size_t items) {
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                            static_cast<std::int64_t>(items));
}

void bm_sse_floor(benchmark::State& state) {
    std::string_view const body = stream_data.sse;
    std::size_t n = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(body.data());
        n = count_blank_lines(body);
        benchmark::DoNotOptimize(n);
    }
    expect(state, n, stream_data.blocks);
    set_throughput(state, body.size(), stream_data.events);
}

void bm_sse_llmap_parser(benchmark::State& state, std::size_t piece) {
    std::string_view const body = stream_data.sse;
    std::size_t n = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(body.data());
        n = llmap_parser_count(body, piece);
        benchmark::DoNotOptimize(n);
    }
    expect(state, n, stream_data.events);
    set_throughput(state, body.size(), stream_data.events);
}

void bm_sse_json_parse_each(benchmark::State& state) {
    std::string_view const body = stream_data.sse;
    std::size_t n = 0;
    for (auto _ : state)
        n = json_parse_each_count(body, piece_size);
    expect(state, n, stream_data.json_events);
    set_throughput(state, body.size(), stream_data.events);
}

void bm_sse_llmap_decode(benchmark::State& state) {
    std::string_view const body = stream_data.sse;
    decoded last;
    for (auto _ : state) {
        last = llmap_decode(body, piece_size); // the previous result is freed in the loop
        benchmark::DoNotOptimize(last);
    }
    expect(state, last.response.text().size(), stream_data.text.size());
    set_throughput(state, body.size(), stream_data.events);
}

void bm_ndjson_floor(benchmark::State& state) {
    std::string_view const body = stream_data.ndjson;
    std::size_t n = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(body.data());
        n = count_lines(body);
        benchmark::DoNotOptimize(n);
    }
    expect(state, n, stream_data.lines);
    set_throughput(state, body.size(), stream_data.lines);
}

void bm_ndjson_llmap(benchmark::State& state) {
    std::string_view const body = stream_data.ndjson;
    std::size_t n = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(body.data());
        n = llmap_ndjson_count(body);
        benchmark::DoNotOptimize(n);
    }
    expect(state, n, stream_data.lines);
    set_throughput(state, body.size(), stream_data.lines);
}

// --- (B) one answer per provider -------------------------------------------------------------

using parse_fn = llmap::response (*)(boost::json::value, std::string_view);

llmap::response parse_anthropic(boost::json::value v, std::string_view provider) {
    // What anthropic_api's model passes for a request without the JSON-output tool.
    return llmap::anthropic_api::wire::parse_messages_response(std::move(v), provider, false);
}

llmap::response parse_cohere(boost::json::value v, std::string_view provider) {
    // cohere_api's model calls exactly this (from a private member).
    return llmap::cohere_api::wire::parse_chat_response(std::move(v), provider);
}

struct answer {
    std::string_view name;               // in the benchmark names
    std::string_view provider;           // the registry name passed to the parser (for messages)
    std::string_view file;               // under ../shared/fixtures
    std::optional<std::size_t> exchange; // rig cassettes: which exchange's response body
    std::string_view text_pointer;       // JSON pointer(s) to the expected text, '|'-separated
    parse_fn parse;
    std::string body{};          // loaded at startup
    std::string expected_text{}; // from the pointers
};

// One recorded text answer with usage per provider, of typical size (~1.3-2.7 KB). The AI SDK
// files are stored pretty-printed; the rig bodies are the compact bytes as sent.
std::vector<answer> answers = {
    {"openai-chat", "openai-chat", "aisdk/openai/chat/openai-text.json", std::nullopt,
     "/choices/0/message/content", llmap::openai_api::detail::parse_chat},
    {"openai-responses", "openai",
     "rig/openai/raw_completion_parity_matrix/responses_text_turn_parity.json", 0,
     "/output/0/content/0/text", llmap::openai_api::detail::parse_responses},
    {"anthropic", "anthropic", "rig/anthropic/opus_4_7/messages_image_input_smoke.json", 0,
     "/content/0/text", parse_anthropic},
    {"gemini", "gemini",
     "rig/gemini/thought_text_matrix/text_response_on_gemini_2_5_flash_lite.json", 0,
     "/candidates/0/content/parts/1/text", llmap::gemini_api::detail::parse_generate},
    {"ollama", "ollama", "rig/ollama/reasoning_tool_roundtrip/nonstreaming.json", 1,
     "/message/content", llmap::ollama_api::detail::parse_chat},
    {"cohere", "cohere", "aisdk/cohere/cohere-citations.json", std::nullopt,
     "/message/content/0/text", parse_cohere},
    {"mistral", "mistral", "aisdk/mistral/mistral-text.json", std::nullopt,
     "/choices/0/message/content", llmap::openai_api::detail::parse_chat},
};

llmap::http::http_response as_http(const answer& a) {
    llmap::http::http_response r;
    r.status = 200;
    r.headers = {{"content-type", "application/json"}};
    r.body = a.body;
    return r;
}

/// The production path of a non-streamed call, from the received answer on (see
/// model_base::post and detail::post_json).
llmap::response llmap_parse(const answer& a, const llmap::detail::answer_context& ctx,
                            const llmap::http::http_response& r) {
    return a.parse(llmap::detail::answer_json(ctx, r), ctx.provider);
}

void load_answers() {
    for (answer& a : answers) {
        a.body = body_of(a.file, a.exchange);
        try {
            boost::json::value const v = boost::json::parse(a.body);
            std::string_view pointers = a.text_pointer;
            while (!pointers.empty()) {
                std::size_t const bar = std::min(pointers.find('|'), pointers.size());
                a.expected_text += v.at_pointer(pointers.substr(0, bar)).as_string();
                pointers.remove_prefix(std::min(bar + 1, pointers.size()));
            }
        } catch (const std::exception& e) {
            fail(std::string(a.file) + ": no text at " + std::string(a.text_pointer) + " (" +
                 e.what() + ")");
        }
    }
}

void verify_answers() {
    for (answer const& a : answers) {
        std::string const what = "parse/" + std::string(a.name) + " (" + std::string(a.file) + ")";
        llmap::detail::answer_context const ctx{std::string(a.provider), {}};
        auto const r = as_http(a);
        llmap::response out;
        try {
            out = llmap_parse(a, ctx, r);
        } catch (const std::exception& e) {
            fail("verification failed, nothing measured: " + what + " threw: " + e.what());
        }
        if (out.text() != a.expected_text)
            fail("verification failed, nothing measured: " + what + ": the text is " +
                 std::to_string(out.text().size()) + " bytes, expected " +
                 std::to_string(a.expected_text.size()));
        if (out.usage.total() <= 0 || out.finish == llmap::finish_reason::unknown)
            fail("verification failed, nothing measured: " + what + ": no usage or finish reason");
    }
}

void bm_parse_json_only(benchmark::State& state, const answer* a) {
    auto const r = as_http(*a);
    bool ok = true;
    for (auto _ : state) {
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(r.body, ec);
        benchmark::DoNotOptimize(v);
        ok = !ec && v.is_object();
    }
    expect(state, ok, true);
    set_throughput(state, r.body.size(), 1);
}

void bm_parse_llmap(benchmark::State& state, const answer* a) {
    llmap::detail::answer_context const ctx{std::string(a->provider), {}};
    auto const r = as_http(*a);
    std::size_t text = 0;
    for (auto _ : state) {
        llmap::response out = llmap_parse(*a, ctx, r);
        benchmark::DoNotOptimize(out);
        text = out.content.size();
    }
    expect(state, text != 0, true);
    set_throughput(state, r.body.size(), 1);
}

void register_benchmarks() {
    using benchmark::RegisterBenchmark;
    RegisterBenchmark("sse/floor", bm_sse_floor)->Unit(benchmark::kMicrosecond);
    RegisterBenchmark("sse/llmap_parser/whole", bm_sse_llmap_parser, stream_data.sse.size())
        ->Unit(benchmark::kMicrosecond);
    RegisterBenchmark("sse/llmap_parser/16KiB", bm_sse_llmap_parser, piece_size)
        ->Unit(benchmark::kMicrosecond);
    RegisterBenchmark("sse/json_parse_each", bm_sse_json_parse_each)->Unit(benchmark::kMicrosecond);
    RegisterBenchmark("sse/llmap_decode", bm_sse_llmap_decode)->Unit(benchmark::kMicrosecond);
    RegisterBenchmark("sse/floor_ndjson", bm_ndjson_floor)->Unit(benchmark::kMicrosecond);
    RegisterBenchmark("sse/llmap_ndjson", bm_ndjson_llmap)->Unit(benchmark::kMicrosecond);
    for (answer const& a : answers) {
        std::string const base = "parse/" + std::string(a.name) + "/";
        RegisterBenchmark((base + "json_only").c_str(), bm_parse_json_only, &a);
        RegisterBenchmark((base + "llmap").c_str(), bm_parse_llmap, &a);
    }
}

// --- reporting -------------------------------------------------------------------------------

/// Google Benchmark's console lines (only the median and cv aggregates when there are
/// repetitions), keeping each benchmark's median CPU time in ns (or its single run's).
class summary_reporter : public benchmark::ConsoleReporter {
public:
    using ConsoleReporter::ConsoleReporter;

    void ReportRuns(const std::vector<Run>& runs) override {
        std::vector<Run> shown;
        for (auto const& r : runs) {
            std::string const& name = r.run_name.function_name;
            if (r.error_occurred) {
                failed_ = true;
                shown.push_back(r);
                continue;
            }
            double const ns = r.GetAdjustedCPUTime() * to_ns(r.time_unit);
            if (r.run_type == Run::RT_Iteration) {
                single_.emplace(name, ns); // the first repetition, if there is no median
                shown.push_back(r);
            } else if (r.aggregate_name == "median") {
                median_[name] = ns;
                shown.push_back(r);
            } else if (r.aggregate_name == "cv") {
                shown.push_back(r);
            }
        }
        if (!shown.empty())
            ConsoleReporter::ReportRuns(shown);
    }

    std::optional<double> ns(const std::string& name) const {
        if (auto it = median_.find(name); it != median_.end())
            return it->second;
        if (auto it = single_.find(name); it != single_.end())
            return it->second;
        return std::nullopt;
    }

    bool empty() const { return median_.empty() && single_.empty(); }
    bool failed() const { return failed_; }

private:
    static double to_ns(benchmark::TimeUnit u) {
        switch (u) {
        case benchmark::kNanosecond:
            return 1.0;
        case benchmark::kMicrosecond:
            return 1e3;
        case benchmark::kMillisecond:
            return 1e6;
        case benchmark::kSecond:
            return 1e9;
        }
        return 1.0;
    }

    std::map<std::string, double> median_;
    std::map<std::string, double> single_;
    bool failed_ = false;
};

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0)
            if (auto const colon = line.find(':'); colon != std::string::npos)
                return line.substr(std::min(line.find_first_not_of(" \t", colon + 1), line.size()));
    return "unknown CPU";
}

std::string compiler() {
#if defined(__clang__)
    std::string v = std::string("clang ") + __clang_version__;
    while (!v.empty() && v.back() == ' ')
        v.pop_back();
    return v;
#elif defined(__GNUC__)
    return std::string("GCC ") + __VERSION__;
#else
    return "unknown compiler";
#endif
}

std::string build_flags() {
    std::string f;
#if defined(__OPTIMIZE__)
    f += "optimized";
#else
    f += "NOT OPTIMIZED (-O0): numbers are meaningless";
#endif
#if defined(NDEBUG)
    f += ", -DNDEBUG";
#else
    f += ", assertions on";
#endif
#if defined(__SANITIZE_ADDRESS__)
    f += ", ASan (numbers are meaningless)";
#endif
    return f;
}

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

/// MB/s (10^6 bytes per second) of `bytes` processed in `ns`.
std::string mb_s(std::size_t bytes, std::optional<double> ns) {
    return ns && *ns > 0 ? fmt("%.0f", static_cast<double>(bytes) / *ns * 1e3) : "-";
}

void print_summary(const summary_reporter& rep) {
    streams const& s = stream_data;
    std::printf("\n## parse_benchmark summary\n\n");
    std::printf("%s | %s | %s | median of the repetitions, CPU time; MB = 10^6 bytes\n",
                cpu_model().c_str(), compiler().c_str(), build_flags().c_str());

    std::printf("\n### (A) streams\n\n");
    std::printf("SSE: `%.*s` [0], %zu bytes, %zu events (+ %zu comment-only blocks). NDJSON: "
                "`%.*s` [0], %zu bytes, %zu lines.\n\n",
                static_cast<int>(sse_fixture.size()), sse_fixture.data(), s.sse.size(), s.events,
                s.blocks - s.events, static_cast<int>(ndjson_fixture.size()), ndjson_fixture.data(),
                s.ndjson.size(), s.lines);
    std::printf("| benchmark | µs per stream | MB/s | ns per event | speed vs floor |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
    struct row {
        const char* name;
        const char* floor;
        std::size_t bytes, items;
    };
    row const rows[] = {
        {"sse/floor", "sse/floor", s.sse.size(), s.events},
        {"sse/llmap_parser/whole", "sse/floor", s.sse.size(), s.events},
        {"sse/llmap_parser/16KiB", "sse/floor", s.sse.size(), s.events},
        {"sse/json_parse_each", "sse/floor", s.sse.size(), s.events},
        {"sse/llmap_decode", "sse/floor", s.sse.size(), s.events},
        {"sse/floor_ndjson", "sse/floor_ndjson", s.ndjson.size(), s.lines},
        {"sse/llmap_ndjson", "sse/floor_ndjson", s.ndjson.size(), s.lines},
    };
    for (row const& r : rows) {
        auto const t = rep.ns(r.name);
        if (!t)
            continue;
        auto const f = rep.ns(r.floor);
        std::printf("| `%s` | %.1f | %s | %.1f | %s |\n", r.name, *t / 1e3,
                    mb_s(r.bytes, t).c_str(), *t / static_cast<double>(r.items),
                    f ? fmt("%.2f×", *f / *t).c_str() : "-");
    }
    auto const floor = rep.ns("sse/floor");
    for (const char* p : {"sse/llmap_parser/whole", "sse/llmap_parser/16KiB"}) {
        auto const t = rep.ns(p);
        if (!floor || !t)
            continue;
        double const ratio = *floor / *t;
        std::printf("\n- [%s] goal `%s` ≥ 0.5× the floor's speed: %.2f×",
                    ratio >= 0.5 ? "met" : "MISSED", p, ratio);
    }
    if (auto const d = rep.ns("sse/llmap_decode"), j = rep.ns("sse/json_parse_each"); d && j)
        std::printf("\n- [info] `sse/llmap_decode` / `sse/json_parse_each` time: %.2f×", *d / *j);
    std::printf("\n");

    std::printf("\n### (B) one non-streamed answer → `llmap::response`\n\n");
    std::printf("json_only = `boost::json::parse` of the body (default memory resource, no "
                "reuse: as llmap parses it); llmap = `answer_json` + the provider's parse "
                "function (the production path).\n\n");
    std::printf("| provider | fixture | bytes | json_only ns | llmap ns | json_only MB/s | "
                "llmap MB/s | llmap / json_only |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (answer const& a : answers) {
        std::string const base = "parse/" + std::string(a.name) + "/";
        auto const j = rep.ns(base + "json_only");
        auto const l = rep.ns(base + "llmap");
        if (!j && !l)
            continue;
        std::string file(a.file);
        if (a.exchange)
            file += " [" + std::to_string(*a.exchange) + "]";
        std::printf("| %.*s | `%s` | %zu | %s | %s | %s | %s | %s |\n",
                    static_cast<int>(a.name.size()), a.name.data(), file.c_str(), a.body.size(),
                    j ? fmt("%.0f", *j).c_str() : "-", l ? fmt("%.0f", *l).c_str() : "-",
                    mb_s(a.body.size(), j).c_str(), mb_s(a.body.size(), l).c_str(),
                    j && l ? fmt("%.2f×", *l / *j).c_str() : "-");
    }
}

} // namespace

int main(int argc, char** argv) {
    // Defaults first, so that the user's own flags (parsed later) win.
    std::vector<std::string> defaults = {"--benchmark_min_time=0.1", "--benchmark_repetitions=3",
                                         "--benchmark_display_aggregates_only=true"};
    std::vector<char*> args;
    args.push_back(argv[0]);
    for (auto& d : defaults)
        args.push_back(d.data());
    for (int i = 1; i < argc; ++i)
        args.push_back(argv[i]);
    std::string shown_flags;
    for (std::size_t i = 1; i < args.size(); ++i)
        shown_flags += (i > 1 ? " " : "") + std::string(args[i]);
    args.push_back(nullptr);
    int n_args = static_cast<int>(args.size()) - 1;
    benchmark::Initialize(&n_args, args.data());
    if (benchmark::ReportUnrecognizedArguments(n_args, args.data()))
        return 1;

    load_streams();
    load_answers();
    verify_streams();
    verify_answers();

    std::printf("llmap parse benchmark\n");
    std::printf("machine:   %s\ncompiler:  %s (%s)\n", cpu_model().c_str(), compiler().c_str(),
                build_flags().c_str());
    std::printf("benchmark: Google Benchmark, %s\n", shown_flags.c_str());
    std::printf("verified:  every contender's result checked once before timing\n\n");
    std::fflush(stdout);

    register_benchmarks();
    summary_reporter reporter(benchmark::ConsoleReporter::OO_Tabular);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    std::fflush(stdout);
    if (!reporter.empty())
        print_summary(reporter);
    return reporter.failed() ? 1 : 0;
}
