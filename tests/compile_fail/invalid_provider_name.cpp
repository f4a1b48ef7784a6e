// A registry name outside [A-Za-z0-9._-] is refused, and the error names it.
// llmap-expect-first: llmap: a provider name must be non-empty and use only ASCII letters
// llmap-expect-gcc: provider_name<llmap::fixed_string<8>{"bad name"}>::is_valid
// llmap-expect-clang: provider_name<'b', 'a', 'd', ' ', 'n', 'a', 'm', 'e'>::is_valid
#include "../support/test_providers.hpp"

#ifndef LLMAP_COMPILE_FAIL_CONTROL
using providers = llmap::registry<test::echo_provider, llmap::as<"bad name", test::echo_provider>>;
#else
using providers = llmap::registry<test::echo_provider, llmap::as<"good-name", test::echo_provider>>;
#endif

providers make() {
    return providers{};
}
