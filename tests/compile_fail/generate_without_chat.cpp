// A typed answer needs a model that can chat: refused at compile time.
// llmap-expect-first: llmap::generate: this model type has no complete(request)
#include <llmap/generate.hpp>

#include "../support/test_providers.hpp"

struct answer {
    int n;
};
BOOST_DESCRIBE_STRUCT(answer, (), (n))

using providers = llmap::registry<test::chat_only_provider, test::embed_only_provider>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"embed-only:e1">();
#else
    auto m = reg.model<"chat-only:c1">();
#endif
    auto g = llmap::generate<answer>(m, {.prompt = "hi"});
    (void)g;
}
