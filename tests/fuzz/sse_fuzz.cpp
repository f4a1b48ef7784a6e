//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// libFuzzer target of llmap::http::sse_parser. The body of the input (see harness.hpp) is
// parsed three times, fed whole, byte by byte and in chunks the input chooses, and the three
// outcomes must be identical: the events, the error thrown (llmap::error only), and the
// parser's state at the end. Also checked: the size bound the parser documents, and that a
// failed parser throws the same error again.

#include "harness.hpp"

#include <llmap/http/sse.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using llmap::http::sse_event;
using llmap::http::sse_parser;
using llmap_fuzz::feeding;

struct outcome {
    std::vector<sse_event> events;
    std::string error; // empty when no feed threw
    bool partial = false;
    bool failed = false;
    std::string last_event_id;
    std::optional<std::uint64_t> retry;

    bool operator==(const outcome&) const = default;
};

std::string show(const sse_event& e) {
    using llmap_fuzz::quoted;
    return "{event " + quoted(e.event) + ", data " + quoted(e.data) + ", id " + quoted(e.id) +
           ", retry " + (e.retry ? std::to_string(*e.retry) : std::string("none")) + "}";
}

outcome parse(const llmap_fuzz::feed_plan& plan, feeding how) {
    sse_parser parser(plan.limit);
    outcome out;
    // Fed byte by byte, the callback moves the strings out, as the parser allows: that must
    // change nothing for the next events.
    bool const steal = how == feeding::bytewise;
    out.error = llmap_fuzz::only_llmap_errors("sse_parser::feed", [&] {
        llmap_fuzz::feed(plan, how, [&](std::string_view chunk) {
            parser.feed(chunk, [&](sse_event& e) {
                if (e.data.size() + e.event.size() > plan.limit || e.id.size() > plan.limit)
                    llmap_fuzz::fail("an event larger than max_event_size " +
                                     std::to_string(plan.limit) + ": " + show(e));
                if (steal)
                    out.events.push_back(std::move(e));
                else
                    out.events.push_back(e);
            });
        });
    });
    if (!out.error.empty())
        llmap_fuzz::check_stays_failed(parser, out.error, "data: x\n\n");
    out.partial = parser.has_partial_event();
    out.failed = parser.failed();
    out.last_event_id = parser.last_event_id();
    out.retry = parser.retry();
    return out;
}

void compare(const outcome& a, const outcome& b, feeding how) {
    if (a == b)
        return;
    std::string why = std::string("fed whole and fed ") + llmap_fuzz::name(how) + " differ: ";
    if (auto const diff = llmap_fuzz::first_difference(a.events, b.events, "event", show);
        !diff.empty())
        why += diff;
    else if (a.error != b.error)
        why += "error \"" + a.error + "\" vs \"" + b.error + "\"";
    else
        why += "end state (partial " + std::to_string(a.partial) + "/" + std::to_string(b.partial) +
               ", failed " + std::to_string(a.failed) + "/" + std::to_string(b.failed) +
               ", last id " + llmap_fuzz::quoted(a.last_event_id) + "/" +
               llmap_fuzz::quoted(b.last_event_id) + ")";
    llmap_fuzz::fail(why);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto const plan = llmap_fuzz::read_plan(data, size, sse_parser::default_max_event_size);
    outcome const whole = parse(plan, feeding::whole);
    compare(whole, parse(plan, feeding::bytewise), feeding::bytewise);
    compare(whole, parse(plan, feeding::planned), feeding::planned);
    return 0;
}
