// A fallback chain can embed only if every member can: refused at compile time, at the call.
// llmap-expect-first: llmap: a member of this fallback chain has no embed(embedding_request)
#include <llmap/fallback.hpp>

#include "../support/test_providers.hpp"

#include <cstddef>

using providers = llmap::registry<test::echo_provider, test::chat_only_provider>;

std::size_t f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.fallback<"echo:a", "chat-only:c1">();
#else
    auto m = reg.fallback<"echo:a", "echo:b">();
#endif
    // The answer is used: the refusal must still be the first error.
    auto r = m.embed({.inputs = {"x"}});
    return r.vectors.size();
}
