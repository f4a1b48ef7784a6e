// Embedding with a model type that cannot embed is refused on the static path.
// llmap-expect-first: llmap: this model type has no embeddings capability
#include "../support/test_providers.hpp"

using providers = llmap::registry<test::chat_only_provider, test::embed_only_provider>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"chat-only:c1">();
#else
    auto m = reg.model<"embed-only:e1">();
#endif
    (void)llmap::embed(m, llmap::embedding_request{.inputs = {"x"}});
}
