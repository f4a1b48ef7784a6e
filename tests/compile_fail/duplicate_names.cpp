// Two providers with one name in a registry do not compile; the error names the name.
// llmap-expect-first: llmap: two providers in one registry have the same name
// llmap-expect-gcc: provider_name<llmap::fixed_string<4>{"echo"}>::is_unique
// llmap-expect-clang: provider_name<'e', 'c', 'h', 'o'>::is_unique
#include "../support/test_providers.hpp"

#ifndef LLMAP_COMPILE_FAIL_CONTROL
using providers = llmap::registry<test::echo_provider, test::special_provider,
                                  llmap::as<"echo", test::chat_only_provider>>;
#else
using providers = llmap::registry<test::echo_provider, test::special_provider,
                                  llmap::as<"echo-2", test::chat_only_provider>>;
#endif

providers make() {
    return providers{};
}
