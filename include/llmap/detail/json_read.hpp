//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_JSON_READ_HPP
#define LLMAP_DETAIL_JSON_READ_HPP

#include <llmap/error.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmap::detail {

// Lenient readers for provider answers: a provider may omit a field or send null where its
// documentation says a value, and that must not be an error; a value of the wrong type is.

/// `errc::malformed_response` with a message naming the provider and what was wrong.
[[noreturn, gnu::cold]] inline void throw_malformed(std::string_view provider,
                                                    std::string_view what) {
    throw error(errc::malformed_response, "llmap: malformed response from " +
                                              std::string(provider) + ": " + std::string(what));
}

/// The member `key` of `o` if present and not null.
inline const boost::json::value* member(const boost::json::object& o, std::string_view key) {
    const boost::json::value* v = o.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
}

/// The object member `key` of `o`, or null when absent; throws when it is not an object.
inline const boost::json::object* object_member(const boost::json::object& o, std::string_view key,
                                                std::string_view provider) {
    const boost::json::value* v = member(o, key);
    if (!v)
        return nullptr;
    if (!v->is_object())
        throw_malformed(provider, "\"" + std::string(key) + "\" is not an object");
    return &v->get_object();
}

/// The array member `key` of `o`, or null when absent; throws when it is not an array.
inline const boost::json::array* array_member(const boost::json::object& o, std::string_view key,
                                              std::string_view provider) {
    const boost::json::value* v = member(o, key);
    if (!v)
        return nullptr;
    if (!v->is_array())
        throw_malformed(provider, "\"" + std::string(key) + "\" is not an array");
    return &v->get_array();
}

/// The string member `key` of `o`, or empty when absent; throws when it is not a string.
inline std::string_view string_member(const boost::json::object& o, std::string_view key,
                                      std::string_view provider) {
    const boost::json::value* v = member(o, key);
    if (!v)
        return {};
    if (!v->is_string())
        throw_malformed(provider, "\"" + std::string(key) + "\" is not a string");
    return v->get_string();
}

/// The integer member `key` of `o` (a token count), or nullopt when absent; throws when it is
/// not a non-negative integer (a double with an integral value is accepted).
inline std::optional<std::int64_t> count_member(const boost::json::object& o, std::string_view key,
                                                std::string_view provider) {
    const boost::json::value* v = member(o, key);
    if (!v)
        return std::nullopt;
    if (v->is_int64() && v->get_int64() >= 0)
        return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double()) {
        double const d = v->get_double();
        if (d >= 0 && d < 9.0e18 && std::floor(d) == d)
            return static_cast<std::int64_t>(d);
    }
    throw_malformed(provider, "\"" + std::string(key) + "\" is not a token count");
}

/// The floats of a JSON array of numbers (an embedding); throws when an element is not a
/// number.
inline std::vector<float> float_array(const boost::json::array& a, std::string_view provider) {
    std::vector<float> out;
    out.reserve(a.size());
    for (auto const& v : a) {
        if (v.is_double())
            out.push_back(static_cast<float>(v.get_double()));
        else if (v.is_int64()) // a whole number written without a point: 0, 1, -1
            out.push_back(static_cast<float>(v.get_int64()));
        else if (v.is_uint64())
            out.push_back(static_cast<float>(v.get_uint64()));
        else
            throw_malformed(provider, "an embedding holds a value that is not a number");
    }
    return out;
}

} // namespace llmap::detail

#endif
