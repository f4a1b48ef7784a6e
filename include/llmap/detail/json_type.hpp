//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_JSON_TYPE_HPP
#define LLMAP_DETAIL_JSON_TYPE_HPP

#include <boost/describe/enumerators.hpp>
#include <boost/describe/members.hpp>
#include <boost/describe/modifiers.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <variant>
#include <vector>

namespace llmap::detail {

// The one classification of C++ types shared by the schema generator (schema.hpp) and the
// parser (from_json.hpp): both dispatch on json_kind_of<T>, so a type has a schema exactly
// when it can be parsed, and an unsupported type fails in both with the same message.

enum class json_kind {
    boolean,
    integer,
    number,
    string,
    described_enum,
    described_struct,
    optional,   // std::optional<T>: T, or absent / null
    sequence,   // std::vector<T>
    fixed_list, // std::array<T, N>
    string_map, // std::map / std::unordered_map with std::string keys
    variant,    // std::variant<Ts...>
    any,        // boost::json::value
    any_object, // boost::json::object: an object of any members
    unsupported
};

template <class T>
struct optional_traits : std::false_type {};
template <class T>
struct optional_traits<std::optional<T>> : std::true_type {
    using value_type = T;
};

template <class T>
struct vector_traits : std::false_type {};
template <class T, class A>
struct vector_traits<std::vector<T, A>> : std::true_type {
    using value_type = T;
};

template <class T>
struct array_traits : std::false_type {};
template <class T, std::size_t N>
struct array_traits<std::array<T, N>> : std::true_type {
    using value_type = T;
    static constexpr std::size_t size = N;
};

// Any std::map / std::unordered_map (has_string_key tells the ones JSON can express).
template <class T>
struct map_traits : std::false_type {};
template <class K, class T, class C, class A>
struct map_traits<std::map<K, T, C, A>> : std::true_type {
    using key_type = K;
    using mapped_type = T;
};
template <class K, class T, class H, class E, class A>
struct map_traits<std::unordered_map<K, T, H, E, A>> : std::true_type {
    using key_type = K;
    using mapped_type = T;
};

template <class T>
struct variant_traits : std::false_type {};
template <class... Ts>
struct variant_traits<std::variant<Ts...>> : std::true_type {};

template <class T>
inline constexpr bool is_char_type_v =
    std::is_same_v<T, char> || std::is_same_v<T, wchar_t> || std::is_same_v<T, char8_t> ||
    std::is_same_v<T, char16_t> || std::is_same_v<T, char32_t>;

// Members are the public ones, with those of public bases (Boost.Describe lists bases' first).
inline constexpr unsigned described_member_modifiers =
    boost::describe::mod_public | boost::describe::mod_inherited;

template <class T>
using described_members_t = boost::describe::describe_members<T, described_member_modifiers>;

template <class T>
constexpr json_kind json_kind_of() {
    using U = std::remove_cv_t<T>;
    if constexpr (std::is_same_v<U, bool>)
        return json_kind::boolean;
    else if constexpr (std::is_integral_v<U> && !is_char_type_v<U>)
        return json_kind::integer;
    else if constexpr (std::is_floating_point_v<U>)
        return json_kind::number;
    else if constexpr (std::is_same_v<U, std::string>)
        return json_kind::string;
    else if constexpr (std::is_same_v<U, boost::json::value>)
        return json_kind::any;
    else if constexpr (std::is_same_v<U, boost::json::object>)
        return json_kind::any_object;
    else if constexpr (std::is_enum_v<U> && boost::describe::has_describe_enumerators<U>::value)
        return json_kind::described_enum;
    else if constexpr (optional_traits<U>::value)
        return json_kind::optional;
    else if constexpr (vector_traits<U>::value)
        return json_kind::sequence;
    else if constexpr (array_traits<U>::value)
        return json_kind::fixed_list;
    else if constexpr (map_traits<U>::value) {
        if constexpr (std::is_same_v<typename map_traits<U>::key_type, std::string>)
            return json_kind::string_map;
        else
            return json_kind::unsupported;
    } else if constexpr (variant_traits<U>::value)
        return json_kind::variant;
    else if constexpr (std::is_class_v<U> && !std::is_union_v<U> &&
                       boost::describe::has_describe_members<U>::value)
        return json_kind::described_struct;
    else
        return json_kind::unsupported;
}

/** The diagnostic of a type that has no JSON schema.

    Instantiated only for such a type: its name appears in the compiler's instantiation
    context as `unsupported_type<...>`, since a C++20 static_assert message must be a literal.
*/
/// The checks of `unsupported_type`, on plain bools: Clang then prints the message first
/// (with a condition that depends on T it leads with "due to requirement ...").
template <bool NotPointer, bool StringKeys, bool NotChar, bool NotEnum, bool NotStruct, bool Known>
struct check_schema_type {
    static_assert(NotPointer,
                  "llmap: a raw pointer has no JSON schema (see unsupported_type<...>); "
                  "use a value, std::optional or a std::vector");
    static_assert(StringKeys, "llmap: a map has a JSON schema only with std::string keys (JSON "
                              "object keys are strings; see unsupported_type<...>)");
    static_assert(NotChar,
                  "llmap: a character type has no JSON schema (see unsupported_type<...>); "
                  "use std::string, or an integer type for a number");
    static_assert(NotEnum, "llmap: an enum needs BOOST_DESCRIBE_ENUM to have a JSON schema (see "
                           "unsupported_type<...>)");
    static_assert(NotStruct,
                  "llmap: a struct needs BOOST_DESCRIBE_STRUCT (or BOOST_DESCRIBE_CLASS) to have "
                  "a JSON schema, and std::string_view, std::set, ... have none (see "
                  "unsupported_type<...>)");
    static_assert(Known, "llmap: this type has no JSON schema (see unsupported_type<...>)");
};

template <class T>
struct unsupported_type {
    static_assert(sizeof(check_schema_type < !std::is_pointer_v<T>, !map_traits<T>::value,
                         !is_char_type_v<T>, !(std::is_enum_v<T> && !is_char_type_v<T>),
                         !(std::is_class_v<T> && !map_traits<T>::value),
                         std::is_class_v<T> || std::is_enum_v<T> || std::is_pointer_v<T> ||
                             is_char_type_v < T >>) > 0);
    static constexpr bool value = false;
};

/// `json_kind_of<T>()`, failing to compile with our message when T has no JSON schema.
template <class T>
constexpr json_kind checked_json_kind() {
    constexpr json_kind k = json_kind_of<T>();
    if constexpr (k == json_kind::unsupported)
        static_assert(unsupported_type<std::remove_cv_t<T>>::value,
                      "llmap: this type has no JSON schema (see unsupported_type<...>)");
    return k;
}

} // namespace llmap::detail

#endif
