// A streamed typed answer needs a model that streams: refused at compile time.
// llmap-expect-first: llmap::stream_generate: this model type has no stream(request, handler)
#include <llmap/generate.hpp>

#include "../support/test_providers.hpp"

#include <boost/describe.hpp>

#include <string>

struct city {
    std::string name;
};
BOOST_DESCRIBE_STRUCT(city, (), (name))

using providers = llmap::registry<test::chat_only_provider, test::echo_provider>;

std::string f(const providers& reg) {
#ifndef LLMAP_COMPILE_FAIL_CONTROL
    auto m = reg.model<"chat-only:c1">();
#else
    auto m = reg.model<"echo:e1">();
#endif
    return llmap::stream_generate<city>(m, {.prompt = "A city?"}, [](const boost::json::value&) {})
        .value.name;
}
