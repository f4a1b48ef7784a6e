// Two providers with one name in a registry do not compile; the error names the name.
// llmap-expect: llmap: two providers in one registry have the same name
// llmap-expect: duplicated_name<'e', 'c', 'h', 'o'>
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
