//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_JSON_PREFIX_HPP
#define LLMAP_DETAIL_JSON_PREFIX_HPP

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace llmap::detail {

/** The value a prefix of a JSON text stands for so far: the prefix cut back to its last
    complete member or element, a string value in progress closed, and every open object and
    array closed. Nothing is guessed: a member whose value has not begun, a number or literal
    that may still grow, and a trailing comma are left out.

    Returns nothing when the prefix holds no value yet (or is not the beginning of JSON).
    Used for the partial values of a streamed structured answer: each is a repaired prefix of
    the final text, so members appear in the order the model writes them and never change
    once complete, except the string in progress, which grows.
*/
inline std::optional<boost::json::value> json_prefix_value(std::string_view text) {
    // Skip whatever precedes the value (a Markdown fence, a sentence).
    std::size_t const start = text.find_first_of("{[");
    if (start == std::string_view::npos)
        return std::nullopt;
    text.remove_prefix(start);

    enum phase : char {
        opened,     // just after '{' or '[': closing here is valid
        want_key,   // after ',' in an object
        want_colon, // after a key
        want_value, // after ':' or ',' in an array
        have_value  // after a complete member or element
    };
    std::string stack_close; // the closers of the open containers, innermost last
    std::string phases;      // the phase of each open container
    std::size_t safe_len = 0;
    std::string safe_close;
    bool have_safe = false;

    auto mark_safe = [&](std::size_t len) {
        safe_len = len;
        safe_close.assign(stack_close.rbegin(), stack_close.rend());
        have_safe = true;
    };
    auto value_done = [&](std::size_t end) {
        if (phases.empty())
            return;
        phases.back() = have_value;
        mark_safe(end);
    };

    std::size_t i = 0;
    std::size_t const n = text.size();
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (i < n) {
        char const c = text[i];
        if (is_space(c)) {
            ++i;
            continue;
        }
        if (phases.empty() && i != 0)
            break; // the root value is complete: what follows is not part of it
        char const at = phases.empty() ? char(want_value) : phases.back();
        if (c == '{' || c == '[') {
            if (at != want_value && at != opened)
                return std::nullopt;
            if (at == opened && stack_close.back() == '}')
                return std::nullopt; // a container where a key belongs
            stack_close.push_back(c == '{' ? '}' : ']');
            phases.push_back(opened);
            ++i;
            mark_safe(i);
            continue;
        }
        if (c == '}' || c == ']') {
            if (stack_close.empty() || stack_close.back() != c)
                return std::nullopt;
            if (at != opened && at != have_value)
                return std::nullopt;
            stack_close.pop_back();
            phases.pop_back();
            ++i;
            if (phases.empty()) {
                mark_safe(i);
                break;
            }
            value_done(i);
            continue;
        }
        if (c == ',') {
            if (at != have_value)
                return std::nullopt;
            phases.back() = stack_close.back() == '}' ? want_key : want_value;
            ++i;
            continue;
        }
        if (c == ':') {
            if (at != want_colon)
                return std::nullopt;
            phases.back() = want_value;
            ++i;
            continue;
        }
        if (c == '"') {
            bool const key = stack_close.back() == '}' && (at == opened || at == want_key);
            if (!key && at != want_value && !(at == opened && stack_close.back() == ']'))
                return std::nullopt;
            std::size_t j = i + 1;
            std::size_t cut = n; // where an unfinished escape begins
            bool closed = false;
            while (j < n) {
                if (text[j] == '\\') {
                    std::size_t const len = j + 1 < n && text[j + 1] == 'u' ? 6 : 2;
                    if (j + len > n) {
                        cut = j;
                        break;
                    }
                    j += len;
                    continue;
                }
                if (text[j] == '"') {
                    closed = true;
                    break;
                }
                ++j;
            }
            if (!closed) {
                if (key)
                    break; // a key in progress: the last safe point stands
                // A string value in progress: close it, leaving out an unfinished escape.
                std::string candidate(text.substr(0, cut));
                candidate += '"';
                candidate.append(stack_close.rbegin(), stack_close.rend());
                boost::system::error_code ec;
                auto v = boost::json::parse(candidate, ec);
                if (!ec)
                    return v;
                break;
            }
            i = j + 1;
            if (key)
                phases.back() = want_colon;
            else
                value_done(i);
            continue;
        }
        // A number or a literal: complete only once something follows it.
        if (at != want_value && !(at == opened && stack_close.back() == ']'))
            return std::nullopt;
        std::size_t j = i;
        while (j < n && !is_space(text[j]) && text[j] != ',' && text[j] != '}' && text[j] != ']')
            ++j;
        if (j == n)
            break; // it may still grow ("1" of "12", "tru" of "true")
        i = j;
        value_done(i);
    }
    if (!have_safe)
        return std::nullopt;
    std::string candidate(text.substr(0, safe_len));
    candidate += safe_close;
    boost::system::error_code ec;
    auto v = boost::json::parse(candidate, ec);
    if (ec)
        return std::nullopt;
    return v;
}

} // namespace llmap::detail

#endif
