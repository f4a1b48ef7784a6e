// A literal id whose provider part has a character no provider name may have does not compile.
// llmap-expect-first: llmap: malformed model id: a provider name may only contain
#include "../support/test_providers.hpp"

void f(const llmap::registry<test::echo_provider>& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"ec ho:x">();
#else
    auto m = reg.model<"echo:x y">();
#endif
    (void)m;
}
