//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_FROM_JSON_HPP
#define LLMAP_FROM_JSON_HPP

#include <llmap/detail/json_type.hpp>
#include <llmap/error.hpp>

#include <boost/assert/source_location.hpp>
#include <boost/describe/enumerators.hpp>
#include <boost/json/error.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>
#include <boost/system/result.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

/** Why a JSON value does not parse into a C++ type: the first mismatch.

    @li `path`: where, as a JSONPath from the root `$` (`$.items[2].name`,
        `$["a key"]`);
    @li `expected`: what the type needs there (`"string"`, `"integer in [0, 255]"`,
        `"one of \"red\", \"green\""`);
    @li `found`: what the JSON has (`"number 3.5"`, `"null"`, `"nothing"` for a missing
        member, or the syntax error when the text is not JSON at all).
*/
struct json_mismatch {
    std::string path{"$"};
    std::string expected{};
    std::string found{};

    /// `"$.items[2].name: expected string, found number 3"`.
    std::string message() const { return path + ": expected " + expected + ", found " + found; }

    bool operator==(const json_mismatch&) const = default;
};

/// Throw `llmap::error` with `errc::invalid_output` for `m` (so `result<T, json_mismatch>`'s
/// `value()` throws the library's exception).
[[noreturn]] inline void throw_exception_from_error(const json_mismatch& m,
                                                    const boost::source_location& = {}) {
    throw error(errc::invalid_output,
                "llmap: the output does not match the requested type: " + m.message());
}

namespace detail {

class json_reader {
public:
    template <class T>
    bool read(const boost::json::value& v, T& out) {
        constexpr json_kind k = checked_json_kind<T>();
        if constexpr (k == json_kind::boolean) {
            if (!v.is_bool())
                return fail("boolean", v);
            out = v.get_bool();
            return true;
        } else if constexpr (k == json_kind::integer) {
            return read_integer(v, out);
        } else if constexpr (k == json_kind::number) {
            double d = 0;
            if (v.is_double())
                d = v.get_double();
            else if (v.is_int64())
                d = static_cast<double>(v.get_int64());
            else if (v.is_uint64())
                d = static_cast<double>(v.get_uint64());
            else
                return fail("number", v);
            if constexpr (sizeof(T) < sizeof(double))
                if (std::fabs(d) > static_cast<double>(std::numeric_limits<T>::max()))
                    return fail("number in the range of float", v);
            out = static_cast<T>(d);
            return true;
        } else if constexpr (k == json_kind::string) {
            if (!v.is_string())
                return fail("string", v);
            out.assign(v.get_string().data(), v.get_string().size());
            return true;
        } else if constexpr (k == json_kind::any) {
            out = v;
            return true;
        } else if constexpr (k == json_kind::any_object) {
            if (!v.is_object())
                return fail("object", v);
            out = v.get_object();
            return true;
        } else if constexpr (k == json_kind::described_enum) {
            bool found = false;
            if (v.is_string())
                boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto e) {
                    if (!found && v.get_string() == decltype(e)::name) {
                        out = decltype(e)::value;
                        found = true;
                    }
                });
            return found || fail(enum_names<T>(), v);
        } else if constexpr (k == json_kind::optional) {
            if (v.is_null()) {
                out.reset();
                return true;
            }
            typename optional_traits<T>::value_type inner{};
            if (!read(v, inner))
                return false;
            out = std::move(inner);
            return true;
        } else if constexpr (k == json_kind::sequence) {
            if (!v.is_array())
                return fail("array", v);
            auto const& a = v.get_array();
            out.clear();
            out.reserve(a.size());
            for (std::size_t i = 0; i != a.size(); ++i) {
                typename vector_traits<T>::value_type e{};
                path_.push_back({{}, i, true});
                if (!read(a[i], e))
                    return false;
                path_.pop_back();
                out.push_back(std::move(e));
            }
            return true;
        } else if constexpr (k == json_kind::fixed_list) {
            constexpr std::size_t n = array_traits<T>::size;
            if (!v.is_array() || v.get_array().size() != n)
                return fail("array of " + std::to_string(n) + " items", v);
            auto const& a = v.get_array();
            for (std::size_t i = 0; i != n; ++i) {
                path_.push_back({{}, i, true});
                if (!read(a[i], out[i]))
                    return false;
                path_.pop_back();
            }
            return true;
        } else if constexpr (k == json_kind::string_map) {
            if (!v.is_object())
                return fail("object", v);
            out.clear();
            for (auto const& kv : v.get_object()) {
                typename map_traits<T>::mapped_type e{};
                path_.push_back({kv.key(), 0, false});
                if (!read(kv.value(), e))
                    return false;
                path_.pop_back();
                out.emplace(std::string(kv.key()), std::move(e));
            }
            return true;
        } else if constexpr (k == json_kind::variant) {
            return read_variant(v, out);
        } else {
            return read_struct(v, out);
        }
    }

    json_mismatch mismatch;

private:
    struct segment {
        std::string_view key;
        std::size_t index;
        bool is_index;
    };
    std::vector<segment> path_;

    static std::string found_of(const boost::json::value& v) {
        switch (v.kind()) {
        case boost::json::kind::null:
            return "null";
        case boost::json::kind::bool_:
            return v.get_bool() ? "true" : "false";
        case boost::json::kind::int64:
            return "integer " + std::to_string(v.get_int64());
        case boost::json::kind::uint64:
            return "integer " + std::to_string(v.get_uint64());
        case boost::json::kind::double_:
            return "number " + boost::json::serialize(v);
        case boost::json::kind::string: {
            std::string_view s = v.get_string();
            bool const cut = s.size() > 40;
            return "string \"" + std::string(s.substr(0, 40)) + (cut ? "...\"" : "\"");
        }
        case boost::json::kind::array:
            return "array";
        case boost::json::kind::object:
            return "object";
        }
        return "value";
    }

    static bool is_identifier(std::string_view k) {
        if (k.empty() || (k[0] >= '0' && k[0] <= '9'))
            return false;
        for (char c : k)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_'))
                return false;
        return true;
    }

    std::string path_string() const {
        std::string p = "$";
        for (auto const& s : path_) {
            if (s.is_index)
                p += "[" + std::to_string(s.index) + "]";
            else if (is_identifier(s.key))
                p += "." + std::string(s.key);
            else
                p += boost::json::serialize(boost::json::value(s.key)) // quoted, escaped
                         .insert(0, "[")
                         .append("]");
        }
        return p;
    }

    bool fail_found(std::string expected, std::string found) {
        mismatch = {path_string(), std::move(expected), std::move(found)};
        return false;
    }

    bool fail(std::string expected, const boost::json::value& v) {
        return fail_found(std::move(expected), found_of(v));
    }

    template <class T>
    static std::string enum_names() {
        std::string s = "one of ";
        bool first = true;
        boost::mp11::mp_for_each<boost::describe::describe_enumerators<T>>([&](auto e) {
            s += (first ? "\"" : ", \"") + std::string(decltype(e)::name) + "\"";
            first = false;
        });
        return s;
    }

    template <class T>
    static std::string integer_expected() {
        if constexpr (sizeof(T) < sizeof(std::int64_t))
            return "integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                   std::to_string(std::numeric_limits<T>::max()) + "]";
        else if constexpr (std::is_unsigned_v<T>)
            return "integer in [0, " + std::to_string(std::numeric_limits<T>::max()) + "]";
        else
            return "integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                   std::to_string(std::numeric_limits<T>::max()) + "]";
    }

    // An integer is read exactly from a JSON integer of any size; a JSON number with a
    // fraction or an exponent (Boost.JSON reads `1e3` and `2.0` as doubles) is accepted only
    // when its value is a whole number, since models sometimes write `2.0` for 2.
    template <class T>
    bool read_integer(const boost::json::value& v, T& out) {
        bool neg = false;
        std::uint64_t mag = 0; // |value|
        if (v.is_int64()) {
            std::int64_t const i = v.get_int64();
            neg = i < 0;
            mag = neg ? std::uint64_t(0) - static_cast<std::uint64_t>(i)
                      : static_cast<std::uint64_t>(i);
        } else if (v.is_uint64()) {
            mag = v.get_uint64();
        } else if (v.is_double()) {
            double const d = v.get_double();
            if (!std::isfinite(d) || std::floor(d) != d || std::fabs(d) >= 18446744073709551616.0)
                return fail(integer_expected<T>(), v);
            neg = d < 0;
            mag = static_cast<std::uint64_t>(std::fabs(d));
        } else {
            return fail(integer_expected<T>(), v);
        }
        if constexpr (std::is_unsigned_v<T>) {
            if ((neg && mag != 0) || mag > std::numeric_limits<T>::max())
                return fail(integer_expected<T>(), v);
            out = static_cast<T>(mag);
        } else {
            auto const max = static_cast<std::uint64_t>(std::numeric_limits<T>::max());
            if (neg ? mag > max + 1 : mag > max)
                return fail(integer_expected<T>(), v);
            out =
                neg ? static_cast<T>(-static_cast<std::int64_t>(mag - 1) - 1) : static_cast<T>(mag);
        }
        return true;
    }

    template <class T>
    bool read_struct(const boost::json::value& v, T& out) {
        if (!v.is_object())
            return fail("object", v);
        auto const& o = v.get_object();
        bool ok = true;
        boost::mp11::mp_for_each<described_members_t<T>>([&](auto d) {
            if (!ok)
                return;
            auto& member = out.*decltype(d)::pointer;
            using M = std::remove_cvref_t<decltype(member)>;
            std::string_view const name = decltype(d)::name;
            path_.push_back({name, 0, false});
            if (const boost::json::value* m = o.if_contains(name)) {
                ok = read(*m, member);
            } else if constexpr (optional_traits<M>::value) {
                member.reset();
            } else {
                ok = fail_found(expected_of<M>(), "nothing (the member is missing)");
            }
            if (ok)
                path_.pop_back();
        });
        return ok;
    }

    // What a missing member should have been: the kind, without reading anything.
    template <class M>
    static std::string expected_of() {
        constexpr json_kind k = json_kind_of<M>();
        if constexpr (k == json_kind::boolean)
            return "boolean";
        else if constexpr (k == json_kind::integer)
            return integer_expected<M>();
        else if constexpr (k == json_kind::number)
            return "number";
        else if constexpr (k == json_kind::string)
            return "string";
        else if constexpr (k == json_kind::described_enum)
            return enum_names<M>();
        else if constexpr (k == json_kind::sequence || k == json_kind::fixed_list)
            return "array";
        else if constexpr (k == json_kind::variant)
            return "a value of one of the variant's alternatives";
        else if constexpr (k == json_kind::any)
            return "a value";
        else
            return "object";
    }

    // The first alternative that reads wins. When none does, the reported mismatch is the
    // one that got deepest into the value: the alternative the model most likely meant.
    struct variant_attempt {
        std::size_t depth;          // the path's length at the variant
        std::size_t best_depth = 0; // the deepest failure so far
        json_mismatch best{};
    };

    template <class A, class V>
    bool read_alternative(const boost::json::value& v, V& out, variant_attempt& a) {
        A alternative{};
        if (read(v, alternative)) {
            out = std::move(alternative);
            return true;
        }
        if (path_.size() > a.best_depth) {
            a.best = mismatch;
            a.best_depth = path_.size();
        }
        path_.resize(a.depth);
        return false;
    }

    template <class V>
    bool read_variant(const boost::json::value& v, V& out) {
        variant_attempt a{path_.size(), path_.size()};
        bool const done = [&]<class... Ts>(std::variant<Ts...>*) {
            return (read_alternative<Ts>(v, out, a) || ...);
        }(static_cast<V*>(nullptr));
        if (done)
            return true;
        if (a.best_depth == a.depth) // no alternative got past the value itself
            return fail("a value of one of the variant's alternatives", v);
        mismatch = std::move(a.best);
        return false;
    }
};

/// The JSON text inside a model's answer (see `llmap::json_text_of`).
inline std::string_view trim_blanks(std::string_view s) {
    auto const blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace detail

/** Parse a JSON value into `T`, or say where and why it does not fit.

    `T` is any type `llmap::json_schema<T>()` describes, and the rules are that schema's,
    read with the leniency a model's answer needs:

    @li a struct needs a JSON object; a member that is absent is an error unless it is a
        `std::optional` (then empty); members the struct does not have are ignored (prompted
        models add some; strict providers never send them);
    @li `null` is accepted only for a `std::optional` (empty), never for another type;
    @li an integer type takes a JSON integer within its range (`300` for a `std::uint8_t` is
        an error; 64-bit values are exact); a number with a fraction is an error, but a whole
        number written as one (`2.0`, `1e3`) is accepted;
    @li `float` / `double` take any JSON number; a `float` out of its range is an error;
    @li an enum takes the name of one of its enumerators, case-sensitive;
    @li `std::array<T, N>` takes exactly N items; a map takes an object;
    @li `std::variant` takes the first alternative, in order, that parses; when none does,
        the mismatch reported is the one of the alternative that got deepest into the value;
    @li `boost::json::value` takes anything.

    Limits from `LLMAP_DESCRIBE_SCHEMA` (lengths, patterns, minimum, ...) are instructions to
    the model and are not checked here. A described struct must be default-constructible.

    @return The value, or the first mismatch.
*/
template <class T>
boost::system::result<T, json_mismatch> try_from_json(const boost::json::value& v) {
    detail::json_reader r;
    T out{};
    if (!r.read(v, out))
        return std::move(r.mismatch);
    return out;
}

/** Parse a JSON value into `T` (the rules of `llmap::try_from_json`).

    @throws llmap::error with `errc::invalid_output` and a message with the JSON path of the
    first mismatch, what was expected there and what was found.
*/
template <class T>
T from_json(const boost::json::value& v) {
    return try_from_json<T>(v).value();
}

/** Return the JSON text in a model's answer.

    Prompted models often wrap JSON in a Markdown code fence (```` ```json ... ``` ````), or
    write a sentence before the fenced block. The rules: surrounding blanks are dropped; an
    answer that starts with a fence gives the fence's content; otherwise the first block
    fenced as ```` ```json ```` gives its content; otherwise the whole (trimmed) answer is
    the JSON text. Nothing else is guessed.
*/
inline std::string_view json_text_of(std::string_view answer) {
    std::string_view s = detail::trim_blanks(answer);
    auto const fenced = [](std::string_view from) -> std::string_view {
        // `from` starts at "```": skip the info string ("json") up to the end of the line.
        auto const eol = from.find('\n');
        if (eol == std::string_view::npos)
            return {};
        std::string_view body = from.substr(eol + 1);
        auto const close = body.find("```");
        return detail::trim_blanks(close == std::string_view::npos ? body : body.substr(0, close));
    };
    if (s.starts_with("```"))
        return fenced(s);
    if (auto const at = s.find("```json"); at != std::string_view::npos)
        return fenced(s.substr(at));
    return s;
}

/** Parse a model's answer, as text, into `T`: `llmap::json_text_of`, then the JSON syntax,
    then `llmap::try_from_json<T>`.

    @return The value, or the first mismatch: when the text is not JSON, `path` is `$`,
    `expected` is `"JSON text"` and `found` gives the syntax error and its offset.
*/
template <class T>
boost::system::result<T, json_mismatch> try_parse_output(std::string_view answer) {
    std::string_view const text = json_text_of(answer);
    boost::json::stream_parser p;
    boost::system::error_code ec;
    std::size_t const used = p.write_some(text.data(), text.size(), ec);
    if (!ec && used != text.size())
        ec = boost::json::error::extra_data;
    if (!ec)
        p.finish(ec);
    if (ec)
        return json_mismatch{"$", "JSON text",
                             ec.message() + " at offset " + std::to_string(used) + " of " +
                                 std::to_string(text.size())};
    return try_from_json<T>(p.release());
}

/** Parse a model's answer, as text, into `T` (see `llmap::try_parse_output`).

    @throws llmap::error with `errc::invalid_output` when the text is not JSON or does not
    fit `T`; the message has the JSON path of the first mismatch.
*/
template <class T>
T parse_output(std::string_view answer) {
    return try_parse_output<T>(answer).value();
}

} // namespace llmap

#endif
