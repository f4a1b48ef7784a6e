//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// Compile-time measurement (scripts/compile-time.sh), the "bare" baseline: what a program
// compiles when it talks to one LLM provider by hand, with Boost.Beast, Beast's OpenSSL
// stream and Boost.JSON and no llmap. It is a minimal but real HTTPS JSON client (it links
// and runs: `bare [HOST [MODEL]]`, key in OPENAI_API_KEY): resolve, connect, TLS handshake
// with SNI and certificate + host name verification, a POST whose body is
// boost::json::serialize'd, the whole response read and boost::json::parse'd; then the same
// request streamed, the body read chunk by chunk, cut into server-sent-event lines and each
// `data:` line parsed. Blocking calls only, no timeouts, retries, pool or proxy: the floor
// llmap's umbrella TU is compared with.

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <openssl/ssl.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

/// A TLS connection to `host`:443, verified against the system's CA store.
void connect(tls_stream& stream, const std::string& host) {
    tcp::resolver resolver(stream.get_executor());
    auto const endpoints = resolver.resolve(host, "443");
    beast::get_lowest_layer(stream).connect(endpoints);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
        throw beast::system_error(static_cast<int>(::ERR_get_error()),
                                  asio::error::get_ssl_category());
    stream.set_verify_mode(asio::ssl::verify_peer);
    stream.set_verify_callback(asio::ssl::host_name_verification(host));
    stream.handshake(asio::ssl::stream_base::client);
}

/// The Chat Completions request for `prompt`.
http::request<http::string_body> make_request(const std::string& host, const std::string& key,
                                              const std::string& model, std::string_view prompt,
                                              bool stream) {
    json::object body;
    body["model"] = model;
    body["messages"] = json::array{json::object{{"role", "user"}, {"content", prompt}}};
    body["stream"] = stream;

    http::request<http::string_body> req{http::verb::post, "/v1/chat/completions", 11};
    req.set(http::field::host, host);
    req.set(http::field::authorization, "Bearer " + key);
    req.set(http::field::content_type, "application/json");
    req.set(http::field::user_agent, "bare/1.0");
    req.body() = json::serialize(body);
    req.prepare_payload();
    return req;
}

/// The text of a completion: choices[0].message.content.
std::string answer_text(const json::value& v) {
    return std::string(v.at("choices").at(0).at("message").at("content").as_string());
}

/// One request, one JSON answer.
std::string complete(tls_stream& stream, const http::request<http::string_body>& req) {
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    if (res.result() != http::status::ok)
        throw std::runtime_error("HTTP " + std::to_string(res.result_int()) + ": " + res.body());
    return answer_text(json::parse(res.body()));
}

/// One streamed request: the body read as it arrives, its `data:` lines parsed one by one,
/// each text delta printed.
void stream_answer(tls_stream& stream, const http::request<http::string_body>& req) {
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    http::read_header(stream, buffer, parser);
    if (parser.get().result() != http::status::ok)
        throw std::runtime_error("HTTP " + std::to_string(parser.get().result_int()));

    std::string pending; // bytes of an unfinished line
    char chunk[4096];
    while (!parser.is_done()) {
        parser.get().body().data = chunk;
        parser.get().body().size = sizeof chunk;
        beast::error_code ec;
        http::read(stream, buffer, parser, ec);
        if (ec && ec != http::error::need_buffer)
            throw beast::system_error(ec);
        pending.append(chunk, sizeof chunk - parser.get().body().size);
        for (std::size_t eol; (eol = pending.find('\n')) != std::string::npos;) {
            std::string_view line(pending.data(), eol);
            if (line.starts_with("data: ") && line != "data: [DONE]") {
                auto const event = json::parse(line.substr(6));
                auto const& delta = event.at("choices").at(0).at("delta").as_object();
                if (auto const* text = delta.if_contains("content"); text && text->is_string())
                    std::fwrite(text->get_string().data(), 1, text->get_string().size(), stdout);
            }
            pending.erase(0, eol + 1);
        }
    }
    std::fputc('\n', stdout);
}

} // namespace

int main(int argc, char** argv) {
    try {
        std::string const host = argc > 1 ? argv[1] : "api.openai.com";
        std::string const model = argc > 2 ? argv[2] : "gpt-4.1-mini";
        char const* key = std::getenv("OPENAI_API_KEY");
        if (key == nullptr)
            throw std::runtime_error("set OPENAI_API_KEY");

        asio::io_context ioc;
        asio::ssl::context ctx(asio::ssl::context::tls_client);
        ctx.set_default_verify_paths();
        tls_stream stream(ioc, ctx);
        connect(stream, host);

        std::printf("%s\n", complete(stream, make_request(host, key, model, "Hi", false)).c_str());
        stream_answer(stream, make_request(host, key, model, "Hi", true));

        beast::error_code ec;
        stream.shutdown(ec); // servers often close without close_notify: not an error here
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bare: %s\n", e.what());
        return 1;
    }
}
