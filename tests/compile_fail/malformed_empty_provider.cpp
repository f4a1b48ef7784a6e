// A literal id with an empty provider part does not compile.
// llmap-expect-first: llmap: malformed model id: the provider part (before the first ':') is empty
#include "../support/test_providers.hpp"

void f(const llmap::registry<test::echo_provider>& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<":m">();
#else
    auto m = reg.model<"echo:m">();
#endif
    (void)m;
}
