//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The loopback server of the end-to-end benchmarks: an OpenAI Chat Completions endpoint that
// answers every request with recorded real traffic, as fast as the socket allows, so the
// clients (llmap, a hand-written Beast client, the Node SDKs) are what is measured.
//
//   bench_server [--port P]        prints "port N" on its first line, then serves until killed
//
// POST .../chat/completions, with a JSON body:
// - without "stream": true → the recorded ~0.7 KB answer (kAnswer below), application/json;
// - with "stream": true → the recorded stream of 1,246 chunks (kStream: the longest recorded
//   Chat Completions stream in the fixtures, reasoning then text), text/event-stream,
//   chunked, one HTTP chunk per event, the whole response written in one go;
// - with "stream": true and a model named "stream-mb-N" → a generated stream of about N MB
//   of text deltas, written in 64 KiB pieces (for the memory benchmark).
// Every connection is kept alive and served by its own thread (Beast, synchronous).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

namespace {

// The recorded exchanges, relative to ../shared/fixtures, and which exchange of the file.
constexpr const char* kAnswer =
    "rig/openai/chat_terminal_metadata_matrix/blocking_gpt_4_1_mini_roomy_plain_two.json";
constexpr const char* kStream = "rig/openrouter/reasoning_roundtrip/streaming.json";
constexpr std::size_t kStreamExchange = 1;

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The response body of an exchange of a recorded rig file.
std::string recorded_body(const char* relative, std::size_t exchange = 0) {
    const std::string path = std::string(LLMAP_SOURCE_DIR) + "/../shared/fixtures/" + relative;
    const json::value v = json::parse(read_file(path));
    return std::string(v.at(exchange).at("response").at("body").as_string());
}

std::string chunk(std::string_view data) {
    char size[32];
    const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
    std::string out(size, static_cast<std::size_t>(n));
    out.append(data);
    out.append("\r\n");
    return out;
}

std::string stream_head() {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
           "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n";
}

// The recorded SSE body as a chunked response, one HTTP chunk per event.
std::string chunked_stream(std::string_view sse) {
    std::string out = stream_head();
    std::size_t pos = 0;
    while (pos < sse.size()) {
        std::size_t end = sse.find("\n\n", pos);
        end = end == std::string_view::npos ? sse.size() : end + 2;
        out += chunk(sse.substr(pos, end - pos));
        pos = end;
    }
    return out + "0\r\n\r\n";
}

std::string answer_response(std::string_view body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// One 64 KiB-ish HTTP chunk of text-delta events, repeated to make a stream of any size.
std::string generated_block() {
    const std::string text(100, 'x');
    const std::string event = "data: {\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\","
                              "\"created\":0,\"model\":\"stream-mb\",\"choices\":[{\"index\":0,"
                              "\"delta\":{\"content\":\"" +
                              text + "\"},\"finish_reason\":null}]}\n\n";
    std::string events;
    while (events.size() + event.size() <= 64 * 1024)
        events += event;
    return chunk(events);
}

std::string generated_tail() {
    return chunk(
               "data: {\"id\":\"chatcmpl-big\",\"object\":\"chat.completion.chunk\",\"created\":0,"
               "\"model\":\"stream-mb\",\"choices\":[{\"index\":0,\"delta\":{},"
               "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,"
               "\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n") +
           "0\r\n\r\n";
}

struct replies {
    std::string answer;      // a whole HTTP response
    std::string stream;      // a whole HTTP response
    std::string block, tail; // pieces of the generated streams
};

void serve(tcp::socket sock, const replies& r) {
    boost::beast::flat_buffer buf;
    boost::system::error_code ec;
    for (;;) {
        http::request<http::string_body> req;
        http::read(sock, buf, req, ec);
        if (ec)
            return; // the client closed the connection (or sent garbage): done with it
        bool stream = false;
        std::string model;
        if (auto const body = json::parse(req.body(), ec); !ec && body.is_object()) {
            if (auto const* s = body.as_object().if_contains("stream"))
                stream = s->is_bool() && s->get_bool();
            if (auto const* m = body.as_object().if_contains("model"); m && m->is_string())
                model = m->get_string();
        }
        if (!stream) {
            net::write(sock, net::buffer(r.answer), ec);
        } else if (model.starts_with("stream-mb-")) {
            const long mb = std::strtol(model.c_str() + 10, nullptr, 10);
            const std::size_t total = static_cast<std::size_t>(mb > 0 ? mb : 1) << 20;
            net::write(sock, net::buffer(stream_head()), ec);
            for (std::size_t sent = 0; !ec && sent < total; sent += r.block.size())
                net::write(sock, net::buffer(r.block), ec);
            if (!ec)
                net::write(sock, net::buffer(r.tail), ec);
        } else {
            net::write(sock, net::buffer(r.stream), ec);
        }
        if (ec || !req.keep_alive())
            return;
    }
}

} // namespace

int main(int argc, char** argv) {
    try {
        unsigned short port = 0;
        for (int i = 1; i < argc; ++i) {
            if (std::string_view(argv[i]) == "--port" && i + 1 < argc)
                port = static_cast<unsigned short>(std::atoi(argv[++i]));
            else
                throw std::runtime_error(std::string("unknown argument ") + argv[i]);
        }
        const replies r{answer_response(recorded_body(kAnswer)),
                        chunked_stream(recorded_body(kStream, kStreamExchange)), generated_block(),
                        generated_tail()};
        net::io_context io;
        tcp::acceptor acceptor(io, {net::ip::make_address("127.0.0.1"), port});
        std::printf("port %u\n", static_cast<unsigned>(acceptor.local_endpoint().port()));
        std::fflush(stdout);
        for (;;) {
            tcp::socket sock(io);
            acceptor.accept(sock);
            sock.set_option(tcp::no_delay(true));
            std::thread([s = std::move(sock), &r]() mutable {
                try {
                    serve(std::move(s), r);
                } catch (const std::exception& e) {
                    std::fprintf(stderr, "bench_server: %s\n", e.what());
                }
            }).detach();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_server: %s\n", e.what());
        return 1;
    }
}
