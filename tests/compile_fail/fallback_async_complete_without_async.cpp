// A fallback chain has async_complete only if every member has: refused at compile time.
// llmap-expect-first: llmap: a member of this fallback chain has no async_complete(request, token)
#include <llmap/fallback.hpp>
#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/openai.hpp>

#include "../support/test_providers.hpp"

#include <exception>

using providers = llmap::registry<test::echo_provider, llmap::anthropic, llmap::openai_chat>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.fallback<"echo:a", "anthropic:claude-sonnet-4-5">(); // echo is blocking only
#else
    auto m = reg.fallback<"openai-chat:gpt-4o", "anthropic:claude-sonnet-4-5">();
#endif
    m.async_complete({.prompt = "hi"}, [](std::exception_ptr, llmap::response) {});
}
