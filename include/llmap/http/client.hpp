//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_HTTP_CLIENT_HPP
#define LLMAP_HTTP_CLIENT_HPP

#include <llmap/detail/linkage.hpp>
#include <llmap/error.hpp>
#include <llmap/http/message.hpp>
#include <llmap/http/options.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::asio {
class thread_pool;
} // namespace boost::asio

namespace llmap::http {

/** Describe a failed request for an exception message: the error, the request's method,
    scheme, host, port and path, and how many attempts were made when there were several.

    The query string, user info and header fields are left out: they are where credentials
    live (`?key=` for some APIs, `Authorization`, `x-api-key`).

    @param attempts `http_response::attempts` of the failed call.
*/
LLMAP_DECL std::string describe_failure(const boost::system::error_code& ec,
                                        const http_request& req, unsigned attempts = 1);

namespace detail {

struct client_impl;
class local_contexts;

using body_callback = std::function<void(std::string_view)>;
using completion_handler =
    boost::asio::any_completion_handler<void(boost::system::error_code, http_response)>;

/** Launch an operation on its own strand and complete `handler` through its executor.

    The handler is type-erased here so that the whole transport (Beast, Asio's coroutines,
    OpenSSL) is compiled once, in <llmap/http/impl/client.ipp>, whatever tokens the callers
    use: with LLMAP_SEPARATE_COMPILATION, in one translation unit of the program.
*/
LLMAP_DECL void start(std::shared_ptr<client_impl> impl, http_request req, body_callback on_body,
                      completion_handler handler);

/** The wait a server asked for (`retry-after-ms`, `retry-after` in seconds or as an HTTP
    date), if it did and the value is readable; huge values are capped far beyond any policy.
*/
LLMAP_DECL std::optional<std::chrono::milliseconds> server_delay(const http_response& r);

} // namespace detail

/** An HTTP/1.1 client with TLS, a keep-alive connection pool, timeouts, retries and proxies.

    All operations are asynchronous at heart and take any Asio completion token (a callback,
    `asio::use_future`, `asio::use_awaitable`, `asio::deferred`, ...); `send` and `stream`
    are blocking forms that do the same work on the calling thread, with a connection pool
    per calling thread. One client may be used by any number of concurrent operations from
    any threads: each runs on its own strand, and a pool hands a connection to one request at
    a time.

    A non-2xx status is not an error here: the response is returned as is, and redirects
    are not followed (a 3xx is returned too), so credentials never travel to another host.
    Errors are `llmap::errc` values; their messages never contain a header value.

    @par Example
    @code
    llmap::http::client c;
    auto r = c.send({.url = "https://api.example.com/v1/models",
                     .headers = {{"authorization", "Bearer " + key}}});
    @endcode
*/
class client {
public:
    /** A client whose operations run on `ex`.

        The blocking `send` and `stream` do not use `ex`, except when called from inside
        another blocking `stream`'s callback: then they run on `ex` and wait for it, so `ex`
        must be running on another thread.

        @throws llmap::error `tls_error` if a configured CA cannot be loaded, `proxy_error`
        if the proxy URL is invalid.
    */
    LLMAP_DECL explicit client(boost::asio::any_io_executor ex, client_options opts = {});

    /** A client that runs its asynchronous operations on a thread of its own, for callers
        that do not run an Asio context themselves.

        @throws llmap::error as the other constructor.
    */
    LLMAP_DECL explicit client(client_options opts = {});

    LLMAP_DECL client(client&&) noexcept;
    client& operator=(client&&) = delete;
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /** Cancels the operations in flight (they complete with `errc::cancelled`) and closes
        the idle connections; with an own thread, waits for their handlers to have run, unless
        it is destroyed on that thread (by a handler holding its last owner): the thread is
        then joined by another once the handler returns.
    */
    LLMAP_DECL ~client();

    /// The executor operations run on.
    LLMAP_DECL boost::asio::any_io_executor get_executor() const;

    /// The options this client was made with.
    LLMAP_DECL const client_options& options() const noexcept;

    /** Send a request and read the whole response.

        Completes with `void(boost::system::error_code, http_response)`. The error is an
        `llmap::errc`: `invalid_url`, `invalid_header` (a header name that is not a token, or a
        CR, LF or NUL in a value: nothing is sent), `connection_failed`, `connection_closed`,
        `tls_error`, `proxy_error`, `connect_timeout`, `request_timeout`, `body_too_large`,
        `bad_response` or `cancelled` (through the token's cancellation slot, any
        cancellation type aborting the request; or because the client was destroyed).
        Retries (see `retry_policy`) happen inside; `http_response::attempts` counts them.
        Interim `1xx` answers are read past; a `101` is `bad_response`.
    */
    template <class CompletionToken>
    auto async_send(http_request req, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken,
                                           void(boost::system::error_code, http_response)>(
            [impl = impl_](auto handler, http_request r) {
                detail::start(impl, std::move(r), {},
                              detail::completion_handler(std::move(handler)));
            },
            token, std::move(req));
    }

    /** Send a request and hand the response body to `on_body` as it arrives.

        Completes with `void(boost::system::error_code, http_response)` once the body has
        ended; the response then carries the status and header fields, its body empty. A
        non-2xx response is not streamed: its (size-limited) body is read into the response
        and `on_body` is never called. Between chunks the `idle` timeout applies
        (`errc::idle_timeout`). The stream is retried only before `on_body` first ran.

        `on_body` runs on the operation's strand and must not wait for another operation of
        this client (with the client's own thread, that would wait for itself). To stop the
        stream it throws a `boost::system::system_error` (e.g. the stream parser's
        `errc::event_too_large`): the operation then completes with that code. Any other
        exception propagates out of the executor's `run`, as Asio does for handlers — on the
        client's own thread that ends the program, so throw only `system_error` there (the
        blocking `stream` takes care of this itself).
    */
    template <class CompletionToken>
    auto async_stream(http_request req, std::function<void(std::string_view)> on_body,
                      CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken,
                                           void(boost::system::error_code, http_response)>(
            [impl = impl_](auto handler, http_request r, detail::body_callback cb) {
                detail::start(impl, std::move(r), std::move(cb),
                              detail::completion_handler(std::move(handler)));
            },
            token, std::move(req), std::move(on_body));
    }

    /** Send a request and wait for the response.

        @throws llmap::error with the `llmap::errc` of `async_send` and a message naming the
        method, host and path (never the query or a header).
    */
    LLMAP_DECL http_response send(http_request req);

    /** Stream a request and wait for its end; `on_body` runs on the calling thread.

        An exception thrown by `on_body` stops the stream and is rethrown here unchanged.

        @throws llmap::error as `send`.
    */
    LLMAP_DECL http_response stream(http_request req,
                                    std::function<void(std::string_view)> on_body);

private:
    /** Run one operation to its end and return its response: on this thread's own context
        (see `detail::local_context`), or, for a blocking call made from inside another one's
        callback, on the client's executor while this thread waits.
    */
    LLMAP_DECL http_response wait(http_request req, detail::body_callback on_body,
                                  const std::exception_ptr* thrown = nullptr);

    std::unique_ptr<boost::asio::thread_pool> owned_; // destroyed last: sockets use it
    std::shared_ptr<detail::client_impl> impl_;
    std::shared_ptr<detail::local_contexts> locals_;
};

} // namespace llmap::http

#ifndef LLMAP_SEPARATE_COMPILATION
#include <llmap/http/impl/client.ipp>
#endif

#endif
