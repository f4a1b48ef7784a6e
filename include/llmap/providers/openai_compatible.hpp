//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OPENAI_COMPATIBLE_HPP
#define LLMAP_PROVIDERS_OPENAI_COMPATIBLE_HPP

/** @file
    The OpenAI-compatible family: one Chat Completions implementation, and per vendor only
    what differs (endpoint, key, dialect) as a traits type.
*/

#include <llmap/providers/azure.hpp>
#include <llmap/providers/openai.hpp>

namespace llmap {

/** A provider of the OpenAI-compatible family, described by `Traits`:

    @code
    struct my_vendor {
        static constexpr llmap::fixed_string name = "my-vendor";
        static constexpr std::string_view default_model = "m-1";
        static constexpr std::string_view base_url = "https://api.example.com/v1";
        static constexpr bool key_required = true;   // false for local servers
        static constexpr bool embeddings = false;    // serves /embeddings
        static constexpr llmap::openai_api::chat_dialect dialect{.name = "my-vendor"};
    };
    using my_provider = llmap::compatible_provider<my_vendor>;
    @endcode

    Configured by `<NAME>_API_KEY` and `<NAME>_BASE_URL` (see `llmap::from_env`); the key is
    sent as a bearer token.
*/
template <class Traits>
class compatible_provider {
public:
    using chat_model = openai_api::basic_chat_model<Traits::embeddings>;

    static constexpr fixed_string name = Traits::name;
    static constexpr std::string_view default_model = Traits::default_model;

    explicit compatible_provider(const provider_config& c)
        : endpoint_(std::make_shared<const detail::endpoint>(
              detail::endpoint_options{
                  .provider = std::string(name.view()),
                  .base_url = c.base_url.empty() ? std::string(Traits::base_url) : c.base_url,
                  .auth = openai_api::detail::bearer(c.api_key),
                  .key = c.api_key,
                  .key_required = Traits::key_required},
              c)) {}

    chat_model model(std::string_view id) const {
        return {endpoint_, &Traits::dialect, std::string(id)};
    }

private:
    std::shared_ptr<const detail::endpoint> endpoint_;
};

namespace vendors {

struct deepseek {
    static constexpr fixed_string name = "deepseek";
    static constexpr std::string_view default_model = "deepseek-chat";
    static constexpr std::string_view base_url = "https://api.deepseek.com";
    static constexpr bool key_required = true, embeddings = false;
    // Reasoning comes back as reasoning_content; effort is not a parameter.
    static constexpr openai_api::chat_dialect dialect{.name = "deepseek",
                                                      .reasoning_effort = false};
};

struct groq {
    static constexpr fixed_string name = "groq";
    static constexpr std::string_view default_model = "llama-3.3-70b-versatile";
    static constexpr std::string_view base_url = "https://api.groq.com/openai/v1";
    static constexpr bool key_required = true, embeddings = false;
    static constexpr openai_api::chat_dialect dialect{.name = "groq"};
};

struct xai {
    static constexpr fixed_string name = "xai";
    static constexpr std::string_view default_model = "grok-3-mini";
    static constexpr std::string_view base_url = "https://api.x.ai/v1";
    static constexpr bool key_required = true, embeddings = false;
    static constexpr openai_api::chat_dialect dialect{.name = "xai"};
};

struct openrouter {
    static constexpr fixed_string name = "openrouter";
    static constexpr std::string_view default_model = "openai/gpt-4.1-mini";
    static constexpr std::string_view base_url = "https://openrouter.ai/api/v1";
    static constexpr bool key_required = true, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "openrouter", .top_k = true};
};

struct together {
    static constexpr fixed_string name = "together";
    static constexpr std::string_view default_model = "meta-llama/Llama-3.3-70B-Instruct-Turbo";
    static constexpr std::string_view base_url = "https://api.together.xyz/v1";
    static constexpr bool key_required = true, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "together", .top_k = true};
};

struct fireworks {
    static constexpr fixed_string name = "fireworks";
    static constexpr std::string_view default_model =
        "accounts/fireworks/models/llama-v3p1-8b-instruct";
    static constexpr std::string_view base_url = "https://api.fireworks.ai/inference/v1";
    static constexpr bool key_required = true, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "fireworks", .top_k = true};
};

struct perplexity {
    static constexpr fixed_string name = "perplexity";
    static constexpr std::string_view default_model = "sonar";
    static constexpr std::string_view base_url = "https://api.perplexity.ai";
    static constexpr bool key_required = true, embeddings = false;
    static constexpr openai_api::chat_dialect dialect{.name = "perplexity",
                                                      .top_k = true,
                                                      .seed_field = "",
                                                      .reasoning_effort = false,
                                                      .reasoning = false};
};

struct cerebras {
    static constexpr fixed_string name = "cerebras";
    static constexpr std::string_view default_model = "llama3.1-8b";
    static constexpr std::string_view base_url = "https://api.cerebras.ai/v1";
    static constexpr bool key_required = true, embeddings = false;
    static constexpr openai_api::chat_dialect dialect{.name = "cerebras"};
};

struct deepinfra {
    static constexpr fixed_string name = "deepinfra";
    static constexpr std::string_view default_model = "meta-llama/Meta-Llama-3.1-8B-Instruct";
    static constexpr std::string_view base_url = "https://api.deepinfra.com/v1/openai";
    static constexpr bool key_required = true, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "deepinfra", .top_k = true};
};

/// Mistral's La Plateforme: Chat Completions with its own names for the seed and the
/// embedding size, no `stream_options` (usage comes in the last chunk anyway), no `top_k`.
struct mistral {
    static constexpr fixed_string name = "mistral";
    static constexpr std::string_view default_model = "mistral-small-latest";
    static constexpr std::string_view base_url = "https://api.mistral.ai/v1";
    static constexpr bool key_required = true, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "mistral",
                                                      .stream_usage = false,
                                                      .seed_field = "random_seed",
                                                      .dimensions_field = "output_dimension"};
};

// Local servers: no key, and the model name is whatever the server loaded.

struct llama_cpp {
    static constexpr fixed_string name = "llama-cpp";
    static constexpr std::string_view default_model = "default";
    static constexpr std::string_view base_url = "http://localhost:8080/v1";
    static constexpr bool key_required = false, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "llama-cpp", .top_k = true};
};

struct vllm {
    static constexpr fixed_string name = "vllm";
    static constexpr std::string_view default_model = "default";
    static constexpr std::string_view base_url = "http://localhost:8000/v1";
    static constexpr bool key_required = false, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "vllm", .top_k = true};
};

struct lm_studio {
    static constexpr fixed_string name = "lm-studio";
    static constexpr std::string_view default_model = "default";
    static constexpr std::string_view base_url = "http://localhost:1234/v1";
    static constexpr bool key_required = false, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "lm-studio", .top_k = true};
};

/// Any OpenAI-compatible server: give it a base URL (`OPENAI_COMPATIBLE_BASE_URL` or
/// `provider_config::base_url`); a key is sent when configured.
struct generic {
    static constexpr fixed_string name = "openai-compatible";
    static constexpr std::string_view default_model = "default";
    static constexpr std::string_view base_url = "http://localhost:8000/v1";
    static constexpr bool key_required = false, embeddings = true;
    static constexpr openai_api::chat_dialect dialect{.name = "openai-compatible"};
};

} // namespace vendors

using deepseek = compatible_provider<vendors::deepseek>;
using groq = compatible_provider<vendors::groq>;
using xai = compatible_provider<vendors::xai>;
using openrouter = compatible_provider<vendors::openrouter>;
using together = compatible_provider<vendors::together>;
using fireworks = compatible_provider<vendors::fireworks>;
using perplexity = compatible_provider<vendors::perplexity>;
using cerebras = compatible_provider<vendors::cerebras>;
using mistral = compatible_provider<vendors::mistral>;
using deepinfra = compatible_provider<vendors::deepinfra>;
using llama_cpp = compatible_provider<vendors::llama_cpp>;
using vllm = compatible_provider<vendors::vllm>;
using lm_studio = compatible_provider<vendors::lm_studio>;
using openai_compatible = compatible_provider<vendors::generic>;

} // namespace llmap

#endif
