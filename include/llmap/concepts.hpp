//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_CONCEPTS_HPP
#define LLMAP_CONCEPTS_HPP

#include <llmap/config.hpp>
#include <llmap/detail/function_ref.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/id.hpp>
#include <llmap/types.hpp>

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <string_view>
#include <type_traits>

namespace llmap {

/// The callback a streaming call reports its events to (non-owning, never allocates).
using stream_handler = detail::function_ref<void(const stream_event&)>;

/// The callback an asynchronous stream reports its events to: it runs on the provider's HTTP
/// client thread, one event at a time, after the initiating call has returned, so it owns
/// what it captures.
using async_stream_handler = std::function<void(const stream_event&)>;

/** What a model can do.

    `chat`, `streaming` and `embeddings` are carried by the model's type (its member
    functions); the others are features a model declares at run time, because they can
    depend on the model id (one provider's models differ).
*/
enum class capability : std::uint32_t {
    chat = 1u << 0,              ///< `complete(request)`
    streaming = 1u << 1,         ///< `stream(request, handler)`
    embeddings = 1u << 2,        ///< `embed(embedding_request)`
    tools = 1u << 3,             ///< tool definitions and tool calls
    structured_output = 1u << 4, ///< JSON / JSON-schema response formats
    reasoning = 1u << 5,         ///< reasoning effort, reasoning content
    image_input = 1u << 6,       ///< image parts in user messages
};

/// A set of `capability` values.
class capability_set {
public:
    constexpr capability_set() noexcept = default;
    constexpr capability_set(capability c) noexcept // NOLINT: implicit by design
        : bits_(static_cast<std::uint32_t>(c)) {}

    constexpr bool contains(capability c) const noexcept {
        return (bits_ & static_cast<std::uint32_t>(c)) != 0;
    }
    constexpr bool empty() const noexcept { return bits_ == 0; }
    constexpr std::uint32_t bits() const noexcept { return bits_; }

    friend constexpr capability_set operator|(capability_set a, capability_set b) noexcept {
        return from_bits(a.bits_ | b.bits_);
    }
    friend constexpr capability_set operator&(capability_set a, capability_set b) noexcept {
        return from_bits(a.bits_ & b.bits_);
    }
    constexpr capability_set& operator|=(capability_set o) noexcept {
        bits_ |= o.bits_;
        return *this;
    }
    constexpr bool operator==(const capability_set&) const noexcept = default;

private:
    static constexpr capability_set from_bits(std::uint32_t b) noexcept {
        capability_set s;
        s.bits_ = b;
        return s;
    }
    std::uint32_t bits_ = 0;
};

constexpr capability_set operator|(capability a, capability b) noexcept {
    return capability_set(a) | capability_set(b);
}

namespace detail {

/** What a call returns that a model type declares but refuses at compile time, as a fallback
    chain's `stream` when one of its members cannot stream.

    The call is declared so that using it gives llmap's message first (it is `consteval`,
    so both compilers instantiate it at the call, and it holds the `static_assert`); a call
    that returns this is never a capability: no concept of llmap, and no `any_model`, counts
    it.
*/
struct refused_call {};

/// A call's result that is not a `refused_call`.
template <class T>
concept accepted_call = !std::same_as<std::remove_cvref_t<T>, refused_call>;

} // namespace detail

/// A model that answers a request: `m.complete(req)` returns a `llmap::response`.
template <class M>
concept chat_model = requires(M& m, const request& req) {
    { m.complete(req) } -> std::same_as<response>;
};

/// A model that streams: `m.stream(req, handler)` reports events and returns the whole
/// response at the end.
template <class M>
concept streaming_model = requires(M& m, const request& req, stream_handler h) {
    { m.stream(req, h) } -> std::same_as<response>;
};

/// A model that embeds: `m.embed(req)` returns a `llmap::embedding_response`.
template <class M>
concept embedding_model = requires(M& m, const embedding_request& req) {
    { m.embed(req) } -> std::same_as<embedding_response>;
};

/// A model that answers asynchronously: `m.async_complete(req, token)` with any completion
/// token, completing with `void(std::exception_ptr, llmap::response)`.
template <class M>
concept async_chat_model = requires(M& m, const request& r) {
    {
        m.async_complete(r, [](std::exception_ptr, response) {})
        } -> detail::accepted_call;
};

/// A model that streams asynchronously: `m.async_stream(req, on_event, token)` (the model
/// `llmap::open_stream` reads).
template <class M>
concept async_streaming_model = requires(M& m, const request& req, async_stream_handler h) {
    {
        m.async_stream(req, std::move(h), [](std::exception_ptr, response) {})
        } -> detail::accepted_call;
};

/// A model that embeds asynchronously: `m.async_embed(req, token)`.
template <class M>
concept async_embedding_model = requires(M& m, const embedding_request& r) {
    {
        m.async_embed(r, [](std::exception_ptr, embedding_response) {})
        } -> detail::accepted_call;
};

/// Anything a provider can hand out: movable, and able to do at least one thing.
template <class M>
concept model = std::move_constructible<M> && std::is_object_v<M> &&
    (chat_model<M> || embedding_model<M>);

namespace detail {

// Capabilities a model may declare beyond those its type carries.
inline constexpr capability_set feature_capabilities =
    capability::tools | capability::structured_output | capability::reasoning |
    capability::image_input;

// any_model's in-place storage (any_model::buffer_size), here so that each built-in model
// can check next to its definition that it fits.
inline constexpr std::size_t any_model_buffer_size = 96;

template <class M>
inline constexpr bool any_model_in_place =
    sizeof(M) <= any_model_buffer_size &&
    alignof(M) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<M>;

} // namespace detail

/// The capabilities carried by a model's type (chat, streaming, embeddings).
template <class M>
constexpr capability_set type_capabilities() noexcept {
    capability_set s;
    if constexpr (chat_model<M>)
        s |= capability::chat;
    if constexpr (streaming_model<M>)
        s |= capability::streaming;
    if constexpr (embedding_model<M>)
        s |= capability::embeddings;
    return s;
}

/** The capabilities of one model object.

    The type's capabilities, plus the features (tools, structured output, reasoning, image
    input) the model declares through an optional `capability_set capabilities() const`
    member. A declaration cannot add a capability carried by a member function the type
    lacks (a model without `embed` never reports `embeddings`).

    A model whose type has calls that its run-time parts may lack (the erased fallback chain
    of `registry::make_fallback`: `embed` on the type, a member that cannot embed) declares
    everything it can do, the type's capabilities included, with `capability_set
    all_capabilities() const` instead; that too cannot exceed the type's own.
*/
template <class M>
constexpr capability_set capabilities_of(const M& m) noexcept {
    if constexpr (requires {
                      { m.all_capabilities() } -> std::convertible_to<capability_set>;
                  })
        return capability_set(m.all_capabilities()) &
               (type_capabilities<M>() | detail::feature_capabilities);
    else if constexpr (requires {
                           { m.capabilities() } -> std::convertible_to<capability_set>;
                       })
        return type_capabilities<M>() |
               (capability_set(m.capabilities()) & detail::feature_capabilities);
    else
        return type_capabilities<M>();
}

/** A provider implementation: built from a `provider_config`, it hands out models by name.

    This is all a type needs to be registered under an explicit name with `llmap::as`.
*/
template <class P>
concept provider_implementation = std::constructible_from<P, const provider_config&> &&
    std::move_constructible<P> && requires(const P& p, std::string_view model_name) {
    { P::default_model } -> std::convertible_to<std::string_view>;
    { p.model(model_name) } -> model;
};

namespace detail {

template <class T>
struct is_fixed_string : std::false_type {};
template <std::size_t N>
struct is_fixed_string<fixed_string<N>> : std::true_type {};

} // namespace detail

/** A provider with a registry name of its own: `static constexpr llmap::fixed_string name`.

    @par Example
    @code
    struct my_provider {
        static constexpr llmap::fixed_string name = "mine";
        static constexpr std::string_view default_model = "m-1";
        explicit my_provider(const llmap::provider_config&);
        my_model model(std::string_view id) const;
    };
    static_assert(llmap::provider<my_provider>);
    @endcode
*/
template <class P>
concept provider = provider_implementation<P> &&
    detail::is_fixed_string<std::remove_cvref_t<decltype(P::name)>>::value;

/// The model type a provider hands out.
template <provider_implementation P>
using model_type_t = decltype(std::declval<const P&>().model(std::string_view{}));

} // namespace llmap

#endif
