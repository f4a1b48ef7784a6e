//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_ANY_MODEL_HPP
#define LLMAP_ANY_MODEL_HPP

#include <llmap/concepts.hpp>
#include <llmap/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/system_executor.hpp>

#include <cstddef>
#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>

namespace llmap {

/** A model of any provider, its type erased.

    This is the runtime fallback: what `registry::make` returns for an id known only at run
    time, and what a provider registered at run time hands out. It is move-only, and stores
    a model of up to `buffer_size` bytes in place (no heap allocation); a larger model, or one
    whose move constructor may throw, lives on the heap.

    Every capability has a member here; calling one the model lacks throws `llmap::error`
    with `errc::unsupported_capability` (ask first with `supports`). An empty `any_model`
    (default-constructed or moved from) throws `errc::empty_model`.

    @par Example
    @code
    llmap::any_model m = reg.make(cfg.model_id);
    if (m.supports(llmap::capability::streaming))
        m.stream(req, [](const llmap::stream_event& e) { print(e); });
    @endcode
*/
class any_model {
public:
    /// Bytes of in-place storage: room for a model holding a model name, a shared client
    /// handle and a few options.
    static constexpr std::size_t buffer_size = detail::any_model_buffer_size;
    static constexpr std::size_t buffer_align = alignof(std::max_align_t);

    /// True if a model of type M is stored in place, without allocating.
    template <class M>
    static constexpr bool stored_in_place = detail::any_model_in_place<M>;

    /// An empty model.
    any_model() noexcept = default;

    /// Store a model (moved in).
    template <class M>
    requires(!std::same_as<std::remove_cvref_t<M>, any_model> && model<std::remove_cvref_t<M>>)
        any_model(M&& m) // NOLINT: implicit by design, as std::function
    {
        using T = std::remove_cvref_t<M>;
        if constexpr (stored_in_place<T>)
            ::new (static_cast<void*>(buffer_)) T(std::forward<M>(m));
        else
            ::new (static_cast<void*>(buffer_)) T*(new T(std::forward<M>(m)));
        vtable_ = &vtable_for<T>;
    }

    any_model(any_model&& other) noexcept { take(other); }

    any_model& operator=(any_model&& other) noexcept {
        if (this != &other) {
            reset();
            take(other);
        }
        return *this;
    }

    any_model(const any_model&) = delete;
    any_model& operator=(const any_model&) = delete;

    ~any_model() { reset(); }

    /// True unless empty.
    bool has_value() const noexcept { return vtable_ != nullptr; }
    explicit operator bool() const noexcept { return has_value(); }

    /// Destroy the stored model, leaving this empty.
    void reset() noexcept {
        if (vtable_) {
            vtable_->destroy(buffer_);
            vtable_ = nullptr;
        }
    }

    /// The model's capabilities (empty for an empty `any_model`).
    capability_set capabilities() const noexcept {
        return vtable_ ? vtable_->capabilities(buffer_) : capability_set{};
    }

    /// True if the model has capability `c`.
    bool supports(capability c) const noexcept { return capabilities().contains(c); }

    /** Answer a request.
        @throws llmap::error `unsupported_capability` if the model cannot chat, or whatever
        the model throws.
    */
    response complete(const request& req) {
        if (!vtable_ || !vtable_->complete) [[unlikely]]
            fail(capability::chat);
        return vtable_->complete(buffer_, req);
    }

    /** Stream the answer to a request, reporting each event to `on_event`.
        @return the whole response, as `complete` would have returned it.
        @throws llmap::error `unsupported_capability` if the model cannot stream.
    */
    response stream(const request& req, stream_handler on_event) {
        if (!vtable_ || !vtable_->stream) [[unlikely]]
            fail(capability::streaming);
        return vtable_->stream(buffer_, req, on_event);
    }

    /** Embed the request's inputs.
        @throws llmap::error `unsupported_capability` if the model cannot embed.
    */
    embedding_response embed(const embedding_request& req) {
        if (!vtable_ || !vtable_->embed) [[unlikely]]
            fail(capability::embeddings);
        return vtable_->embed(buffer_, req);
    }

    /// The handler type of `async_complete` once erased.
    using complete_handler =
        boost::asio::any_completion_handler<void(std::exception_ptr, response)>;

    /// The handler type of `async_embed` once erased.
    using embed_handler =
        boost::asio::any_completion_handler<void(std::exception_ptr, embedding_response)>;

    /** Answer a request asynchronously, with any Asio completion token.

        Completes with `void(std::exception_ptr, llmap::response)`; the handler is erased with
        `asio::any_completion_handler`, so this works across a module boundary. A model
        without `async_complete` completes with `unsupported_capability`, an empty
        `any_model` with `empty_model` (on the handler's associated executor, never inline).
    */
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, response)>(
            [this](complete_handler handler, const request& r) {
                if (!vtable_ || !vtable_->async_complete)
                    return complete_failed(std::move(handler), capability::chat);
                vtable_->async_complete(buffer_, r, std::move(handler));
            },
            token, std::cref(req));
    }

    /** Stream the answer to a request asynchronously, with any Asio completion token.

        `on_event` gets each event on the model's HTTP client thread; the operation completes
        with `void(std::exception_ptr, llmap::response)`, the whole response. A model without
        `async_stream` completes with `unsupported_capability` (never inline).
    */
    template <class CompletionToken>
    auto async_stream(const request& req, async_stream_handler on_event, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, response)>(
            [this](complete_handler handler, const request& r, async_stream_handler& h) {
                if (!vtable_ || !vtable_->async_stream)
                    return complete_failed(std::move(handler), capability::streaming);
                vtable_->async_stream(buffer_, r, std::move(h), std::move(handler));
            },
            token, std::cref(req), std::ref(on_event));
    }

    /** Embed asynchronously, with any Asio completion token: completes with
        `void(std::exception_ptr, llmap::embedding_response)`. A model without `async_embed`
        completes with `unsupported_capability` (never inline).
    */
    template <class CompletionToken>
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken,
                                           void(std::exception_ptr, embedding_response)>(
            [this](embed_handler handler, const embedding_request& r) {
                if (!vtable_ || !vtable_->async_embed)
                    return complete_failed(std::move(handler), capability::embeddings);
                vtable_->async_embed(buffer_, r, std::move(handler));
            },
            token, std::cref(req));
    }

    /// The stored model if its type is exactly M, else null (as `std::function::target`).
    template <class M>
    M* target() noexcept {
        return vtable_ == &vtable_for<M> ? object<M>(buffer_) : nullptr;
    }

    template <class M>
    const M* target() const noexcept {
        return vtable_ == &vtable_for<M> ? object<M>(const_cast<unsigned char*>(buffer_)) : nullptr;
    }

private:
    struct vtable {
        void (*destroy)(unsigned char*) noexcept;
        void (*move)(unsigned char* from, unsigned char* to) noexcept;
        capability_set (*capabilities)(const unsigned char*) noexcept;
        response (*complete)(unsigned char*, const request&);
        response (*stream)(unsigned char*, const request&, stream_handler);
        embedding_response (*embed)(unsigned char*, const embedding_request&);
        void (*async_complete)(unsigned char*, const request&, complete_handler&&);
        void (*async_stream)(unsigned char*, const request&, async_stream_handler&&,
                             complete_handler&&);
        void (*async_embed)(unsigned char*, const embedding_request&, embed_handler&&);
    };

    template <class M>
    static M* object(unsigned char* buf) noexcept {
        if constexpr (stored_in_place<M>)
            return std::launder(reinterpret_cast<M*>(buf));
        else
            return *std::launder(reinterpret_cast<M**>(buf));
    }

    template <class M>
    static constexpr vtable make_vtable() noexcept {
        vtable v{};
        v.destroy = [](unsigned char* b) noexcept {
            if constexpr (stored_in_place<M>)
                object<M>(b)->~M();
            else
                delete object<M>(b);
        };
        v.move = [](unsigned char* from, unsigned char* to) noexcept {
            if constexpr (stored_in_place<M>) {
                ::new (static_cast<void*>(to)) M(std::move(*object<M>(from)));
                object<M>(from)->~M();
            } else {
                ::new (static_cast<void*>(to)) M*(object<M>(from));
            }
        };
        v.capabilities = [](const unsigned char* b) noexcept {
            return capabilities_of(*object<M>(const_cast<unsigned char*>(b)));
        };
        if constexpr (chat_model<M>)
            v.complete = [](unsigned char* b, const request& r) {
                return object<M>(b)->complete(r);
            };
        if constexpr (streaming_model<M>)
            v.stream = [](unsigned char* b, const request& r, stream_handler h) {
                return object<M>(b)->stream(r, h);
            };
        if constexpr (requires(M & m, const request& r, complete_handler&& h) {
                          { m.async_complete(r, std::move(h)) } -> detail::accepted_call;
                      })
            v.async_complete = [](unsigned char* b, const request& r, complete_handler&& h) {
                object<M>(b)->async_complete(r, std::move(h));
            };
        if constexpr (requires(M & m, const request& r, async_stream_handler&& e,
                               complete_handler&& h) {
                          {
                              m.async_stream(r, std::move(e), std::move(h))
                              } -> detail::accepted_call;
                      })
            v.async_stream = [](unsigned char* b, const request& r, async_stream_handler&& e,
                                complete_handler&& h) {
                object<M>(b)->async_stream(r, std::move(e), std::move(h));
            };
        if constexpr (embedding_model<M>)
            v.embed = [](unsigned char* b, const embedding_request& r) {
                return object<M>(b)->embed(r);
            };
        if constexpr (requires(M & m, const embedding_request& r, embed_handler&& h) {
                          { m.async_embed(r, std::move(h)) } -> detail::accepted_call;
                      })
            v.async_embed = [](unsigned char* b, const embedding_request& r, embed_handler&& h) {
                object<M>(b)->async_embed(r, std::move(h));
            };
        return v;
    }

    // One table per stored type; its address also identifies the type for `target`.
    template <class M>
    static constexpr vtable vtable_for = make_vtable<M>();

    // Complete `handler` with the failure for a missing capability `c`, on the handler's
    // associated executor: the erased executor requires blocking.never, so never inline.
    template <class Handler>
    void complete_failed(Handler handler, capability c) const {
        std::exception_ptr const e = failure(c, true);
        auto const ex =
            boost::asio::get_associated_executor(handler, boost::asio::system_executor());
        ex.execute([h = std::move(handler), e]() mutable {
            using result = std::conditional_t<std::is_same_v<Handler, embed_handler>,
                                              embedding_response, response>;
            std::move(h)(e, result{});
        });
    }

    // Out of line and cold, so that the calls above inline to a test and an indirect call.
    [[noreturn, gnu::cold, gnu::noinline]] void fail(capability c) const {
        std::rethrow_exception(failure(c));
    }

    [[gnu::cold]] std::exception_ptr failure(capability c, bool asynchronously = false) const {
        if (!vtable_)
            return std::make_exception_ptr(
                error(errc::empty_model, "llmap: call on an empty any_model"));
        return std::make_exception_ptr(
            error(errc::unsupported_capability, std::string("llmap: this model does not support ") +
                                                    name_of(c) +
                                                    (asynchronously ? " asynchronously" : "")));
    }

    static const char* name_of(capability c) noexcept {
        switch (c) {
        case capability::chat:
            return "chat";
        case capability::streaming:
            return "streaming";
        case capability::embeddings:
            return "embeddings";
        case capability::tools:
            return "tools";
        case capability::structured_output:
            return "structured output";
        case capability::reasoning:
            return "reasoning";
        case capability::image_input:
            return "image input";
        }
        return "this capability";
    }

    void take(any_model& other) noexcept {
        if (other.vtable_) {
            other.vtable_->move(other.buffer_, buffer_);
            vtable_ = std::exchange(other.vtable_, nullptr);
        }
    }

    alignas(buffer_align) unsigned char buffer_[buffer_size];
    const vtable* vtable_ = nullptr;
};

/** Call `complete` on a concrete model or an `any_model`.

    On the static path this refuses, at compile time and with a message, a model that
    cannot chat.
*/
template <class M>
response complete(M& m, const request& req) {
    static_assert(chat_model<M>, "llmap: this model type has no chat capability (no complete)");
    return m.complete(req);
}

/// Call `stream` on a concrete model or an `any_model`; refuses at compile time a model
/// type that cannot stream.
template <class M>
response stream(M& m, const request& req, stream_handler on_event) {
    static_assert(streaming_model<M>,
                  "llmap: this model type has no streaming capability (no stream)");
    return m.stream(req, on_event);
}

/// Call `embed` on a concrete model or an `any_model`; refuses at compile time a model type
/// that cannot embed.
template <class M>
embedding_response embed(M& m, const embedding_request& req) {
    static_assert(embedding_model<M>,
                  "llmap: this model type has no embeddings capability (no embed)");
    return m.embed(req);
}

} // namespace llmap

#endif
