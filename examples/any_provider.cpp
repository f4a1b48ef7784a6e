//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Ask any built-in provider, named at run time:
//
//   any_provider [--no-stream] MODEL_ID PROMPT
//
// MODEL_ID is "provider:model" or "provider" (its default model), looked up in the registry
// of every built-in provider, each configured from its environment variables
// (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST, LLAMA_CPP_BASE_URL, ...). The answer's text goes
// to standard output as it arrives, and nothing else; errors go to standard error, with exit
// status 1.

#include <llmap/llmap.hpp>

#include <cstdio>
#include <string_view>

int main(int argc, char** argv) {
    bool stream = true;
    int arg = 1;
    if (arg < argc && std::string_view(argv[arg]) == "--no-stream") {
        stream = false;
        ++arg;
    }
    if (argc - arg != 2) {
        std::fprintf(stderr, "usage: any_provider [--no-stream] MODEL_ID PROMPT\n");
        return 2;
    }
    try {
        llmap::default_registry const reg{llmap::from_env};
        llmap::any_model model = reg.make(argv[arg]);
        llmap::request const req{.prompt = argv[arg + 1]};
        if (stream && model.supports(llmap::capability::streaming)) {
            model.stream(req, [](const llmap::stream_event& e) {
                if (auto const* d = std::get_if<llmap::text_delta>(&e.data)) {
                    std::fwrite(d->text.data(), 1, d->text.size(), stdout);
                    std::fflush(stdout);
                }
            });
        } else {
            auto const text = model.complete(req).text();
            std::fwrite(text.data(), 1, text.size(), stdout);
        }
        std::fputc('\n', stdout);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "any_provider: %s\n", e.what());
        return 1;
    }
}
