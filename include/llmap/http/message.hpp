//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_HTTP_MESSAGE_HPP
#define LLMAP_HTTP_MESSAGE_HPP

#include <llmap/http/options.hpp>

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/verb.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::http {

/** An HTTP request, as the provider layer builds it.

    The transport adds `Host` and `Content-Length`; everything else (authorization, content
    type, provider headers) is the caller's. Header values may hold secrets: they are sent,
    never logged nor copied into an error message.
*/
struct http_request {
    /// The method; providers mostly POST.
    boost::beast::http::verb method = boost::beast::http::verb::post;
    /// The absolute URL, `http://` or `https://` (anything else is `errc::invalid_url`).
    std::string url;
    /// Header fields, sent in this order.
    std::vector<std::pair<std::string, std::string>> headers;
    /// The body (for a JSON API, the serialized JSON).
    std::string body;
    /// Time limits for this request instead of the client's (e.g. a per-call deadline).
    std::optional<timeouts> timeout;
    /// A retry policy for this request instead of the client's.
    std::optional<retry_policy> retry;
};

/** An HTTP response: status, header fields in the order received, and the body.

    For a successful stream the body stays empty: its bytes went to the stream's callback.
*/
struct http_response {
    /// The status code, e.g. 200; 0 when there was no response.
    unsigned status = 0;
    /// Header fields in the order received (a name may repeat).
    std::vector<std::pair<std::string, std::string>> headers;
    /// The body.
    std::string body;
    /// How many times the request was sent (retries included); 0 when it never was.
    unsigned attempts = 0;

    /** The value of the first header field named `name` (compared case-insensitively),
        or empty when there is none.
    */
    std::string header(std::string_view name) const {
        for (const auto& [n, v] : headers)
            if (boost::beast::iequals(n, name))
                return v;
        return {};
    }
};

} // namespace llmap::http

#endif
