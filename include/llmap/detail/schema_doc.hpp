//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_SCHEMA_DOC_HPP
#define LLMAP_DETAIL_SCHEMA_DOC_HPP

#include <llmap/detail/json_type.hpp>
#include <llmap/fixed_string.hpp>

#include <boost/mp11/algorithm.hpp>

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace llmap {

/** Limits of a member's values, written into its JSON schema.

    They tell the model what to produce; `llmap::from_json` checks the C++ type (and the range
    of an integer type), not these limits. Each applies to one kind of member (through
    `std::optional`): a limit on a member of another kind does not compile.

    @li `minimum`, `maximum`: a number or an integer;
    @li `min_length`, `max_length`, `pattern` (an ECMA-262 regular expression), `format`
        (`"date-time"`, `"email"`, `"uuid"`, ...): a `std::string`;
    @li `min_items`, `max_items`: a `std::vector`.
*/
struct schema_limits {
    std::optional<double> minimum{};
    std::optional<double> maximum{};
    std::optional<std::size_t> min_length{};
    std::optional<std::size_t> max_length{};
    std::string_view pattern{};
    std::string_view format{};
    std::optional<std::size_t> min_items{};
    std::optional<std::size_t> max_items{};
};

/// The description and limits of one member, as `LLMAP_DESCRIBE_SCHEMA` records them.
struct member_doc {
    std::string_view name{};
    std::string_view description{};
    schema_limits limits{};
};

/// The description of a type and of its members, as `LLMAP_DESCRIBE_SCHEMA` records them.
template <std::size_t N>
struct schema_doc {
    std::string_view description{};
    std::array<member_doc, N> members{};
};

namespace detail {

template <class...>
inline constexpr bool always_false_v = false;

// Diagnostics: the compiler prints the pack in full, so the misspelled name reaches the user
// even though a static_assert message must be a literal.
template <char...>
struct no_described_member_named {};

template <fixed_string Name, std::size_t... I>
auto member_name_pack(std::index_sequence<I...>) -> no_described_member_named<Name[I]...>;

template <fixed_string Name>
using member_name_pack_t =
    decltype(member_name_pack<Name>(std::make_index_sequence<Name.size()>{}));

template <class T>
constexpr bool has_described_member(std::string_view name) {
    bool found = false;
    if constexpr (json_kind_of<T>() == json_kind::described_struct)
        boost::mp11::mp_for_each<described_members_t<T>>([&](auto d) {
            if (name == decltype(d)::name)
                found = true;
        });
    return found;
}

enum class limit_class { none, number, string, array };

template <class M>
constexpr limit_class limit_class_of() {
    if constexpr (optional_traits<M>::value)
        return limit_class_of<typename optional_traits<M>::value_type>();
    else {
        constexpr json_kind k = json_kind_of<M>();
        if constexpr (k == json_kind::integer || k == json_kind::number)
            return limit_class::number;
        else if constexpr (k == json_kind::string)
            return limit_class::string;
        else if constexpr (k == json_kind::sequence)
            return limit_class::array;
        else
            return limit_class::none;
    }
}

template <class T>
constexpr limit_class member_limit_class(std::string_view name) {
    limit_class c = limit_class::none;
    boost::mp11::mp_for_each<described_members_t<T>>([&](auto d) {
        using member_type = std::remove_cvref_t<decltype(std::declval<T&>().*decltype(d)::pointer)>;
        if (name == decltype(d)::name)
            c = limit_class_of<member_type>();
    });
    return c;
}

// Not constexpr: reaching one in a constant evaluation is the compile error, and its name the
// message.
inline void llmap_schema_limit_does_not_apply_to_this_member_type() {}
inline void llmap_schema_member_described_twice() {}

/// The member check on a plain bool (Clang then prints the message first); `Name` is the
/// `no_described_member_named<...>` pack that shows the misspelled name.
template <bool Found, class Name>
struct check_described_member {
    static_assert(Found, "llmap: LLMAP_DESCRIBE_SCHEMA: no described member of that name (shown in "
                         "no_described_member_named<...>); members must be listed in "
                         "BOOST_DESCRIBE_STRUCT");
};

/// One `(member, "description", {limits})` of LLMAP_DESCRIBE_SCHEMA, checked against T.
template <class T, fixed_string Name>
consteval member_doc make_member_doc(std::string_view description, schema_limits limits = {}) {
    static_assert(sizeof(check_described_member<has_described_member<T>(Name.view()),
                                                member_name_pack_t<Name>>) > 0);
    constexpr limit_class c = member_limit_class<T>(Name.view());
    bool const number = limits.minimum || limits.maximum;
    bool const string =
        limits.min_length || limits.max_length || !limits.pattern.empty() || !limits.format.empty();
    bool const array = limits.min_items || limits.max_items;
    if ((number && c != limit_class::number) || (string && c != limit_class::string) ||
        (array && c != limit_class::array))
        llmap_schema_limit_does_not_apply_to_this_member_type();
    return {Name.view(), description, limits};
}

template <class T, class... Members>
consteval auto make_schema_doc(std::string_view description, Members... members) {
    constexpr json_kind k = json_kind_of<T>();
    static_assert(k == json_kind::described_struct || k == json_kind::described_enum,
                  "llmap: LLMAP_DESCRIBE_SCHEMA needs a type described by BOOST_DESCRIBE_STRUCT "
                  "or BOOST_DESCRIBE_ENUM (write it after that macro)");
    static_assert(k == json_kind::described_struct || sizeof...(Members) == 0,
                  "llmap: LLMAP_DESCRIBE_SCHEMA of an enum takes its description only");
    schema_doc<sizeof...(Members)> doc{description, {members...}};
    for (std::size_t i = 0; i != doc.members.size(); ++i)
        for (std::size_t j = 0; j != i; ++j)
            if (doc.members[i].name == doc.members[j].name)
                llmap_schema_member_described_twice();
    return doc;
}

// The documentation LLMAP_DESCRIBE_SCHEMA attached to T, found by argument-dependent lookup
// in T's namespace (where the macro must be written, as BOOST_DESCRIBE_STRUCT is).
template <class T>
concept has_schema_doc = requires(const T* p) {
    llmap_schema_doc(p);
};

template <class T>
std::string_view type_description() {
    if constexpr (has_schema_doc<T>)
        return llmap_schema_doc(static_cast<const T*>(nullptr)).description;
    else
        return {};
}

template <class T>
const member_doc* find_member_doc(std::string_view name) {
    if constexpr (has_schema_doc<T>) {
        for (auto const& m : llmap_schema_doc(static_cast<const T*>(nullptr)).members)
            if (m.name == name)
                return &m;
    }
    return nullptr;
}

} // namespace detail
} // namespace llmap

// A C++20 for-each over macro arguments (each rescan level expands the recursion once more:
// 4^4 = 256 members at most), giving `m(data, x)` for each x, comma-separated.
#define LLMAP_DETAIL_PP_PARENS ()
#define LLMAP_DETAIL_PP_EXPAND(...)                                                                \
    LLMAP_DETAIL_PP_EXPAND3(                                                                       \
        LLMAP_DETAIL_PP_EXPAND3(LLMAP_DETAIL_PP_EXPAND3(LLMAP_DETAIL_PP_EXPAND3(__VA_ARGS__))))
#define LLMAP_DETAIL_PP_EXPAND3(...)                                                               \
    LLMAP_DETAIL_PP_EXPAND2(                                                                       \
        LLMAP_DETAIL_PP_EXPAND2(LLMAP_DETAIL_PP_EXPAND2(LLMAP_DETAIL_PP_EXPAND2(__VA_ARGS__))))
#define LLMAP_DETAIL_PP_EXPAND2(...)                                                               \
    LLMAP_DETAIL_PP_EXPAND1(                                                                       \
        LLMAP_DETAIL_PP_EXPAND1(LLMAP_DETAIL_PP_EXPAND1(LLMAP_DETAIL_PP_EXPAND1(__VA_ARGS__))))
#define LLMAP_DETAIL_PP_EXPAND1(...) __VA_ARGS__
#define LLMAP_DETAIL_PP_FOR_EACH(m, data, ...)                                                     \
    __VA_OPT__(LLMAP_DETAIL_PP_EXPAND(LLMAP_DETAIL_PP_FOR_EACH_1(m, data, __VA_ARGS__)))
#define LLMAP_DETAIL_PP_FOR_EACH_1(m, data, x, ...)                                                \
    m(data, x)                                                                                     \
        __VA_OPT__(, LLMAP_DETAIL_PP_FOR_EACH_AGAIN LLMAP_DETAIL_PP_PARENS(m, data, __VA_ARGS__))
#define LLMAP_DETAIL_PP_FOR_EACH_AGAIN() LLMAP_DETAIL_PP_FOR_EACH_1
#define LLMAP_DETAIL_PP_REMOVE_PARENS(...) __VA_ARGS__

#define LLMAP_DETAIL_SCHEMA_MEMBER(type, entry)                                                    \
    LLMAP_DETAIL_SCHEMA_MEMBER_I(type, LLMAP_DETAIL_PP_REMOVE_PARENS entry)
#define LLMAP_DETAIL_SCHEMA_MEMBER_I(...) LLMAP_DETAIL_SCHEMA_MEMBER_II(__VA_ARGS__)
#define LLMAP_DETAIL_SCHEMA_MEMBER_II(type, member, ...)                                           \
    ::llmap::detail::make_member_doc<type, #member>(__VA_ARGS__)

/** Attach descriptions (and limits) to a described type and its members, for its JSON schema.

    Write it after `BOOST_DESCRIBE_STRUCT` (or `BOOST_DESCRIBE_ENUM`), in the type's namespace:
    `llmap::json_schema<T>()` finds it by argument-dependent lookup. Each member is
    `(name, "description")` or `(name, "description", {limits})` with `llmap::schema_limits`'
    designated initialisers; members left out have no description. Everything is checked at
    compile time: a name that is not a described member of the type does not compile
    ("llmap: LLMAP_DESCRIBE_SCHEMA: no described member of that name", the name shown in
    `no_described_member_named<...>`), nor does a member listed twice or a limit that does
    not fit the member's type.

    @par Example
    @code
    struct weather_args {
        std::string city;
        std::optional<std::string> unit;
        int days;
    };
    BOOST_DESCRIBE_STRUCT(weather_args, (), (city, unit, days))
    LLMAP_DESCRIBE_SCHEMA(weather_args, "Arguments of get_weather.",
                          (city, "City name, e.g. Paris", {.min_length = 1}),
                          (unit, "celsius or fahrenheit"),
                          (days, "Days to forecast", {.minimum = 1, .maximum = 7}))
    @endcode
*/
#define LLMAP_DESCRIBE_SCHEMA(type, description, ...)                                              \
    inline const auto& llmap_schema_doc(const type*) noexcept {                                    \
        static constexpr auto doc = ::llmap::detail::make_schema_doc<type>(description __VA_OPT__( \
            , LLMAP_DETAIL_PP_FOR_EACH(LLMAP_DETAIL_SCHEMA_MEMBER, type, __VA_ARGS__)));           \
        return doc;                                                                                \
    }

#endif
