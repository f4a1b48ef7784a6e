// A fallback chain of one model is refused at compile time.
// llmap-expect-first: llmap: a fallback chain needs at least two model ids
#include <llmap/fallback.hpp>

#include "../support/test_providers.hpp"

using providers = llmap::registry<test::echo_provider, test::chat_only_provider>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.fallback<"echo:a">();
#else
    auto m = reg.fallback<"echo:a", "chat-only">();
#endif
    (void)m;
}
