// A fallback chain has async_embed only if every member has: refused at compile time.
// llmap-expect-first: llmap: a member of this fallback chain has no async_embed(
// llmap-expect: the chain has it only if every member has
#include <llmap/fallback.hpp>
#include <llmap/providers/openai.hpp>

#include "../support/test_providers.hpp"

#include <exception>

using providers = llmap::registry<test::echo_provider, llmap::openai>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.fallback<"openai:text-embedding-3-small", "echo:a">(); // echo is blocking only
#else
    auto m = reg.fallback<"openai:text-embedding-3-small", "openai:text-embedding-3-large">();
#endif
    m.async_embed({.inputs = {"x"}}, [](std::exception_ptr, llmap::embedding_response) {});
}
