// A fallback chain can chat only if every member can: refused at compile time, at the call.
// llmap-expect-first: llmap: a member of this fallback chain has no complete(request)
#include <llmap/fallback.hpp>

#include "../support/test_providers.hpp"

#include <string>

using providers = llmap::registry<test::echo_provider, test::embed_only_provider>;

std::string f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.fallback<"echo:a", "embed-only:e1">();
#else
    auto m = reg.fallback<"echo:a", "echo:b">();
#endif
    // The answer is used: the refusal must still be the first error.
    auto r = m.complete({.prompt = "hi"});
    return r.text();
}
