//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/http/sse.hpp: the WHATWG event-stream rules on hand-written inputs, and the real
// recorded provider streams of ../shared/fixtures, each fed whole, one byte at a time, split
// in two at (every or many) points and split at random: always the same events.

#include "../support/fixtures.hpp"

#include <llmap/http/sse.hpp>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using llmap::http::sse_event;
using llmap::http::sse_parser;

// ---------------------------------------------------------------------------------------------
// Feeding a parser
// ---------------------------------------------------------------------------------------------

struct result {
    std::vector<sse_event> events;
    bool partial = false; // has_partial_event() at the end

    bool operator==(const result&) const = default;
};

// Feed `input` in the chunks that end at the sorted offsets `cuts` (and at the end).
result parse_chunks(std::string_view input, const std::vector<std::size_t>& cuts,
                    std::size_t max = sse_parser::default_max_event_size) {
    sse_parser p(max);
    result r;
    auto const on_event = [&](const sse_event& ev) { r.events.push_back(ev); };
    std::size_t at = 0;
    for (std::size_t cut : cuts) {
        p.feed(input.substr(at, cut - at), on_event);
        at = cut;
    }
    p.feed(input.substr(at), on_event);
    r.partial = p.has_partial_event();
    return r;
}

result parse(std::string_view input) {
    return parse_chunks(input, {});
}

// Compares the events of one split with the expected ones as they come, without storing
// them: the fixtures are fed thousands of times.
class matcher {
public:
    explicit matcher(const result& expected) : expected_(expected) {}

    bool run(std::string_view input, const std::vector<std::size_t>& cuts) {
        sse_parser p;
        std::size_t n = 0;
        bool same = true;
        auto const on_event = [&](const sse_event& ev) {
            same = same && n < expected_.events.size() && ev == expected_.events[n];
            ++n;
        };
        std::size_t at = 0;
        for (std::size_t cut : cuts) {
            p.feed(input.substr(at, cut - at), on_event);
            at = cut;
        }
        p.feed(input.substr(at), on_event);
        return same && n == expected_.events.size() && p.has_partial_event() == expected_.partial;
    }

    bool run_bytewise(std::string_view input) {
        std::vector<std::size_t> cuts(input.size() > 0 ? input.size() - 1 : 0);
        for (std::size_t i = 0; i < cuts.size(); ++i)
            cuts[i] = i + 1;
        return run(input, cuts);
    }

private:
    const result& expected_;
};

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

std::string escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\0':
            out += "\\0";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string show(const result& r) {
    std::ostringstream os;
    for (auto const& ev : r.events) {
        os << "{event=\"" << escape(ev.event) << "\" data=\"" << escape(ev.data) << "\" id=\""
           << escape(ev.id) << "\" retry=";
        if (ev.retry)
            os << *ev.retry;
        else
            os << "none";
        os << "} ";
    }
    os << (r.partial ? "(partial)" : "(complete)");
    return os.str();
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
    BOOST_TEST_CONTEXT("input \"" << escape(input) << "\"") {
        BOOST_TEST(show(parse(input)) == show(expected));
        matcher m(expected);
        BOOST_TEST(m.run_bytewise(input));
        for (std::size_t a = 0; a <= input.size(); ++a) {
            BOOST_TEST(m.run(input, {a}), "split at " << a);
            for (std::size_t b = a; b <= input.size(); ++b)
                if (!m.run(input, {a, b}))
                    BOOST_ERROR("split at " << a << " and " << b);
        }
        std::mt19937 rng(20260101);
        for (auto const& cuts : random_splits(input.size(), rng))
            BOOST_TEST(m.run(input, cuts), "split at " << show_cuts(cuts));
    }
}

sse_event ev(std::string data, std::string event = {}, std::string id = {},
             std::optional<std::uint64_t> retry = {}) {
    return {std::move(event), std::move(data), std::move(id), retry};
}

result events(std::vector<sse_event> evs, bool partial = false) {
    return {std::move(evs), partial};
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

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    while (!text.empty()) {
        std::size_t const nl = text.find('\n');
        lines.emplace_back(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    }
    return lines;
}

bool starts_with_any(std::string_view s, std::initializer_list<std::string_view> prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view p) { return s.starts_with(p); });
}

std::string header(const json::value& exchange_part, std::string_view name) {
    for (auto const& h : exchange_part.at("headers").as_array()) {
        std::string lower(h.as_array().at(0).as_string());
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (lower == name)
            return std::string(h.as_array().at(1).as_string());
    }
    return {};
}

// A recorded response of a rig cassette.
struct recorded_stream {
    std::string name; // provider/group/case.json#exchange
    std::string body;
};

struct rig_streams {
    std::vector<recorded_stream> sse, ndjson;
    std::size_t not_streamed = 0;           // ordinary (non-streaming) exchanges
    std::vector<std::string> stream_errors; // a stream was asked for, a JSON error came back
};

bool asked_for_stream(const json::value& request) {
    std::string_view const path = request.at("path").as_string();
    if (path.find("streamGenerateContent") != std::string_view::npos)
        return true; // Gemini asks by URL, not in the body
    std::string_view const body = request.at("body").as_string();
    json::error_code ec;
    json::value const v = json::parse(body, ec);
    if (ec || !v.is_object())
        return false;
    auto const* stream = v.as_object().if_contains("stream");
    return stream && stream->is_bool() && stream->as_bool();
}

// Every exchange of the rig cassettes, sorted into SSE streams, NDJSON streams and the rest.
rig_streams load_rig() {
    rig_streams out;
    for (auto const& path : files_ending_with(fixtures_dir() / "rig", ".json")) {
        json::value const cassette = json::parse(read_file(path));
        std::string const base = fs::relative(path, fixtures_dir() / "rig").generic_string();
        std::size_t i = 0;
        for (auto const& exchange : cassette.as_array()) {
            std::string const name = base + "#" + std::to_string(i++);
            auto const& response = exchange.at("response");
            std::string body(response.at("body").as_string());
            std::string const type = header(response, "content-type");
            if (type.starts_with("text/event-stream") || starts_with_any(body, {"data:", "event:"}))
                out.sse.push_back({name, std::move(body)});
            else if (type.starts_with("application/x-ndjson"))
                out.ndjson.push_back({name, std::move(body)});
            else if (asked_for_stream(exchange.at("request")))
                out.stream_errors.push_back(name);
            else
                ++out.not_streamed;
        }
    }
    return out;
}

const rig_streams& rig() {
    static const rig_streams streams = load_rig();
    return streams;
}

// The facts of a stream derived without the parser: normalise the line ends, cut the text
// at blank lines, and keep the data of the blocks that have a data field and are closed by a
// blank line. A block still open at the end of the body marks a truncated stream.
struct expected_blocks {
    std::vector<std::string> data;
    bool truncated = false;
};

expected_blocks split_blocks(std::string_view body) {
    std::string text;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r') {
            text += '\n';
            if (i + 1 < body.size() && body[i + 1] == '\n')
                ++i;
        } else {
            text += body[i];
        }
    }
    expected_blocks out;
    std::vector<std::string> block; // the data values of the open block
    bool open = false;
    std::size_t start = 0;
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', start)) {
        std::string_view const line = std::string_view(text).substr(start, nl - start);
        start = nl + 1;
        if (line.empty()) {
            if (!block.empty()) {
                std::string joined;
                for (std::size_t k = 0; k < block.size(); ++k)
                    joined += (k ? "\n" : "") + block[k];
                out.data.push_back(joined);
            }
            block.clear();
            open = false;
        } else if (line.front() != ':') {
            open = true;
            if (line == "data")
                block.emplace_back();
            else if (line.starts_with("data:"))
                block.emplace_back(line.substr(line.starts_with("data: ") ? 6 : 5));
        }
    }
    out.truncated = open || start < text.size();
    return out;
}

// An aisdk `*.chunks.txt` file as its provider sends it on the wire (see the fixtures'
// README): `data: LINE` blocks, Anthropic's with `event: TYPE` first, OpenAI-style chat
// streams (whose chunks carry "choices") ended by `data: [DONE]`.
struct aisdk_stream {
    std::string name;
    std::vector<std::string> lines;
    std::vector<std::string> types; // Anthropic only: each line's "type"
    bool done = false;              // ends with [DONE]
    std::string wire;
};

std::vector<aisdk_stream> load_aisdk() {
    std::vector<aisdk_stream> out;
    fs::path const root = fixtures_dir() / "aisdk";
    for (auto const& path : files_ending_with(root, ".chunks.txt")) {
        aisdk_stream s;
        s.name = fs::relative(path, root).generic_string();
        s.lines = split_lines(read_file(path));
        bool const anthropic = s.name.starts_with("anthropic/");
        json::error_code ec;
        json::value const first = s.lines.empty() ? json::value() : json::parse(s.lines[0], ec);
        s.done = !ec && first.is_object() && first.as_object().contains("choices");
        for (auto const& line : s.lines) {
            if (anthropic) {
                s.types.emplace_back(json::parse(line).at("type").as_string());
                s.wire += "event: " + s.types.back() + "\n";
            }
            s.wire += "data: " + line + "\n\n";
        }
        if (s.done)
            s.wire += "data: [DONE]\n\n";
        out.push_back(std::move(s));
    }
    return out;
}

// The split points tried for a fixture: all of them for a stream of up to 4 KiB; for a
// longer one, where trying each would be quadratic (minutes under the sanitizers), all in its
// first and last 32 bytes and four around each of (up to) 16 line ends spread over the
// stream: the CR, LF and blank-line handling is where a split can go wrong.
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
        if (s[i] == '\n' || s[i] == '\r')
            ends.push_back(i);
    for (std::size_t j = 0; j < 16 && !ends.empty(); ++j) {
        std::size_t const k = j * ends.size() / 16;
        for (std::size_t d = 0; d < 4; ++d)
            if (ends[k] + d >= 1 && ends[k] + d - 1 <= s.size())
                points.push_back(ends[k] + d - 1);
    }
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
    return points;
}

struct split_stats {
    std::size_t streams = 0;
    std::size_t two_way = 0;    // split points tried
    std::size_t exhaustive = 0; // streams tried at every split point
};

// The same events as `expected` for a real stream fed whole, one byte at a time, split in
// two, and split at random.
void check_fixture_splits(const std::string& name, std::string_view wire, const result& expected,
                          std::mt19937& rng, split_stats& stats) {
    BOOST_TEST_CONTEXT("fixture " << name) {
        matcher m(expected);
        BOOST_TEST(m.run_bytewise(wire));
        auto const points = two_way_split_points(wire);
        std::size_t failures = 0;
        for (std::size_t at : points)
            if (!m.run(wire, {at}) && failures++ < 3)
                BOOST_ERROR("different events when split at " << at);
        BOOST_TEST(failures == 0u);
        std::size_t random_failures = 0;
        for (auto const& cuts : random_splits(wire.size(), rng))
            if (!m.run(wire, cuts) && random_failures++ < 3)
                BOOST_ERROR("different events when split at " << show_cuts(cuts));
        BOOST_TEST(random_failures == 0u);
        ++stats.streams;
        stats.two_way += points.size();
        stats.exhaustive += points.size() == wire.size() + 1 ? 1 : 0;
    }
}

bool is_json(std::string_view s) {
    json::error_code ec;
    json::parse(s, ec);
    return !ec;
}

} // namespace

BOOST_AUTO_TEST_SUITE(sse)

// ---------------------------------------------------------------------------------------------
// The rules, on hand-written streams (most from the examples of the WHATWG spec)
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(multi_line_data_is_joined_with_newlines) {
    check_splits("data: YHOO\ndata: +2\ndata: 10\n\n", events({ev("YHOO\n+2\n10")}));
    check_splits("data: a\n\ndata: b\ndata\ndata: c\n\n", events({ev("a"), ev("b\n\nc")}));
}

BOOST_AUTO_TEST_CASE(spec_example_with_comment_and_ids) {
    // The spec's second example; its last block has no blank line, so it is not dispatched.
    check_splits(": test stream\n\n"
                 "data: first event\nid: 1\n\n"
                 "data:second event\nid\n\n"
                 "data:  third event\n",
                 events({ev("first event", "", "1"), ev("second event", "", "")}, true));
    check_splits("data:  third event\n\n", events({ev(" third event")}));
}

BOOST_AUTO_TEST_CASE(empty_data_fields) {
    // The spec: the first block fires an event with empty data, the middle one an event
    // whose data is a single newline, the last one nothing (no blank line).
    check_splits("data\n\ndata\ndata\n\ndata:", events({ev(""), ev("\n")}, true));
    check_splits("data:\n\n", events({ev("")}));
}

BOOST_AUTO_TEST_CASE(only_the_first_space_after_the_colon_is_removed) {
    check_splits("data:test\n\ndata: test\n\n", events({ev("test"), ev("test")}));
    check_splits("data:  two\n\n", events({ev(" two")}));
    check_splits("data:\ttab\n\n", events({ev("\ttab")}));
    check_splits("data: a:b: c\n\n", events({ev("a:b: c")}));
    check_splits("event:  e\ndata: x\n\n", events({ev("x", " e")}));
    check_splits("data: trailing \n\n", events({ev("trailing ")}));
}

BOOST_AUTO_TEST_CASE(event_type) {
    check_splits(
        "event: add\ndata: 73857293\n\n"
        "event: remove\ndata: 2153\n\n"
        "event: add\ndata: 113411\n\n"
        "data: plain\n\n",
        events({ev("73857293", "add"), ev("2153", "remove"), ev("113411", "add"), ev("plain")}));
    // The last event field wins; a field name alone is an empty value (type "message").
    check_splits("event: a\nevent: b\ndata: x\n\n", events({ev("x", "b")}));
    check_splits("event: a\nevent\ndata: x\n\n", events({ev("x")}));
}

BOOST_AUTO_TEST_CASE(comments_are_ignored) {
    check_splits(":comment\ndata: x\n: another one\n:\n\n", events({ev("x")}));
    check_splits(": keep-alive\n\n: keep-alive\n\n", events({}));
    check_splits("data: a\n:data: b\n\n", events({ev("a")}));
}

BOOST_AUTO_TEST_CASE(field_without_colon_has_an_empty_value) {
    check_splits("data\n\n", events({ev("")}));
    check_splits("data\ndata: x\n\n", events({ev("\nx")}));
    check_splits("id: 5\nid\ndata: x\n\n", events({ev("x", "", "")}));
}

BOOST_AUTO_TEST_CASE(unknown_and_misspelled_fields_are_ignored) {
    check_splits("foo: bar\ndata: x\nDATA: y\n data: z\ndata : w\n\n", events({ev("x")}));
    check_splits("Data: x\n\n", events({}, false));
}

BOOST_AUTO_TEST_CASE(line_ends_cr_lf_crlf) {
    std::string const lf = "event: e\ndata: 1\ndata: 2\n\ndata: 3\n\n";
    result const expected = events({ev("1\n2", "e"), ev("3")});
    for (std::string_view eol : {"\r", "\r\n"}) {
        std::string s;
        for (char c : lf)
            s += c == '\n' ? std::string(eol) : std::string(1, c);
        check_splits(s, expected);
    }
    check_splits(lf, expected);
    // Mixed: LF then CRLF is two line ends; CR then LF is one; CR CR is two.
    check_splits("event: e\rdata: 1\r\ndata: 2\n\r\ndata: 3\r\r", expected);
    check_splits("data: a\r\n\r\n", events({ev("a")}));
    check_splits("data: a\n\r\n", events({ev("a")}));
    check_splits("data: a\r\r", events({ev("a")}));
    check_splits("data: a\n\rdata: b\n\n", events({ev("a"), ev("b")}));
}

BOOST_AUTO_TEST_CASE(crlf_split_across_feeds_is_one_line_end) {
    // Fed in two chunks explicitly: the CR ends the first, the LF starts the second.
    result const one = parse_chunks("data: a\r\ndata: b\r\n\r\n", {8});
    BOOST_TEST(show(one) == show(events({ev("a\nb")})));
    result const two = parse_chunks("data: a\r\n\r\n", {8, 9, 10});
    BOOST_TEST(show(two) == show(events({ev("a")})));
    // A CR at the end of one chunk and another CR next: two line ends, a blank line.
    result const three = parse_chunks("data: a\r\rdata: b\r\n\r\n", {8});
    BOOST_TEST(show(three) == show(events({ev("a"), ev("b")})));
    // An empty chunk between the CR and the LF changes nothing.
    result const four = parse_chunks("data: a\r\n\r\n", {8, 8, 9});
    BOOST_TEST(show(four) == show(events({ev("a")})));
}

BOOST_AUTO_TEST_CASE(byte_order_mark_at_the_start_is_skipped) {
    check_splits("\xEF\xBB\xBF"
                 "data: x\n\n",
                 events({ev("x")}));
    check_splits("\xEF\xBB\xBF", events({}, false));
    check_splits("\xEF\xBB\xBF\n\ndata: x\n\n", events({ev("x")}));
    // Only one, and only at the start: a second one is part of the field name.
    check_splits("\xEF\xBB\xBF\xEF\xBB\xBF"
                 "data: x\n\n",
                 events({}));
    check_splits("data: a\n\n\xEF\xBB\xBF"
                 "data: b\n\n",
                 events({ev("a")}));
    // The start of a BOM that is not one is kept as line bytes.
    check_splits("\xEF\xBB"
                 "data: x\n\n",
                 events({}));
    check_splits("\xEF\xBB\n\ndata: x\n\n", events({ev("x")}));
    check_splits("\xEF", events({}, true));
    // Split inside the BOM, also with an empty chunk in between.
    result const r = parse_chunks("\xEF\xBB\xBF"
                                  "data: x\n\n",
                                  {0, 1, 1, 2, 3});
    BOOST_TEST(show(r) == show(events({ev("x")})));
}

BOOST_AUTO_TEST_CASE(id_persists_and_is_ignored_with_nul) {
    using namespace std::string_literals;
    check_splits("id: 1\ndata: a\n\n"
                 "data: b\n\n"
                 "id: 2\n\n" // no data: no event, but the id is set
                 "data: c\n\n"
                 "id\ndata: d\n\n"
                 "id: 3\n\n"
                 "id: 4\0x\ndata: e\n\n"s, // a NUL: ignored, the id stays 3
                 events({ev("a", "", "1"), ev("b", "", "1"), ev("c", "", "2"), ev("d", "", ""),
                         ev("e", "", "3")}));
    sse_parser p;
    p.feed("id: 42\n\n: after\n", [](const sse_event&) { BOOST_FAIL("no event expected"); });
    BOOST_TEST(p.last_event_id() == "42");
    check_splits("id:  7 \ndata: x\n\n", events({ev("x", "", " 7 ")}));
}

BOOST_AUTO_TEST_CASE(retry_takes_only_ascii_digits) {
    check_splits("retry: 1500\ndata: a\n\n", events({ev("a", "", "", 1500)}));
    check_splits("retry: 1500\ndata: a\n\n"
                 "retry: 15a\ndata: b\n\n"
                 "retry: -1\ndata: c\n\n"
                 "retry:  10\ndata: d\n\n"
                 "retry:\ndata: e\n\n"
                 "retry: 1.5\ndata: f\n\n"
                 "retry: 99999999999999999999999\ndata: g\n\n"
                 "retry: 0\ndata: h\n\n"
                 "retry:007\ndata: i\n\n",
                 events({ev("a", "", "", 1500), ev("b", "", "", 1500), ev("c", "", "", 1500),
                         ev("d", "", "", 1500), ev("e", "", "", 1500), ev("f", "", "", 1500),
                         ev("g", "", "", 1500), ev("h", "", "", 0), ev("i", "", "", 7)}));
    check_splits("retry: 18446744073709551615\ndata: max\n\n",
                 events({ev("max", "", "", 18446744073709551615ull)}));
    sse_parser p;
    BOOST_TEST(!p.retry().has_value());
    p.feed("retry: 3000\n\n", [](const sse_event&) { BOOST_FAIL("no event expected"); });
    BOOST_TEST(p.retry().value_or(0) == 3000u);
}

BOOST_AUTO_TEST_CASE(no_dispatch_without_blank_line_or_data) {
    check_splits("data: x\n", events({}, true));
    check_splits("data: x", events({}, true));
    check_splits("data: x\r", events({}, true));
    // A blank line with no data: nothing dispatched, and the event type does not carry over.
    check_splits("event: e\n\ndata: x\n\n", events({ev("x")}));
    check_splits("event: e\nid: 1\nretry: 5\n\n", events({}));
    check_splits("", events({}));
    check_splits("\n\n\r\n\r\r", events({}));
}

BOOST_AUTO_TEST_CASE(truncated_stream_has_a_partial_event) {
    BOOST_TEST(parse("data: a\n\n").partial == false);
    BOOST_TEST(parse("data: a\n\n: comment\n").partial == false);
    BOOST_TEST(parse("data: a\n\ndata: b\n").partial == true);  // the blank line is missing
    BOOST_TEST(parse("data: a\n\nevent: b\n").partial == true); // cut before the data
    BOOST_TEST(parse("data: a\n\ndat").partial == true);        // cut inside a line
    BOOST_TEST(parse("data: a\n\n:").partial == true);          // inside a comment line
    BOOST_TEST(parse("data: a\n").events.empty());
}

BOOST_AUTO_TEST_CASE(data_may_hold_any_bytes) {
    using namespace std::string_literals;
    check_splits("data: \0\x01\xff\xc3\xa9\n\n"s, events({ev("\0\x01\xff\xc3\xa9"s)}));
}

BOOST_AUTO_TEST_CASE(callback_may_move_the_event_out) {
    sse_parser p;
    std::vector<sse_event> got;
    std::string const input = "event: e\nid: 1\ndata: first\n\ndata: second\n\n";
    for (std::size_t i = 0; i < input.size(); ++i)
        p.feed(input.substr(i, 1), [&](sse_event& e) { got.push_back(std::move(e)); });
    BOOST_TEST(show({got, false}) == show(events({ev("first", "e", "1"), ev("second", "", "1")})));
}

BOOST_AUTO_TEST_CASE(exception_from_the_callback_leaves_the_parser_consistent) {
    sse_parser p;
    std::vector<std::string> got;
    BOOST_CHECK_THROW(p.feed("data: a\n\ndata: b\n\n",
                             [](const sse_event&) { throw std::runtime_error("stop"); }),
                      std::runtime_error);
    p.feed("data: c\n\n", [&](const sse_event& e) { got.push_back(e.data); });
    BOOST_TEST(got == std::vector<std::string>{"c"});
}

// ---------------------------------------------------------------------------------------------
// Limits and linear time
// ---------------------------------------------------------------------------------------------

bool is_too_large(const llmap::error& e) {
    return e.code() == llmap::errc::event_too_large &&
           e.code().message() == "stream event too large";
}

BOOST_AUTO_TEST_CASE(event_too_large_is_an_error_whatever_the_split) {
    std::size_t const max = 1024;
    std::string const big_line = "data: " + std::string(2000, 'x') + "\n\n";
    // Many short data lines adding up to more than the limit.
    std::string many_lines;
    for (int i = 0; i < 200; ++i)
        many_lines += "data: 0123456789\n";
    many_lines += "\n";
    std::string const long_comment = ":" + std::string(2000, 'c') + "\n";

    for (std::string const& input : {big_line, many_lines, long_comment}) {
        std::vector<std::vector<std::size_t>> splits = {{}, {1}, {input.size() / 2}};
        std::vector<std::size_t> bytewise;
        for (std::size_t i = 1; i < input.size(); ++i)
            bytewise.push_back(i);
        splits.push_back(bytewise);
        for (auto const& cuts : splits) {
            sse_parser p(max);
            auto const no_event = [](const sse_event&) { BOOST_FAIL("no event expected"); };
            BOOST_CHECK_EXCEPTION(
                {
                    std::size_t at = 0;
                    for (std::size_t cut : cuts) {
                        p.feed(std::string_view(input).substr(at, cut - at), no_event);
                        at = cut;
                    }
                    p.feed(std::string_view(input).substr(at), no_event);
                },
                llmap::error, is_too_large);
            BOOST_TEST(p.failed());
            BOOST_TEST(p.has_partial_event());
            // Failed for good: even a fine event is refused.
            BOOST_CHECK_EXCEPTION(p.feed("data: ok\n\n", no_event), llmap::error, is_too_large);
        }
    }

    // The events before the oversized one are delivered.
    sse_parser p(max);
    std::vector<std::string> got;
    BOOST_CHECK_EXCEPTION(
        p.feed("data: small\n\n" + big_line, [&](const sse_event& e) { got.push_back(e.data); }),
        llmap::error, is_too_large);
    BOOST_TEST(got == std::vector<std::string>{"small"});
}

BOOST_AUTO_TEST_CASE(big_events_within_the_limit_pass) {
    // Under a small limit: an event just below it, fed whole and byte by byte.
    {
        std::string const data(1000, 'y');
        std::string const input = "event: e\ndata: " + data + "\n\n";
        result const r = parse_chunks(input, {}, 1024);
        BOOST_TEST(show(r) == show(events({ev(data, "e")})));
        std::vector<std::size_t> bytewise;
        for (std::size_t i = 1; i < input.size(); ++i)
            bytewise.push_back(i);
        BOOST_TEST(show(parse_chunks(input, bytewise, 1024)) == show(r));
        // Many such events in a row: the limit is per event, not per stream.
        std::string many;
        for (int i = 0; i < 50; ++i)
            many += input;
        BOOST_TEST(parse_chunks(many, {}, 1024).events.size() == 50u);
    }
    // Under the default limit (4 MiB): a 3 MiB event.
    std::string const data(3 * 1024 * 1024, 'z');
    result const r = parse("data: " + data + "\n\n");
    BOOST_REQUIRE_EQUAL(r.events.size(), 1u);
    BOOST_TEST((r.events[0].data == data));
}

BOOST_AUTO_TEST_CASE(long_events_fed_one_byte_at_a_time_are_linear) {
    // Not a timing assertion: each event is 8 MiB, fed one byte at a time, so a parser that
    // scans its buffered partial line or its gathered data again on each feed does ~3 * 10^13
    // steps per event: minutes even with an in-cache memchr, and into the test timeout; a
    // linear one takes about a second under the sanitizers. The first event is one long line,
    // the second many short data lines.
    std::size_t const size = 8 * 1024 * 1024;
    std::string input = "event: long line\ndata: ";
    input.append(size, 'a');
    input += "\r\n\r\nevent: many lines\n";
    std::string const line = "data: " + std::string(57, 'b') + "\n"; // 64 bytes, 58 of data
    for (std::size_t n = 0; n < size / 58; ++n)
        input += line;
    input += "\n";
    sse_parser p(3 * size);
    std::vector<std::size_t> sizes;
    for (char c : input)
        p.feed(std::string_view(&c, 1), [&](const sse_event& e) {
            BOOST_TEST(e.event == (sizes.empty() ? "long line" : "many lines"));
            sizes.push_back(e.data.size());
        });
    BOOST_TEST(sizes == (std::vector<std::size_t>{size, size / 58 * 58 - 1}),
               boost::test_tools::per_element());
    BOOST_TEST(!p.has_partial_event());
}

// ---------------------------------------------------------------------------------------------
// Real provider streams
// ---------------------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(aisdk_chunk_files) {
    auto const streams = load_aisdk();
    std::mt19937 rng(42);
    split_stats stats;
    std::size_t with_done = 0, with_event = 0;
    for (auto const& s : streams) {
        BOOST_TEST_CONTEXT("fixture aisdk/" << s.name) {
            result const r = parse(s.wire);
            // Exactly one event per line, its data the line itself (plus [DONE]).
            BOOST_TEST(r.events.size() == s.lines.size() + (s.done ? 1 : 0));
            BOOST_TEST(!r.partial);
            for (std::size_t i = 0; i < r.events.size() && i < s.lines.size(); ++i) {
                BOOST_TEST(r.events[i].data == s.lines[i], "line " << i);
                BOOST_TEST(r.events[i].event == (s.types.empty() ? "" : s.types[i]));
                BOOST_TEST(r.events[i].id.empty());
                BOOST_TEST(!r.events[i].retry.has_value());
            }
            if (s.done && !r.events.empty())
                BOOST_TEST(r.events.back().data == "[DONE]");
            with_done += s.done ? 1 : 0;
            with_event += s.types.empty() ? 0 : 1;
            check_fixture_splits("aisdk/" + s.name, s.wire, r, rng, stats);
        }
    }
    BOOST_TEST_MESSAGE("sse: replayed " << stats.streams << " aisdk chunk files (" << with_event
                                        << " with event: lines, " << with_done
                                        << " ending with [DONE]); " << stats.two_way
                                        << " two-way splits, every split point for "
                                        << stats.exhaustive << " of them");
    // The fixtures hold 96 such files; fewer means the path or the search is broken.
    BOOST_TEST(streams.size() >= 96u);
}

BOOST_AUTO_TEST_CASE(rig_sse_cassettes) {
    auto const& streams = rig();
    std::mt19937 rng(7);
    split_stats stats;
    std::size_t events_seen = 0, truncated = 0;
    for (auto const& s : streams.sse) {
        BOOST_TEST_CONTEXT("fixture rig/" << s.name) {
            result const r = parse(s.body);
            expected_blocks const blocks = split_blocks(s.body);
            BOOST_TEST(r.events.size() == blocks.data.size());
            BOOST_TEST(r.partial == blocks.truncated);
            truncated += blocks.truncated ? 1 : 0;
            for (std::size_t i = 0; i < r.events.size(); ++i) {
                sse_event const& e = r.events[i];
                if (i < blocks.data.size())
                    BOOST_TEST(e.data == blocks.data[i], "event " << i);
                BOOST_TEST((e.data == "[DONE]" || is_json(e.data)), "event " << i);
                // Where both name the event, the SSE event field and the payload's "type"
                // agree (Anthropic, OpenAI Responses, Cohere, xAI).
                if (!e.event.empty() && e.data != "[DONE]") {
                    json::value const v = json::parse(e.data);
                    if (v.is_object() && v.as_object().contains("type") && v.at("type").is_string())
                        BOOST_TEST(e.event == v.at("type").as_string(), "event " << i);
                }
            }
            events_seen += r.events.size();
            check_fixture_splits("rig/" + s.name, s.body, r, rng, stats);
        }
    }
    BOOST_TEST_MESSAGE("sse: replayed "
                       << stats.streams << " rig SSE responses (" << events_seen << " events, "
                       << truncated << " truncated); " << stats.two_way
                       << " two-way splits, every split point for " << stats.exhaustive
                       << " of them");
    BOOST_TEST_MESSAGE("sse: skipped " << streams.stream_errors.size()
                                       << " rig exchanges that asked for a stream but got a "
                                          "JSON error body (not a stream), and "
                                       << streams.not_streamed << " non-streaming exchanges");
    for (auto const& name : streams.stream_errors)
        BOOST_TEST_MESSAGE("  skipped: " << name);
    BOOST_TEST(streams.sse.size() >= 422u);
}

BOOST_AUTO_TEST_SUITE_END()
