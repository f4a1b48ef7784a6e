// A streamed tool loop needs a model that streams: refused at compile time.
// llmap-expect-first: llmap::stream_tools: this model type has no stream(request, handler)
#include <llmap/tool_loop.hpp>

#include "../support/test_providers.hpp"

#include <string>

using providers = llmap::registry<test::chat_only_provider, test::echo_provider>;

std::string f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"chat-only:c1">();
#else
    auto m = reg.model<"echo:e1">();
#endif
    auto tools = llmap::toolset{
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
    };
    return llmap::stream_tools(m, {.prompt = "What time is it?"}, tools,
                               [](const llmap::run_event&) {})
        .text();
}
