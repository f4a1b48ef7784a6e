//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Writes the seed corpora of the fuzz targets from the recorded traffic in ../shared/fixtures,
// read in place through the tests' own fixture readers, so that no copy of the recordings is
// kept in the repository:
//
//   llmap_fuzz_seeds OUT_DIR [MAX_PER_FORMAT]
//
// writes OUT_DIR/sse, OUT_DIR/ndjson and OUT_DIR/wire (emptied first). Each wire format gets
// at most MAX_PER_FORMAT bodies (default 30; 0 for all), picked evenly from the sorted list of
// recordings, and bodies over 32 KiB are left out: a short run must get through its seeds
// quickly. Prints how many seeds each format got.

#include "../support/fixtures.hpp"
#include "harness.hpp"
#include "wire_formats.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace fx = test::fixtures;

using namespace llmap_fuzz;
using format = wire_format;

constexpr std::size_t max_body = 32 * 1024;

// The wire format of a recorded exchange, from its path; none for the endpoints llmap does
// not call (models, files, images, audio, caches, ...).
std::optional<format> classify(const fx::exchange& e) {
    bool stream = false;
    for (auto const& [name, value] : e.response_headers)
        if ((name == "content-type" || name == "Content-Type") &&
            (value.find("event-stream") != std::string::npos ||
             value.find("ndjson") != std::string::npos))
            stream = true;
    std::string_view const p = e.path;
    auto pick = [&](format answer, format streamed) { return stream ? streamed : answer; };
    if (p.ends_with("/chat/completions"))
        return pick(openai_chat, openai_chat_stream);
    if (p.ends_with("/responses"))
        return pick(openai_responses, openai_responses_stream);
    if (p.ends_with("/embeddings"))
        return openai_embeddings;
    if (p.ends_with("/v1/messages"))
        return pick(anthropic_messages, anthropic_messages_stream);
    if (p.ends_with(":generateContent") || p.ends_with(":streamGenerateContent"))
        return pick(gemini_generate, gemini_generate_stream);
    if (p.ends_with(":embedContent") || p.ends_with(":batchEmbedContents"))
        return gemini_embed;
    if (p.ends_with("/api/chat"))
        return pick(ollama_chat, ollama_chat_stream);
    if (p.ends_with("/api/embed"))
        return ollama_embed;
    if (p.ends_with("/v2/chat"))
        return pick(cohere_chat, cohere_chat_stream);
    if (p.ends_with("/v2/embed") || p.ends_with("/v1/embed"))
        return cohere_embed;
    return std::nullopt;
}

// The SSE body of AI SDK chunk lines, with `event: TYPE` lines for the providers that send
// them (Anthropic, Cohere) and the `[DONE]` of the OpenAI-style ones (fixtures/README.md).
std::string sse_of(const std::vector<std::string>& lines, format f) {
    if (f == openai_chat_stream || f == openai_responses_stream)
        return fx::openai_sse(lines);
    std::string out;
    for (auto const& l : lines) {
        if (f == anthropic_messages_stream || f == cohere_chat_stream) {
            boost::system::error_code ec;
            auto const v = boost::json::parse(l, ec);
            if (!ec && v.is_object())
                if (auto const* t = v.get_object().if_contains("type"); t && t->is_string())
                    out += "event: " + std::string(t->get_string()) + "\n";
        }
        out += "data: " + l + "\n\n";
    }
    return out;
}

// An answer with its long arrays of numbers (embeddings, mostly) cut to their first 8: the
// same shape in far fewer bytes. A body that is not JSON is kept as it is.
std::string shrink_numbers(std::string body) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    if (ec)
        return body;
    auto shrink = [](auto& self, boost::json::value& x) -> void {
        if (auto* a = x.if_array()) {
            if (a->size() > 8 &&
                std::all_of(a->begin(), a->end(), [](auto const& e) { return e.is_number(); }))
                a->resize(8);
            for (auto& e : *a)
                self(self, e);
        } else if (auto* o = x.if_object()) {
            for (auto& kv : *o)
                self(self, kv.value());
        }
    };
    shrink(shrink, v);
    return boost::json::serialize(v);
}

// The AI SDK folders (top level only) and the format of their answers and chunk files.
struct aisdk_dir {
    const char* dir;
    format answer;
    format streamed;
};
constexpr aisdk_dir aisdk_dirs[] = {
    {"openai/chat", openai_chat, openai_chat_stream},
    {"deepseek/chat", openai_chat, openai_chat_stream},
    {"groq", openai_chat, openai_chat_stream},
    {"mistral", openai_chat, openai_chat_stream},
    {"openai-compatible/chat", openai_chat, openai_chat_stream},
    {"xai", openai_chat, openai_chat_stream},
    {"openai/responses", openai_responses, openai_responses_stream},
    {"xai/responses", openai_responses, openai_responses_stream},
    {"openai/embedding", openai_embeddings, openai_embeddings},
    {"anthropic", anthropic_messages, anthropic_messages_stream},
    {"google", gemini_generate, gemini_generate_stream},
    {"cohere", cohere_chat, cohere_chat_stream},
};

// At most `max` of `list` (all for 0), spread evenly through it so that every source folder
// is represented.
std::vector<const std::string*> pick_evenly(const std::vector<std::string>& list, std::size_t max) {
    std::size_t const take = max == 0 ? list.size() : std::min(list.size(), max);
    std::vector<const std::string*> out;
    for (std::size_t i = 0; i != take; ++i)
        out.push_back(&list[i * list.size() / take]);
    return out;
}

void write(const fs::path& file, std::string_view prefix, std::string_view body) {
    std::ofstream out(file, std::ios::binary);
    out << prefix << body;
    if (!out)
        throw std::runtime_error("cannot write " + file.string());
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 2 || argc > 3) {
        std::cerr << "usage: llmap_fuzz_seeds OUT_DIR [MAX_PER_FORMAT]\n";
        return 2;
    }
    fs::path const out = argv[1];
    std::size_t const max_per_format = argc == 3 ? std::strtoul(argv[2], nullptr, 10) : 30;
    if (!fs::is_directory(fx::root()))
        throw std::runtime_error("no fixtures at " + fx::root().string());

    // Every body of every format, in a stable order: Rig's cassettes, then the AI SDK's files.
    std::map<format, std::vector<std::string>> bodies;
    // The AI SDK's chunk files as they are, one JSON text a line: more NDJSON for its parser.
    std::vector<std::string> json_lines;
    std::vector<fs::path> providers;
    for (auto const& entry : fs::directory_iterator(fx::root() / "rig"))
        if (entry.is_directory())
            providers.push_back(entry.path().filename());
    std::sort(providers.begin(), providers.end());
    for (auto const& provider : providers) {
        for (auto& e : fx::rig_exchanges(provider.string()))
            if (e.status >= 200 && e.status <= 299)
                if (auto const f = classify(e))
                    bodies[*f].push_back(std::move(e.response_body));
    }
    for (auto const& d : aisdk_dirs) {
        fs::path const dir = fx::root() / "aisdk" / d.dir;
        for (auto const& file : fx::files(dir, "")) {
            if (file.parent_path() != dir)
                continue;
            std::string const name = file.filename().string();
            bool const embedding = name.find("embedding") != std::string::npos;
            if (name.ends_with(".chunks.txt")) {
                bodies[d.streamed].push_back(sse_of(fx::chunk_lines(file), d.streamed));
                json_lines.push_back(fx::read_file(file));
            } else if (name.ends_with(".json"))
                bodies[embedding && d.answer == cohere_chat ? cohere_embed : d.answer].push_back(
                    fx::read_file(file));
        }
    }
    // No recording of Ollama's /api/embed exists: its documented minimal answer.
    bodies[ollama_embed].push_back(
        R"({"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862,0.05007221]],)"
        R"("total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8})");

    for (char const* target : {"sse", "ndjson", "wire"}) {
        fs::remove_all(out / target);
        fs::create_directories(out / target);
    }
    std::size_t framing_seeds = 0;
    for (auto& [f, list] : bodies) {
        if (!is_stream(f))
            for (auto& body : list)
                if (body.size() > max_body)
                    body = shrink_numbers(std::move(body));
        std::erase_if(list, [](const std::string& b) { return b.empty() || b.size() > max_body; });
        auto const picked = pick_evenly(list, max_per_format);
        for (std::size_t i = 0; i != picked.size(); ++i) {
            std::string const& body = *picked[i];
            std::string const file = std::string(name(f)) + "-" + std::to_string(i);
            char const selector = static_cast<char>(f);
            write(out / "wire" / file, std::string_view(&selector, 1), body);
            if (is_stream(f)) {
                write(out / (f == ollama_chat_stream ? "ndjson" : "sse") / file,
                      llmap_fuzz::seed_header, body);
                ++framing_seeds;
            }
        }
        std::cout << "seeds: " << name(f) << ": " << picked.size() << " of " << list.size() << "\n";
    }
    std::erase_if(json_lines, [](const std::string& b) { return b.size() > max_body; });
    auto const picked = pick_evenly(json_lines, max_per_format);
    for (std::size_t i = 0; i != picked.size(); ++i)
        write(out / "ndjson" / ("chunk_lines-" + std::to_string(i)), llmap_fuzz::seed_header,
              *picked[i]);
    framing_seeds += picked.size();
    std::cout << "seeds: " << framing_seeds << " framing seeds written under " << out.string()
              << "\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "llmap_fuzz_seeds: " << e.what() << "\n";
    return 1;
}
