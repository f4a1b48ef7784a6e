//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_HTTP_OPTIONS_HPP
#define LLMAP_HTTP_OPTIONS_HPP

#include <llmap/detail/env.hpp>
#include <llmap/error.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace llmap::http {

/** The time limits of a request.

    Each one that expires fails the request with its own error: `errc::connect_timeout`,
    `errc::request_timeout`, `errc::idle_timeout`.
*/
struct timeouts {
    /// Establishing a connection: name resolution, TCP connect, proxy `CONNECT` and the TLS
    /// handshake together.
    std::chrono::milliseconds connect{std::chrono::seconds(10)};
    /** One attempt of a request, from its start to the last byte of the response.

        For a stream it runs until the response's header has arrived: a generation may
        legitimately stream for longer than any fixed limit, so from then on only `idle`
        applies. Each retry gets a fresh `request` limit.
    */
    std::chrono::milliseconds request{std::chrono::seconds(600)};
    /// The longest gap between two chunks of a stream's body.
    std::chrono::milliseconds idle{std::chrono::seconds(60)};

    bool operator==(const timeouts&) const = default;
};

/** When and how often a failed request is retried (the Vercel AI SDK's defaults).

    A request is retried on a 408, 409, 429 or 5xx status and on connection errors
    (`errc::connection_failed`, `errc::connection_closed`, `errc::connect_timeout`); never
    on a TLS error, a timeout of a running request, a limit or a cancellation. A stream is
    retried only while none of its body has been handed to the caller.

    The delay before retry `n` (0-based) is `initial_delay * factor^n`, scaled by a random
    factor drawn uniformly from `[1 - jitter, 1 + jitter]` so that clients rejected together
    do not come back together. When the response says how long to wait — `retry-after-ms`
    (milliseconds), else `retry-after` (seconds or an HTTP date) — and that is at most
    `max_retry_after`, that wait is used instead, without jitter.
*/
struct retry_policy {
    /// Retries after the first attempt; 0 disables retrying.
    int max_retries = 2;
    /// The delay before the first retry.
    std::chrono::milliseconds initial_delay{2000};
    /// The growth of the delay from one retry to the next.
    double factor = 2.0;
    /// The relative spread of the random jitter, in `[0, 1]`.
    double jitter = 0.1;
    /// The longest server-requested wait that is honoured.
    std::chrono::milliseconds max_retry_after{60000};

    bool operator==(const retry_policy&) const = default;
};

/// True for an HTTP status that `retry_policy` retries: 408, 409, 429 and every 5xx (Anthropic's
/// 529 "overloaded" included).
constexpr bool retryable_status(unsigned status) noexcept {
    return status == 408 || status == 409 || status == 429 || (status >= 500 && status <= 599);
}

/// True for a transport error that `retry_policy` retries: a connection that could not be
/// made (`connection_failed`, `connect_timeout`) or that closed or was reset before the
/// response ended (`connection_closed`).
inline bool retryable_error(boost::system::error_code ec) noexcept {
    return ec == errc::connection_failed || ec == errc::connection_closed ||
           ec == errc::connect_timeout;
}

/** Certificate verification settings.

    The peer's certificate and host name are always verified against the system's trust
    store; these add trust anchors (e.g. a corporate or test CA). There is deliberately no
    way to turn verification off.
*/
struct tls_options {
    /// A PEM file of extra CA certificates, or empty.
    std::string ca_file;
    /// Extra CA certificates as PEM text, or empty.
    std::string ca_pem;

    bool operator==(const tls_options&) const = default;
};

/** An HTTP proxy, reached with `CONNECT` for both `http://` and `https://` targets. */
struct proxy_options {
    /// `http://host:port` (optionally `http://user:password@host:port`); empty for none.
    std::string url;
    /** Hosts reached directly: `*` (every host), a host name, which also matches its
        subdomains (`example.com` and `.example.com` both match `api.example.com`), an IP
        address, or any of these with `:port` to match that port only.
    */
    std::vector<std::string> no_proxy;

    bool operator==(const proxy_options&) const = default;

    /// True when a request to `host:port` goes through the proxy.
    bool applies_to(std::string_view host, unsigned short port) const {
        if (url.empty())
            return false;
        for (std::string_view entry : no_proxy) {
            while (!entry.empty() && entry.front() == ' ')
                entry.remove_prefix(1);
            while (!entry.empty() && entry.back() == ' ')
                entry.remove_suffix(1);
            if (entry.empty())
                continue;
            if (entry == "*")
                return false;
            // "host:port" — but not an unbracketed IPv6 address, which has several colons.
            auto colon = entry.rfind(':');
            if (colon != std::string_view::npos && entry.find(':') == colon) {
                auto p = entry.substr(colon + 1);
                if (p != std::to_string(port))
                    continue;
                entry = entry.substr(0, colon);
            }
            if (!entry.empty() && entry.front() == '.')
                entry.remove_prefix(1);
            if (host_matches(host, entry))
                return false;
        }
        return true;
    }

private:
    static bool host_matches(std::string_view host, std::string_view suffix) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
        if (suffix.size() > host.size())
            return false;
        auto tail = host.substr(host.size() - suffix.size());
        for (std::size_t i = 0; i < suffix.size(); ++i)
            if (lower(tail[i]) != lower(suffix[i]))
                return false;
        return host.size() == suffix.size() || host[host.size() - suffix.size() - 1] == '.';
    }
};

namespace detail {

// The first of two variables that is set and not empty.
inline std::string first_env(const char* a, const char* b) {
    for (const char* name : {a, b})
        if (auto v = llmap::detail::getenv_or_empty(name); !v.empty())
            return v;
    return {};
}

} // namespace detail

/** The proxy configured by the environment, as curl reads it.

    `HTTPS_PROXY` (or `https_proxy`), else `HTTP_PROXY` (or `http_proxy`) — LLM APIs are
    HTTPS, and one proxy serves both schemes here — and `NO_PROXY` (or `no_proxy`), a
    comma-separated list of the entries described at `proxy_options::no_proxy`. A proxy URL
    without a scheme gets `http://`.
*/
inline proxy_options proxy_from_env() {
    proxy_options p;
    p.url = detail::first_env("HTTPS_PROXY", "https_proxy");
    if (p.url.empty())
        p.url = detail::first_env("HTTP_PROXY", "http_proxy");
    if (!p.url.empty() && p.url.find("://") == std::string::npos)
        p.url = "http://" + p.url;
    std::string list = detail::first_env("NO_PROXY", "no_proxy");
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        if (comma == std::string::npos)
            comma = list.size();
        std::string entry = list.substr(start, comma - start);
        if (entry.find_first_not_of(' ') != std::string::npos)
            p.no_proxy.push_back(std::move(entry));
        start = comma + 1;
    }
    return p;
}

/** Size limits that protect the client from a runaway or hostile server. */
struct limits {
    /// The largest response body of a non-streamed request (and of a failed stream's
    /// error body); more is `errc::body_too_large`. A stream's body is not limited as a
    /// whole, only per event, by the stream parser.
    std::size_t max_body = std::size_t{32} * 1024 * 1024;
    /// The largest single event of a stream (for `sse_parser` / `ndjson_parser`).
    std::size_t max_event = std::size_t{4} * 1024 * 1024;

    bool operator==(const limits&) const = default;
};

/** Everything a `client` is configured with. */
struct client_options {
    timeouts timeout;
    retry_policy retry;
    tls_options tls;
    proxy_options proxy;
    limits limit;

    bool operator==(const client_options&) const = default;
};

} // namespace llmap::http

#endif
