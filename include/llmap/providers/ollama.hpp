//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OLLAMA_HPP
#define LLMAP_PROVIDERS_OLLAMA_HPP

/** @file
    Ollama through its native API: chat (`/api/chat`, streamed as NDJSON) and embeddings
    (`/api/embed`).
*/

#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/providers/detail/model_base.hpp>
#include <llmap/providers/ollama/chat_wire.hpp>
#include <llmap/providers/ollama/embed_wire.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::ollama_api {

/** The base URL that an `OLLAMA_HOST` value names, by the rules of Ollama's own clients
    (the CLI's `envconfig.Host`, and the Python and JavaScript clients):

    - the scheme defaults to `http`; the port defaults to 11434 without a scheme, and to the
      scheme's port (80, 443) with one: `example.com` is `http://example.com:11434`,
      `https://example.com` is `https://example.com:443`;
    - an empty host means 127.0.0.1 (`:8080` is `http://127.0.0.1:8080`), and so do the
      wildcard addresses a server binds to (`0.0.0.0`; `::` means `[::1]`), which a client
      cannot connect to everywhere;
    - IPv6 addresses go in brackets (`[::1]:8080`); a bare one (`::1`) is taken whole;
    - a path is kept, without its trailing `/` (`example.com/ollama/`);
    - an invalid port (not a number, above 65535) gives the default, as the CLI does.

    @return the base URL, or an empty string for an empty (or blank) value.
*/
inline std::string base_url_from_host(std::string_view host) {
    while (!host.empty() && (host.front() == ' ' || host.front() == '\t'))
        host.remove_prefix(1);
    while (!host.empty() && (host.back() == ' ' || host.back() == '\t'))
        host.remove_suffix(1);
    if (host.empty())
        return {};
    std::string scheme = "http";
    std::string_view default_port = "11434";
    if (auto const sep = host.find("://"); sep != std::string_view::npos) {
        scheme.clear();
        for (char c : host.substr(0, sep))
            scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        default_port = scheme == "https" ? "443" : "80";
        host.remove_prefix(sep + 3);
    }
    std::string_view hostport = host, path;
    if (auto const slash = host.find('/'); slash != std::string_view::npos) {
        hostport = host.substr(0, slash);
        path = host.substr(slash);
        while (!path.empty() && path.back() == '/')
            path.remove_suffix(1);
    }
    std::string name;
    std::string_view port;
    if (hostport.starts_with('[')) {
        std::size_t const close = hostport.find(']');
        name = std::string(
            hostport.substr(0, close == std::string_view::npos ? hostport.size() : close + 1));
        if (close == std::string_view::npos)
            name += ']';
        else if (hostport.substr(close + 1).starts_with(':'))
            port = hostport.substr(close + 2);
    } else if (hostport.find(':') != hostport.rfind(':')) {
        name = "[" + std::string(hostport) + "]"; // a bare IPv6 address
    } else if (auto const colon = hostport.find(':'); colon != std::string_view::npos) {
        name = std::string(hostport.substr(0, colon));
        port = hostport.substr(colon + 1);
    } else {
        name = std::string(hostport);
    }
    if (name.empty() || name == "0.0.0.0")
        name = "127.0.0.1";
    else if (name == "[::]" || name == "[0:0:0:0:0:0:0:0]")
        name = "[::1]";
    bool port_ok = !port.empty() && port.size() <= 5;
    for (char c : port)
        port_ok = port_ok && c >= '0' && c <= '9';
    if (port_ok && std::stoul(std::string(port)) > 65535)
        port_ok = false;
    return scheme + "://" + name + ":" + std::string(port_ok ? port : default_port) +
           std::string(path);
}

namespace detail {

inline response parse_chat(boost::json::value v, std::string_view provider) {
    return wire::parse_chat_response(std::move(v), provider);
}

inline embedding_response parse_embed(boost::json::value v, std::string_view provider) {
    return wire::parse_embed_response(std::move(v), provider);
}

} // namespace detail

/** An Ollama model: chat through `/api/chat` (streamed as NDJSON), embeddings through
    `/api/embed`.

    Tools, structured output (`"json"` or a JSON schema as `format`), reasoning (`think`,
    and `message.thinking` as reasoning parts) and image input (bytes or `data:` URLs; Ollama
    reads no image URLs) are declared for every model: whether a given local model supports
    them is only known to the server, which answers with an error if it does not. Its calls
    are those of `llmap::detail::chat_calls` and `llmap::detail::embedding_calls` (a model
    that is not pulled is an `http_error` with status 404).

    @par Example
    @code
    llmap::registry<llmap::ollama> reg{llmap::from_env};
    llmap::ollama::chat_model m = reg.model<"ollama:llama3:8b">(); // model "llama3:8b"
    auto r = m.complete({.prompt = "Hi", .max_output_tokens = 64});
    @endcode
*/
class chat_model
    : public llmap::detail::chat_calls<chat_model, llmap::detail::embedding_calls<chat_model>> {
public:
    using chat_calls::chat_calls;

    /// Tools, structured output, reasoning and image input.
    capability_set capabilities() const noexcept {
        return capability::tools | capability::structured_output | capability::reasoning |
               capability::image_input;
    }

private:
    friend struct llmap::detail::call_access;

    // `"stream"` in the body says whether the answer streams, as NDJSON.
    auto chat_call(const request& req, bool stream) const {
        llmap::detail::wire_call<decltype(&detail::parse_chat), wire::chat_stream_decoder> c{
            "/api/chat",
            {},
            {},
            detail::parse_chat,
            wire::chat_stream_decoder(provider()),
            llmap::detail::stream_framing::ndjson};
        c.body = wire::chat_request_body(req, name(), stream, c.warnings, provider());
        return c;
    }

    // `truncate` and `keep_alive` go through `provider_options["ollama"]`.
    auto embed_call(const embedding_request& req) const {
        llmap::detail::wire_call<decltype(&detail::parse_embed)> c{
            "/api/embed", {}, {}, detail::parse_embed};
        c.body = wire::embed_request_body(req, name(), c.warnings, provider());
        return c;
    }
};

static_assert(
    llmap::detail::any_model_in_place<chat_model>,
    "llmap: a built-in model must fit any_model's in-place buffer (any_model::buffer_size)");

} // namespace llmap::ollama_api

namespace llmap {

/** A local (or hosted) Ollama server through its native API.

    Configuration: `OLLAMA_BASE_URL` (default `http://localhost:11434`), else `OLLAMA_HOST`
    in any of the forms Ollama accepts (see `ollama_api::base_url_from_host`). No key is
    needed; `OLLAMA_API_KEY`, when set (a hosted Ollama), is sent as a bearer token. Model
    names are passed untouched: `ollama:llama3:8b` is the model `llama3:8b`.
*/
class ollama {
public:
    using chat_model = ollama_api::chat_model;

    static constexpr fixed_string name = "ollama";
    static constexpr std::string_view default_model = "llama3.2";
    static constexpr std::string_view default_base_url = "http://localhost:11434";

    explicit ollama(const provider_config& c) : endpoint_(make_endpoint(c)) {}

    /// Reads `OLLAMA_HOST` when no base URL is configured.
    static void apply_env(provider_config& c) {
        if (c.base_url.empty())
            c.base_url = ollama_api::base_url_from_host(detail::getenv_or_empty("OLLAMA_HOST"));
    }

    chat_model model(std::string_view id) const { return {endpoint_, std::string(id)}; }

private:
    static std::shared_ptr<const detail::endpoint> make_endpoint(const provider_config& c) {
        std::vector<std::pair<std::string, std::string>> auth;
        if (!c.api_key.empty())
            auth.emplace_back("authorization", "Bearer " + c.api_key);
        return std::make_shared<const detail::endpoint>(
            detail::endpoint_options{.provider = std::string(name.view()),
                                     .base_url = c.base_url.empty() ? std::string(default_base_url)
                                                                    : c.base_url,
                                     .auth = std::move(auth),
                                     .key = c.api_key,
                                     .key_required = false},
            c);
    }

    std::shared_ptr<const detail::endpoint> endpoint_;
};

} // namespace llmap

#endif
