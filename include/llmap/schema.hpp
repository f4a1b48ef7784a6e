//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_SCHEMA_HPP
#define LLMAP_SCHEMA_HPP

#include <llmap/detail/json_type.hpp>
#include <llmap/detail/schema_doc.hpp>

#include <boost/describe/class.hpp> // BOOST_DESCRIBE_STRUCT, for users
#include <boost/describe/enum.hpp>  // BOOST_DESCRIBE_ENUM, for users
#include <boost/describe/enumerators.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace llmap {
namespace detail {

/// The name of T as the compiler spells it (`ns::node`), for `$defs` keys.
template <class T>
constexpr std::string_view raw_type_name() {
#if defined(__clang__) || defined(__GNUC__)
    std::string_view const f = __PRETTY_FUNCTION__;
    // GCC: "... [with T = ns::node; ...]"; Clang: "... [T = ns::node]".
    auto const start = f.find("T = ") + 4;
    return f.substr(start, f.find_first_of(";]", start) - start);
#else
    return "type";
#endif
}

/// A `$defs` key from a type's name: unqualified, `[A-Za-z0-9_]` only (`pair<ns::a>` is
/// `pair_a`), so it needs no escaping in a JSON pointer and every provider accepts it.
inline std::string def_name(std::string_view full) {
    std::size_t start = 0;
    int depth = 0;
    for (std::size_t i = 0; i + 1 < full.size(); ++i) {
        if (full[i] == '<')
            ++depth;
        else if (full[i] == '>')
            --depth;
        else if (depth == 0 && full[i] == ':' && full[i + 1] == ':')
            start = i + 2;
    }
    std::string out;
    for (char c : full.substr(start)) {
        bool const word =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (word)
            out += c;
        else if (!out.empty() && out.back() != '_')
            out += '_';
    }
    while (!out.empty() && out.back() == '_')
        out.pop_back();
    return out.empty() ? std::string("type") : out;
}

template <class T>
inline constexpr char type_tag = 0;

/// `n` as a JSON number: an integer when it is one (so `1` is not written `1E0`).
inline boost::json::value json_number(double n) {
    if (std::floor(n) == n && std::fabs(n) < 9.0e15)
        return static_cast<std::int64_t>(n);
    return n;
}

/** Make `s` also accept `null`: `"type": [t, "null"]` when it has a plain type, else
    `anyOf` with `{"type": "null"}`. A schema that accepts null already is left as it is. */
inline void make_nullable(boost::json::object& s) {
    if (auto* t = s.if_contains("type"); t && !s.contains("enum") && !s.contains("const")) {
        if (t->is_string()) {
            if (t->get_string() != "null")
                *t = boost::json::array{t->get_string(), "null"};
            return;
        }
        if (t->is_array()) {
            auto& a = t->get_array();
            for (auto const& e : a)
                if (e.is_string() && e.get_string() == "null")
                    return;
            a.emplace_back("null");
            return;
        }
    }
    boost::json::object const null_schema{{"type", "null"}};
    if (auto* any = s.if_contains("anyOf"); any && any->is_array()) {
        for (auto const& e : any->get_array())
            if (e.is_object() && e.get_object() == null_schema)
                return;
        any->get_array().emplace_back(null_schema);
        return;
    }
    boost::json::object wrapped;
    wrapped["anyOf"] = boost::json::array{std::move(s), null_schema};
    s = std::move(wrapped);
}

inline void apply_limits(boost::json::object& s, const schema_limits& l) {
    if (l.minimum)
        s["minimum"] = json_number(*l.minimum);
    if (l.maximum)
        s["maximum"] = json_number(*l.maximum);
    if (l.min_length)
        s["minLength"] = *l.min_length;
    if (l.max_length)
        s["maxLength"] = *l.max_length;
    if (!l.pattern.empty())
        s["pattern"] = l.pattern;
    if (!l.format.empty())
        s["format"] = l.format;
    if (l.min_items)
        s["minItems"] = *l.min_items;
    if (l.max_items)
        s["maxItems"] = *l.max_items;
}

// Builds one schema document. A struct is written inline where it is used, except a struct
// that contains itself (through a vector, an optional, a map, ...): that one goes into
// `$defs` and is used through `$ref` — or, when it is the root type, refers to the root
// with `"$ref": "#"`, so that the root stays a plain object (which Anthropic's and OpenAI's
// tools require).
class schema_builder {
public:
    template <class T>
    boost::json::object document() {
        if constexpr (json_kind_of<T>() == json_kind::described_struct)
            root_ = &type_tag<T>;
        boost::json::object s = make<T>();
        if (!defs_.empty())
            s["$defs"] = std::move(defs_);
        return s;
    }

private:
    struct frame {
        const void* id;
        std::string name;
        bool recursive = false;
    };
    std::vector<frame> open_;                                // structs being written
    std::vector<std::pair<const void*, std::string>> named_; // structs in $defs, or reserved
    boost::json::object defs_;
    const void* root_ = nullptr;

    static boost::json::object ref(std::string_view name) {
        return {{"$ref", "#/$defs/" + std::string(name)}};
    }

    std::string unique_name(const void* id, std::string name) {
        for (auto const& [other_id, other] : named_)
            if (other_id == id)
                return other;
        std::string candidate = name;
        for (int n = 2;; ++n) {
            bool taken = false;
            for (auto const& e : named_)
                taken = taken || e.second == candidate;
            if (!taken)
                break;
            candidate = name + "_" + std::to_string(n);
        }
        named_.emplace_back(id, candidate);
        return candidate;
    }

    template <class T>
    boost::json::object make() {
        constexpr json_kind k = checked_json_kind<T>();
        using U = std::remove_cv_t<T>;
        if constexpr (k == json_kind::boolean) {
            return {{"type", "boolean"}};
        } else if constexpr (k == json_kind::integer) {
            boost::json::object s{{"type", "integer"}};
            // A 64-bit type spans JSON's integers (llmap parses them exactly, past 2^53 too);
            // a narrower one says its range, so the model stays inside it.
            if constexpr (sizeof(U) < sizeof(std::int64_t)) {
                s["minimum"] = static_cast<std::int64_t>(std::numeric_limits<U>::min());
                s["maximum"] = static_cast<std::int64_t>(std::numeric_limits<U>::max());
            } else if constexpr (std::is_unsigned_v<U>) {
                s["minimum"] = 0;
            }
            return s;
        } else if constexpr (k == json_kind::number) {
            return {{"type", "number"}};
        } else if constexpr (k == json_kind::string) {
            return {{"type", "string"}};
        } else if constexpr (k == json_kind::any) {
            return {};
        } else if constexpr (k == json_kind::any_object) {
            return {{"type", "object"}};
        } else if constexpr (k == json_kind::described_enum) {
            boost::json::object s{{"type", "string"}};
            if (auto d = type_description<U>(); !d.empty())
                s["description"] = d;
            boost::json::array names;
            boost::mp11::mp_for_each<boost::describe::describe_enumerators<U>>(
                [&](auto e) { names.emplace_back(decltype(e)::name); });
            s["enum"] = std::move(names);
            return s;
        } else if constexpr (k == json_kind::optional) {
            boost::json::object s = make<typename optional_traits<U>::value_type>();
            make_nullable(s);
            return s;
        } else if constexpr (k == json_kind::sequence) {
            return {{"type", "array"}, {"items", make<typename vector_traits<U>::value_type>()}};
        } else if constexpr (k == json_kind::fixed_list) {
            return {{"type", "array"},
                    {"items", make<typename array_traits<U>::value_type>()},
                    {"minItems", array_traits<U>::size},
                    {"maxItems", array_traits<U>::size}};
        } else if constexpr (k == json_kind::string_map) {
            return {{"type", "object"},
                    {"additionalProperties", make<typename map_traits<U>::mapped_type>()}};
        } else if constexpr (k == json_kind::variant) {
            boost::json::array alternatives;
            [&]<class... Ts>(std::variant<Ts...>*) {
                (alternatives.emplace_back(make<Ts>()), ...);
            }(static_cast<U*>(nullptr));
            return {{"anyOf", std::move(alternatives)}};
        } else {
            return make_struct<U>();
        }
    }

    template <class T>
    boost::json::object make_struct() {
        const void* const id = &type_tag<T>;
        for (auto const& [other_id, name] : named_)
            if (other_id == id && defs_.contains(name))
                return ref(name);
        for (auto& f : open_)
            if (f.id == id) { // T contains itself
                if (id == root_)
                    return {{"$ref", "#"}};
                f.recursive = true;
                return ref(f.name);
            }
        open_.push_back({id, unique_name(id, def_name(raw_type_name<T>()))});

        boost::json::object s{{"type", "object"}};
        if (auto d = type_description<T>(); !d.empty())
            s["description"] = d;
        boost::json::object properties;
        boost::json::array required;
        boost::mp11::mp_for_each<described_members_t<T>>([&](auto d) {
            using M = std::remove_cvref_t<decltype(std::declval<T&>().*decltype(d)::pointer)>;
            boost::json::object p;
            if constexpr (optional_traits<M>::value) {
                // An optional member is one the model may leave out: not required, not null.
                p = make<typename optional_traits<M>::value_type>();
            } else {
                p = make<M>();
                required.emplace_back(decltype(d)::name);
            }
            if (const member_doc* doc = find_member_doc<T>(decltype(d)::name)) {
                if (!doc->description.empty())
                    p["description"] = doc->description;
                apply_limits(p, doc->limits);
            }
            properties[decltype(d)::name] = std::move(p);
        });
        s["properties"] = std::move(properties);
        s["required"] = std::move(required);
        s["additionalProperties"] = false;

        frame f = std::move(open_.back());
        open_.pop_back();
        if (!f.recursive)
            return s;
        defs_[f.name] = std::move(s);
        return ref(f.name);
    }
};

} // namespace detail

/** Return the JSON schema of `T` (a subset of JSON Schema draft 2020-12 that LLM providers
    accept), derived from the type as `llmap::from_json<T>` parses it.

    @li a struct described by `BOOST_DESCRIBE_STRUCT` (public members, bases' first):
        `{"type": "object", "properties": ..., "required": [...], "additionalProperties":
        false}`; `required` lists the members that are not `std::optional`, in declaration
        order. A struct that contains itself goes into `$defs` and is used through `$ref`
        (the root type refers to itself as `"$ref": "#"`); other structs are written inline.
    @li an enum described by `BOOST_DESCRIBE_ENUM`: `{"type": "string", "enum": [names]}`;
    @li `bool`: `boolean`; `float`, `double`: `number`; `std::string`: `string`;
    @li an integer type: `integer`, with `minimum` and `maximum` when the type is narrower
        than 64 bits; `std::int64_t` has no bounds and `std::uint64_t` only `"minimum": 0`:
        JSON integers are unbounded and llmap reads them exactly, beyond 2^53 too (a
        JavaScript reader of the same answer would not; that is its limit, not the schema's);
    @li `std::optional<T>`: a member is not `required`; elsewhere (in a vector, a variant,
        the root) it accepts `null` too;
    @li `std::vector<T>`: `array`; `std::array<T, N>`: an array with `minItems` = `maxItems`
        = N; `std::map<std::string, T>` (or `std::unordered_map`): an object with
        `additionalProperties` the schema of T; `std::variant<Ts...>`: `anyOf`;
        `boost::json::value`: `{}` (any value); `boost::json::object`: `{"type": "object"}`
        (an object of any members).

    Descriptions and limits come from `LLMAP_DESCRIBE_SCHEMA`. Any other type (a raw pointer,
    an undescribed struct or enum, a map with non-string keys, a character type, ...) does not
    compile: the message starts with "llmap:" and the type is shown as `unsupported_type<...>`.

    Providers accept different subsets; `llmap::openai_strict_schema` and the other functions
    of `<llmap/schema_dialect.hpp>` adapt the result to one.

    @par Example
    @code
    struct forecast { double celsius; std::string sky; };
    BOOST_DESCRIBE_STRUCT(forecast, (), (celsius, sky))
    boost::json::object s = llmap::json_schema<forecast>();
    // {"type":"object","properties":{"celsius":{"type":"number"},"sky":{"type":"string"}},
    //  "required":["celsius","sky"],"additionalProperties":false}
    @endcode
*/
template <class T>
boost::json::object json_schema() {
    return detail::schema_builder{}.document<T>();
}

/// Return the description `LLMAP_DESCRIBE_SCHEMA` gave `T`, or an empty view.
template <class T>
std::string_view schema_description() {
    return detail::type_description<T>();
}

} // namespace llmap

#endif
