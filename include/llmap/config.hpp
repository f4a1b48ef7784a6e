//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_CONFIG_HPP
#define LLMAP_CONFIG_HPP

#include <llmap/detail/env.hpp>
#include <llmap/http/options.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap {

/** The configuration one provider is constructed from.

    Every field is optional: an empty `api_key` means "none configured" (a provider that
    needs one reports `errc::missing_api_key` when a request is made, not before, so a
    registry can be built without every key), an empty `base_url` means the provider's
    official endpoint.
*/
struct provider_config {
    /// The API key. It is sent only to the configured host and never printed.
    std::string api_key;
    /// The endpoint, e.g. `"https://api.openai.com/v1"`; empty for the provider's default.
    std::string base_url;
    /// Extra headers sent with every request of this provider.
    std::vector<std::pair<std::string, std::string>> headers;
    /// The transport's settings: timeouts, retry policy, extra CAs, proxy and size limits.
    http::client_options transport;
    /** Where the provider's asynchronous calls run (their I/O, stream handlers and completion
        handlers, unless a handler has an executor of its own). Empty: a thread of the
        provider's own, started on its first asynchronous call. Give yours to run every call
        on your `io_context` or thread pool, which must then be run. The blocking calls run on
        their caller's thread either way, except a blocking call made inside another blocking
        stream's callback: that one runs on this executor and waits for it, so the executor
        must then be run by another thread.
    */
    boost::asio::any_io_executor executor{};

    /// A copy with another base URL.
    provider_config with_base_url(std::string url) const {
        provider_config c = *this;
        c.base_url = std::move(url);
        return c;
    }

    /// A copy with another API key.
    provider_config with_api_key(std::string key) const {
        provider_config c = *this;
        c.api_key = std::move(key);
        return c;
    }

    /// A copy whose asynchronous calls run on `ex` (see `executor`).
    provider_config with_executor(boost::asio::any_io_executor ex) const {
        provider_config c = *this;
        c.executor = std::move(ex);
        return c;
    }

    /// A copy with one more header.
    provider_config with_header(std::string name, std::string value) const {
        provider_config c = *this;
        c.headers.emplace_back(std::move(name), std::move(value));
        return c;
    }

    bool operator==(const provider_config&) const = default;
};

/** The prefix of a provider's environment variables: its registry name upper-cased, with
    every character that cannot appear in a variable name (`-`, `.`) turned into `_`.

    @par Example
    `env_prefix("llama-cpp") == "LLAMA_CPP"`, so that provider reads `LLAMA_CPP_API_KEY`
    and `LLAMA_CPP_BASE_URL`.
*/
inline std::string env_prefix(std::string_view registry_name) {
    std::string s(registry_name);
    for (char& c : s) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
        else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            c = '_';
    }
    return s;
}

/** Read a provider's configuration from the environment: `<NAME>_API_KEY` and
    `<NAME>_BASE_URL`, NAME being `env_prefix(registry_name)`, and the proxy from
    `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` (see `http::proxy_from_env`).

    Providers that have customary variables of their own (`OLLAMA_HOST`, ...) read them in
    their `apply_env` hook, which the registry calls after this.
*/
inline provider_config config_from_env(std::string_view registry_name) {
    std::string const prefix = env_prefix(registry_name);
    provider_config c;
    c.api_key = detail::getenv_or_empty(prefix + "_API_KEY");
    c.base_url = detail::getenv_or_empty(prefix + "_BASE_URL");
    c.transport.proxy = http::proxy_from_env();
    return c;
}

/// Tag type of `llmap::from_env`.
struct from_env_t {
    explicit from_env_t() = default;
};

/** Tag: construct a registry with each provider configured from the environment.

    @par Example
    @code
    llmap::registry<llmap::openai, llmap::anthropic> reg{llmap::from_env};
    @endcode
*/
inline constexpr from_env_t from_env{};

} // namespace llmap

#endif
