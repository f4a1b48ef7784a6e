// An empty literal id does not compile.
// llmap-expect-first: llmap: malformed model id: the id is empty
#include "../support/test_providers.hpp"

void f(const llmap::registry<test::echo_provider>& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"">();
#else
    auto m = reg.model<"echo:x">();
#endif
    (void)m;
}
