//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_CATALOG_HPP
#define LLMAP_CATALOG_HPP

/** @file
    The model catalog: context window, maximum output, prices and capabilities of the current
    models of the built-in providers, and the cost of a call in US dollars.

    The facts come from models.dev (MIT licence) through `scripts/generate-catalog.py`, which
    writes `<llmap/detail/catalog_data.ipp>`; rerun it on a fresh copy of models.dev to refresh
    the catalog. The catalog is `constexpr`: the same lookup serves run time
    (`llmap::catalog::find`) and compile time (`llmap::model_info<"openai:gpt-4o">`). It holds
    exactly the ids the data spells, dated snapshots and `-latest` aliases included, each
    under an llmap registry name (`gemini:`, not models.dev's `google/`); there is no fuzzy or
    prefix matching, and an unknown id gives nothing, never a guess.
*/

#include <llmap/fixed_string.hpp>
#include <llmap/id.hpp>
#include <llmap/types/response.hpp>
#include <llmap/types/usage.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace llmap {

/** Prices in US dollars per million tokens. An absent price is unknown, not free (a free
    price is `0`).

    - `input`: an input token that is neither read from nor written to the cache;
    - `output`: an output token (a reasoning token too, unless `reasoning` is given);
    - `cache_read`, `cache_write`: an input token read from, or written to, the cache;
    - `reasoning`: a reasoning ("thinking") token, where the provider prices them apart.
*/
struct token_prices {
    std::optional<double> input{};
    std::optional<double> output{};
    std::optional<double> cache_read{};
    std::optional<double> cache_write{};
    std::optional<double> reasoning{};
};

/// The prices of a call whose input exceeds `above_input_tokens` tokens (cached ones
/// included), replacing the base prices; a price the tier lacks is unknown.
struct price_tier {
    std::int64_t above_input_tokens = 0;
    token_prices price{};
};

/** What the catalog knows of one model of one provider.

    Capabilities are the data's: `tools` (tool calls), `attachments` (files in the input),
    `vision` (images in the input), `reasoning`, `structured_output` (a dedicated structured
    output feature) and `embeddings`. models.dev has no embeddings flag: the generator sets
    it when the model's family or display name says "embed" (text-embedding-3-small,
    cohere-embed, mistral-embed, "Gemini Embedding 001").
*/
struct model_facts {
    std::string_view id{}; ///< `"provider:model"`, the provider an llmap registry name
    std::optional<std::int64_t> context_window{}; ///< tokens, input and output together
    std::optional<std::int64_t> max_output{};     ///< tokens
    token_prices price{};                         ///< the base prices
    const price_tier* tiers_ = nullptr; ///< the tiers, by increasing threshold (see `tiers()`)
    std::size_t tier_count = 0;
    bool tools = false;
    bool attachments = false;
    bool vision = false;
    bool reasoning = false;
    bool structured_output = false;
    bool embeddings = false;

    /// The registry name of the provider, e.g. `openai`.
    constexpr std::string_view provider() const noexcept { return parse_model_id(id).provider; }
    /// The model as the provider names it, e.g. `gpt-4o`.
    constexpr std::string_view model() const noexcept { return parse_model_id(id).model; }
    /// The price tiers, by increasing threshold; empty for a model with one price.
    constexpr std::span<const price_tier> tiers() const noexcept { return {tiers_, tier_count}; }

    /// The prices of a call with `input_tokens` input tokens (cached ones included): those of
    /// the highest tier whose threshold it exceeds, else the base prices.
    constexpr const token_prices& prices_for(std::int64_t input_tokens) const noexcept {
        const token_prices* p = &price;
        for (const price_tier& t : tiers())
            if (input_tokens > t.above_input_tokens)
                p = &t.price;
        return *p;
    }
};

namespace detail {
#ifndef LLMAP_DOXYGEN // the generated data is not part of the reference
#include <llmap/detail/catalog_data.ipp>
#endif

inline constexpr std::size_t not_in_catalog = static_cast<std::size_t>(-1);

/// The index of `id` in `catalog_rows`, or `not_in_catalog`. (An index, not a pointer, for
/// compile-time use: GCC 12 under -fsanitize=undefined does not treat the comparison of an
/// element's address with `nullptr` as a constant expression.)
constexpr std::size_t catalog_index(std::string_view id) noexcept {
    std::size_t lo = 0, hi = catalog_size;
    while (lo < hi) {
        std::size_t const mid = lo + (hi - lo) / 2;
        std::string_view const at = catalog_rows[mid].id;
        if (at == id)
            return mid;
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return not_in_catalog;
}

} // namespace detail

namespace catalog {

/// Every entry, sorted by id (byte order).
constexpr std::span<const model_facts> entries() noexcept {
    return detail::catalog_rows;
}

/** The facts of the model `id` (`"provider:model"`, exactly as the catalog spells it), or
    `nullptr` if the catalog does not have it. A binary search over the sorted entries.

    At compile time, test an id with `llmap::catalog::contains<id>` and read it with
    `llmap::model_info<id>`.

    @par Example
    @code
    if (const llmap::model_facts* m = llmap::catalog::find("openai:gpt-4o"))
        std::cout << *m->context_window << '\n'; // 128000
    @endcode
*/
constexpr const model_facts* find(std::string_view id) noexcept {
    std::size_t const i = detail::catalog_index(id);
    return i == detail::not_in_catalog ? nullptr : &detail::catalog_rows[i];
}

/// The facts of `provider:model`, or `nullptr` (see `find(std::string_view)`).
inline const model_facts* find(std::string_view provider, std::string_view model) {
    std::string id;
    id.reserve(provider.size() + 1 + model.size());
    id.append(provider).append(1, ':').append(model);
    return find(std::string_view(id));
}

/// True if the catalog has `Id`: the test to make before `llmap::model_info<Id>`.
template <fixed_string Id>
inline constexpr bool contains = detail::catalog_index(Id.view()) != detail::not_in_catalog;

} // namespace catalog

namespace detail {

template <bool InCatalog>
struct check_in_catalog {
    static_assert(InCatalog, "llmap: model_info: the model id is not in the catalog (the next "
                             "error names it); test llmap::catalog::contains<id> first");
};

// The id, spelled where the compiler prints it: GCC prints a fixed_string template argument as
// a string, Clang 14 as numbers, so under Clang the id is a pack of characters.
#if defined(__clang__)
template <char...>
struct model_id_not_in_catalog {
    static constexpr bool known = false;
};
template <fixed_string Id, std::size_t... I>
auto spell_missing_model(std::index_sequence<I...>) -> model_id_not_in_catalog<Id.data_[I]...>;
template <fixed_string Id>
using missing_model_t = decltype(spell_missing_model<Id>(std::make_index_sequence<Id.size()>{}));
#else
template <fixed_string Id>
struct model_id_not_in_catalog {
    static constexpr bool known = false;
};
template <fixed_string Id>
using missing_model_t = model_id_not_in_catalog<Id>;
#endif

template <bool InCatalog, fixed_string Id>
struct name_missing_model {};
template <fixed_string Id>
struct name_missing_model<false, Id> {
    static_assert(missing_model_t<Id>::known, "llmap: model_info: this id");
};

/// The refusal of an id the catalog lacks: the message, then the id.
template <bool InCatalog, fixed_string Id>
struct require_in_catalog : check_in_catalog<InCatalog>, name_missing_model<InCatalog, Id> {};

inline constexpr model_facts no_model_facts{};

template <fixed_string Id>
consteval const model_facts& catalog_entry() {
    constexpr std::size_t i = catalog_index(Id.view());
    constexpr bool found = i != not_in_catalog;
    static_assert(sizeof(require_in_catalog<found, Id>) != 0); // instantiates the checks
    if constexpr (found)
        return catalog_rows[i];
    else
        return no_model_facts;
}

} // namespace detail

/** The facts of a model known at compile time; an id the catalog lacks is a compile error.

    Nothing refuses an unknown id elsewhere (`reg.model<"openai:gpt-9">()` compiles: new
    models ship every week); this is for code that relies on the facts.

    @par Example
    @code
    static_assert(llmap::model_info<"openai:gpt-4o">.context_window >= 128000);
    @endcode
*/
template <fixed_string Id>
inline constexpr const model_facts& model_info = detail::catalog_entry<Id>();

/** The cost in US dollars of a call that used `u` on the model `m`, or nothing if a count
    the call reported has no known price.

    The counts follow `llmap::usage`: `input_tokens` includes the cache reads and writes, and
    `output_tokens` the reasoning tokens, whatever the provider's wire format. Each decoder
    makes it so: the prompt counts of OpenAI (both APIs) and the Chat Completions providers
    already include their cached tokens (DeepSeek's `prompt_tokens` is its cache hits plus
    misses), and so does Gemini's `promptTokenCount`; Anthropic's `input_tokens` excludes the
    cache reads and writes, which its decoder adds in; Gemini's `thoughtsTokenCount` and xAI's
    reasoning tokens are outside the output count, which their decoders add them to. So:

        prices = the tier of input_tokens (m.prices_for)
        cost   = (input - cache_read - cache_write) * input
               + cache_read * cache_read + cache_write * cache_write
               + (output - reasoning) * output + reasoning * (reasoning, else output)

    divided by a million. An absent count is zero; a count that is zero needs no price; a
    usage with neither input nor output count, a negative count, or parts larger than their
    whole (more cached tokens than input tokens) gives nothing.

    This is the cost of the tokens only. Not in it: per-request fees (Perplexity's searches,
    server-side tools), cache storage, and the premium of Anthropic's 1-hour cache writes
    (the catalog has one cache-write price, the 5-minute one). Cohere bills `billed_units`
    (kept in `response::raw`), fewer than the processed counts its usage reports: a cost of a
    Cohere usage overstates it.
*/
constexpr std::optional<double> cost(const model_facts& m, const usage& u) noexcept {
    if (!u.input_tokens && !u.output_tokens)
        return std::nullopt;
    std::int64_t const in = u.input_tokens.value_or(0), out = u.output_tokens.value_or(0);
    std::int64_t const read = u.cache_read_tokens.value_or(0);
    std::int64_t const write = u.cache_write_tokens.value_or(0);
    std::int64_t const thought = u.reasoning_tokens.value_or(0);
    if (in < 0 || out < 0 || read < 0 || write < 0 || thought < 0 || read > in ||
        write > in - read || thought > out)
        return std::nullopt;
    const token_prices& p = m.prices_for(in);
    double total = 0;
    bool known = true;
    auto const add = [&](std::int64_t count, const std::optional<double>& price) {
        if (count == 0)
            return;
        if (!price)
            known = false;
        else
            total += static_cast<double>(count) * *price;
    };
    add(in - read - write, p.input);
    add(read, p.cache_read);
    add(write, p.cache_write);
    if (p.reasoning) {
        add(out - thought, p.output);
        add(thought, p.reasoning);
    } else {
        add(out, p.output);
    }
    if (!known)
        return std::nullopt;
    return total / 1e6;
}

/** The cost in US dollars of the call that gave `r`, on the model `r.model` of the provider
    registered as `provider`; nothing if the catalog lacks `provider:r.model` or a price (see
    `cost(const model_facts&, const usage&)`).

    A response names its model as the provider does, without llmap's provider name: hence
    the argument. The provider may answer with a dated snapshot (`gpt-4o-mini-2024-07-18`
    for `gpt-4o-mini`); the catalog prices only the snapshots it lists, as a snapshot may be
    priced apart (`gpt-4o-2024-05-13` is not `gpt-4o`). To price by the id one asked for
    instead, look it up and price the usage: `cost(facts, r.usage)`, the facts from
    `catalog::find("openai:gpt-4o-mini")`.
*/
inline std::optional<double> cost(const response& r, std::string_view provider) {
    const model_facts* m = catalog::find(provider, r.model);
    if (!m)
        return std::nullopt;
    return cost(*m, r.usage);
}

} // namespace llmap

#endif
