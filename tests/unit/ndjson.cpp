//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/http/ndjson.hpp: line splitting on hand-written inputs, and real recorded streams
// (Ollama's NDJSON responses from the rig cassettes, and the aisdk chunk files, which are
// one JSON value per line too) fed whole, one byte at a time, split in two at (every or many)
// points and split at random: always the same lines.

#include "../support/fixtures.hpp"

#include <llmap/http/ndjson.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using llmap::http::ndjson_parser;

struct result {
    std::vector<std::string> lines;
    bool partial = false; // has_partial_line() at the end

    bool operator==(const result&) const = default;
};

// Feed `input` in the chunks that end at the sorted offsets `cuts` (and at the end).
result parse_chunks(std::string_view input, const std::vector<std::size_t>& cuts,
                    std::size_t max = ndjson_parser::default_max_line_size) {
    ndjson_parser p(max);
    result r;
    auto const on_line = [&](std::string_view line) { r.lines.emplace_back(line); };
    std::size_t at = 0;
    for (std::size_t cut : cuts) {
        p.feed(input.substr(at, cut - at), on_line);
        at = cut;
    }
    p.feed(input.substr(at), on_line);
    r.partial = p.has_partial_line();
    return r;
}

result parse(std::string_view input) {
    return parse_chunks(input, {});
}

std::vector<std::size_t> every_byte(std::size_t n) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < n; ++i)
        cuts.push_back(i);
    return cuts;
}

// Compares the lines of one split with the expected ones as they come, without storing them.
bool same_lines(std::string_view input, const std::vector<std::size_t>& cuts,
                const result& expected) {
    ndjson_parser p;
    std::size_t n = 0;
    bool same = true;
    auto const on_line = [&](std::string_view line) {
        same = same && n < expected.lines.size() && line == expected.lines[n];
        ++n;
    };
    std::size_t at = 0;
    for (std::size_t cut : cuts) {
        p.feed(input.substr(at, cut - at), on_line);
        at = cut;
    }
    p.feed(input.substr(at), on_line);
    return same && n == expected.lines.size() && p.has_partial_line() == expected.partial;
}

// 200 random ways of cutting `n` bytes: a few cut points anywhere, or runs of short chunks.
std::vector<std::vector<std::size_t>> random_splits(std::size_t n, std::mt19937& rng) {
    std::vector<std::vector<std::size_t>> all;
    if (n < 2)
        return all;
    for (int i = 0; i < 200; ++i) {
        std::vector<std::size_t> cuts;
        if (i % 2 == 0) {
            std::uniform_int_distribution<std::size_t> count(1, 8), at(1, n - 1);
            for (std::size_t k = count(rng); k > 0; --k)
                cuts.push_back(at(rng));
            std::sort(cuts.begin(), cuts.end());
        } else {
            std::uniform_int_distribution<std::size_t> len(1, std::size_t{1} << (4 + i % 10));
            for (std::size_t at = len(rng); at < n; at += len(rng))
                cuts.push_back(at);
        }
        all.push_back(std::move(cuts));
    }
    return all;
}

std::string show_cuts(const std::vector<std::size_t>& cuts) {
    std::string s;
    for (std::size_t c : cuts)
        s += std::to_string(c) + ' ';
    return s;
}

// Every way of splitting a small input gives `expected`: whole, byte by byte, at every one
// and every two cut points, and 200 random splits.
void check_splits(std::string_view input, const result& expected) {
    BOOST_TEST_CONTEXT("input \"" << input << "\"") {
        result const whole = parse(input);
        BOOST_TEST(whole.lines == expected.lines, boost::test_tools::per_element());
        BOOST_TEST(whole.partial == expected.partial);
        BOOST_TEST(same_lines(input, every_byte(input.size()), expected));
        for (std::size_t a = 0; a <= input.size(); ++a)
            for (std::size_t b = a; b <= input.size(); ++b)
                if (!same_lines(input, {a, b}, expected))
                    BOOST_ERROR("split at " << a << " and " << b);
        std::mt19937 rng(20260101);
        for (auto const& cuts : random_splits(input.size(), rng))
            if (!same_lines(input, cuts, expected))
                BOOST_ERROR("split at " << show_cuts(cuts));
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

// The shared fixture access (tests/support/fixtures.hpp), under the names used below.
fs::path fixtures_dir() {
    return test::fixtures::root();
}
using test::fixtures::read_file;
std::vector<fs::path> files_ending_with(const fs::path& dir, std::string_view suffix) {
    return test::fixtures::files(dir, suffix);
}

std::string content_type(const json::value& response) {
    for (auto const& h : response.at("headers").as_array()) {
        std::string name(h.as_array().at(0).as_string());
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (name == "content-type")
            return std::string(h.as_array().at(1).as_string());
    }
    return {};
}

struct recorded_stream {
    std::string name;
    std::string body;
};

// The NDJSON responses of the rig cassettes (Ollama's streaming calls), by content type.
std::vector<recorded_stream> rig_ndjson_streams() {
    std::vector<recorded_stream> out;
    fs::path const root = fixtures_dir() / "rig";
    for (auto const& path : files_ending_with(root, ".json")) {
        json::value const cassette = json::parse(read_file(path));
        std::size_t i = 0;
        for (auto const& exchange : cassette.as_array()) {
            auto const& response = exchange.at("response");
            if (content_type(response).starts_with("application/x-ndjson"))
                out.push_back({fs::relative(path, root).generic_string() + "#" + std::to_string(i),
                               std::string(response.at("body").as_string())});
            ++i;
        }
    }
    return out;
}

// The lines of a body found without the parser: cut at every LF, drop a CR before it, keep
// the non-empty ones; text after the last LF marks a truncated stream.
result expected_lines(std::string_view body) {
    result r;
    std::size_t start = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] != '\n')
            continue;
        std::string line(body.substr(start, i - start));
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (!line.empty())
            r.lines.push_back(line);
        start = i + 1;
    }
    r.partial = start < body.size() && body.substr(start) != "\r";
    return r;
}

// The split points tried for a fixture: all of them for a stream of up to 4 KiB; for a
// longer one, where trying each would be quadratic (minutes under the sanitizers), all in its
// first and last 32 bytes and three around each of (up to) 16 line ends spread over it.
std::vector<std::size_t> two_way_split_points(std::string_view s) {
    std::vector<std::size_t> points;
    constexpr std::size_t all_below = 4 * 1024;
    if (s.size() <= all_below) {
        for (std::size_t i = 0; i <= s.size(); ++i)
            points.push_back(i);
        return points;
    }
    for (std::size_t i = 0; i <= 32; ++i) {
        points.push_back(i);
        points.push_back(s.size() - i);
    }
    std::vector<std::size_t> ends;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n')
            ends.push_back(i);
    for (std::size_t j = 0; j < 16 && !ends.empty(); ++j) {
        std::size_t const k = j * ends.size() / 16;
        for (std::size_t at : {ends[k], ends[k] + 1, ends[k] + 2})
            if (at <= s.size())
                points.push_back(at);
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

struct split_stats {
    std::size_t streams = 0;
    std::size_t two_way = 0;
    std::size_t exhaustive = 0;
};

void check_fixture_splits(std::string_view body, const result& expected, std::mt19937& rng,
                          split_stats& stats) {
    BOOST_TEST(same_lines(body, every_byte(body.size()), expected));
    auto const points = two_way_split_points(body);
    std::size_t failures = 0;
    for (std::size_t at : points)
        if (!same_lines(body, {at}, expected) && failures++ < 3)
            BOOST_ERROR("different lines when split at " << at);
    BOOST_TEST(failures == 0u);
    std::size_t random_failures = 0;
    for (auto const& cuts : random_splits(body.size(), rng))
        if (!same_lines(body, cuts, expected) && random_failures++ < 3)
            BOOST_ERROR("different lines when split at " << show_cuts(cuts));
    BOOST_TEST(random_failures == 0u);
    ++stats.streams;
    stats.two_way += points.size();
    stats.exhaustive += points.size() == body.size() + 1 ? 1 : 0;
}

bool is_too_large(const llmap::error& e) {
    return e.code() == llmap::errc::event_too_large;
}

} // namespace

BOOST_AUTO_TEST_SUITE(ndjson)

BOOST_AUTO_TEST_CASE(one_callback_per_line) {
    check_splits("{\"a\":1}\n{\"b\":2}\n", {{"{\"a\":1}", "{\"b\":2}"}, false});
    check_splits("x\n", {{"x"}, false});
    check_splits("", {{}, false});
}

BOOST_AUTO_TEST_CASE(empty_lines_are_skipped) {
    check_splits("\n\na\n\n\nb\n\n", {{"a", "b"}, false});
    check_splits("\r\n\r\na\r\n", {{"a"}, false});
    check_splits("\n", {{}, false});
}

BOOST_AUTO_TEST_CASE(a_trailing_cr_is_removed) {
    check_splits("a\r\nb\r\n", {{"a", "b"}, false});
    // Only one CR, only at the end of the line; a lone CR does not end a line.
    check_splits("a\r\r\nb\rc\n", {{"a\r", "b\rc"}, false});
    // A CR at the end of one chunk and the LF at the start of the next.
    result const r = parse_chunks("a\r\nb\r\n", {2});
    BOOST_TEST(r.lines == (std::vector<std::string>{"a", "b"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(spaces_and_bytes_are_kept) {
    using namespace std::string_literals;
    check_splits("  {\"a\": 1}  \n"s, {{"  {\"a\": 1}  "}, false});
    check_splits("\0\xff\xc3\xa9\n"s, {{"\0\xff\xc3\xa9"s}, false});
}

BOOST_AUTO_TEST_CASE(truncated_stream_has_a_partial_line) {
    check_splits("a\nb", {{"a"}, true});
    check_splits("a\nb\r", {{"a"}, true});
    check_splits("a\n\r", {{"a"}, false}); // only the start of an empty line
    BOOST_TEST(parse("{\"done\":fal").partial);
    BOOST_TEST(!parse("{\"done\":true}\n").partial);
}

BOOST_AUTO_TEST_CASE(line_too_large_is_an_error_whatever_the_split) {
    std::size_t const max = 1024;
    std::string const input = "ok\n" + std::string(1025, 'x') + "\nafter\n";
    for (auto const& cuts : std::vector<std::vector<std::size_t>>{
             {}, {1}, {3}, {500}, {1028}, every_byte(input.size())}) {
        ndjson_parser p(max);
        std::vector<std::string> got;
        auto const on_line = [&](std::string_view line) { got.emplace_back(line); };
        BOOST_CHECK_EXCEPTION(
            {
                std::size_t at = 0;
                for (std::size_t cut : cuts) {
                    p.feed(std::string_view(input).substr(at, cut - at), on_line);
                    at = cut;
                }
                p.feed(std::string_view(input).substr(at), on_line);
            },
            llmap::error, is_too_large);
        BOOST_TEST(got == std::vector<std::string>{"ok"}, boost::test_tools::per_element());
        BOOST_TEST(p.failed());
        BOOST_TEST(p.has_partial_line());
        BOOST_CHECK_EXCEPTION(p.feed("fine\n", on_line), llmap::error, is_too_large);
    }
    // A line of exactly the limit passes, fed whole and byte by byte.
    std::string const exact = std::string(1024, 'y') + "\n";
    BOOST_TEST(parse_chunks(exact, {}, max).lines.size() == 1u);
    BOOST_TEST(parse_chunks(exact, every_byte(exact.size()), max).lines.size() == 1u);
    // And under the default limit, a 3 MiB line.
    std::string const big(3 * 1024 * 1024, 'z');
    result const r = parse(big + "\n");
    BOOST_REQUIRE_EQUAL(r.lines.size(), 1u);
    BOOST_TEST((r.lines[0] == big));
}

BOOST_AUTO_TEST_CASE(exception_from_the_callback_leaves_the_parser_consistent) {
    ndjson_parser p;
    p.feed("fir", [](std::string_view) {});
    BOOST_CHECK_THROW(
        p.feed("st\nsecond\n", [](std::string_view) { throw std::runtime_error("stop"); }),
        std::runtime_error);
    BOOST_TEST(!p.has_partial_line());
    std::vector<std::string> got;
    p.feed("third\n", [&](std::string_view line) { got.emplace_back(line); });
    BOOST_TEST(got == std::vector<std::string>{"third"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(long_line_fed_one_byte_at_a_time_is_linear) {
    // Not a timing assertion: the line is 8 MiB, fed one byte at a time, so a parser that
    // scans its buffered partial line again on each feed does ~3 * 10^13 steps: minutes even
    // with an in-cache memchr, and into the test timeout; a linear one takes about a second
    // under the sanitizers.
    std::size_t const size = 8 * 1024 * 1024;
    std::string input(size, 'a');
    input += "\r\n";
    ndjson_parser p(2 * size);
    std::size_t count = 0;
    for (char c : input)
        p.feed(std::string_view(&c, 1), [&](std::string_view line) {
            ++count;
            BOOST_TEST(line.size() == size);
        });
    BOOST_TEST(count == 1u);
    BOOST_TEST(!p.has_partial_line());
}

BOOST_AUTO_TEST_CASE(rig_ollama_cassettes) {
    auto const streams = rig_ndjson_streams();
    std::mt19937 rng(11);
    split_stats stats;
    for (auto const& s : streams) {
        BOOST_TEST_CONTEXT("fixture rig/" << s.name) {
            result const expected = expected_lines(s.body);
            result const r = parse(s.body);
            BOOST_TEST(r.lines == expected.lines, boost::test_tools::per_element());
            BOOST_TEST(r.partial == expected.partial);
            BOOST_TEST(!r.partial);
            // Each line is one JSON object; only the last one says "done": true.
            for (std::size_t i = 0; i < r.lines.size(); ++i) {
                json::error_code ec;
                json::value const v = json::parse(r.lines[i], ec);
                BOOST_TEST(!ec, "line " << i);
                if (ec || !v.is_object())
                    continue;
                auto const* done = v.as_object().if_contains("done");
                BOOST_TEST((done && done->is_bool()), "line " << i);
                if (done && done->is_bool())
                    BOOST_TEST(done->as_bool() == (i + 1 == r.lines.size()), "line " << i);
            }
            check_fixture_splits(s.body, r, rng, stats);
        }
    }
    BOOST_TEST_MESSAGE("ndjson: replayed "
                       << stats.streams << " rig NDJSON responses; " << stats.two_way
                       << " two-way splits, every split point for " << stats.exhaustive
                       << " of them");
    BOOST_TEST(streams.size() >= 7u);
}

BOOST_AUTO_TEST_CASE(aisdk_chunk_files_as_ndjson) {
    // One JSON payload per line: NDJSON as it is, a second body of real streams.
    fs::path const root = fixtures_dir() / "aisdk";
    auto const files = files_ending_with(root, ".chunks.txt");
    std::mt19937 rng(13);
    split_stats stats;
    for (auto const& path : files) {
        BOOST_TEST_CONTEXT("fixture aisdk/" << fs::relative(path, root).generic_string()) {
            std::string body = read_file(path);
            // Most files lack a final LF; on the wire every line has one.
            if (!body.empty() && body.back() != '\n')
                body += '\n';
            // The lines, cut at each LF: every line of these files is non-empty.
            std::vector<std::string> lines;
            for (std::size_t start = 0, lf; (lf = body.find('\n', start)) != std::string::npos;
                 start = lf + 1)
                lines.push_back(body.substr(start, lf - start));
            result const r = parse(body);
            BOOST_TEST(r.lines == lines, boost::test_tools::per_element());
            BOOST_TEST(!r.partial);
            check_fixture_splits(body, r, rng, stats);
        }
    }
    BOOST_TEST_MESSAGE("ndjson: replayed "
                       << stats.streams << " aisdk chunk files; " << stats.two_way
                       << " two-way splits, every split point for " << stats.exhaustive
                       << " of them");
    BOOST_TEST(files.size() >= 96u);
}

BOOST_AUTO_TEST_SUITE_END()
