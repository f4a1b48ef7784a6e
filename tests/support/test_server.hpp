//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TESTS_SUPPORT_TEST_SERVER_HPP
#define LLMAP_TESTS_SUPPORT_TEST_SERVER_HPP

// Loopback HTTP(S) test servers: a scripted server, a CONNECT proxy, and a test PKI made
// with the OpenSSL C API at run time (no key material is checked in, nothing expires).
//
// The servers are deliberately blocking and thread-per-connection: a test's script reads
// top to bottom ("write this, sleep, reset"), and nothing here shares the client's code.

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace llmap::test {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

// ---------------------------------------------------------------------------------------------
// Test PKI
// ---------------------------------------------------------------------------------------------

/// A certificate chain (leaf first) and its private key, as PEM.
struct tls_identity {
    std::string cert_pem;
    std::string key_pem;
};

/// A CA and two leaves it signed: one valid for localhost / 127.0.0.1, one for another name.
struct test_pki {
    std::string ca_pem;
    tls_identity localhost;
    tls_identity other_host; // "wrong.invalid": a host-name mismatch for 127.0.0.1
};

namespace detail {

struct pkey_deleter {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct x509_deleter {
    void operator()(X509* p) const { X509_free(p); }
};
struct bio_deleter {
    void operator()(BIO* p) const { BIO_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using x509_ptr = std::unique_ptr<X509, x509_deleter>;

inline void check(bool ok, const char* what) {
    if (!ok)
        throw std::runtime_error(std::string("test PKI: ") + what);
}

inline pkey_ptr make_key() {
    pkey_ptr k(EVP_EC_gen("P-256"));
    check(k != nullptr, "EC key generation");
    return k;
}

inline void add_ext(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
    check(ext != nullptr, "extension");
    check(X509_add_ext(cert, ext, -1) == 1, "add extension");
    X509_EXTENSION_free(ext);
}

/// A certificate for `key`, signed by `issuer`/`issuer_key` (self-signed when null).
inline x509_ptr make_cert(EVP_PKEY* key, const char* cn, X509* issuer, EVP_PKEY* issuer_key,
                          bool ca, const char* san, long serial) {
    x509_ptr x(X509_new());
    check(x != nullptr, "X509_new");
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), 7L * 24 * 3600);
    check(X509_set_pubkey(x.get(), key) == 1, "set pubkey");
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                               -1, -1, 0);
    X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer ? issuer : x.get(), x.get(), nullptr, nullptr, 0);
    add_ext(x.get(), &ctx, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    add_ext(x.get(), &ctx, NID_key_usage,
            ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature");
    add_ext(x.get(), &ctx, NID_subject_key_identifier, "hash");
    if (!ca) {
        add_ext(x.get(), &ctx, NID_authority_key_identifier, "keyid:always");
        add_ext(x.get(), &ctx, NID_ext_key_usage, "serverAuth");
    }
    if (san)
        add_ext(x.get(), &ctx, NID_subject_alt_name, san);
    check(X509_sign(x.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "sign");
    return x;
}

inline std::string bio_string(BIO* b) {
    BUF_MEM* mem = nullptr;
    BIO_get_mem_ptr(b, &mem);
    return std::string(mem->data, mem->length);
}

inline std::string cert_pem(X509* x) {
    std::unique_ptr<BIO, bio_deleter> b(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(b.get(), x) == 1, "PEM cert");
    return bio_string(b.get());
}

inline std::string key_pem(EVP_PKEY* k) {
    std::unique_ptr<BIO, bio_deleter> b(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM key");
    return bio_string(b.get());
}

} // namespace detail

/// Make a fresh CA and two leaves (EC P-256, SHA-256, valid from an hour ago for a week).
inline test_pki make_test_pki() {
    using namespace detail;
    auto ca_key = make_key();
    auto ca = make_cert(ca_key.get(), "llmap test CA", nullptr, nullptr, true, nullptr, 1);
    auto leaf_key = make_key();
    auto leaf = make_cert(leaf_key.get(), "localhost", ca.get(), ca_key.get(), false,
                          "DNS:localhost,IP:127.0.0.1", 2);
    auto other_key = make_key();
    auto other = make_cert(other_key.get(), "wrong.invalid", ca.get(), ca_key.get(), false,
                           "DNS:wrong.invalid", 3);
    test_pki p;
    p.ca_pem = cert_pem(ca.get());
    p.localhost = {cert_pem(leaf.get()) + p.ca_pem, key_pem(leaf_key.get())};
    p.other_host = {cert_pem(other.get()) + p.ca_pem, key_pem(other_key.get())};
    return p;
}

// ---------------------------------------------------------------------------------------------
// Listener
// ---------------------------------------------------------------------------------------------

/** Accepts connections on 127.0.0.1 (port chosen by the system), one thread each.

    `stop` (and the destructor) wakes every blocked thread by shutting its sockets down and
    interrupts `sleep`, so a test never waits on its server.
*/
class loopback_listener {
public:
    using on_connection = std::function<void(tcp::socket&)>;

    explicit loopback_listener(on_connection f)
        : on_connection_(std::move(f)),
          acceptor_(ioc_, tcp::endpoint(net::ip::address_v4::loopback(), 0)) {
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { accept_loop(); });
    }

    loopback_listener(const loopback_listener&) = delete;
    loopback_listener& operator=(const loopback_listener&) = delete;

    ~loopback_listener() { stop(); }

    void stop() {
        if (stopping_.exchange(true))
            return;
        {
            // A blocked accept() is woken portably by a connection.
            tcp::socket s(ioc_);
            boost::system::error_code ec;
            s.connect({net::ip::address_v4::loopback(), port_}, ec);
            thread_.join();
        }
        {
            std::lock_guard lock(mutex_);
            for (int fd : fds_)
                ::shutdown(fd, SHUT_RDWR);
        }
        cv_.notify_all();
        for (auto& t : threads_)
            t.join();
    }

    unsigned short port() const { return port_; }
    std::size_t connections() const { return connections_.load(); }
    net::io_context& context() { return ioc_; }

    /// Sleep, but wake at once when the listener stops.
    void sleep(std::chrono::milliseconds d) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, d, [&] { return stopping_.load(); });
    }

    /// Have `stop` shut `fd` down too (a socket the connection's thread opened itself).
    void track(int fd) {
        std::lock_guard lock(mutex_);
        if (stopping_)
            ::shutdown(fd, SHUT_RDWR);
        fds_.insert(fd);
    }
    void untrack(int fd) {
        std::lock_guard lock(mutex_);
        fds_.erase(fd);
    }

private:
    void accept_loop() {
        for (;;) {
            auto s = std::make_shared<tcp::socket>(ioc_);
            boost::system::error_code ec;
            acceptor_.accept(*s, ec);
            if (stopping_)
                return;
            if (ec)
                continue;
            ++connections_;
            track(s->native_handle());
            threads_.emplace_back([this, s] {
                on_connection_(*s);
                // Untracked before the close, so that stop() never shuts down a reused fd.
                if (s->is_open())
                    untrack(s->native_handle());
                boost::system::error_code ignored;
                s->close(ignored);
            });
        }
    }

    on_connection on_connection_;
    net::io_context ioc_; // for the sockets only: all I/O here is synchronous
    tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> connections_{0};
    std::mutex mutex_;
    std::condition_variable cv_;
    std::set<int> fds_;
    std::thread thread_;
    std::vector<std::thread> threads_;
};

// ---------------------------------------------------------------------------------------------
// Scripted HTTP server
// ---------------------------------------------------------------------------------------------

/// A request as the server received it.
struct recorded_request {
    std::string method;
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

/** What a handler can do with the connection of the request it is handling. */
class test_session {
public:
    /// Write a complete response with a Content-Length.
    void respond(unsigned status, std::string_view body = {},
                 const std::vector<std::pair<std::string, std::string>>& headers = {}) {
        std::string s = "HTTP/1.1 " + std::to_string(status) + " " +
                        std::string(bhttp::obsolete_reason(bhttp::int_to_status(status))) + "\r\n";
        for (const auto& [n, v] : headers)
            s += n + ": " + v + "\r\n";
        s += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
        s += body;
        write_raw(s);
    }

    /// Write bytes as they are (a hand-made header, a chunk, garbage).
    void write_raw(std::string_view bytes) {
        responded_ = true;
        if (!write_(bytes))
            closed_ = true;
    }

    /// Wait (interrupted when the server stops).
    void sleep(std::chrono::milliseconds d) { listener_->sleep(d); }

    /// Abort the connection: the client sees a reset (SO_LINGER 0, then close).
    void reset() {
        boost::system::error_code ec;
        sock_->set_option(net::socket_base::linger(true, 0), ec);
        listener_->untrack(sock_->native_handle());
        sock_->close(ec);
        closed_ = true;
    }

    /// True once the connection is closed (by the session, or the client went away).
    bool closed() const noexcept { return closed_; }

    /// Close the connection (a FIN, without TLS close_notify).
    void close() {
        boost::system::error_code ec;
        sock_->shutdown(tcp::socket::shutdown_both, ec);
        listener_->untrack(sock_->native_handle());
        sock_->close(ec);
        closed_ = true;
    }

    /// Do not keep the connection open after this response.
    void close_after_response() { keep_alive_ = false; }

private:
    friend class test_server;
    std::function<bool(std::string_view)> write_;
    tcp::socket* sock_ = nullptr;
    loopback_listener* listener_ = nullptr;
    bool responded_ = false;
    bool closed_ = false;
    bool keep_alive_ = true;
};

/** A loopback HTTP/1.1 server (TLS optional) that runs `handler` for each request.

    A handler that neither responds nor closes gets its connection closed. Requests and
    connections are counted, so tests can check retries and keep-alive reuse.
*/
class test_server {
public:
    using request = bhttp::request<bhttp::string_body>;
    using handler = std::function<void(const request&, test_session&)>;

    explicit test_server(handler h, const tls_identity* tls = nullptr) : handler_(std::move(h)) {
        if (tls) {
            ssl_.emplace(net::ssl::context::tls_server);
            ssl_->use_certificate_chain(net::buffer(tls->cert_pem));
            ssl_->use_private_key(net::buffer(tls->key_pem), net::ssl::context::pem);
        }
        listener_ = std::make_unique<loopback_listener>([this](tcp::socket& s) { serve(s); });
    }

    ~test_server() { listener_->stop(); }

    unsigned short port() const { return listener_->port(); }

    /// `http(s)://127.0.0.1:<port><path>`.
    std::string url(std::string_view path = "/") const {
        return std::string(ssl_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port()) +
               std::string(path);
    }

    std::size_t connections() const { return listener_->connections(); }

    std::vector<recorded_request> requests() const {
        std::lock_guard lock(mutex_);
        return requests_;
    }

    std::size_t request_count() const {
        std::lock_guard lock(mutex_);
        return requests_.size();
    }

private:
    void serve(tcp::socket& s) {
        if (!ssl_) {
            serve_stream(s, s);
            return;
        }
        net::ssl::stream<tcp::socket&> tls(s, *ssl_);
        boost::system::error_code ec;
        tls.handshake(net::ssl::stream_base::server, ec);
        if (!ec)
            serve_stream(tls, s);
    }

    template <class Stream>
    void serve_stream(Stream& stream, tcp::socket& sock) {
        boost::beast::flat_buffer buf;
        for (;;) {
            bhttp::request_parser<bhttp::string_body> p;
            p.body_limit(64 * 1024 * 1024);
            boost::system::error_code ec;
            bhttp::read(stream, buf, p, ec);
            if (ec)
                return;
            const request& req = p.get();
            {
                recorded_request r;
                r.method = std::string(req.method_string());
                r.target = std::string(req.target());
                for (const auto& f : req)
                    r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
                r.body = req.body();
                std::lock_guard lock(mutex_);
                requests_.push_back(std::move(r));
            }
            test_session session;
            session.write_ = [&stream](std::string_view bytes) {
                boost::system::error_code wec;
                net::write(stream, net::buffer(bytes.data(), bytes.size()), wec);
                return !wec;
            };
            session.sock_ = &sock;
            session.listener_ = listener_.get();
            handler_(req, session);
            if (session.closed_)
                return;
            if (!session.responded_ || !session.keep_alive_ || !req.keep_alive()) {
                session.close();
                return;
            }
        }
    }

    handler handler_;
    std::optional<net::ssl::context> ssl_;
    mutable std::mutex mutex_;
    std::vector<recorded_request> requests_;
    std::unique_ptr<loopback_listener> listener_; // last: its threads use the members above
};

// ---------------------------------------------------------------------------------------------
// CONNECT proxy
// ---------------------------------------------------------------------------------------------

/** A loopback HTTP proxy that serves `CONNECT` only: it tunnels to the requested
    127.0.0.1 port, or refuses every request with 403. */
class test_proxy {
public:
    enum class mode { tunnel, refuse };

    explicit test_proxy(mode m) : mode_(m) {
        listener_ = std::make_unique<loopback_listener>([this](tcp::socket& s) { serve(s); });
    }

    ~test_proxy() { listener_->stop(); }

    /// `http://127.0.0.1:<port>`.
    std::string url() const { return "http://127.0.0.1:" + std::to_string(listener_->port()); }

    /// The `CONNECT` targets received, in order.
    std::vector<std::string> targets() const {
        std::lock_guard lock(mutex_);
        return targets_;
    }

    /// The `Proxy-Authorization` values received (empty when absent), in order.
    std::vector<std::string> authorizations() const {
        std::lock_guard lock(mutex_);
        return authorizations_;
    }

private:
    void serve(tcp::socket& client) {
        boost::beast::flat_buffer buf;
        bhttp::request_parser<bhttp::empty_body> p;
        boost::system::error_code ec;
        bhttp::read_header(client, buf, p, ec);
        if (ec)
            return;
        std::string target(p.get().target());
        {
            std::lock_guard lock(mutex_);
            targets_.push_back(target);
            authorizations_.emplace_back(p.get()[bhttp::field::proxy_authorization]);
        }
        const std::string_view refused =
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        auto colon = target.rfind(':');
        if (mode_ == mode::refuse || p.get().method() != bhttp::verb::connect ||
            colon == std::string::npos || target.substr(0, colon) != "127.0.0.1") {
            net::write(client, net::buffer(refused.data(), refused.size()), ec);
            return;
        }
        tcp::socket upstream(listener_->context());
        auto port = static_cast<unsigned short>(std::stoi(target.substr(colon + 1)));
        upstream.connect({net::ip::address_v4::loopback(), port}, ec);
        if (ec) {
            const std::string_view bad = "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n";
            net::write(client, net::buffer(bad.data(), bad.size()), ec);
            return;
        }
        listener_->track(upstream.native_handle());
        const std::string_view ok = "HTTP/1.1 200 Connection established\r\n\r\n";
        net::write(client, net::buffer(ok.data(), ok.size()), ec);
        if (buf.size() > 0)
            net::write(upstream, buf.data(), ec);
        std::thread back([&] { pump(upstream, client); });
        pump(client, upstream);
        back.join();
        listener_->untrack(upstream.native_handle());
    }

    // Copy until either side ends, then end both directions.
    static void pump(tcp::socket& from, tcp::socket& to) {
        char data[16 * 1024];
        for (;;) {
            boost::system::error_code ec;
            std::size_t n = from.read_some(net::buffer(data), ec);
            if (ec)
                break;
            net::write(to, net::buffer(data, n), ec);
            if (ec)
                break;
        }
        ::shutdown(to.native_handle(), SHUT_RDWR);
        ::shutdown(from.native_handle(), SHUT_RDWR);
    }

    mode mode_;
    mutable std::mutex mutex_;
    std::vector<std::string> targets_;
    std::vector<std::string> authorizations_;
    std::unique_ptr<loopback_listener> listener_; // last: its threads use the members above
};

} // namespace llmap::test

#endif
