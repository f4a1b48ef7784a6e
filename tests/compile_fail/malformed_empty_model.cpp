// A literal id with an empty model part does not compile (the provider alone is the way to
// ask for its default model).
// llmap-expect-first: llmap: malformed model id: the model part (after the first ':') is empty
#include "../support/test_providers.hpp"

void f(const llmap::registry<test::echo_provider>& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"echo:">();
#else
    auto m = reg.model<"echo">();
#endif
    (void)m;
}
