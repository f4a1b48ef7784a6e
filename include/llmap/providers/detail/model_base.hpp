//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_MODEL_BASE_HPP
#define LLMAP_PROVIDERS_DETAIL_MODEL_BASE_HPP

/** @file
    What every built-in model shares: its endpoint and model name, and the request shapes
    (one JSON answer; a stream of SSE or NDJSON messages through a provider's decoder), each
    blocking and asynchronous.

    A stream decoder is a class with
    - a constructor from the provider's name (`std::string_view`, for messages),
    - `template <class Emit> void on_data(std::string_view message, Emit& emit)`, called with
      each message of the stream (an SSE event's data, or an NDJSON line), which calls
      `emit(llmap::stream_event&&)` for each unified event it decodes and throws
      `llmap::error` (`malformed_response`, or `http_error` for an error event),
    - `bool done() const`, true once the stream's terminal message has been seen (later
      messages are not passed on),
    - `template <class Emit> void finish(Emit& emit)`, called at the end of the body when
      `done()` is still false: it emits what the stream still owes (closing open tool calls)
      or throws `malformed_response` for a stream that must not end there.
*/

#include <llmap/concepts.hpp>
#include <llmap/http/ndjson.hpp>
#include <llmap/http/sse.hpp>
#include <llmap/providers/detail/endpoint.hpp>

#include <boost/asio/compose.hpp>

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

/** One streamed call in progress: bytes in, unified events out to `Handler` and into the
    response a non-streamed call would give.
*/
template <class Decoder, class Handler>
class stream_run {
public:
    /// With `collect` false, content events go to `on_event` only (`request::collect_stream`).
    stream_run(std::string_view provider, stream_framing f, std::size_t max_message,
               Handler on_event, bool collect = true)
        : decoder_(provider), framer_(f, max_message), on_event_(std::move(on_event)),
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
template <class Decoder>
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

    /** One streamed request: the body's messages through `Decoder`, each event to
        `on_event` and into the returned response.
    */
    template <class Decoder>
    response post_stream(std::string_view path, const boost::json::object& body, const request& req,
                         std::vector<warning> warnings, stream_handler on_event,
                         stream_framing framing = stream_framing::sse) const {
        std::optional<stream_run<Decoder, stream_handler>> run;
        try {
            http::client& client = ep().client();
            run.emplace(ep().provider(), framing, client.options().limit.max_event, on_event,
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
    template <class Decoder, class CompletionToken>
    auto async_post_stream(std::string_view path, const boost::json::object& body,
                           const request& req, std::vector<warning> warnings,
                           async_stream_handler on_event, CompletionToken&& token,
                           stream_framing framing = stream_framing::sse) const {
        auto [client, request] = prepare(path, body, req);
        using op = post_stream_op<Decoder>;
        auto st = std::make_shared<typename op::state>(typename op::state{
            stream_run<Decoder, async_stream_handler>(ep().provider(), framing,
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

} // namespace llmap::detail

#endif
