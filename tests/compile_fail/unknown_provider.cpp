// An unknown provider on the static path is a compile error that says so first, then names the
// requested provider and every known one (a static_assert message must be a literal in C++20,
// so the names are in the second error's condition: strings under GCC, character packs under
// Clang 14, which prints a fixed_string template argument as numbers).
// llmap-expect-first: llmap: unknown provider
// llmap-expect: llmap: unknown provider: the requested name and the registry's names
// llmap-expect-gcc: requested_provider<llmap::fixed_string<9>{"anthropik"}>
// llmap-expect-gcc: known_providers<llmap::fixed_string<13>{"echo, special"}>
// llmap-expect-clang: requested_provider<'a', 'n', 't', 'h', 'r', 'o', 'p', 'i', 'k'>
// llmap-expect-clang: known_providers<'e', 'c', 'h', 'o', ',', ' ', 's', 'p', 'e', 'c', 'i'
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
