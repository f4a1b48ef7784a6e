// A tool loop needs a model that can chat: refused at compile time.
// llmap-expect-first: llmap::run_tools: this model type has no complete(request)
#include <llmap/tool_loop.hpp>

#include "../support/test_providers.hpp"

#include <string>

using providers = llmap::registry<test::chat_only_provider, test::embed_only_provider>;

std::string f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"embed-only:e1">();
#else
    auto m = reg.model<"chat-only:c1">();
#endif
    auto tools = llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
    };
    return llmap::run_tools(m, {.prompt = "What time is it?"}, tools).text();
}
