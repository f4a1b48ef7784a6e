//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_FALLBACK_HPP
#define LLMAP_FALLBACK_HPP

/** @file
    Fallback chains: one model made of several, each asked in turn until one answers
    (`registry::fallback<"id1", "id2", ...>()`, `registry::make_fallback({ids...})`).
*/

#include <llmap/any_model.hpp>
#include <llmap/concepts.hpp>
#include <llmap/error.hpp>
#include <llmap/http/options.hpp>
#include <llmap/registry.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/compose.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace llmap {

/** The errors that pass a call on to the next member of a fallback chain by default: those a
    retry could fix.

    An HTTP status the transport retries (`http::retryable_status`: 408, 409, 429, 5xx and
    Anthropic's 529, also when it comes as an error event of a stream), a connection refused,
    closed or reset (`http::retryable_error`), and a timeout of the request or of a stream
    (`request_timeout`, `idle_timeout`), which the transport does not retry on the same
    provider but another provider may well answer in time. Any other error (a 400, a missing
    key, a malformed answer, a cancellation) is the caller's to see.
*/
inline bool fallback_passes_on(const error& e) noexcept {
    if (e.code() == errc::http_error)
        return e.http_status() > 0 &&
               http::retryable_status(static_cast<unsigned>(e.http_status()));
    return http::retryable_error(e.code()) || e.code() == errc::request_timeout ||
           e.code() == errc::idle_timeout;
}

/** How a fallback chain moves from one member to the next (designated-initializer friendly).

    @par Example
    @code
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai:gpt-4o">(
        {.member_retry = llmap::http::retry_policy{.max_retries = 0}});
    @endcode
*/
struct fallback_options {
    /// Which errors of a member pass the call on to the next one; empty for
    /// `llmap::fallback_passes_on`.
    std::function<bool(const error&)> pass_on{};

    /** The retry policy of every member during a call of the chain, instead of the request's
        or the member's own (`provider_config::transport.retry`). Unset: each member first
        retries as it is configured to, then the call passes on. `{.max_retries = 0}` passes
        the call on at a member's first failure. Chat calls only (it is set as
        `request::retry`): an embedding request has no retry policy of its own.
    */
    std::optional<http::retry_policy> member_retry{};
};

/// One member's failure in a fallback chain.
struct fallback_failure {
    std::string member; ///< the member's model id, as the chain was given it
    error failure;      ///< what the member failed with
};

/** What a fallback chain fails with when every member failed with an error that passes on.

    An `llmap::error` (catch it as one): its code, HTTP status, provider error type and request
    id are those of the last member's error, and its message names each member and its error,
    in order. `failures()` has each member's own error. Each error was redacted by its member,
    so the message holds no credential.
*/
class fallback_error : public error {
public:
    /// `failures` must not be empty.
    explicit fallback_error(std::vector<fallback_failure> failures)
        : error(last_of(failures, describe(failures))),
          failures_(std::make_shared<const std::vector<fallback_failure>>(std::move(failures))) {}

    /// Each member's error, in the chain's order.
    const std::vector<fallback_failure>& failures() const noexcept { return *failures_; }

private:
    // The last member's code, status, error type and request id, with the chain's message.
    static error last_of(const std::vector<fallback_failure>& failures, std::string message) {
        auto const& last = failures.back().failure;
        return detail::error_access::make(last.code(), std::move(message), last.http_status(),
                                          last.provider_error_type(), last.request_id(),
                                          last.retry_after());
    }

    static std::string describe(const std::vector<fallback_failure>& failures) {
        std::string out = "llmap: every model of the fallback chain failed: ";
        for (std::size_t i = 0; i != failures.size(); ++i) {
            if (i != 0)
                out += "; ";
            out += failures[i].member;
            out += ": ";
            out += failures[i].failure.what();
        }
        return out;
    }

    // Shared: an exception is copied when thrown, and its copy must not throw.
    std::shared_ptr<const std::vector<fallback_failure>> failures_;
};

namespace detail {

// The capability checks of a static chain: each a class template on a plain bool, named in
// a consteval body, so that both compilers print the message first, at the call (see
// detail::refused_call).
template <bool All>
struct require_fallback_complete {
    static_assert(All, "llmap: a member of this fallback chain has no complete(request): the "
                       "chain can chat only if every member can");
};
template <bool All>
struct require_fallback_stream {
    static_assert(All, "llmap: a member of this fallback chain has no stream(request, handler): "
                       "the chain can stream only if every member can");
};
template <bool All>
struct require_fallback_embed {
    static_assert(All, "llmap: a member of this fallback chain has no embed(embedding_request): "
                       "the chain can embed only if every member can");
};
template <bool All>
struct require_fallback_async_complete {
    static_assert(All, "llmap: a member of this fallback chain has no async_complete(request, "
                       "token): the chain has it only if every member has");
};
template <bool All>
struct require_fallback_async_stream {
    static_assert(All, "llmap: a member of this fallback chain has no async_stream(request, "
                       "handler, token): the chain has it only if every member has");
};
template <bool All>
struct require_fallback_async_embed {
    static_assert(All, "llmap: a member of this fallback chain has no async_embed("
                       "embedding_request, token): the chain has it only if every member has");
};

inline bool passes_on(const fallback_options& o, const error& e) {
    return o.pass_on ? o.pass_on(e) : fallback_passes_on(e);
}

/// The request a member receives: `req`, or a copy with the chain's member retry policy.
inline const request& member_request(const fallback_options& o, const request& req,
                                     std::optional<request>& copy) {
    if (!o.member_retry)
        return req;
    copy.emplace(req);
    copy->retry = o.member_retry;
    return *copy;
}

inline request member_request(const fallback_options& o, request req) {
    if (o.member_retry)
        req.retry = o.member_retry;
    return req;
}

template <class Result>
void mark_answer(Result& r, std::string_view member) {
    if constexpr (requires { r.answered_by; })
        r.answered_by.assign(member.data(), member.size());
}

/** Ask each member of `chain` in turn with `call(member)` until one answers.

    `started` turns true once the caller has seen part of an answer (a stream's first event):
    from then on, a failure is the caller's.
*/
template <class Chain, class Call>
auto run_chain(Chain& chain, Call& call, const bool& started) {
    std::vector<fallback_failure> failures;
    for (std::size_t i = 0;; ++i) {
        try {
            auto out = chain.with_member(i, call);
            mark_answer(out, chain.id(i));
            return out;
        } catch (const error& e) {
            if (started || !passes_on(chain.options(), e))
                throw;
            failures.push_back({std::string(chain.id(i)), e});
            if (i + 1 == chain.size())
                throw fallback_error(std::move(failures));
        }
    }
}

template <class Chain>
response chain_complete(Chain& chain, const request& req) {
    std::optional<request> copy;
    const request& r = member_request(chain.options(), req, copy);
    auto call = [&](auto& m) -> response { return m.complete(r); };
    const bool started = false;
    return run_chain(chain, call, started);
}

template <class Chain>
response chain_stream(Chain& chain, const request& req, stream_handler on_event) {
    std::optional<request> copy;
    const request& r = member_request(chain.options(), req, copy);
    bool started = false;
    auto relay = [&](const stream_event& e) {
        started = true; // before the caller's handler, which may throw
        on_event(e);
    };
    auto call = [&](auto& m) -> response { return m.stream(r, relay); };
    return run_chain(chain, call, started);
}

template <class Chain>
embedding_response chain_embed(Chain& chain, const embedding_request& req) {
    auto call = [&](auto& m) -> embedding_response { return m.embed(req); };
    const bool started = false;
    return run_chain(chain, call, started);
}

/// The caller's handler of an asynchronous stream, and whether it has had an event yet.
struct stream_relay {
    async_stream_handler on_event;
    std::atomic<bool> started{false};
};

template <class Request>
struct async_chain_state {
    Request req;
    std::shared_ptr<stream_relay> relay; // streams only
    std::vector<fallback_failure> failures{};
    std::size_t next = 0;
};

// How each asynchronous call starts on one member.
struct start_complete {
    template <class M, class Self>
    void operator()(M& m, async_chain_state<request>& st, Self&& self) const {
        m.async_complete(st.req, std::forward<Self>(self));
    }
};
struct start_stream {
    template <class M, class Self>
    void operator()(M& m, async_chain_state<request>& st, Self&& self) const {
        m.async_stream(st.req, async_stream_handler([relay = st.relay](const stream_event& e) {
                           relay->started = true; // before the caller's handler, which may throw
                           relay->on_event(e);
                       }),
                       std::forward<Self>(self));
    }
};
struct start_embed {
    template <class M, class Self>
    void operator()(M& m, async_chain_state<embedding_request>& st, Self&& self) const {
        m.async_embed(st.req, std::forward<Self>(self));
    }
};

/** The composed operation of a chain's asynchronous calls: each member's own asynchronous
    call, one after the other, never blocking.

    A member's initiating function may throw (a missing key): for the first member that
    throws out of the chain's initiating function, as every asynchronous call of llmap does;
    for a later one, started from a completion, it is that member's failure. So a member gets
    a handler that refers to the operation (with its executor and cancellation slot), not the
    operation itself, which stays in reach if the member's initiation throws.
*/
template <class Chain, class Result, class Request, class Start>
struct async_chain_op {
    Chain* chain;
    std::unique_ptr<async_chain_state<Request>> st;

    template <class Self>
    void operator()(Self& self) {
        launch(self);
    }

    template <class Self>
    void operator()(Self& self, std::exception_ptr e, Result r) {
        std::size_t const i = st->next - 1; // the member that completed
        if (!e) {
            mark_answer(r, chain->id(i));
            st.reset(); // the caller's stream handler goes before completion
            return self.complete(nullptr, std::move(r));
        }
        try {
            std::rethrow_exception(e);
        } catch (const error& failure) {
            bool const started = st->relay && st->relay->started.load();
            if (!started && passes_on(chain->options(), failure)) {
                st->failures.push_back({std::string(chain->id(i)), failure});
                if (st->next != chain->size())
                    return launch(self);
                e = std::make_exception_ptr(fallback_error(std::move(st->failures)));
            }
        } catch (...) {
        }
        st.reset();
        self.complete(e, Result{});
    }

private:
    template <class Self>
    void launch(Self& self) {
        std::size_t const i = st->next++;
        async_chain_state<Request>& state = *st; // on the heap: stays put while self moves
        auto held = std::make_shared<std::optional<Self>>(std::move(self));
        auto handler = boost::asio::bind_cancellation_slot(
            (*held)->get_cancellation_state().slot(),
            boost::asio::bind_executor((*held)->get_executor(),
                                       [held](std::exception_ptr e, Result r) {
                                           Self op = std::move(**held);
                                           op(e, std::move(r));
                                       }));
        try {
            chain->with_member(i, [&](auto& m) { Start{}(m, state, std::move(handler)); });
        } catch (...) {
            if (i == 0)
                throw;
            Self op = std::move(**held);
            op(std::current_exception(), Result{});
        }
    }
};

template <class Result, class Start, class Chain, class Request, class CompletionToken>
auto async_chain(Chain& chain, Request req, std::shared_ptr<stream_relay> relay,
                 CompletionToken&& token) {
    auto st = std::make_unique<async_chain_state<Request>>(
        async_chain_state<Request>{std::move(req), std::move(relay)});
    return boost::asio::async_compose<CompletionToken, void(std::exception_ptr, Result)>(
        async_chain_op<Chain, Result, Request, Start>{&chain, std::move(st)}, token);
}

template <class Chain, class CompletionToken>
auto chain_async_complete(Chain& chain, const request& req, CompletionToken&& token) {
    return async_chain<response, start_complete>(chain, member_request(chain.options(), req),
                                                 nullptr, std::forward<CompletionToken>(token));
}

template <class Chain, class CompletionToken>
auto chain_async_stream(Chain& chain, const request& req, async_stream_handler on_event,
                        CompletionToken&& token) {
    auto relay = std::make_shared<stream_relay>();
    relay->on_event = std::move(on_event);
    return async_chain<response, start_stream>(chain, member_request(chain.options(), req),
                                               std::move(relay),
                                               std::forward<CompletionToken>(token));
}

template <class Chain, class CompletionToken>
auto chain_async_embed(Chain& chain, const embedding_request& req, CompletionToken&& token) {
    return async_chain<embedding_response, start_embed>(chain, req, nullptr,
                                                        std::forward<CompletionToken>(token));
}

/// The capabilities every member has (each member's type, and the features it declares).
template <class... M>
capability_set common_capabilities(const M&... members) noexcept {
    return (capabilities_of(members) & ...);
}

} // namespace detail

/** A model made of several, each asked in turn until one answers: what
    `registry::fallback<"id1", "id2", ...>()` returns, over the members' concrete types.

    A call goes to the first member; a member that fails with an error that passes on
    (`fallback_options::pass_on`, by default `llmap::fallback_passes_on`: 408, 409, 429, 5xx
    and 529, a timeout, a refused or reset connection) passes it to the next. Any other error
    is the caller's at once. When every member failed, the call throws (or completes with) a
    `llmap::fallback_error`, an `llmap::error` carrying each member's error. A stream passes
    on only before its first event reached the caller's handler; after that, its failure is
    the caller's. Each member keeps its own model id, and retries first as it is configured
    to (`fallback_options::member_retry` overrides that). The answer's
    `response::answered_by` names the member that gave it.

    `complete`, `stream`, `embed` and their `async_` forms exist only where every member has
    them: calling one that a member lacks does not compile, with llmap's message. An
    asynchronous call needs the chain to outlive it.

    @par Example
    @code
    auto m = reg.fallback<"anthropic:claude-sonnet-4-5", "openai:gpt-4o">();
    llmap::response r = m.complete({.prompt = "Hello"});
    std::cout << r.answered_by << ": " << r.text() << '\n';
    @endcode
*/
template <class... Members>
class fallback_model {
    static_assert(sizeof...(Members) >= 2, "llmap: a fallback chain needs at least two members");

public:
    /// The number of members.
    static constexpr std::size_t member_count = sizeof...(Members);

    /// The members, their ids (in the same order) and the chain's options.
    fallback_model(std::array<std::string_view, member_count> ids, fallback_options options,
                   Members... members)
        : members_(std::move(members)...), ids_(ids), options_(std::move(options)) {}

    /// Answer a request: the first member's answer that does not fail with an error that
    /// passes on (see the class).
    response complete(const request& req) requires(chat_model<Members>&&...) {
        return detail::chain_complete(*this, req);
    }

    /// Refused at compile time: a member cannot chat.
    consteval detail::refused_call complete(const request&) requires(!(chat_model<Members> &&
                                                                       ...)) {
        static_assert(sizeof(detail::require_fallback_complete<(chat_model<Members> && ...)>) != 0);
        return {};
    }

    /// Stream the answer of the first member that does not fail before its first event.
    response stream(const request& req,
                    stream_handler on_event) requires(streaming_model<Members>&&...) {
        return detail::chain_stream(*this, req, on_event);
    }

    /// Refused at compile time: a member cannot stream.
    consteval detail::refused_call
    stream(const request&, const stream_handler&) requires(!(streaming_model<Members> && ...)) {
        static_assert(sizeof(detail::require_fallback_stream<(streaming_model<Members> && ...)>) !=
                      0);
        return {};
    }

    /// Embed with the first member that does not fail with an error that passes on.
    embedding_response embed(const embedding_request& req) requires(embedding_model<Members>&&...) {
        return detail::chain_embed(*this, req);
    }

    /// Refused at compile time: a member cannot embed.
    consteval detail::refused_call
    embed(const embedding_request&) requires(!(embedding_model<Members> && ...)) {
        static_assert(sizeof(detail::require_fallback_embed<(embedding_model<Members> && ...)>) !=
                      0);
        return {};
    }

    /** Answer a request asynchronously, with any Asio completion token: completes with
        `void(std::exception_ptr, llmap::response)`, the members' own asynchronous calls
        chained.
    */
    template <class CompletionToken>
    auto async_complete(const request& req,
                        CompletionToken&& token) requires(async_chat_model<Members>&&...) {
        return detail::chain_async_complete(*this, req, std::forward<CompletionToken>(token));
    }

    /// Refused at compile time: a member has no `async_complete`.
    template <class CompletionToken>
    consteval detail::refused_call
    async_complete(const request&,
                   CompletionToken&&) requires(!(async_chat_model<Members> && ...)) {
        static_assert(
            sizeof(detail::require_fallback_async_complete<(async_chat_model<Members> && ...)>) !=
            0);
        return {};
    }

    /** Stream asynchronously: `on_event` gets the events of the member that answers (on its
        HTTP client's thread); completes with `void(std::exception_ptr, llmap::response)`.
    */
    template <class CompletionToken>
    auto async_stream(const request& req, async_stream_handler on_event,
                      CompletionToken&& token) requires(async_streaming_model<Members>&&...) {
        return detail::chain_async_stream(*this, req, std::move(on_event),
                                          std::forward<CompletionToken>(token));
    }

    /// Refused at compile time: a member has no `async_stream`.
    template <class CompletionToken>
    consteval detail::refused_call
    async_stream(const request&, const async_stream_handler&,
                 CompletionToken&&) requires(!(async_streaming_model<Members> && ...)) {
        static_assert(
            sizeof(
                detail::require_fallback_async_stream<(async_streaming_model<Members> && ...)>) !=
            0);
        return {};
    }

    /// Embed asynchronously: completes with `void(std::exception_ptr, embedding_response)`.
    template <class CompletionToken>
    auto async_embed(const embedding_request& req,
                     CompletionToken&& token) requires(async_embedding_model<Members>&&...) {
        return detail::chain_async_embed(*this, req, std::forward<CompletionToken>(token));
    }

    /// Refused at compile time: a member has no `async_embed`.
    template <class CompletionToken>
    consteval detail::refused_call
    async_embed(const embedding_request&,
                CompletionToken&&) requires(!(async_embedding_model<Members> && ...)) {
        static_assert(
            sizeof(detail::require_fallback_async_embed<(async_embedding_model<Members> && ...)>) !=
            0);
        return {};
    }

    /// The features every member declares (tools, structured output, ...).
    capability_set capabilities() const noexcept {
        return std::apply([](const auto&... m) { return detail::common_capabilities(m...); },
                          members_);
    }

    /// Member I, with its own API.
    template <std::size_t I>
    auto& member() noexcept {
        return std::get<I>(members_);
    }
    template <std::size_t I>
    const auto& member() const noexcept {
        return std::get<I>(members_);
    }

    /// The members' model ids, in order.
    const std::array<std::string_view, member_count>& ids() const noexcept { return ids_; }

    /// The chain's options.
    const fallback_options& options() const noexcept { return options_; }

    // What the chain's calls use (see detail::run_chain).
    static constexpr std::size_t size() noexcept { return member_count; }
    std::string_view id(std::size_t i) const noexcept { return ids_[i]; }

    /// `f(member i)`, for a run-time i.
    template <class F>
    decltype(auto) with_member(std::size_t i, F&& f) {
        return with_member(i, f, std::index_sequence_for<Members...>{});
    }

private:
    template <class F, std::size_t... I>
    decltype(auto) with_member(std::size_t i, F& f, std::index_sequence<I...>) {
        using tuple = std::tuple<Members...>;
        using R = decltype(f(std::get<0>(members_)));
        static constexpr std::array<R (*)(tuple&, F&), member_count> table{
            +[](tuple& t, F& g) -> R { return g(std::get<I>(t)); }...};
        return table[i](members_, f);
    }

    std::tuple<Members...> members_;
    std::array<std::string_view, member_count> ids_;
    fallback_options options_;
};

namespace detail {

/** The chain `registry::make_fallback` erases: `any_model` members, known at run time.

    A call that a member lacks fails with `unsupported_capability` before any member is asked
    (the static chain does not compile it); its capabilities are what every member has. The
    asynchronous forms cannot be known of an `any_model`: a member without one fails with
    `unsupported_capability`, which does not pass on.
*/
class dynamic_fallback {
public:
    dynamic_fallback(std::vector<std::string> ids, std::vector<any_model> members,
                     fallback_options options)
        : ids_(std::move(ids)), members_(std::move(members)), options_(std::move(options)) {}

    response complete(const request& req) {
        require(capability::chat, "chat");
        return chain_complete(*this, req);
    }

    response stream(const request& req, stream_handler on_event) {
        require(capability::streaming, "streaming");
        return chain_stream(*this, req, on_event);
    }

    embedding_response embed(const embedding_request& req) {
        require(capability::embeddings, "embeddings");
        return chain_embed(*this, req);
    }

    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        return chain_async_complete(*this, req, std::forward<CompletionToken>(token));
    }

    template <class CompletionToken>
    auto async_stream(const request& req, async_stream_handler on_event, CompletionToken&& token) {
        return chain_async_stream(*this, req, std::move(on_event),
                                  std::forward<CompletionToken>(token));
    }

    template <class CompletionToken>
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        return chain_async_embed(*this, req, std::forward<CompletionToken>(token));
    }

    /// What every member can do (see `llmap::capabilities_of`).
    capability_set all_capabilities() const noexcept {
        capability_set s = members_.front().capabilities();
        for (auto const& m : members_)
            s = s & m.capabilities();
        return s;
    }

    const fallback_options& options() const noexcept { return options_; }
    std::size_t size() const noexcept { return members_.size(); }
    std::string_view id(std::size_t i) const noexcept { return ids_[i]; }

    template <class F>
    decltype(auto) with_member(std::size_t i, F&& f) {
        return f(members_[i]);
    }

private:
    // A call that not every member has is refused before any member is asked, as the static
    // chain refuses it at compile time.
    void require(capability c, const char* what) const {
        for (std::size_t i = 0; i != members_.size(); ++i)
            if (!members_[i].supports(c))
                throw error(errc::unsupported_capability, "llmap: member '" + ids_[i] +
                                                              "' of this fallback chain does not "
                                                              "support " +
                                                              what);
    }

    std::vector<std::string> ids_;
    std::vector<any_model> members_;
    fallback_options options_;
};

} // namespace detail

namespace detail {

template <bool Enough>
struct check_fallback_size {
    static_assert(Enough, "llmap: a fallback chain needs at least two model ids");
};

} // namespace detail

template <class... Entries>
template <fixed_string... Ids>
auto registry<Entries...>::fallback(const fallback_options& options) const {
    static_assert(sizeof(detail::check_fallback_size<(sizeof...(Ids) >= 2)>) != 0);
    // A refused id is refused by model<Id>() (its message first); nothing more is built.
    if constexpr (sizeof...(Ids) < 2 ||
                  (std::is_same_v<decltype(model<Ids>()), detail::no_model> || ...))
        return detail::no_model{};
    else
        return fallback_model<decltype(model<Ids>())...>({Ids.view()...}, options, model<Ids>()...);
}

template <class... Entries>
template <fixed_string... Ids>
auto registry<Entries...>::fallback() const {
    return fallback<Ids...>(fallback_options{});
}

template <class... Entries>
template <class Ids>
any_model registry<Entries...>::make_fallback(const Ids& ids,
                                              const fallback_options& options) const {
    std::vector<std::string> names;
    std::vector<any_model> members;
    for (auto const& id : ids) {
        std::string_view const v(id);
        members.push_back(make(v)); // throws for a malformed id or an unknown provider
        names.emplace_back(v);
    }
    if (members.size() < 2)
        throw error(errc::invalid_model_id,
                    "llmap: a fallback chain needs at least two model ids (" +
                        std::to_string(members.size()) + " given)");
    return detail::dynamic_fallback(std::move(names), std::move(members), options);
}

template <class... Entries>
template <class Ids>
any_model registry<Entries...>::make_fallback(const Ids& ids) const {
    return make_fallback(ids, fallback_options{});
}

template <class... Entries>
any_model registry<Entries...>::make_fallback(std::initializer_list<std::string_view> ids,
                                              const fallback_options& options) const {
    return make_fallback<std::initializer_list<std::string_view>>(ids, options);
}

template <class... Entries>
any_model registry<Entries...>::make_fallback(std::initializer_list<std::string_view> ids) const {
    return make_fallback<std::initializer_list<std::string_view>>(ids, fallback_options{});
}

} // namespace llmap

#endif
