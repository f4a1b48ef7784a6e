//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_ERROR_HPP
#define LLMAP_ERROR_HPP

#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace llmap {

/** The error conditions of llmap, in the `llmap` error category.

    Values 1 to 99 belong to the registry and the model interface; the transport's
    errors (connection, TLS, timeouts, HTTP status, limits) take values from 100 on.
*/
enum class errc {
    unknown_provider = 1,   ///< no provider of that name is registered
    invalid_model_id,       ///< the id is malformed (see `llmap::parse_model_id`)
    unsupported_capability, ///< the model lacks the requested capability
    missing_api_key,        ///< the provider needs an API key and none was configured
    duplicate_provider,     ///< a name given to `registry::add` is already registered
    empty_model,            ///< use of an empty (default-constructed or moved-from) model
    no_deployment,          ///< every deployment of a router is resting or at its limit

    event_too_large = 100,   ///< a streamed event or line exceeds the parser's size limit
    connection_failed = 101, ///< no connection could be established (resolve, connect)
    tls_error = 102,         ///< TLS handshake or certificate verification failed
    connect_timeout = 103,   ///< establishing the connection took too long
    request_timeout = 104,   ///< the request (one attempt) took too long
    idle_timeout = 105,      ///< a stream's body stalled for longer than the idle timeout
    body_too_large = 106,    ///< the response body exceeds the configured limit
    proxy_error = 107,       ///< the proxy refused the `CONNECT` or is misconfigured
    invalid_url = 108,       ///< the URL is malformed or not `http://` / `https://`
    cancelled = 109,         ///< the operation was cancelled by its caller
    http_error = 110,        ///< the server answered with a non-2xx status
    connection_closed = 111, ///< the connection was closed or reset before the response ended
    bad_response = 112,      ///< the response is not valid HTTP/1.1
    invalid_header = 113,    ///< a request header field's name or value cannot be sent as is

    malformed_response = 150, ///< a provider's answer does not have the shape its API documents
    invalid_output = 151,     ///< the model's answer does not parse into the requested C++ type
};

namespace detail {

class error_category final : public boost::system::error_category {
public:
    // A fixed id lets two copies of this category (e.g. from two shared objects) compare equal.
    constexpr error_category() noexcept : boost::system::error_category(0x6c6c6d6170ull) {}

    const char* name() const noexcept override { return "llmap"; }

    std::string message(int ev) const override { return message(ev, nullptr, 0); }

    const char* message(int ev, char*, std::size_t) const noexcept override {
        switch (static_cast<errc>(ev)) {
        case errc::unknown_provider:
            return "unknown provider";
        case errc::invalid_model_id:
            return "invalid model id";
        case errc::unsupported_capability:
            return "unsupported capability";
        case errc::missing_api_key:
            return "missing API key";
        case errc::duplicate_provider:
            return "duplicate provider name";
        case errc::empty_model:
            return "empty model";
        case errc::no_deployment:
            return "no deployment available";
        case errc::event_too_large:
            return "stream event too large";
        case errc::connection_failed:
            return "connection failed";
        case errc::tls_error:
            return "TLS error";
        case errc::connect_timeout:
            return "connect timeout";
        case errc::request_timeout:
            return "request timeout";
        case errc::idle_timeout:
            return "stream idle timeout";
        case errc::body_too_large:
            return "response body too large";
        case errc::proxy_error:
            return "proxy error";
        case errc::invalid_url:
            return "invalid URL";
        case errc::cancelled:
            return "operation cancelled";
        case errc::http_error:
            return "HTTP error status";
        case errc::connection_closed:
            return "connection closed before the response was complete";
        case errc::bad_response:
            return "malformed HTTP response";
        case errc::invalid_header:
            return "invalid request header field (a name that is not a token, or a CR, LF or NUL "
                   "in a value)";
        case errc::malformed_response:
            return "malformed provider response";
        case errc::invalid_output:
            return "the model's output does not match the requested type";
        }
        return "unknown llmap error";
    }
};

inline constexpr error_category error_category_instance{};

} // namespace detail

/// The `llmap` error category.
inline const boost::system::error_category& error_category() noexcept {
    return detail::error_category_instance;
}

/// Make an `error_code` in the `llmap` category (found by ADL).
inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), error_category()};
}

class error;

namespace detail {

/** Builds an `error` with every field given: how the library attaches a provider's details
    and rebuilds an error with redacted text, without a public setter on `error`.
*/
struct error_access {
    static error make(boost::system::error_code ec, std::string message, int http_status,
                      std::string type, std::string request_id,
                      std::optional<std::chrono::milliseconds> retry_after = {});
};

} // namespace detail

/** The exception thrown by llmap.

    It carries an `error_code` (compare it with `llmap::errc` values), a message that says
    what went wrong in terms of the caller's input, and, for errors reported by a provider,
    the HTTP status, the provider's error type and its request id. It never carries a
    credential of the provider it comes from: a model call redacts its message, error type and
    request id before they reach the caller (a provider may echo a key in its error text).
*/
class error : public boost::system::system_error {
public:
    error(boost::system::error_code ec, std::string message)
        : boost::system::system_error(ec), message_(std::move(message)) {}

    error(errc e, std::string message) : error(make_error_code(e), std::move(message)) {}

    /// The full message (not the category's generic text).
    const char* what() const noexcept override { return message_.c_str(); }

    /// The HTTP status of the provider's answer, or 0 when there was none.
    int http_status() const noexcept { return http_status_; }

    /// The provider's error type (`"rate_limit_error"`, ...), or empty.
    const std::string& provider_error_type() const noexcept { return provider_error_type_; }

    /// The provider's request id (from its response headers), or empty.
    const std::string& request_id() const noexcept { return request_id_; }

    /// How long the provider asked the caller to wait before trying again (its
    /// `retry-after` or `retry-after-ms` header), if it did.
    std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }

private:
    friend struct detail::error_access;

    std::string message_;
    std::string provider_error_type_;
    std::string request_id_;
    int http_status_ = 0;
    std::optional<std::chrono::milliseconds> retry_after_;
};

inline error detail::error_access::make(boost::system::error_code ec, std::string message,
                                        int http_status, std::string type, std::string request_id,
                                        std::optional<std::chrono::milliseconds> retry_after) {
    error e(ec, std::move(message));
    e.http_status_ = http_status;
    e.provider_error_type_ = std::move(type);
    e.request_id_ = std::move(request_id);
    e.retry_after_ = retry_after;
    return e;
}

} // namespace llmap

// llmap::errc converts to boost::system::error_code (Boost.System's opt-in).
/// @cond
template <>
struct boost::system::is_error_code_enum<llmap::errc> : std::true_type {};
/// @endcond

#endif
