// A toolset's tools run (and may keep state): a tool loop refuses a const one.
// llmap-expect-first: llmap::run_tools: the toolset must not be const
#include <llmap/tool_loop.hpp>

#include "../support/test_providers.hpp"

#include <string>

using providers = llmap::registry<test::chat_only_provider>;

std::string f(const providers& reg) {
    auto m = reg.model<"chat-only:c1">();
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto const tools = llmap::toolset {
#else
    auto tools = llmap::toolset{
#endif
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return std::string("12:00"); }),
    };
    return llmap::run_tools(m, {.prompt = "What time is it?"}, tools).text();
}
