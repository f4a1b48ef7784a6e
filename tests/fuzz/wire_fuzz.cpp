//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target of every wire format's answer parser and stream decoder
// (include/llmap/providers/*/*_wire.hpp), in one binary: one translation unit compiles much
// faster than ten. The first byte of the input picks the format (its low four bits, see
// wire_formats.hpp; bit 4 picks Anthropic's JSON-tool variant), the rest is what the server sent:
// a JSON answer, or a streamed body (SSE; NDJSON for Ollama) fed through the framing parser
// into the decoder and its events folded by stream_accumulator, as a streamed call does.
// The only exception any of them may throw is llmap::error; anything else, and any report of
// the sanitizers, is a finding.

#include "harness.hpp"
#include "wire_formats.hpp"

#include <llmap/http/ndjson.hpp>
#include <llmap/http/sse.hpp>
#include <llmap/providers/anthropic/messages_wire.hpp>
#include <llmap/providers/cohere/chat_wire.hpp>
#include <llmap/providers/cohere/embed_wire.hpp>
#include <llmap/providers/gemini/embed_wire.hpp>
#include <llmap/providers/gemini/generate_wire.hpp>
#include <llmap/providers/ollama/chat_wire.hpp>
#include <llmap/providers/ollama/embed_wire.hpp>
#include <llmap/providers/openai/chat_wire.hpp>
#include <llmap/providers/openai/embeddings_wire.hpp>
#include <llmap/providers/openai/responses_wire.hpp>

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace {

using namespace llmap_fuzz;

/// A JSON answer through `parse` (which takes the body as the transport gives it: parsed,
/// or nothing to do when it is not JSON, the transport's own error).
template <class Parse>
void answer(std::string_view body, const char* what, Parse&& parse) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    if (ec)
        return;
    llmap_fuzz::only_llmap_errors(what, [&] { (void)parse(std::move(v)); });
}

/** A streamed body through its framing and `Decoder`, as detail::stream_run does it: each
    message to `on_data` until the decoder is done, then, when the body did not end inside a
    message, `finish` if it is still not done; the events folded into a response.
    (stream_run itself lives beside the HTTP client, which this target does not compile.)
*/
template <class Decoder, class Framer>
void stream(std::string_view body, const char* what) {
    Decoder decoder;
    Framer framer;
    llmap::stream_accumulator acc;
    auto emit = [&](llmap::stream_event&& e) { acc.add(e); };
    llmap_fuzz::only_llmap_errors(what, [&] {
        auto on_message = [&](std::string_view data) {
            if (!decoder.done())
                decoder.on_data(data, emit);
        };
        bool partial = false;
        if constexpr (std::is_same_v<Framer, llmap::http::sse_parser>) {
            framer.feed(body, [&](llmap::http::sse_event& e) { on_message(e.data); });
            partial = framer.has_partial_event();
        } else {
            framer.feed(body, on_message);
            partial = framer.has_partial_line();
        }
        if (!partial && !decoder.done())
            decoder.finish(emit);
        (void)std::move(acc).finish();
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    std::uint8_t const selector = data[0];
    std::string_view const body(reinterpret_cast<const char*>(data) + 1, size - 1);
    bool const json_tool = (selector & json_tool_bit) != 0;
    using sse = llmap::http::sse_parser;
    using ndjson = llmap::http::ndjson_parser;
    namespace openai = llmap::openai_api::wire;
    namespace anthropic = llmap::anthropic_api::wire;
    namespace gemini = llmap::gemini_api::wire;
    namespace ollama = llmap::ollama_api::wire;
    namespace cohere = llmap::cohere_api::wire;

    switch (static_cast<wire_format>(selector & 0x0F)) {
    case openai_chat:
        answer(body, "openai parse_chat_response",
               [](auto v) { return openai::parse_chat_response(std::move(v)); });
        break;
    case openai_chat_stream:
        stream<openai::chat_stream_decoder, sse>(body, "openai chat_stream_decoder");
        break;
    case openai_responses:
        answer(body, "openai parse_responses_response",
               [](auto v) { return openai::parse_responses_response(std::move(v)); });
        break;
    case openai_responses_stream:
        stream<openai::responses_stream_decoder, sse>(body, "openai responses_stream_decoder");
        break;
    case openai_embeddings:
        answer(body, "openai parse_embeddings_response",
               [](auto v) { return openai::parse_embeddings_response(std::move(v)); });
        break;
    case anthropic_messages:
        answer(body, "anthropic parse_messages_response", [&](auto v) {
            return anthropic::parse_messages_response(std::move(v), "anthropic", json_tool);
        });
        break;
    case anthropic_messages_stream:
        if (json_tool)
            stream<anthropic::json_tool_stream_decoder, sse>(body,
                                                             "anthropic json_tool_stream_decoder");
        else
            stream<anthropic::messages_stream_decoder, sse>(body,
                                                            "anthropic messages_stream_decoder");
        break;
    case gemini_generate:
        answer(body, "gemini parse_generate_response",
               [](auto v) { return gemini::parse_generate_response(std::move(v)); });
        break;
    case gemini_generate_stream:
        stream<gemini::generate_stream_decoder, sse>(body, "gemini generate_stream_decoder");
        break;
    case gemini_embed:
        answer(body, "gemini parse_embed_response",
               [](auto v) { return gemini::parse_embed_response(std::move(v)); });
        break;
    case ollama_chat:
        answer(body, "ollama parse_chat_response",
               [](auto v) { return ollama::parse_chat_response(std::move(v)); });
        break;
    case ollama_chat_stream:
        stream<ollama::chat_stream_decoder, ndjson>(body, "ollama chat_stream_decoder");
        break;
    case ollama_embed:
        answer(body, "ollama parse_embed_response",
               [](auto v) { return ollama::parse_embed_response(std::move(v)); });
        break;
    case cohere_chat:
        answer(body, "cohere parse_chat_response",
               [](auto v) { return cohere::parse_chat_response(std::move(v)); });
        break;
    case cohere_chat_stream:
        stream<cohere::chat_stream_decoder, sse>(body, "cohere chat_stream_decoder");
        break;
    case cohere_embed:
        answer(body, "cohere parse_embed_response",
               [](auto v) { return cohere::parse_embed_response(std::move(v)); });
        break;
    }
    return 0;
}
