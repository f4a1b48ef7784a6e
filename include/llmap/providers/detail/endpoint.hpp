//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_ENDPOINT_HPP
#define LLMAP_PROVIDERS_DETAIL_ENDPOINT_HPP

#include <llmap/config.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/error.hpp>
#include <llmap/http/client.hpp>
#include <llmap/types.hpp>

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::detail {

/** An HTTP client made on first use (thread-safe), shareable by several endpoints of one
    provider (Azure has one endpoint per deployment, and one connection pool for all).
*/
class lazy_client {
public:
    /// With an empty `executor`, the client runs its asynchronous calls on a thread of its own.
    explicit lazy_client(http::client_options options, boost::asio::any_io_executor executor = {})
        : options_(std::move(options)), executor_(std::move(executor)) {}

    http::client& get() const {
        std::call_once(once_, [this] {
            client_ = executor_ ? std::make_unique<http::client>(executor_, options_)
                                : std::make_unique<http::client>(options_);
        });
        return *client_;
    }

private:
    http::client_options options_;
    boost::asio::any_io_executor executor_;
    mutable std::once_flag once_;
    mutable std::unique_ptr<http::client> client_;
};

/** What checking a provider's answer needs: its name (for messages) and its secrets (to
    redact them). A copy travels with an asynchronous operation, so that the operation does not
    keep the endpoint (and its HTTP client) alive: the client must never be destroyed on its
    own thread.
*/
struct answer_context {
    std::string provider;
    /// The API key and every other credential the endpoint sends (bearer tokens, key
    /// headers): none may appear in an error message.
    std::vector<std::string> secrets;

    /** The error for a non-2xx answer: `errc::http_error` with the status, the provider's
        error type and message, and its request id, as the provider sent them: the model
        call that receives it redacts it on the way out (see `redacted`).
    */
    error http_failure(const http::http_response& r) const {
        std::string type, message;
        boost::system::error_code ec;
        auto const body = boost::json::parse(r.body, ec);
        if (!ec && body.is_object()) {
            auto const& o = body.get_object();
            if (auto const* e = o.if_contains("error")) {
                if (e->is_object()) {
                    auto const& eo = e->get_object();
                    if (auto const* m = eo.if_contains("message"); m && m->is_string())
                        message = m->get_string();
                    if (auto const* t = eo.if_contains("type"); t && t->is_string())
                        type = t->get_string();
                    else if (auto const* c = eo.if_contains("code"); c && c->is_string())
                        type = c->get_string();
                    else if (auto const* st = eo.if_contains("status"); st && st->is_string())
                        type = st->get_string(); // Google: {"code": 404, "status": "NOT_FOUND"}
                } else if (e->is_string()) {
                    message = e->get_string();
                }
            } else if (auto const* m = o.if_contains("message"); m && m->is_string()) {
                message = m->get_string();
            }
        }
        if (message.empty())
            message = r.body.substr(0, 300);
        std::string request_id = r.header("x-request-id");
        if (request_id.empty())
            request_id = r.header("request-id");
        return error_access::make(
            make_error_code(errc::http_error),
            "llmap: " + provider + " answered HTTP " + std::to_string(r.status) + ": " + message +
                (r.attempts > 1 ? " (after " + std::to_string(r.attempts) + " attempts)" : ""),
            static_cast<int>(r.status), std::move(type), std::move(request_id),
            http::detail::server_delay(r));
    }

    /** `failure` with every secret redacted from what a caller can read of it: the one place
        the errors of a model call pass on their way out, whichever part of the library (a
        decoder, the transport, `http_failure`) made them from the provider's bytes.

        An `llmap::error` comes back with its code and HTTP status, and its message, error
        type and request id redacted; any other exception whose text holds a secret becomes
        an `llmap::error` with its code (a `boost::system::system_error`) or
        `errc::malformed_response` (the library's other exceptions come from reading the
        answer), and the redacted text. A failure that holds no secret is returned as it is.
        The caller must not pass the exceptions of its own code (a stream handler's).
    */
    std::exception_ptr redacted(std::exception_ptr failure) const {
        try {
            std::rethrow_exception(failure);
        } catch (const error& e) {
            std::string message = redact(e.what()), type = redact(e.provider_error_type()),
                        request_id = redact(e.request_id());
            if (message == e.what() && type == e.provider_error_type() &&
                request_id == e.request_id())
                return failure;
            return std::make_exception_ptr(
                error_access::make(e.code(), std::move(message), e.http_status(), std::move(type),
                                   std::move(request_id), e.retry_after()));
        } catch (const boost::system::system_error& e) {
            std::string message = redact(e.what());
            if (message == e.what())
                return failure;
            return std::make_exception_ptr(error(e.code(), std::move(message)));
        } catch (const std::exception& e) {
            std::string message = redact(e.what());
            if (message == e.what())
                return failure;
            return std::make_exception_ptr(error(errc::malformed_response, std::move(message)));
        } catch (...) {
            return failure;
        }
    }

    /** `text` with every trace of each secret replaced by `[redacted]`.

        How much counts as a trace depends on the secret's length, so that a short secret
        does not take ordinary words with it (a one-letter key would otherwise erase that
        letter everywhere):
        - a secret of 8 characters or more goes wherever it occurs;
        - a shorter one goes where it stands alone: not next to a letter or a digit;
        - a secret of 12 characters or more also takes any word that shares its first or
          last 6 characters (masked echoes such as "sk-ab***wxyz"); a shorter one does not:
          6 characters are most of it, so the rule would take words that merely resemble it;
        - an empty secret, or one equal to the provider's name (a placeholder key such as
          "ollama" for a local server), hides nothing and is left alone: every message names
          the provider.
    */
    std::string redact(std::string text) const {
        for (auto const& secret : secrets)
            if (!secret.empty() && secret != provider)
                text = redact_one(std::move(text), secret);
        return text;
    }

private:
    static constexpr std::size_t anywhere_from = 8; // shorter secrets: whole tokens only
    static constexpr std::size_t masked_from = 12;  // masked echoes: for these secrets only
    static constexpr std::size_t masked_part = 6;   // the head and tail that mark an echo

    static std::string redact_one(std::string const& text, std::string_view key) {
        std::string out;
        std::size_t from = 0;
        for (std::size_t at; (at = text.find(key, from)) != std::string::npos;) {
            std::size_t const end = at + key.size();
            bool const whole =
                key.size() >= anywhere_from || ((at == 0 || !is_alnum(text[at - 1])) &&
                                                (end == text.size() || !is_alnum(text[end])));
            if (whole) {
                out.append(text, from, at - from);
                out += "[redacted]";
                from = end;
            } else {
                out.append(text, from, at + 1 - from);
                from = at + 1;
            }
        }
        out.append(text, from);
        if (key.size() < masked_from)
            return out;
        std::string_view const head = key.substr(0, masked_part),
                               tail = key.substr(key.size() - masked_part);
        std::string masked;
        std::size_t i = 0;
        while (i < out.size()) {
            std::size_t j = i;
            while (j < out.size() && !is_word_break(out[j]))
                ++j;
            std::string_view const word(out.data() + i, j - i);
            bool const leak =
                word.size() >= masked_part && (word.find(head) != std::string_view::npos ||
                                               word.find(tail) != std::string_view::npos);
            masked += leak ? std::string_view("[redacted]") : word;
            if (j < out.size())
                masked += out[j];
            i = j + 1;
        }
        return masked;
    }

    static bool is_alnum(char c) noexcept {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    static bool is_word_break(char c) noexcept {
        return c == ' ' || c == '\t' || c == '\n' || c == '"' || c == '\'' || c == ',' ||
               c == '.' || c == ':' || c == ';' || c == '(' || c == ')';
    }
};

/** What a provider says of its endpoint, for `endpoint`'s constructor (designated
    initializers: `{.provider = ..., .base_url = ..., .auth = ...}`).
*/
struct endpoint_options {
    std::string provider; ///< the registry name, for messages
    std::string base_url; ///< what requests' paths are appended to (a trailing '/' is dropped)
    /// Header fields that carry the credentials (sent only to `base_url`'s host, never in a
    /// message).
    std::vector<std::pair<std::string, std::string>> auth{};
    std::string key{};           ///< the API key, redacted from errors; empty if none
    bool key_required = true;    ///< a request without a key fails with `missing_api_key`
    std::string query{};         ///< appended to every URL (Azure's `?api-version=...`)
    std::string key_variables{}; ///< where the key is read from, for the missing-key
                                 ///< message; empty for `<NAME>_API_KEY`
    std::shared_ptr<const lazy_client> client{}; ///< a client to share, or null for its own
};

/** What a provider shares with the models it hands out: where to send requests, how to
    authenticate, and the HTTP client (with its connection pool).

    Models hold it by `shared_ptr`, so a model stays usable after its provider (or the
    registry) is gone. The client is made on first use, so a registry of many providers
    costs nothing for the ones never called.
*/
class endpoint {
public:
    /** @param o what the provider says of its endpoint (see `endpoint_options`).
        @param config the provider's configuration (extra headers, transport settings).
    */
    endpoint(endpoint_options o, const provider_config& config)
        : provider_(std::move(o.provider)), base_url_(std::move(o.base_url)),
          headers_(std::move(o.auth)), key_(std::move(o.key)), answers_{provider_, {}},
          query_(std::move(o.query)), key_required_(o.key_required),
          key_variables_(o.key_variables.empty() ? env_prefix(provider_) + "_API_KEY"
                                                 : std::move(o.key_variables)),
          transport_(config.transport),
          client_(o.client ? std::move(o.client)
                           : std::make_shared<const lazy_client>(transport_, config.executor)) {
        while (!base_url_.empty() && base_url_.back() == '/')
            base_url_.pop_back();
        headers_.insert(headers_.end(), config.headers.begin(), config.headers.end());
        // Every credential sent is a secret: the key, and the values of credential headers
        // (given as auth or as configured headers), without their scheme.
        answers_.secrets.push_back(key_);
        for (auto const& [name, value] : headers_) {
            if (!is_credential_header(name))
                continue;
            std::string_view v = value;
            if (auto const sp = v.find(' ');
                sp != std::string_view::npos && (boost::beast::iequals(v.substr(0, sp), "bearer") ||
                                                 boost::beast::iequals(v.substr(0, sp), "basic")))
                v.remove_prefix(sp + 1);
            if (std::find(answers_.secrets.begin(), answers_.secrets.end(), v) ==
                answers_.secrets.end())
                answers_.secrets.emplace_back(v);
        }
    }

    const std::string& provider() const noexcept { return provider_; }
    const std::string& base_url() const noexcept { return base_url_; }

    /** A JSON POST to `path` (appended to the base URL), with the auth and extra headers,
        and the request's own headers, deadline and retry policy.
        @throws llmap::error `missing_api_key` when the provider needs a key and has none.
    */
    http::http_request post(std::string_view path, const boost::json::object& body,
                            const std::vector<std::pair<std::string, std::string>>& extra,
                            std::optional<std::chrono::steady_clock::duration> deadline,
                            std::optional<http::retry_policy> retry = std::nullopt) const {
        if (key_required_ && key_.empty())
            throw error(errc::missing_api_key, "llmap: no API key for provider '" + provider_ +
                                                   "' (set " + key_variables_ +
                                                   " or provider_config::api_key)");
        http::http_request r;
        r.url = base_url_ + std::string(path) + query_;
        r.headers = headers_;
        r.headers.emplace_back("content-type", "application/json");
        r.headers.insert(r.headers.end(), extra.begin(), extra.end());
        r.body = boost::json::serialize(body);
        r.retry = retry;
        if (deadline) {
            http::timeouts t = transport_.timeout;
            t.request = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline);
            r.timeout = t;
        }
        return r;
    }

    /// The HTTP client, made on first use (thread-safe).
    http::client& client() const { return client_->get(); }

    /// What the answers of this endpoint are checked with (provider name, key to redact).
    const answer_context& answers() const noexcept { return answers_; }

    /// See `answer_context::http_failure`.
    error http_failure(const http::http_response& r) const { return answers_.http_failure(r); }

private:
    static bool is_credential_header(std::string_view name) noexcept {
        for (std::string_view h :
             {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key"})
            if (boost::beast::iequals(name, h))
                return true;
        return false;
    }

    std::string provider_;
    std::string base_url_;
    std::vector<std::pair<std::string, std::string>> headers_;
    std::string key_;
    answer_context answers_;
    std::string query_;
    bool key_required_;
    std::string key_variables_;
    http::client_options transport_;
    std::shared_ptr<const lazy_client> client_;
};

/** The header fields of `r` a caller may act on (see `response::headers`), redacted. */
inline std::vector<std::pair<std::string, std::string>>
headers_to_keep(const answer_context& answers, const http::http_response& r) {
    auto starts = [](std::string_view name, std::string_view prefix) {
        return name.size() >= prefix.size() &&
               boost::beast::iequals(name.substr(0, prefix.size()), prefix);
    };
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& [name, value] : r.headers)
        if (starts(name, "x-ratelimit-") || starts(name, "anthropic-ratelimit-") ||
            starts(name, "ratelimit") || boost::beast::iequals(name, "retry-after") ||
            boost::beast::iequals(name, "x-request-id") ||
            boost::beast::iequals(name, "request-id") ||
            boost::beast::iequals(name, "openai-processing-ms"))
            out.emplace_back(name, answers.redact(value));
    return out;
}

/// Give `out` the header fields of `r` worth keeping, if its type has room for them.
template <class Result>
void keep_headers(Result& out, const answer_context& answers, const http::http_response& r) {
    if constexpr (requires { out.headers; })
        out.headers = headers_to_keep(answers, r);
}

/** The answer's JSON (2xx), or throw the provider's error. */
inline boost::json::value answer_json(const answer_context& ep, const http::http_response& r) {
    if (r.status < 200 || r.status > 299)
        throw ep.http_failure(r);
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.body, ec);
    if (ec)
        throw_malformed(ep.provider, "the body is not JSON (" + ec.message() + ")");
    return v;
}

/** Send a JSON request and return the answer's JSON (2xx) or throw the provider's error. */
inline boost::json::value post_json(const endpoint& ep, http::http_request req) {
    return answer_json(ep.answers(), ep.client().send(std::move(req)));
}

} // namespace llmap::detail

#endif
