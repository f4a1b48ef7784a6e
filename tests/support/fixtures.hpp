//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Access to the recorded provider traffic in ../shared/fixtures (read in place, never copied):
// Rig's cassettes and the AI SDK's response and chunk files.

#ifndef LLMAP_TESTS_SUPPORT_FIXTURES_HPP
#define LLMAP_TESTS_SUPPORT_FIXTURES_HPP

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifndef LLMAP_SOURCE_DIR
#error "LLMAP_SOURCE_DIR must name the repository root (CMake defines it for the tests)"
#endif

namespace test::fixtures {

inline std::filesystem::path root() {
    return std::filesystem::path(LLMAP_SOURCE_DIR) / ".." / "shared" / "fixtures";
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read fixture " + p.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// Every regular file below `dir` whose name ends with `suffix`, sorted (a stable order makes
/// a failure reproducible).
inline std::vector<std::filesystem::path> files(const std::filesystem::path& dir,
                                                std::string_view suffix) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(dir))
        return out;
    for (auto const& e : std::filesystem::recursive_directory_iterator(dir))
        if (e.is_regular_file() && e.path().string().ends_with(suffix))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

/// One recorded HTTP exchange of a Rig cassette.
struct exchange {
    std::filesystem::path file;
    std::size_t index = 0;
    std::string method, path, request_body;
    unsigned status = 0;
    std::string response_body;
    std::vector<std::pair<std::string, std::string>> response_headers;

    std::string name() const {
        return file.parent_path().filename().string() + "/" + file.filename().string() + "#" +
               std::to_string(index);
    }
};

/// The exchanges of every cassette of one Rig provider folder (`rig/<provider>`).
inline std::vector<exchange> rig_exchanges(std::string_view provider) {
    std::vector<exchange> out;
    for (auto const& f : files(root() / "rig" / std::string(provider), ".json")) {
        auto const doc = boost::json::parse(read_file(f));
        std::size_t i = 0;
        for (auto const& ex : doc.as_array()) {
            auto const& req = ex.at("request").as_object();
            auto const& res = ex.at("response").as_object();
            exchange e;
            e.file = f;
            e.index = i++;
            e.method = req.at("method").as_string();
            e.path = req.at("path").as_string();
            e.request_body = req.at("body").is_string() ? std::string(req.at("body").as_string())
                                                        : std::string();
            e.status = static_cast<unsigned>(res.at("status").to_number<std::int64_t>());
            e.response_body = res.at("body").is_string() ? std::string(res.at("body").as_string())
                                                         : std::string();
            if (auto const* hs = res.if_contains("headers"))
                for (auto const& h : hs->as_array())
                    e.response_headers.emplace_back(h.as_array()[0].as_string(),
                                                    h.as_array()[1].as_string());
            out.push_back(std::move(e));
        }
    }
    return out;
}

/// The lines of an AI SDK `*.chunks.txt` file (one SSE data payload each), empty ones dropped.
inline std::vector<std::string> chunk_lines(const std::filesystem::path& p) {
    std::vector<std::string> out;
    std::istringstream in(read_file(p));
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty())
            out.push_back(line);
    }
    return out;
}

/// The SSE wire form of chunk lines, as the fixtures README says OpenAI-style providers send
/// it: `data: LINE` and a blank line each, then `data: [DONE]`.
inline std::string openai_sse(const std::vector<std::string>& lines) {
    std::string out;
    for (auto const& l : lines)
        out += "data: " + l + "\n\n";
    out += "data: [DONE]\n\n";
    return out;
}

/// Feeds `bytes` to `sink` whole, one byte at a time, or cut at random points, as `mode` says
/// (0: whole, 1: bytes, 2 and up: random splits seeded with `mode`).
inline void feed_split(std::string_view bytes, unsigned mode,
                       const std::function<void(std::string_view)>& sink) {
    if (mode == 0) {
        sink(bytes);
        return;
    }
    if (mode == 1) {
        for (std::size_t i = 0; i != bytes.size(); ++i)
            sink(bytes.substr(i, 1));
        return;
    }
    std::mt19937 rng(mode);
    std::size_t at = 0;
    while (at < bytes.size()) {
        std::size_t const n = 1 + rng() % 97;
        sink(bytes.substr(at, n));
        at += n;
    }
}

} // namespace test::fixtures

#endif
