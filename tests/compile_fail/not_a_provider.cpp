// A registry entry that is not a provider is refused with a message, not a template backtrace.
// llmap-expect-first: llmap: a registry entry must be a provider
#include "../support/test_providers.hpp"

struct no_name_provider {
    static constexpr std::string_view default_model = "x";
    explicit no_name_provider(const llmap::provider_config&) {}
    test::chat_only_model model(std::string_view m) const { return {m}; }
};

#ifndef LLMAP_COMPILE_FAIL_CONTROL
using providers = llmap::registry<test::echo_provider, no_name_provider>;
#else
using providers = llmap::registry<test::echo_provider, llmap::as<"named", no_name_provider>>;
#endif

providers make() {
    return providers{};
}
