// provider<"name">() with an unknown name is refused the same way.
// llmap-expect-first: llmap: unknown provider
// llmap-expect-gcc: requested_provider<llmap::fixed_string<3>{"eco"}>
// llmap-expect-clang: requested_provider<'e', 'c', 'o'>
#include "../support/test_providers.hpp"

using providers = llmap::registry<test::echo_provider, test::special_provider>;

void f(providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto& p = reg.provider<"eco">();
#else
    auto& p = reg.provider<"echo">();
#endif
    (void)p;
}
