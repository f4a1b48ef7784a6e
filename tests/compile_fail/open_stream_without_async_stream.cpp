// A pull stream needs a model that can stream asynchronously: refused at compile time.
// llmap-expect-first: llmap::open_stream: this model type has no async_stream
#include <llmap/any_model.hpp>
#include <llmap/stream_reader.hpp>

#include "../support/test_providers.hpp"

using providers = llmap::registry<test::chat_only_provider>;

void f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"chat-only:c1">();
#else
    llmap::any_model m = reg.model<"chat-only:c1">();
#endif
    auto s = llmap::open_stream(m, {.prompt = "hi"});
    (void)s;
}
