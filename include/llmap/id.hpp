//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_ID_HPP
#define LLMAP_ID_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace llmap {

/// Why a model id was rejected; `none` when it was accepted.
enum class id_error {
    none,
    empty,                 ///< `""`
    empty_provider,        ///< `":m"`
    empty_model,           ///< `"p:"`
    invalid_provider_char, ///< a provider name outside `[A-Za-z0-9._-]`
    invalid_model_char,    ///< an ASCII control character (or DEL) in the model part
};

/// A human-readable reason for an `id_error`.
constexpr std::string_view to_string(id_error e) noexcept {
    switch (e) {
    case id_error::none:
        return "valid";
    case id_error::empty:
        return "the id is empty";
    case id_error::empty_provider:
        return "the provider part (before the first ':') is empty";
    case id_error::empty_model:
        return "the model part (after the first ':') is empty";
    case id_error::invalid_provider_char:
        return "the provider name may only contain ASCII letters, digits, '.', '_' and '-'";
    case id_error::invalid_model_char:
        return "the model part contains a control character";
    }
    return "unknown id error";
}

/** The result of splitting a `"provider:model"` id.

    `provider` and `model` are views into the parsed string. `has_model` is false for an
    id made of a provider name alone, which stands for that provider's default model.
*/
struct parsed_id {
    std::string_view provider;
    std::string_view model;
    bool has_model = false;
    id_error error = id_error::none;

    constexpr bool ok() const noexcept { return error == id_error::none; }
    constexpr bool operator==(const parsed_id&) const noexcept = default;
};

namespace detail {

// Bytes allowed in a provider name: ASCII letters, digits, '.', '_', '-'.
inline constexpr auto provider_name_bytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c != 256; ++c)
        t[static_cast<std::size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    return t;
}();

constexpr bool is_provider_name_byte(char c) noexcept {
    return provider_name_bytes[static_cast<unsigned char>(c)];
}

constexpr bool is_control_byte(char c) noexcept {
    auto const u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
}

// True if any of the 8 bytes of x is below 0x20 or is 0x7f (exact for these constants).
inline bool word_has_control_byte(std::uint64_t x) noexcept {
    constexpr std::uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    std::uint64_t const del = x ^ (ones * 0x7f);
    return (((x - ones * 0x20) & ~x) | ((del - ones) & ~del)) & highs;
}

/// True if `s` contains an ASCII control byte or DEL. Eight bytes at a time at run time:
/// model names are the longer part of an id.
constexpr bool has_control_byte(std::string_view s) noexcept {
    if (!std::is_constant_evaluated() && s.size() >= 8) {
        auto const load = [&](std::size_t at) {
            std::uint64_t v;
            std::memcpy(&v, s.data() + at, 8);
            return v;
        };
        std::size_t i = 0;
        for (; i + 8 <= s.size(); i += 8)
            if (word_has_control_byte(load(i)))
                return true;
        // The last, overlapping word covers the tail.
        return i != s.size() && word_has_control_byte(load(s.size() - 8));
    }
    for (char c : s)
        if (is_control_byte(c))
            return true;
    return false;
}

} // namespace detail

/** True if `name` is a valid provider name: non-empty, ASCII letters, digits, `.`, `_`, `-`.

    Registry names follow this rule so that they can be used unchanged in environment
    variable names, URLs and log lines.
*/
constexpr bool is_valid_provider_name(std::string_view name) noexcept {
    if (name.empty())
        return false;
    for (char c : name)
        if (!detail::is_provider_name_byte(c))
            return false;
    return true;
}

/** Split a model id into provider and model, or say why it is malformed.

    The rules, the same at compile time and at run time (this one function serves both):
    - the id is split on the **first** `:`; the model part is everything after it, untouched
      (so `"ollama:llama3:8b"` is provider `ollama`, model `llama3:8b`);
    - a provider name alone (`"openai"`) means that provider's default model;
    - `""`, `":m"` and `"p:"` are malformed, as is a provider name with characters outside
      `[A-Za-z0-9._-]` or a model part containing an ASCII control character or DEL
      (which could not be sent safely in a URL, header or JSON body). Other bytes,
      including non-ASCII ones, are allowed in the model part.

    @par Example
    @code
    static_assert(llmap::parse_model_id("ollama:llama3:8b").model == "llama3:8b");
    @endcode
*/
constexpr parsed_id parse_model_id(std::string_view id) noexcept {
    parsed_id r;
    if (id.empty()) {
        r.error = id_error::empty;
        return r;
    }
    // One pass over the provider part, up to the first ':'. (A plain loop, not
    // string_view::find, which GCC 12 under -fsanitize=undefined refuses in the constant
    // evaluation of a template argument.)
    std::size_t colon = 0;
    for (; colon != id.size() && id[colon] != ':'; ++colon) {
        if (!detail::is_provider_name_byte(id[colon])) {
            r.error = id_error::invalid_provider_char;
            return r;
        }
    }
    if (colon == 0) {
        r.error = id_error::empty_provider;
        return r;
    }
    r.provider = id.substr(0, colon);
    if (colon == id.size())
        return r;
    r.has_model = true;
    r.model = id.substr(colon + 1);
    if (r.model.empty())
        r.error = id_error::empty_model;
    else if (detail::has_control_byte(r.model))
        r.error = id_error::invalid_model_char;
    return r;
}

} // namespace llmap

#endif
