//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DEFAULT_REGISTRY_HPP
#define LLMAP_DEFAULT_REGISTRY_HPP

/** @file
    The registry of every built-in provider.
*/

#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/azure.hpp>
#include <llmap/providers/cohere.hpp>
#include <llmap/providers/gemini.hpp>
#include <llmap/providers/ollama.hpp>
#include <llmap/providers/openai.hpp>
#include <llmap/providers/openai_compatible.hpp>
#include <llmap/registry.hpp>

namespace llmap {

/** Every built-in provider, each under its registry name: `openai`, `openai-chat`,
    `anthropic`, `gemini`, `ollama`, `cohere`, `mistral`, `azure`, `deepseek`, `groq`, `xai`,
    `openrouter`, `together`, `fireworks`, `perplexity`, `cerebras`, `deepinfra`,
    `llama-cpp`, `vllm`, `lm-studio` and `openai-compatible`.

    A registry only makes a provider's HTTP client when one of its models first calls, so
    the providers a program never uses cost nothing but their configuration. To hold fewer,
    or add one's own, list the providers in an `llmap::registry` of one's own.

    @par Example
    @code
    llmap::default_registry const reg{llmap::from_env};
    auto claude = reg.model<"anthropic:claude-sonnet-4-5">(); // llmap::anthropic::messages_model
    llmap::any_model m = reg.make(model_id_from_the_command_line);
    @endcode
*/
using default_registry =
    registry<openai, openai_chat, anthropic, gemini, ollama, cohere, mistral, azure, deepseek, groq,
             xai, openrouter, together, fireworks, perplexity, cerebras, deepinfra, llama_cpp, vllm,
             lm_studio, openai_compatible>;

} // namespace llmap

#endif
