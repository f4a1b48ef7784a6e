//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The wire formats of the wire fuzz target, as the first byte of its input selects them
// (its low four bits): shared by the target and the seed writer.

#ifndef LLMAP_TESTS_FUZZ_WIRE_FORMATS_HPP
#define LLMAP_TESTS_FUZZ_WIRE_FORMATS_HPP

#include <cstdint>
#include <string_view>

namespace llmap_fuzz {

enum wire_format : std::uint8_t {
    openai_chat = 0,
    openai_chat_stream = 1,
    openai_responses = 2,
    openai_responses_stream = 3,
    openai_embeddings = 4,
    anthropic_messages = 5,
    anthropic_messages_stream = 6,
    gemini_generate = 7,
    gemini_generate_stream = 8,
    gemini_embed = 9,
    ollama_chat = 10,
    ollama_chat_stream = 11,
    ollama_embed = 12,
    cohere_chat = 13,
    cohere_chat_stream = 14,
    cohere_embed = 15,
};

/// Bit 4 of the first byte: Anthropic's answer and stream as for a JSON-tool request.
inline constexpr std::uint8_t json_tool_bit = 0x10;

/// The format's name: the seeds' and dictionaries' file names.
constexpr std::string_view name(wire_format f) noexcept {
    constexpr std::string_view names[] = {"openai_chat",
                                          "openai_chat_stream",
                                          "openai_responses",
                                          "openai_responses_stream",
                                          "openai_embeddings",
                                          "anthropic_messages",
                                          "anthropic_messages_stream",
                                          "gemini_generate",
                                          "gemini_generate_stream",
                                          "gemini_embed",
                                          "ollama_chat",
                                          "ollama_chat_stream",
                                          "ollama_embed",
                                          "cohere_chat",
                                          "cohere_chat_stream",
                                          "cohere_embed"};
    return names[f & 0x0F];
}

/// True for the streamed bodies (SSE, or NDJSON for Ollama), false for JSON answers.
constexpr bool is_stream(wire_format f) noexcept {
    return f == openai_chat_stream || f == openai_responses_stream ||
           f == anthropic_messages_stream || f == gemini_generate_stream ||
           f == ollama_chat_stream || f == cohere_chat_stream;
}

} // namespace llmap_fuzz

#endif
