// An unknown provider on the static path is a compile error whose output names the requested
// provider and every known one (spelled as character packs: a static_assert message must be a
// literal in C++20).
// llmap-expect: llmap: unknown provider in model id
// llmap-expect: requested_provider<'a', 'n', 't', 'h', 'r', 'o', 'p', 'i', 'k'>
// llmap-expect: the_known_providers_are<'e', 'c', 'h', 'o', ',', ' ', 's', 'p', 'e', 'c', 'i', 'a',
// 'l'>
#include "../support/test_providers.hpp"

using providers = llmap::registry<test::echo_provider, test::special_provider>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"anthropik:claude">();
#else
    auto m = reg.model<"special:claude">();
#endif
    (void)m;
}
