// A consumer that vendors llmap's source tree and links its compiled form (llmap::compiled):
// its own provider through the erased path, and a built-in provider through the transport,
// which this program does not compile itself (LLMAP_SEPARATE_COMPILATION comes with the
// target), so it links only if the compiled library brings it.
#include <llmap/llmap.hpp>

#include <boost/json/parse.hpp>

#include <cstdio>
#include <string>

#ifndef LLMAP_SEPARATE_COMPILATION
#error "llmap::compiled must define LLMAP_SEPARATE_COMPILATION for its users"
#endif

struct local_model {
    std::string name;
    llmap::response complete(const llmap::request&) {
        llmap::response r;
        r.content.emplace_back(llmap::text_part{name});
        r.raw = boost::json::parse(R"({"ok":true})");
        return r;
    }
};

struct local_provider {
    static constexpr llmap::fixed_string name = "local";
    static constexpr std::string_view default_model = "m1";
    explicit local_provider(const llmap::provider_config&) {}
    local_model model(std::string_view id) const { return {std::string(id)}; }
};

int main() {
    llmap::registry<local_provider, llmap::openai> reg{
        {"openai",
         llmap::provider_config{}.with_api_key("k").with_base_url("http://127.0.0.1:1/v1")}};
    llmap::any_model m = reg.make("local:m2");
    auto const r = m.complete({.prompt = "hi"});
    if (r.text() != "m2" || !r.raw.as_object().at("ok").as_bool()) {
        std::puts("llmap consumer: wrong result");
        return 1;
    }
    // Port 1 on loopback: nothing listens, so the transport reports a refused connection.
    try {
        (void)reg.model<"openai:gpt-4o">().complete({.prompt = "hi"});
        std::puts("llmap consumer: a call to a closed port succeeded");
        return 1;
    } catch (const llmap::error& e) {
        if (e.code() != llmap::errc::connection_failed) {
            std::printf("llmap consumer: unexpected error: %s\n", e.what());
            return 1;
        }
    }
    std::puts("llmap consumer: ok");
    return 0;
}
