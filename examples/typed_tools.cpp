//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Typed tools in a streamed tool loop: llmap derives each tool's schema from its C++ signature,
// parses the model's calls into the argument struct, runs the tools and sends their results
// back until the model answers.
//
//   typed_tools [MODEL_ID [PROMPT]]      default: openai-chat:gpt-4.1-mini
//
// The answer's text goes to standard output as it arrives, each tool call on a line of its own
// as it runs; errors go to standard error, with exit status 1.

#include <llmap/llmap.hpp>
#include <llmap/tool_loop.hpp>

#include <cstdio>
#include <ctime>
#include <string>

struct add_args {
    long long x;
    long long y;
};
BOOST_DESCRIBE_STRUCT(add_args, (), (x, y))

int main(int argc, char** argv) try {
    llmap::default_registry const reg{llmap::from_env};
    llmap::any_model model = reg.make(argc > 1 ? argv[1] : "openai-chat:gpt-4.1-mini");
    auto tools = llmap::toolset{
        llmap::make_tool<"add">("Add x and y together.",
                                [](const add_args& a) { return a.x + a.y; }),
        llmap::make_tool<"utc_time">("The current UTC time, in ISO 8601.",
                                     [] {
                                         std::time_t const now = std::time(nullptr);
                                         char text[32];
                                         std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ",
                                                       std::gmtime(&now));
                                         return std::string(text);
                                     }),
    };
    llmap::request const req{.prompt = argc > 2 ? argv[2] : "What is 2 + 3? Use the tool."};
    llmap::stream_tools(model, req, tools, [](const llmap::run_event& e) {
        if (auto const* m = std::get_if<llmap::model_event>(&e)) {
            if (auto const* d = std::get_if<llmap::text_delta>(&m->event.data)) {
                std::fwrite(d->text.data(), 1, d->text.size(), stdout);
                std::fflush(stdout);
            }
        } else if (auto const* t = std::get_if<llmap::tool_executed>(&e)) {
            std::printf("[%s %s -> %s]\n", t->execution.call.name.c_str(),
                        boost::json::serialize(t->execution.call.arguments).c_str(),
                        boost::json::serialize(t->execution.result.result).c_str());
        }
    });
    std::fputc('\n', stdout);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "typed_tools: %s\n", e.what());
    return 1;
}
