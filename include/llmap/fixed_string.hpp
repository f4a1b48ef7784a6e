//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_FIXED_STRING_HPP
#define LLMAP_FIXED_STRING_HPP

#include <cstddef>
#include <string_view>

namespace llmap {

/** A string literal usable as a template argument.

    `fixed_string` is a structural type, so a value of it can be a non-type template
    parameter: this is how provider names and model ids reach the compile-time registry
    (`reg.model<"anthropic:claude-sonnet-4-5">()`). It always holds a terminating NUL, so
    `c_str()` is valid; `N` counts the characters without it.

    @par Example
    @code
    static constexpr llmap::fixed_string name = "mine";
    static_assert(name.view() == "mine" && name.size() == 4);
    @endcode
*/
template <std::size_t N>
struct fixed_string {
    /// The characters followed by a NUL. Public only because structural types require it.
    char data_[N + 1]{};

    /// Construct from a string literal (or any NUL-terminated array of N + 1 chars).
    constexpr fixed_string(const char (&s)[N + 1]) noexcept { // NOLINT: implicit by design
        for (std::size_t i = 0; i != N; ++i)
            data_[i] = s[i];
    }

    /// Construct from the first N characters of a view (used to slice ids at compile time).
    constexpr explicit fixed_string(std::string_view s) noexcept {
        for (std::size_t i = 0; i != N && i != s.size(); ++i)
            data_[i] = s[i];
    }

    static constexpr std::size_t size() noexcept { return N; }
    static constexpr bool empty() noexcept { return N == 0; }
    constexpr const char* c_str() const noexcept { return data_; }
    constexpr std::string_view view() const noexcept { return {data_, N}; }
    constexpr operator std::string_view() const noexcept { return view(); }
    constexpr char operator[](std::size_t i) const noexcept { return data_[i]; }

    template <std::size_t M>
    constexpr bool operator==(const fixed_string<M>& other) const noexcept {
        return view() == other.view();
    }
};

template <std::size_t N>
fixed_string(const char (&)[N]) -> fixed_string<N - 1>;

} // namespace llmap

#endif
