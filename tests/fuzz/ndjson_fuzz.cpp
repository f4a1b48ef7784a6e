//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target of llmap::http::ndjson_parser. The body of the input (see harness.hpp) is
// split three times, fed whole, byte by byte and in chunks the input chooses, and the three
// outcomes must be identical: the lines, the error thrown (llmap::error only), and the
// parser's state at the end. Also checked: every line is non-empty, has no LF and respects
// max_line_size, and a failed parser throws the same error again.

#include "harness.hpp"

#include <llmap/http/ndjson.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using llmap::http::ndjson_parser;
using llmap_fuzz::feeding;

struct outcome {
    std::vector<std::string> lines;
    std::string error; // empty when no feed threw
    bool partial = false;
    bool failed = false;

    bool operator==(const outcome&) const = default;
};

outcome parse(const llmap_fuzz::feed_plan& plan, feeding how) {
    ndjson_parser parser(plan.limit);
    outcome out;
    out.error = llmap_fuzz::only_llmap_errors("ndjson_parser::feed", [&] {
        llmap_fuzz::feed(plan, how, [&](std::string_view chunk) {
            parser.feed(chunk, [&](std::string_view line) {
                if (line.empty() || line.find('\n') != std::string_view::npos ||
                    line.size() > plan.limit)
                    llmap_fuzz::fail("a line that is empty, holds a LF or exceeds " +
                                     std::to_string(plan.limit) +
                                     " bytes: " + llmap_fuzz::quoted(line));
                out.lines.emplace_back(line);
            });
        });
    });
    if (!out.error.empty())
        llmap_fuzz::check_stays_failed(parser, out.error, "{}\n");
    out.partial = parser.has_partial_line();
    out.failed = parser.failed();
    return out;
}

void compare(const outcome& a, const outcome& b, feeding how) {
    if (a == b)
        return;
    std::string why = std::string("fed whole and fed ") + llmap_fuzz::name(how) + " differ: ";
    if (auto const diff = llmap_fuzz::first_difference(
            a.lines, b.lines, "line", [](const std::string& l) { return llmap_fuzz::quoted(l); });
        !diff.empty())
        why += diff;
    else if (a.error != b.error)
        why += "error \"" + a.error + "\" vs \"" + b.error + "\"";
    else
        why += "end state (partial " + std::to_string(a.partial) + "/" + std::to_string(b.partial) +
               ", failed " + std::to_string(a.failed) + "/" + std::to_string(b.failed) + ")";
    llmap_fuzz::fail(why);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto const plan = llmap_fuzz::read_plan(data, size, ndjson_parser::default_max_line_size);
    outcome const whole = parse(plan, feeding::whole);
    compare(whole, parse(plan, feeding::bytewise), feeding::bytewise);
    compare(whole, parse(plan, feeding::planned), feeding::planned);
    return 0;
}
