//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Stream an answer token by token, on the static path (the model type is known at compile
// time: llmap::openai::responses_model).
//
//   streaming_chat PROMPT          needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local server)
//
// The text goes to standard output as it arrives; the finish reason and the token usage to
// standard error.

#include <llmap/llmap.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: streaming_chat PROMPT\n");
        return 2;
    }
    try {
        llmap::registry<llmap::openai> const reg{llmap::from_env};
        auto model = reg.model<"openai:gpt-4.1-mini">();
        llmap::response const r =
            model.stream({.prompt = argv[1]}, [](const llmap::stream_event& e) {
                if (auto const* d = std::get_if<llmap::text_delta>(&e.data)) {
                    std::fwrite(d->text.data(), 1, d->text.size(), stdout);
                    std::fflush(stdout);
                }
            });
        std::printf("\n");
        std::fprintf(stderr, "finish: %s, tokens: %lld in, %lld out\n",
                     std::string(llmap::to_string(r.finish)).c_str(),
                     static_cast<long long>(r.usage.input_tokens.value_or(0)),
                     static_cast<long long>(r.usage.output_tokens.value_or(0)));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "streaming_chat: %s\n", e.what());
        return 1;
    }
}
