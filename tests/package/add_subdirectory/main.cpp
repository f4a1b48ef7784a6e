// A consumer of the installed (or added) llmap: registers a provider of its own and calls it
// through the erased path, which links Boost.JSON (the response carries its raw JSON).
#include <llmap/llmap.hpp>

#include <boost/json/parse.hpp>

#include <cstdio>
#include <string>

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
    llmap::registry<local_provider> reg;
    llmap::any_model m = reg.make("local:m2");
    auto const r = m.complete({.prompt = "hi"});
    if (r.text() != "m2" || !r.raw.as_object().at("ok").as_bool()) {
        std::puts("llmap consumer: wrong result");
        return 1;
    }
    std::puts("llmap consumer: ok");
    return 0;
}
