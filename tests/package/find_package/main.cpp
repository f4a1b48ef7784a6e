#include <llmap/llmap.hpp>

#include <cstdio>

int main() {
    const auto id = llmap::parse_model_id("openai:gpt-4o");
    if (id.provider != "openai" || id.model != "gpt-4o") {
        std::puts("llmap consumer: parse_model_id(\"openai:gpt-4o\") gave a wrong result");
        return 1;
    }
    std::puts("llmap consumer: ok");
    return 0;
}
