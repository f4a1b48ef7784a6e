//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// What the fuzz targets share: how a fuzz input is read as a body and a way of cutting it
// into chunks, and how a broken property is reported (on stderr, then abort(), which
// libFuzzer reports as a crash and saves the input for).

#ifndef LLMAP_TESTS_FUZZ_HARNESS_HPP
#define LLMAP_TESTS_FUZZ_HARNESS_HPP

#include <llmap/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

namespace llmap_fuzz {

/** A fuzz input of a framing target, read as `[limit] [n] [n chunk lengths] [body]`.

    The header lets the fuzzer choose the parser's size limit and the cuts of the body, so
    that it can steer both towards a difference; an input too short for its header is all
    body. A seed made from a recording starts with `seed_header`.
*/
struct feed_plan {
    std::size_t limit = 0;
    std::vector<std::size_t> lengths; // of the chunks, used in turn; 0 feeds an empty chunk
    std::string_view body;
};

/// The header of a seed: the default limit, and chunks of 1, 13 and 200 bytes in turn.
inline constexpr std::string_view seed_header{"\xFF\x03\x01\x0D\xC8", 5};

/** Read `data` as a feed_plan.

    A first byte with its high bit set keeps `default_limit`; otherwise the limit is small
    (1 to 1017 bytes), so that the size errors are reached with short inputs.
*/
inline feed_plan read_plan(const std::uint8_t* data, std::size_t size, std::size_t default_limit) {
    feed_plan p;
    p.limit = default_limit;
    std::size_t const n = size >= 2 ? data[1] % 17u : 0;
    if (size < 2 + n) {
        p.body = std::string_view(reinterpret_cast<const char*>(data), size);
        return p;
    }
    if ((data[0] & 0x80u) == 0)
        p.limit = 1 + std::size_t{data[0]} * 8;
    for (std::size_t i = 0; i != n; ++i)
        p.lengths.push_back(data[2 + i]);
    p.body = std::string_view(reinterpret_cast<const char*>(data) + 2 + n, size - 2 - n);
    return p;
}

/// The three ways a body is fed to a parser, whose results must not differ.
enum class feeding {
    whole,    ///< one chunk
    bytewise, ///< one byte at a time
    planned   ///< in the chunks of feed_plan::lengths (whole when there are none)
};

inline const char* name(feeding f) noexcept {
    switch (f) {
    case feeding::whole:
        return "whole";
    case feeding::bytewise:
        return "byte by byte";
    case feeding::planned:
        return "in the input's chunks";
    }
    return "?";
}

/// Call `sink(chunk)` for each chunk of `p.body` cut as `f` says.
template <class Sink>
void feed(const feed_plan& p, feeding f, Sink&& sink) {
    std::string_view const body = p.body;
    if (f == feeding::whole || (f == feeding::planned && p.lengths.empty())) {
        sink(body);
        return;
    }
    if (f == feeding::bytewise) {
        for (std::size_t i = 0; i != body.size(); ++i)
            sink(body.substr(i, 1));
        return;
    }
    std::size_t at = 0;
    std::size_t turn = 0;
    std::size_t empties = 0; // consecutive empty chunks: all-zero lengths must still end
    while (at < body.size()) {
        std::size_t const len = p.lengths[turn++ % p.lengths.size()];
        if (len == 0 && ++empties > p.lengths.size()) {
            sink(body.substr(at));
            return;
        }
        if (len != 0)
            empties = 0;
        sink(body.substr(at, len));
        at += len;
    }
}

/// `s` quoted, with its control and non-ASCII bytes as \xNN: a CR left in a line shows.
inline std::string quoted(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = "\"";
    for (char c : s) {
        auto const b = static_cast<unsigned char>(c);
        if (b < 0x20 || b >= 0x7F || c == '"' || c == '\\') {
            out += "\\x";
            out += hex[b >> 4];
            out += hex[b & 0x0F];
        } else {
            out += c;
        }
    }
    return out + "\"";
}

/// An llmap::error as one comparable line: its code and its message.
inline std::string describe(const llmap::error& e) {
    return e.code().to_string() + ": " + e.what();
}

/// Report a broken property and abort (libFuzzer saves the input as a crash).
[[noreturn]] inline void fail(const std::string& what) {
    std::fprintf(stderr, "\n==llmap-fuzz== PROPERTY BROKEN: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

/** Run `f`, which may throw only llmap::error (the library's one exception type).

    @return the llmap::error thrown, described, or empty when `f` returned.
*/
template <class F>
std::string only_llmap_errors(const char* what, F&& f) {
    try {
        f();
    } catch (const llmap::error& e) {
        if (e.code().category() != llmap::error_category())
            fail(std::string(what) +
                 " threw an llmap::error outside llmap's category: " + describe(e));
        return describe(e);
    } catch (const std::exception& e) {
        fail(std::string(what) + " threw " + typeid(e).name() + " (not llmap::error): " + e.what());
    } catch (...) {
        fail(std::string(what) + " threw something that is not a std::exception");
    }
    return {};
}

/** Check a parser whose feed threw `first`: it says failed() and, fed again, throws the same
    error again and delivers nothing.
*/
template <class Parser>
void check_stays_failed(Parser& parser, const std::string& first, std::string_view probe) {
    if (!parser.failed())
        fail("feed threw (" + first + ") but failed() is false");
    std::string const again = only_llmap_errors("feed after a failure", [&] {
        parser.feed(probe, [](auto&&) { fail("a failed parser delivered something"); });
    });
    if (again != first)
        fail("a failed parser threw \"" + again + "\", first \"" + first + "\"");
}

/** The first difference of two lists of what a parser delivered, each item written by
    `show`, as "<what> <index> is <a's> vs <b's>"; empty when the lists are equal.
*/
template <class T, class Show>
std::string first_difference(const std::vector<T>& a, const std::vector<T>& b, const char* what,
                             Show show) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    if (i == a.size() && i == b.size())
        return {};
    return std::string(what) + " " + std::to_string(i) + " is " +
           (i < a.size() ? show(a[i]) : std::string("(none)")) + " vs " +
           (i < b.size() ? show(b[i]) : std::string("(none)"));
}

} // namespace llmap_fuzz

#endif
