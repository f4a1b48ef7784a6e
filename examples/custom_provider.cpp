//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Register a provider of your own and reach its models the three ways: a literal id
// (static, the concrete type), a runtime id with the types kept (visit), and a runtime id
// erased (any_model).
//
//   custom_provider [MODEL_ID]      default MODEL_ID: "shout:loud"

#include <llmap/llmap.hpp>

#include <cctype>
#include <cstdio>
#include <string>

// A model that answers locally: it upper-cases the last user message.
struct shout_model {
    std::string name;
    int volume = 1;

    shout_model& set_volume(int v) { // a method only this model type has
        volume = v;
        return *this;
    }

    llmap::response complete(const llmap::request& req) {
        auto const messages = req.all_messages();
        std::string text = messages.empty() ? "" : messages.back().text();
        for (char& c : text)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        text += std::string(static_cast<std::size_t>(volume), '!');
        llmap::response r;
        r.model = name;
        r.content.emplace_back(llmap::text_part{text});
        r.finish = llmap::finish_reason::stop;
        return r;
    }
};

struct shout_provider {
    static constexpr llmap::fixed_string name = "shout";
    static constexpr std::string_view default_model = "normal";
    explicit shout_provider(const llmap::provider_config&) {}
    shout_model model(std::string_view id) const { return {std::string(id)}; }
};

using providers = llmap::registry<shout_provider, llmap::as<"yell", shout_provider>>;

int main(int argc, char** argv) {
    providers reg{llmap::from_env};
    llmap::request const req{.system = "Be loud.", .prompt = "hello"};

    // 1. static: the concrete type, with its own methods.
    auto m = reg.model<"shout:loud">();
    m.set_volume(3);
    std::printf("static:  %s\n", m.complete(req).text().c_str());

    std::string_view const id = argc > 1 ? argv[1] : "shout:loud";
    try {
        // 2. runtime id, types kept: the lambda is instantiated per model type.
        reg.visit(id, [&](auto& model) {
            if constexpr (requires { model.set_volume(2); })
                model.set_volume(2);
            std::printf("visit:   %s\n", model.complete(req).text().c_str());
        });
        // 3. runtime id, erased.
        llmap::any_model erased = reg.make(id);
        std::printf("erased:  %s\n", erased.complete(req).text().c_str());
    } catch (const llmap::error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
