//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_USAGE_HPP
#define LLMAP_TYPES_USAGE_HPP

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace llmap {

namespace detail {

/** The sum of two token counts, saturated at the limits of `std::int64_t`.

    Counts come from servers, which may send any integer up to `INT64_MAX`: a sum that does
    not fit is clamped rather than overflowed (undefined behaviour) or rejected, because the
    counts are accounting beside an answer that is otherwise whole, and a clamped sum stays an
    upper bound ("at least this many") that later sums keep. Every sum of counts in the
    library, the providers' and @ref usage's, goes through here.
*/
constexpr std::int64_t add_counts(std::int64_t a, std::int64_t b) noexcept {
    constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
    constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
    if (b > 0 && a > max - b)
        return max;
    if (b < 0 && a < min - b)
        return min;
    return a + b;
}

/// The saturated sum of two optional counts: absent when both are, an absent one counting as
/// zero otherwise.
constexpr std::optional<std::int64_t> add_counts(const std::optional<std::int64_t>& a,
                                                 const std::optional<std::int64_t>& b) noexcept {
    if (!a && !b)
        return std::nullopt;
    return add_counts(a.value_or(0), b.value_or(0));
}

} // namespace detail

/** Token counts of a call, as reported by the provider.

    Every count is optional because providers report different subsets; an absent count means
    "not reported", not zero. `cache_read_tokens` and `cache_write_tokens` are included in
    `input_tokens`, and `reasoning_tokens` in `output_tokens`, whatever the wire format does
    (a provider that reports them separately, like Anthropic, adds them in), so totals
    compare across providers. Sums saturate at the limits of `std::int64_t` (see
    `detail::add_counts`).
*/
struct usage {
    std::optional<std::int64_t> input_tokens{};
    std::optional<std::int64_t> output_tokens{};
    std::optional<std::int64_t> total_tokens{};
    std::optional<std::int64_t> cache_read_tokens{};
    std::optional<std::int64_t> cache_write_tokens{};
    std::optional<std::int64_t> reasoning_tokens{};

    /** Add the counts of `other`, field by field.

        A field present in either operand is present in the result (an absent one counts as
        zero); a field absent from both stays absent. The exception is `total_tokens`: an
        operand without it contributes its `total()`, so the sum's `total()` is the sum of
        the operands' `total()`. Used to sum the steps of a tool loop and the usage events of
        a stream.
    */
    usage& operator+=(const usage& other) {
        if (total_tokens || other.total_tokens)
            total_tokens = detail::add_counts(total(), other.total());
        input_tokens = detail::add_counts(input_tokens, other.input_tokens);
        output_tokens = detail::add_counts(output_tokens, other.output_tokens);
        cache_read_tokens = detail::add_counts(cache_read_tokens, other.cache_read_tokens);
        cache_write_tokens = detail::add_counts(cache_write_tokens, other.cache_write_tokens);
        reasoning_tokens = detail::add_counts(reasoning_tokens, other.reasoning_tokens);
        return *this;
    }

    /// Return the field-by-field sum of `a` and `b` (see `operator+=`).
    friend usage operator+(usage a, const usage& b) { return a += b; }

    /// Return `total_tokens` if reported, else the sum of input and output tokens.
    std::int64_t total() const noexcept {
        if (total_tokens)
            return *total_tokens;
        return detail::add_counts(input_tokens.value_or(0), output_tokens.value_or(0));
    }

    bool operator==(const usage&) const = default;
};

namespace detail {

// Applies f(key, field) to each count of a usage, const or not, in declaration order.
template <class Usage, class F>
void for_each_usage_field(Usage& u, F&& f) {
    f(std::string_view("input_tokens"), u.input_tokens);
    f(std::string_view("output_tokens"), u.output_tokens);
    f(std::string_view("total_tokens"), u.total_tokens);
    f(std::string_view("cache_read_tokens"), u.cache_read_tokens);
    f(std::string_view("cache_write_tokens"), u.cache_write_tokens);
    f(std::string_view("reasoning_tokens"), u.reasoning_tokens);
}

} // namespace detail

// JSON conversion: an object with only the reported counts, under their field names.

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const usage& u) {
    boost::json::object o(jv.storage());
    detail::for_each_usage_field(u, [&](std::string_view key, const auto& field) {
        if (field)
            o[key] = *field;
    });
    jv = std::move(o);
}

/** Convert JSON to @ref usage.

    @throws std::invalid_argument if `jv` is not an object or a count is not an integer that
    fits `std::int64_t`. Unknown keys are ignored.
*/
inline usage tag_invoke(boost::json::value_to_tag<usage>, const boost::json::value& jv) {
    if (!jv.is_object())
        throw std::invalid_argument("llmap: usage must be a JSON object");
    usage u;
    detail::for_each_usage_field(u, [&](std::string_view key, auto& field) {
        const boost::json::value* v = jv.get_object().if_contains(key);
        if (!v)
            return;
        if (v->is_int64())
            field = v->get_int64();
        else if (v->is_uint64() &&
                 v->get_uint64() <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            field = static_cast<std::int64_t>(v->get_uint64());
        else
            throw std::invalid_argument("llmap: usage key \"" + std::string(key) +
                                        "\" must be an integer");
    });
    return u;
}

} // namespace llmap

#endif
