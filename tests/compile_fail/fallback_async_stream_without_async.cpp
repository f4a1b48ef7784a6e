// A fallback chain has async_stream only if every member has: refused at compile time.
// llmap-expect-first: llmap: a member of this fallback chain has no async_stream(request,
// llmap-expect: the chain has it only if every member has
#include <llmap/fallback.hpp>
#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/openai.hpp>

#include "../support/test_providers.hpp"

#include <exception>

using providers = llmap::registry<test::echo_provider, llmap::anthropic, llmap::openai_chat>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "echo:a">(); // echo is blocking only
#else
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai-chat:gpt-4o">();
#endif
    m.async_stream(
        {.prompt = "hi"}, [](const llmap::stream_event&) {},
        [](std::exception_ptr, llmap::response) {});
}
