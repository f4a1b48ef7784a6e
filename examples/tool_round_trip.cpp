//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// A tool round trip: the model asks for a tool, we run it, and send its result back.
//
//   tool_round_trip [MODEL_ID]      default: openai-chat:gpt-4o
//
// Any provider of the OpenAI family that supports tools works (OPENAI_API_KEY, ...). The
// final answer goes to standard output; the tool calls are reported on standard error.

#include <llmap/llmap.hpp>

#include <cstdio>
#include <string>

namespace {

// The tool: a stand-in for a real weather service.
std::string weather(const std::string& city) {
    return "The weather in " + city + " is all fire and brimstone";
}

llmap::tool weather_tool() {
    return {"weather", "Get the current weather for a city.",
            boost::json::parse(R"({"type":"object","properties":{"city":{"type":"string"}},
                                   "required":["city"]})")
                .as_object()};
}

} // namespace

int main(int argc, char** argv) {
    try {
        llmap::default_registry const reg{llmap::from_env};
        llmap::any_model model = reg.make(argc > 1 ? argv[1] : "openai-chat:gpt-4o");

        llmap::request req{.system = "When asked about weather, use the weather tool.",
                           .tools = {weather_tool()}};
        req.messages.push_back(llmap::message::user("Hello, whats the weather in London?"));

        llmap::response r = model.complete(req);
        for (int turn = 0; turn != 4 && !r.tool_calls().empty(); ++turn) {
            // The assistant's turn (its tool calls) and our results go back into the history.
            req.messages.push_back({llmap::role::assistant, r.content});
            llmap::message results{llmap::role::tool, {}};
            for (auto const& call : r.tool_calls()) {
                std::string result = "unknown tool";
                if (call.name == "weather" && call.arguments.is_object())
                    if (auto const* city = call.arguments.as_object().if_contains("city");
                        city && city->is_string())
                        result = weather(std::string(city->as_string()));
                std::fprintf(stderr, "tool %s(%s) -> %s\n", call.name.c_str(),
                             boost::json::serialize(call.arguments).c_str(), result.c_str());
                results.content.emplace_back(
                    llmap::tool_result_part{call.id, call.name, boost::json::string(result)});
            }
            req.messages.push_back(std::move(results));
            r = model.complete(req);
        }
        std::printf("%s\n", r.text().c_str());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tool_round_trip: %s\n", e.what());
        return 1;
    }
}
