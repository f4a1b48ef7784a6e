//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_MODEL_BASE_HPP
#define LLMAP_PROVIDERS_DETAIL_MODEL_BASE_HPP

/** @file
    What every built-in model shares: its endpoint and model name, the request shapes (one
    JSON answer; a stream of SSE or NDJSON messages through a provider's decoder), and the
    calls written once for every wire protocol (`chat_calls`, `embedding_calls`): a model
    says what one call sends and how its answer is read (`wire_call`), and nothing else.
*/

#include <llmap/concepts.hpp>
#include <llmap/http/ndjson.hpp>
#include <llmap/http/sse.hpp>
#include <llmap/providers/detail/endpoint.hpp>

#include <boost/asio/compose.hpp>

#include <concepts>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::detail {

/// How a streamed body is cut into messages.
enum class stream_framing {
    sse,   ///< server-sent events: each event's data is a message
    ndjson ///< one JSON text per line (Ollama)
};

/// The body of a stream cut into messages, by either framing.
class stream_framer {
public:
    stream_framer(stream_framing f, std::size_t max_message)
        : framing_(f), sse_(max_message), ndjson_(max_message) {}

    template <class F>
    void feed(std::string_view bytes, F&& on_message) {
        if (framing_ == stream_framing::sse)
            sse_.feed(bytes, [&](http::sse_event& e) { on_message(std::string_view(e.data)); });
        else
            ndjson_.feed(bytes, on_message);
    }

    /// True if the body so far ends inside a message (the stream was cut).
    bool partial() const noexcept {
        return framing_ == stream_framing::sse ? sse_.has_partial_event()
                                               : ndjson_.has_partial_line();
    }

private:
    stream_framing framing_;
    http::sse_parser sse_;
    http::ndjson_parser ndjson_;
};

/// What a stream decoder is given to emit its events with (any callable taking an event).
struct sample_emit {
    void operator()(stream_event&&) const;
};

/** A stream decoder: what turns a stream's messages into unified events.
    - `on_data(message, emit)` is called with each message of the stream (an SSE event's
      data, or an NDJSON line); it calls `emit(llmap::stream_event&&)` for each event it
      decodes, and throws `llmap::error` (`malformed_response`, or `http_error` for an error
      event);
    - `done()` is true once the stream's terminal message has been seen (later messages are
      not passed on);
    - `finish(emit)` is called at the end of the body when `done()` is still false: it emits
      what the stream still owes (closing open tool calls) or throws `malformed_response`
      for a stream that must not end there.
    A decoder is made for one call, with what it needs to know (the provider's name for
    messages, and options of the request such as Anthropic's JSON tool).
*/
template <class D>
concept stream_decoder = std::move_constructible<D> &&
    requires(D& d, const D& cd, std::string_view message, sample_emit& emit) {
    d.on_data(message, emit);
    { cd.done() } -> std::convertible_to<bool>;
    d.finish(emit);
};

/** One streamed call in progress: bytes in, unified events out to `Handler` and into the
    response a non-streamed call would give.
*/
template <stream_decoder Decoder, class Handler>
class stream_run {
public:
    /// With `collect` false, content events go to `on_event` only (`request::collect_stream`).
    stream_run(Decoder decoder, stream_framing f, std::size_t max_message, Handler on_event,
               bool collect = true)
        : decoder_(std::move(decoder)), framer_(f, max_message), on_event_(std::move(on_event)),
          collect_(collect) {}

    /// True once the caller's handler has thrown: what stops the call is the caller's own
    /// exception, which leaves as it is (it is not the provider's text, see `redacted`).
    bool handler_threw() const noexcept { return handler_threw_; }

    void feed(std::string_view bytes) {
        auto emit = emitter();
        framer_.feed(bytes, [&](std::string_view data) {
            if (!decoder_.done())
                decoder_.on_data(data, emit);
        });
    }

    /** The response, once the body has ended.

        A stream is whole when it ended with its terminal message or, where vendors leave
        that out (Chat Completions without `[DONE]`, Gemini which has none), after a finish
        reason. The decoder knows which messages those are: its `finish` (called when the
        terminal message did not come) gives what is still owed or throws, so the rule is
        applied the same over HTTP and by a caller driving a decoder itself.

        @throws llmap::error the provider's error for a non-2xx answer; `malformed_response`
        for a body that ends inside a message or a stream cut before its end.
    */
    response finish(const answer_context& answers, const http::http_response& r,
                    std::vector<warning> warnings) {
        if (r.status < 200 || r.status > 299)
            throw answers.http_failure(r);
        if (framer_.partial())
            throw_malformed(answers.provider, "the stream ended in the middle of an event");
        if (!decoder_.done()) {
            auto emit = emitter();
            decoder_.finish(emit);
        }
        response out = std::move(acc_).finish();
        out.warnings.insert(out.warnings.begin(), warnings.begin(), warnings.end());
        return out;
    }

private:
    auto emitter() {
        return [this](stream_event&& e) {
            try {
                on_event_(e);
            } catch (...) {
                handler_threw_ = true;
                throw;
            }
            if (collect_ || !is_content(e))
                acc_.add(e);
        };
    }

    // The events whose sum grows with the answer: what `collect == false` does not keep.
    static bool is_content(const stream_event& e) noexcept {
        return !std::holds_alternative<usage_event>(e.data) &&
               !std::holds_alternative<finish_event>(e.data) &&
               !std::holds_alternative<response_metadata>(e.data) &&
               !std::holds_alternative<warning>(e.data);
    }

    Decoder decoder_;
    stream_framer framer_;
    stream_accumulator acc_;
    Handler on_event_;
    bool collect_;
    bool handler_threw_ = false;
};

using llmap::async_stream_handler;

// The composed operation of model_base::async_post_stream.
template <stream_decoder Decoder>
struct post_stream_op {
    struct state {
        stream_run<Decoder, async_stream_handler> run;
        std::exception_ptr thrown; // by the decoder or the caller's handler
    };

    http::client* client;
    answer_context answers;
    http::http_request req;
    std::vector<warning> warnings;
    std::shared_ptr<state> st;
    http::http_request described{}; // method and URL only, for a transport error's message

    template <class Self>
    void operator()(Self& self) {
        described.method = req.method;
        described.url = req.url;
        // The body callback stops the stream by throwing system_error (see
        // http::client::async_stream); the real exception waits in the state.
        std::function<void(std::string_view)> on_body = [s = st](std::string_view bytes) {
            try {
                s->run.feed(bytes);
            } catch (...) {
                s->thrown = std::current_exception();
                throw boost::system::system_error(errc::cancelled);
            }
        };
        std::exchange(client, nullptr)
            ->async_stream(std::move(req), std::move(on_body), std::move(self));
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, http::http_response r) {
        std::exception_ptr failure;
        response out;
        try {
            if (st->thrown)
                std::rethrow_exception(st->thrown);
            if (ec)
                throw error(ec, http::describe_failure(ec, described, r.attempts));
            out = st->run.finish(answers, r, std::move(warnings));
            keep_headers(out, answers, r);
        } catch (...) {
            failure = st->run.handler_threw() ? std::current_exception()
                                              : answers.redacted(std::current_exception());
        }
        st.reset(); // the caller's handler goes before completion
        self.complete(failure, std::move(out));
    }
};

// The composed operation of model_base::async_post, for any result type.
template <class Result, class Parse>
struct post_json_result_op {
    http::client* client;
    answer_context answers;
    http::http_request req;
    std::vector<warning> warnings;
    Parse parse;
    http::http_request described{};

    template <class Self>
    void operator()(Self& self) {
        described.method = req.method;
        described.url = req.url;
        std::exchange(client, nullptr)->async_send(std::move(req), std::move(self));
    }

    template <class Self>
    void operator()(Self& self, boost::system::error_code ec, http::http_response r) {
        std::exception_ptr failure;
        Result out;
        try {
            if (ec)
                throw error(ec, http::describe_failure(ec, described, r.attempts));
            out = parse(answer_json(answers, r), answers.provider);
            keep_headers(out, answers, r);
            if constexpr (requires { out.warnings; })
                out.warnings.insert(out.warnings.begin(), warnings.begin(), warnings.end());
        } catch (...) {
            failure = answers.redacted(std::current_exception());
        }
        self.complete(failure, std::move(out));
    }
};

/** The endpoint and the model name, which every built-in model holds (56 bytes: it fits
    any_model's buffer), and the calls models make through them.

    Every call, blocking or asynchronous, is where the errors of the library leave it: each
    one passes through `answer_context::redacted` on its way to the caller (thrown, or given
    to the completion handler), so that no credential of the endpoint is in it, whichever part
    made it. Only the exceptions of the caller's stream handler are left as they are.
*/
class model_base {
public:
    model_base(std::shared_ptr<const endpoint> ep, std::string model)
        : endpoint_(std::move(ep)), model_(std::move(model)) {}

    /// The model name sent to the provider.
    const std::string& name() const noexcept { return model_; }

    /// The provider's registry name.
    const std::string& provider() const noexcept { return endpoint_->provider(); }

protected:
    const endpoint& ep() const noexcept { return *endpoint_; }

    /// The request for `path` with the call's headers, deadline and retry policy.
    template <class Call>
    http::http_request make_request(std::string_view path, const boost::json::object& body,
                                    const Call& call) const {
        if constexpr (requires { call.timeout; })
            return ep().post(path, body, call.headers, call.timeout, call.retry);
        else
            return ep().post(path, body, call.headers, std::nullopt);
    }

    /** One request, one JSON answer, turned into a `Result` by `parse(json, provider)`; the
        request's warnings go first in it.
    */
    template <class Result = response, class Call, class Parse>
    Result post(std::string_view path, const boost::json::object& body, const Call& call,
                std::vector<warning> warnings, Parse&& parse) const {
        try {
            http::http_response const answer = ep().client().send(make_request(path, body, call));
            Result r = parse(answer_json(ep().answers(), answer), ep().provider());
            keep_headers(r, ep().answers(), answer);
            if constexpr (requires { r.warnings; })
                r.warnings.insert(r.warnings.begin(), warnings.begin(), warnings.end());
            return r;
        } catch (...) {
            rethrow_redacted();
        }
    }

    /** The asynchronous `post`: completes with `void(std::exception_ptr, Result)`. The
        operation does not keep the endpoint alive (see `answer_context`).
    */
    template <class Result = response, class Call, class Parse, class CompletionToken>
    auto async_post(std::string_view path, const boost::json::object& body, const Call& call,
                    std::vector<warning> warnings, Parse parse, CompletionToken&& token) const {
        auto [client, request] = prepare(path, body, call);
        return boost::asio::async_compose<CompletionToken, void(std::exception_ptr, Result)>(
            post_json_result_op<Result, Parse>{client, ep().answers(), std::move(request),
                                               std::move(warnings), std::move(parse)},
            token, client->get_executor());
    }

    /** One streamed request: the body's messages, cut by `framing`, through `decoder`, each
        event to `on_event` and into the returned response.
    */
    template <stream_decoder Decoder>
    response post_stream(Decoder decoder, stream_framing framing, std::string_view path,
                         const boost::json::object& body, const request& req,
                         std::vector<warning> warnings, stream_handler on_event) const {
        std::optional<stream_run<Decoder, stream_handler>> run;
        try {
            http::client& client = ep().client();
            run.emplace(std::move(decoder), framing, client.options().limit.max_event, on_event,
                        req.collect_stream);
            http::http_response r = client.stream(
                make_request(path, body, req), [&](std::string_view bytes) { run->feed(bytes); });
            response out = run->finish(ep().answers(), r, std::move(warnings));
            keep_headers(out, ep().answers(), r);
            return out;
        } catch (...) {
            if (run && run->handler_threw())
                throw;
            rethrow_redacted();
        }
    }

    /** The asynchronous `post_stream`: `on_event` runs on the HTTP client's thread; completes
        with `void(std::exception_ptr, response)`. An exception thrown by `on_event` stops the
        stream and is what the operation completes with.
    */
    template <stream_decoder Decoder, class CompletionToken>
    auto async_post_stream(Decoder decoder, stream_framing framing, std::string_view path,
                           const boost::json::object& body, const request& req,
                           std::vector<warning> warnings, async_stream_handler on_event,
                           CompletionToken&& token) const {
        auto [client, request] = prepare(path, body, req);
        using op = post_stream_op<Decoder>;
        auto st = std::make_shared<typename op::state>(typename op::state{
            stream_run<Decoder, async_stream_handler>(std::move(decoder), framing,
                                                      client->options().limit.max_event,
                                                      std::move(on_event), req.collect_stream),
            nullptr});
        return boost::asio::async_compose<CompletionToken, void(std::exception_ptr, response)>(
            op{client, ep().answers(), std::move(request), std::move(warnings), std::move(st)},
            token, client->get_executor());
    }

private:
    /// In a `catch` block: throw the exception being handled, redacted.
    [[noreturn]] void rethrow_redacted() const {
        std::rethrow_exception(ep().answers().redacted(std::current_exception()));
    }

    /// The client and the request of an asynchronous call; an error in making them is
    /// thrown by the initiating function, redacted as the completion's errors are.
    template <class Call>
    std::pair<http::client*, http::http_request>
    prepare(std::string_view path, const boost::json::object& body, const Call& call) const {
        try {
            return {&ep().client(), make_request(path, body, call)};
        } catch (...) {
            rethrow_redacted();
        }
    }

protected:
    std::shared_ptr<const endpoint> endpoint_;
    std::string model_;
};

/// A call without a stream (embeddings): no decoder.
struct no_decoder {};

/** One call as a model's wire protocol makes it: the path, the body and the warnings of
    building it, how its JSON answer is read (`parse(json, provider)`, giving the call's
    result), and for a streamed call the decoder of its messages and their framing.
*/
template <class Parse, class Decoder = no_decoder>
struct wire_call {
    std::string path;
    boost::json::object body;
    std::vector<warning> warnings;
    Parse parse;
    Decoder decoder{};
    stream_framing framing = stream_framing::sse;
};

/** How `chat_calls` and `embedding_calls` reach a model's `chat_call` and `embed_call`,
    which the models keep private (`friend struct llmap::detail::call_access;`).
*/
struct call_access {
    template <class Model>
    static auto chat_call(const Model& m, const request& req, bool stream) {
        return m.chat_call(req, stream);
    }
    template <class Model>
    static auto embed_call(const Model& m, const embedding_request& req) {
        return m.embed_call(req);
    }
};

/** The chat calls of a model, written once for every wire protocol: `Model` (derived from
    this class) has a private `wire_call<...> chat_call(const request&, bool stream) const`
    that says what one call sends and how its answer is read.

    @tparam Base `model_base`, or `embedding_calls<Model>` for a model that also embeds.
*/
template <class Model, class Base = model_base>
class chat_calls : public Base {
public:
    using Base::Base;

    /** Answer a request.
        @throws llmap::error `http_error` (with the provider's status, error type, message and
        request id), `malformed_response`, `missing_api_key`, or a transport error
        (`connection_failed`, `request_timeout`, ...).
    */
    response complete(const request& req) {
        auto c = call_access::chat_call(model(), req, false);
        return this->post(c.path, c.body, req, std::move(c.warnings), std::move(c.parse));
    }

    /** Answer a request asynchronously.

        @param token any Asio completion token (a callback, `asio::use_future`,
        `asio::use_awaitable`, `asio::deferred`); the handler's signature is
        `void(std::exception_ptr, llmap::response)`, the exception being what `complete`
        would have thrown. The call runs on the provider's HTTP client; the request is copied,
        so it need not outlive the call. Cancellation through the token's cancellation slot
        completes with `errc::cancelled`.
    */
    template <class CompletionToken>
    auto async_complete(const request& req, CompletionToken&& token) {
        auto c = call_access::chat_call(model(), req, false);
        return this->async_post(c.path, c.body, req, std::move(c.warnings), std::move(c.parse),
                                std::forward<CompletionToken>(token));
    }

    /** Stream the answer to a request: `on_event` gets each event as it arrives, on the
        calling thread, one at a time. An exception it throws stops the stream and leaves
        `stream` as it is.
        @return the whole response, as `complete` would.
        @throws llmap::error as `complete`; `http_error` for an error reported in the stream;
        `malformed_response` for a stream cut before its end.
    */
    response stream(const request& req, stream_handler on_event) {
        auto c = call_access::chat_call(model(), req, true);
        return this->post_stream(std::move(c.decoder), c.framing, c.path, c.body, req,
                                 std::move(c.warnings), on_event);
    }

    /** Stream asynchronously: `on_event` (which owns what it captures) gets each event on the
        HTTP client's thread.

        @param token any Asio completion token; the handler's signature is
        `void(std::exception_ptr, llmap::response)`, with the whole response as `stream`
        returns it. An exception thrown by `on_event` stops the stream and is what the
        operation completes with.
    */
    template <class CompletionToken>
    auto async_stream(const request& req, async_stream_handler on_event, CompletionToken&& token) {
        auto c = call_access::chat_call(model(), req, true);
        return this->async_post_stream(std::move(c.decoder), c.framing, c.path, c.body, req,
                                       std::move(c.warnings), std::move(on_event),
                                       std::forward<CompletionToken>(token));
    }

private:
    const Model& model() const noexcept { return static_cast<const Model&>(*this); }
};

/** The embedding calls of a model, written once: `Model` (derived from this class) has a
    private `wire_call<...> embed_call(const embedding_request&) const`.
*/
template <class Model, class Base = model_base>
class embedding_calls : public Base {
public:
    using Base::Base;

    /** Embed the request's inputs.
        @throws llmap::error as `chat_calls::complete`; `malformed_response` also when the
        answer does not have one vector per input.
    */
    embedding_response embed(const embedding_request& req) {
        auto c = call_access::embed_call(model(), req);
        return this->template post<embedding_response>(c.path, c.body, req, std::move(c.warnings),
                                                       std::move(c.parse));
    }

    /** Embed asynchronously.
        @param token any Asio completion token; the handler's signature is
        `void(std::exception_ptr, llmap::embedding_response)`.
    */
    template <class CompletionToken>
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        auto c = call_access::embed_call(model(), req);
        return this->template async_post<embedding_response>(
            c.path, c.body, req, std::move(c.warnings), std::move(c.parse),
            std::forward<CompletionToken>(token));
    }

private:
    const Model& model() const noexcept { return static_cast<const Model&>(*this); }
};

} // namespace llmap::detail

#endif
