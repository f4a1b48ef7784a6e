//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Compile-time measurement (scripts/compile-time.sh), the "umbrella" translation unit: what a
// program that uses every built-in provider compiles. It includes <llmap/llmap.hpp> and
// instantiates, for every provider of llmap::default_registry, what a user calls: the
// model's creation, complete() and stream(), through one reg.visit (the generic lambda is
// instantiated for every model type, and for llmap::any_model), plus the static path,
// reg.model<"...">(), for a few providers with their own model types.
//
// Compared with bare.cpp, a hand-written HTTPS JSON client on Beast + OpenSSL + Boost.JSON.

#include <llmap/llmap.hpp>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <string_view>
#include <variant>

namespace {

/// Prints the text deltas of a stream as they arrive. A lambda, not a function: passing a
/// function by name to a stream_handler (detail::function_ref) does not compile (yet).
constexpr auto print_delta = [](const llmap::stream_event& e) {
    if (auto const* d = std::get_if<llmap::text_delta>(&e.data))
        std::fwrite(d->text.data(), 1, d->text.size(), stdout);
};

} // namespace

int main(int argc, char** argv) {
    try {
        llmap::default_registry const reg{llmap::from_env};
        llmap::request const req{.system = "Be brief.", .prompt = "Hi"};
        std::int64_t tokens = 0;

        // The static path: concrete model types, with their own methods.
        auto claude = reg.model<"anthropic:claude-sonnet-4-5">();
        claude.thinking_budget(2048);
        tokens += claude.complete(req).usage.total();
        auto flash = reg.model<"gemini:gemini-2.5-flash">();
        tokens += flash.stream(req, print_delta).usage.total();
        auto gpt = reg.model<"openai:gpt-4.1-mini">();
        tokens += gpt.complete(req).usage.total();
        auto llama = reg.model<"ollama:llama3:8b">();
        tokens += llama.stream(req, print_delta).usage.total();

        // The runtime path, types kept: one visit, instantiated for every provider.
        std::string_view const id = argc > 1 ? argv[1] : "mistral:mistral-small-latest";
        tokens += reg.visit(id, [&](auto& model) {
            auto const streamed = model.stream(req, print_delta);
            return streamed.usage.total() + model.complete(req).usage.total();
        });

        std::printf("\n%lld tokens\n", static_cast<long long>(tokens));
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "umbrella: %s\n", e.what());
        return 1;
    }
}
