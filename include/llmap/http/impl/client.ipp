//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_HTTP_IMPL_CLIENT_IPP
#define LLMAP_HTTP_IMPL_CLIENT_IPP

// The body of llmap::http::client: in every translation unit that includes
// <llmap/http/client.hpp>, or only in the one that includes <llmap/src.hpp> when
// LLMAP_SEPARATE_COMPILATION is defined (see <llmap/detail/linkage.hpp>).

// Clang before 15 cannot compile coroutines with -fsanitize=function, which
// -fsanitize=undefined includes (llvm/llvm-project#49689, "Cannot represent a difference
// across sections"): build with -fno-sanitize=function there, as llmap's own build does.

#include <llmap/http/client.hpp>

#include <llmap/detail/base64.hpp>
#include <llmap/error.hpp>
#include <llmap/http/message.hpp>
#include <llmap/http/options.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

namespace llmap::http {

/** Describe a failed request for an exception message: the error and the request's method,
    scheme, host, port and path.

    The query string, user info and header fields are left out: they are where credentials
    live (`?key=` for some APIs, `Authorization`, `x-api-key`).
*/
std::string describe_failure(const boost::system::error_code& ec, const http_request& req,
                             unsigned attempts) {
    std::string where;
    auto u = boost::urls::parse_uri(req.url);
    if (u) {
        where = std::string(u->scheme()) + "://" + std::string(u->encoded_host_and_port()) +
                std::string(u->encoded_path());
    } else {
        where = "(invalid URL)";
    }
    std::string out = "llmap: " + ec.message() + " (" +
                      std::string(boost::beast::http::to_string(req.method)) + " " + where + ")";
    if (attempts > 1)
        out += " after " + std::to_string(attempts) + " attempts";
    return out;
}

namespace detail {

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;
using clock = std::chrono::steady_clock;

/// What the transport needs of a request URL.
struct target {
    bool tls = false;
    std::string host;        // without brackets, for resolving and certificate checks
    unsigned short port = 0; // explicit or the scheme's default
    std::string host_header; // as written in the URL, for the Host field
    std::string path;        // origin-form request target: path and query
};

inline std::optional<target> parse_target(std::string_view url) {
    auto r = boost::urls::parse_uri(url);
    if (!r)
        return std::nullopt;
    const auto& u = *r;
    target t;
    if (u.scheme_id() == boost::urls::scheme::https)
        t.tls = true;
    else if (u.scheme_id() != boost::urls::scheme::http)
        return std::nullopt;
    // Credentials in the URL would be sent nowhere (we do not implement Basic auth from the
    // URL) and might end up in logs: refuse them.
    if (!u.has_authority() || u.has_userinfo() || u.encoded_host().empty())
        return std::nullopt;
    t.host = std::string(u.encoded_host_address());
    if (t.host.size() >= 2 && t.host.front() == '[')
        t.host = t.host.substr(1, t.host.size() - 2);
    if (u.has_port()) {
        if (u.port().empty() || u.port_number() == 0)
            return std::nullopt;
        t.port = u.port_number();
    } else {
        t.port = t.tls ? 443 : 80;
    }
    t.host_header = std::string(u.encoded_host_and_port());
    t.path = u.encoded_path().empty() ? "/" : std::string(u.encoded_path());
    if (u.has_query())
        t.path += "?" + std::string(u.encoded_query());
    return t;
}

/// One HTTP/1.1 connection, plain or TLS. It is used by one request at a time.
struct connection {
    explicit connection(const net::any_io_executor& ex) : sock(ex) {}

    tcp::socket sock;
    std::optional<net::ssl::stream<tcp::socket&>> tls; // over `sock`
    boost::beast::flat_buffer buffer;
    clock::time_point idle_since;

    void close() noexcept {
        error_code ec;
        sock.close(ec);
    }

    /** True when the connection can carry another request: open, not idle for long, and
        not closed by the server in the meantime. */
    bool reusable() {
        // Servers close idle keep-alive connections after 5 s (nginx, Node) to a few
        // minutes; 30 s keeps us clear of most of them, and a stale one is retried anyway.
        if (!sock.is_open() || clock::now() - idle_since > std::chrono::seconds(30))
            return false;
        // A peeked EOF or error means the server has closed it. Pending bytes are an answer
        // nobody asked for, or (on TLS) records of unknown content: either way the connection
        // is in a state we cannot vouch for, and the next call must not read them. A TLS 1.3
        // session ticket comes right after the handshake and is read with the first answer.
        char c;
#ifdef MSG_DONTWAIT
        // One system call, without switching the socket's mode back and forth.
        const auto n = ::recv(sock.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK;
#else
        error_code ec;
        sock.non_blocking(true, ec);
        if (ec)
            return false;
        error_code peek;
        std::size_t n = sock.receive(net::buffer(&c, 1), tcp::socket::message_peek, peek);
        sock.non_blocking(false, ec);
        if (ec)
            return false;
        if (peek == net::error::would_block || peek == net::error::try_again)
            return true;
        if (peek)
            return false;
#endif
        return false; // n == 0: closed; n > 0: unread bytes
    }

    /** True when nothing of the last exchange is left unread: no buffered bytes, and on TLS
        no decrypted or undecrypted data waiting inside OpenSSL. Only such a connection may
        carry another request.
    */
    bool drained() {
        if (buffer.size() != 0)
            return false;
        if (!tls)
            return true;
        SSL* ssl = tls->native_handle();
        return SSL_pending(ssl) == 0 && BIO_ctrl_pending(SSL_get_rbio(ssl)) == 0;
    }
};

struct pool_key {
    bool tls;
    std::string host;
    unsigned short port;
    auto operator<=>(const pool_key&) const = default;
};

/// Idle keep-alive connections per (scheme, host, port); shared by all requests of a client.
class connection_pool {
public:
    std::shared_ptr<connection> take(const pool_key& k) {
        std::vector<std::shared_ptr<connection>> stale;
        std::shared_ptr<connection> found;
        {
            std::lock_guard lock(mutex_);
            auto it = idle_.find(k);
            if (it == idle_.end())
                return nullptr;
            auto& v = it->second;
            while (!v.empty()) {
                auto c = std::move(v.back());
                v.pop_back();
                if (c->reusable()) {
                    found = std::move(c);
                    break;
                }
                stale.push_back(std::move(c));
            }
        }
        for (auto& c : stale)
            c->close();
        return found;
    }

    void give(const pool_key& k, std::shared_ptr<connection> c) {
        c->idle_since = clock::now();
        std::lock_guard lock(mutex_);
        auto& v = idle_[k];
        // Bounded, so that a burst of concurrency does not leave hundreds of sockets open.
        if (v.size() >= 16) {
            v.front()->close();
            v.erase(v.begin());
        }
        v.push_back(std::move(c));
    }

    void clear() {
        std::lock_guard lock(mutex_);
        for (auto& [k, v] : idle_)
            for (auto& c : v)
                c->close();
        idle_.clear();
    }

private:
    std::mutex mutex_;
    std::map<pool_key, std::vector<std::shared_ptr<connection>>> idle_;
};

struct op_state;

/// The state a client shares with its running operations (which may outlive it).
struct client_impl {
    /// `single_thread`: `e` is only ever run by one thread at a time (no strands needed).
    client_impl(net::any_io_executor e, client_options o, bool single_thread = false)
        : ex(std::move(e)), opts(std::move(o)), ssl(net::ssl::context::tls_client),
          single_thread(single_thread) {
        error_code ec;
        ssl.set_default_verify_paths(ec);
        // A missing system store is not fatal: an explicit CA may be all that is wanted.
        if (!opts.tls.ca_file.empty()) {
            ssl.load_verify_file(opts.tls.ca_file, ec);
            if (ec)
                throw llmap::error(errc::tls_error,
                                   "llmap: cannot load the CA file " + opts.tls.ca_file);
        }
        if (!opts.tls.ca_pem.empty()) {
            ssl.add_certificate_authority(net::buffer(opts.tls.ca_pem), ec);
            if (ec)
                throw llmap::error(errc::tls_error, "llmap: cannot load the CA certificate PEM");
        }
        ssl.set_verify_mode(net::ssl::verify_peer);
        SSL_CTX_set_min_proto_version(ssl.native_handle(), TLS1_2_VERSION);

        if (!opts.proxy.url.empty()) {
            auto t = parse_proxy(opts.proxy.url);
            if (!t)
                // The URL is not repeated: it may hold the proxy's password.
                throw llmap::error(errc::proxy_error, "llmap: invalid proxy URL");
            proxy = std::move(*t);
        }
    }

    struct proxy_target {
        std::string host;
        unsigned short port = 0;
        std::string authorization; // "Basic ..." or empty
    };

    static std::optional<proxy_target> parse_proxy(std::string_view url) {
        auto r = boost::urls::parse_uri(url);
        if (!r || r->scheme_id() != boost::urls::scheme::http || r->encoded_host().empty())
            return std::nullopt;
        proxy_target p;
        p.host = std::string(r->encoded_host_address());
        if (p.host.size() >= 2 && p.host.front() == '[')
            p.host = p.host.substr(1, p.host.size() - 2);
        p.port = r->has_port() ? r->port_number() : 80;
        if (p.port == 0)
            return std::nullopt;
        if (r->has_userinfo()) {
            std::string cred = r->user() + ":" + r->password();
            p.authorization =
                "Basic " + llmap::detail::base64_encode(std::span<const std::uint8_t>(
                               reinterpret_cast<const std::uint8_t*>(cred.data()), cred.size()));
        }
        return p;
    }

    net::any_io_executor ex;
    client_options opts;
    net::ssl::context ssl;
    bool single_thread;
    std::optional<proxy_target> proxy;
    connection_pool pool;

    /// Operations started and not yet completed, so that the client can cancel them.
    std::mutex ops_mutex;
    std::vector<std::weak_ptr<op_state>> ops;

    void track(const std::shared_ptr<op_state>& op) {
        std::lock_guard lock(ops_mutex);
        ops.push_back(op);
    }

    void forget(const op_state* op) {
        std::lock_guard lock(ops_mutex);
        std::erase_if(ops, [op](const std::weak_ptr<op_state>& w) {
            auto s = w.lock();
            return !s || s.get() == op;
        });
    }

    /// Cancel every operation in flight, each on its own strand.
    inline void cancel_all();
};

/** The state of one operation, on its own strand: the timers, the current connection, and
    what stopped it (a timeout or the caller's cancellation). */
struct op_state : std::enable_shared_from_this<op_state> {
    explicit op_state(net::any_io_executor strand)
        : ex(strand), watchdog(strand), delay(strand), resolver(strand) {}

    net::any_io_executor ex;
    net::steady_timer watchdog; // the current deadline
    net::steady_timer delay;    // the wait between retries
    tcp::resolver resolver;
    std::shared_ptr<connection> conn;
    std::optional<errc> fired; // the timeout that expired, if any
    errc armed = errc::request_timeout;
    unsigned generation = 0;
    bool cancelled = false;
    bool finished = false;

    /// Set the deadline of what follows: when it passes, the I/O is aborted and the
    /// operation fails with `kind`.
    void arm(clock::time_point when, errc kind) {
        ++generation;
        armed = kind;
        watchdog.expires_at(when);
        watchdog.async_wait([self = shared_from_this(), g = generation](error_code ec) {
            if (ec || g != self->generation || self->finished)
                return;
            self->fired = self->armed;
            self->abort_io();
        });
    }

    void disarm() {
        ++generation;
        watchdog.cancel();
    }

    /** Make `c` the connection a timeout or cancellation aborts; one that came before it (while
        no I/O was waiting) aborts it at once.
    */
    void watch(std::shared_ptr<connection> c) {
        conn = std::move(c);
        if (cancelled || fired)
            conn->close();
    }

    /// True once a timeout or the caller stopped the operation.
    bool stopped() const noexcept { return cancelled || fired.has_value(); }

    void abort_io() {
        resolver.cancel();
        delay.cancel();
        if (conn)
            conn->close();
    }

    void cancel() {
        if (finished)
            return;
        cancelled = true;
        disarm();
        abort_io();
    }
};

void client_impl::cancel_all() {
    std::vector<std::shared_ptr<op_state>> live;
    {
        std::lock_guard lock(ops_mutex);
        for (auto& w : ops)
            if (auto s = w.lock())
                live.push_back(std::move(s));
        ops.clear();
    }
    for (auto& s : live)
        net::post(s->ex, [s] { s->cancel(); });
}

struct op_result {
    error_code ec;
    http_response response;
};

inline const boost::system::error_category& beast_http_category() {
    return bhttp::make_error_code(bhttp::error::end_of_stream).category();
}

/** Map a low-level error to an `llmap::errc`, `fallback` being what an I/O error means in
    the current phase. A cancellation or expired deadline takes precedence: the aborted I/O
    reports `operation_aborted` or `bad_descriptor`, which say nothing of why. */
inline error_code classify(const op_state& st, error_code ec, errc fallback) {
    if (st.cancelled)
        return errc::cancelled;
    if (st.fired)
        return *st.fired;
    if (ec.category() == llmap::error_category())
        return ec;
    if (ec == bhttp::error::body_limit)
        return errc::body_too_large;
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
        ec == net::ssl::error::stream_truncated)
        return errc::connection_closed;
    if (ec.category() == beast_http_category())
        return errc::bad_response;
    if (ec.category() == net::error::get_ssl_category())
        return errc::tls_error;
    return fallback;
}

/// Errors on a reused connection that mean "the server had closed it": retried once.
inline bool closed_while_idle(error_code ec) {
    return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
           ec == net::error::connection_reset || ec == net::error::broken_pipe ||
           ec == net::ssl::error::stream_truncated || ec == net::error::connection_aborted;
}

/** Parse an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 requires.

    In seconds: a nanosecond `system_clock::time_point` ends in 2262, and a server may name
    any year up to 9999.
*/
inline std::optional<std::chrono::sys_seconds> parse_http_date(const std::string& s) {
    char month[4] = {};
    int d = 0, y = 0, hh = 0, mm = 0, ss = 0;
    if (std::sscanf(s.c_str(), "%*3s, %2d %3s %4d %2d:%2d:%2d GMT", &d, month, &y, &hh, &mm, &ss) !=
        6)
        return std::nullopt;
    static constexpr std::string_view names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    unsigned m = 0;
    while (m < 12 && names[m] != month)
        ++m;
    if (m == 12)
        return std::nullopt;
    std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m + 1),
                                    std::chrono::day(static_cast<unsigned>(d))};
    if (!ymd.ok())
        return std::nullopt;
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
        return std::nullopt;
    return std::chrono::sys_days(ymd) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
           std::chrono::seconds(ss);
}

/** The wait the server asked for, if it did and the value is readable.

    Any value a server sends stays in range: a wait longer than `longest_server_delay` (far
    beyond any cap a policy sets) is returned as that, so it compares as "too long" instead of
    overflowing into a negative wait.
*/
inline constexpr std::chrono::milliseconds longest_server_delay{1'000'000'000'000}; // 31 years

LLMAP_DECL std::optional<std::chrono::milliseconds> server_delay(const http_response& r) {
    // A count of milliseconds (finite, not negative, possibly huge) into range.
    auto clamp_ms = [](double ms) {
        const auto limit = static_cast<double>(longest_server_delay.count());
        return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(std::min(ms, limit))));
    };
    auto number = [](const std::string& v) -> std::optional<double> {
        double x = 0;
        auto [p, e] = std::from_chars(v.data(), v.data() + v.size(), x);
        if (e == std::errc::result_out_of_range && p == v.data() + v.size() && v[0] != '-')
            return std::numeric_limits<double>::max(); // larger than a double: still "too long"
        if (e != std::errc() || p != v.data() + v.size() || !(x >= 0) || !std::isfinite(x))
            return std::nullopt;
        return x;
    };
    if (auto v = number(r.header("retry-after-ms")))
        return clamp_ms(*v);
    std::string ra = r.header("retry-after");
    if (ra.empty())
        return std::nullopt;
    if (auto v = number(ra))
        return clamp_ms(std::min(*v, std::numeric_limits<double>::max() / 1000) * 1000);
    if (auto t = parse_http_date(ra)) {
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        if (*t <= now)
            return std::chrono::milliseconds(0);
        return std::min<std::chrono::milliseconds>(*t - now, longest_server_delay);
    }
    return std::nullopt;
}

inline std::chrono::milliseconds retry_delay(const retry_policy& p, int retry,
                                             const op_result& last) {
    if (!last.ec) {
        if (auto d = server_delay(last.response); d && *d <= p.max_retry_after)
            return *d;
    }
    double base = static_cast<double>(p.initial_delay.count()) * std::pow(p.factor, retry);
    double j = std::clamp(p.jitter, 0.0, 1.0);
    if (j > 0) {
        thread_local std::minstd_rand rng{std::random_device{}()};
        std::uniform_real_distribution<double> dist(1.0 - j, 1.0 + j);
        base *= dist(rng);
    }
    base = std::min(base, 24.0 * 3600 * 1000); // keep the conversion in range
    return std::chrono::milliseconds(static_cast<long long>(std::max(base, 0.0)));
}

template <class T>
using awaitable = net::awaitable<T, net::any_io_executor>;

inline constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

/// Open a connection to `t` (through the proxy if one applies), or set `out`.
inline awaitable<std::shared_ptr<connection>> open_connection(client_impl& impl, op_state& st,
                                                              const target& t, const timeouts& tmo,
                                                              clock::time_point request_deadline,
                                                              error_code& out) {
    auto connect_deadline = clock::now() + tmo.connect;
    if (connect_deadline < request_deadline)
        st.arm(connect_deadline, errc::connect_timeout);
    else
        st.arm(request_deadline, errc::request_timeout);

    const bool via_proxy = impl.proxy && impl.opts.proxy.applies_to(t.host, t.port);
    const std::string& host = via_proxy ? impl.proxy->host : t.host;
    const unsigned short port = via_proxy ? impl.proxy->port : t.port;

    auto [rec, endpoints] =
        co_await st.resolver.async_resolve(host, std::to_string(port), use_tuple);
    if (rec || st.stopped()) { // a cancellation between two steps aborts no I/O: check it
        out = classify(st, rec, errc::connection_failed);
        co_return nullptr;
    }
    auto c = std::make_shared<connection>(impl.ex);
    st.watch(c);
    auto [cec, ep] = co_await net::async_connect(c->sock, endpoints, use_tuple);
    if (cec) {
        out = classify(st, cec, errc::connection_failed);
        co_return nullptr;
    }
    error_code ignored;
    c->sock.set_option(tcp::no_delay(true), ignored);

    if (via_proxy) {
        std::string authority =
            (t.host.find(':') != std::string::npos ? "[" + t.host + "]" : t.host) + ":" +
            std::to_string(t.port);
        std::string connect = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
        if (!impl.proxy->authorization.empty())
            connect += "Proxy-Authorization: " + impl.proxy->authorization + "\r\n";
        connect += "\r\n";
        auto [wec, wn] = co_await net::async_write(c->sock, net::buffer(connect), use_tuple);
        if (wec) {
            out = classify(st, wec, errc::proxy_error);
            co_return nullptr;
        }
        bhttp::response_parser<bhttp::empty_body> p;
        p.skip(true); // a 2xx to CONNECT has no body: the tunnel starts after the header
        auto [hec, hn] = co_await bhttp::async_read_header(c->sock, c->buffer, p, use_tuple);
        if (hec) {
            error_code e = classify(st, hec, errc::proxy_error);
            out = (e == errc::connection_closed || e == errc::bad_response)
                      ? error_code(errc::proxy_error)
                      : e;
            co_return nullptr;
        }
        if (p.get().result_int() / 100 != 2) {
            out = errc::proxy_error;
            co_return nullptr;
        }
    }

    if (t.tls) {
        c->tls.emplace(c->sock, impl.ssl);
        error_code aec;
        net::ip::make_address(t.host, aec);
        // SNI carries host names only (RFC 6066); an IP literal is checked against the
        // certificate's IP SANs.
        if (aec && !SSL_set_tlsext_host_name(c->tls->native_handle(), t.host.c_str())) {
            out = errc::tls_error;
            co_return nullptr;
        }
        c->tls->set_verify_mode(net::ssl::verify_peer);
        c->tls->set_verify_callback(net::ssl::host_name_verification(t.host));
        auto [hec] = co_await c->tls->async_handshake(net::ssl::stream_base::client, use_tuple);
        if (hec) {
            error_code e = classify(st, hec, errc::connection_failed);
            if (e == errc::connection_closed)
                e = errc::connection_failed;
            out = e;
            co_return nullptr;
        }
    }
    co_return c;
}

enum class exchange_status { done, stale };

/// More interim answers than this before the final one is a broken (or hostile) server.
inline constexpr int max_interim_responses = 16;

/** Read up to the header of the final answer into `p` (emplaced and set up by `setup`),
    skipping interim `1xx` answers: Beast parses each as a complete message of its own.

    @param first_got_some set to whether the first header read received anything (a reused
    connection that yields nothing was closed while idle).
    @return the read's error; `bad_response` for a `101` (never asked for) or too many interim
    answers.
*/
template <class Stream, class Parser, class Setup>
awaitable<error_code> read_final_header(Stream& s, connection& c, std::optional<Parser>& p,
                                        Setup setup, bool& first_got_some) {
    for (int interim = 0;; ++interim) {
        setup(p.emplace());
        auto [ec, n] = co_await bhttp::async_read_header(s, c.buffer, *p, use_tuple);
        if (interim == 0)
            first_got_some = p->got_some();
        if (ec)
            co_return ec;
        const unsigned status = p->get().result_int();
        if (status < 100 || status > 199)
            co_return error_code{};
        if (status == 101 || interim == max_interim_responses)
            co_return error_code(errc::bad_response);
    }
}

/// Write the request and read the response on an open connection.
template <class Stream>
awaitable<exchange_status>
exchange(Stream& s, connection& c, op_state& st, const timeouts& tmo, const limits& lim,
         const bhttp::request<bhttp::string_body>& msg, clock::time_point request_deadline,
         const body_callback* on_body, bool reused, op_result& r, bool& delivered,
         bool& keep_alive) {
    st.arm(request_deadline, errc::request_timeout);
    auto [wec, wn] = co_await bhttp::async_write(s, msg, use_tuple);
    if (wec) {
        if (reused && !st.cancelled && !st.fired)
            co_return exchange_status::stale;
        r.ec = classify(st, wec, errc::connection_closed);
        co_return exchange_status::done;
    }

    auto take_header = [&](const auto& m) {
        r.response.status = m.result_int();
        for (const auto& f : m)
            r.response.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    };
    // A header read that fails before anything arrived on a reused connection: the server
    // had closed it while it was idle.
    auto stale = [&](error_code ec, bool got_some) {
        return reused && !got_some && closed_while_idle(ec) && !st.cancelled && !st.fired;
    };

    if (!on_body) {
        std::optional<bhttp::response_parser<bhttp::string_body>> p;
        bool got_some = false;
        error_code hec = co_await read_final_header(
            s, c, p,
            [&](auto& parser) {
                parser.header_limit(64 * 1024);
                parser.body_limit(lim.max_body);
                if (msg.method() == bhttp::verb::head)
                    parser.skip(true);
            },
            got_some);
        if (hec) {
            if (stale(hec, got_some))
                co_return exchange_status::stale;
            r.ec = classify(st, hec, errc::connection_closed);
            co_return exchange_status::done;
        }
        auto [rec, rn] = co_await bhttp::async_read(s, c.buffer, *p, use_tuple);
        if (rec) {
            r.ec = classify(st, rec, errc::connection_closed);
            co_return exchange_status::done;
        }
        take_header(p->get());
        r.response.body = std::move(p->get().body());
        keep_alive = p->get().keep_alive();
        co_return exchange_status::done;
    }

    std::optional<bhttp::response_parser<bhttp::buffer_body>> parser;
    bool got_some = false;
    error_code hec = co_await read_final_header(
        s, c, parser,
        [](auto& p) {
            p.header_limit(64 * 1024);
            p.body_limit(boost::none); // a stream is bounded per event, by its parser
        },
        got_some);
    if (hec) {
        if (stale(hec, got_some))
            co_return exchange_status::stale;
        r.ec = classify(st, hec, errc::connection_closed);
        co_return exchange_status::done;
    }
    auto& p = *parser;
    take_header(p.get());
    const bool success = r.response.status / 100 == 2;

    constexpr std::size_t chunk = 16 * 1024;
    auto buf = std::make_unique<char[]>(chunk);
    while (!p.is_done()) {
        // An error body is read whole under the request deadline; a stream may run for as
        // long as it keeps coming.
        if (success)
            st.arm(clock::now() + tmo.idle, errc::idle_timeout);
        p.get().body().data = buf.get();
        p.get().body().size = chunk;
        auto [ec, n] = co_await bhttp::async_read_some(s, c.buffer, p, use_tuple);
        if (ec == bhttp::error::need_buffer)
            ec = {};
        // Also parse the HTTP chunks already received, without waiting for more: a stream
        // sent as one small chunk per event then costs one read, one timer and one callback
        // per buffer, not per event.
        while (!ec && !p.is_done() && c.buffer.size() > 0 && p.get().body().size > 0) {
            error_code pec;
            const std::size_t used = p.put(c.buffer.data(), pec);
            c.buffer.consume(used);
            if (pec && pec != bhttp::error::need_more && pec != bhttp::error::need_buffer)
                ec = pec;
            if (pec || used == 0)
                break;
        }
        const std::size_t got = chunk - p.get().body().size;
        if (got > 0 && !ec) {
            if (success) {
                delivered = true;
                try {
                    (*on_body)(std::string_view(buf.get(), got));
                } catch (const boost::system::system_error& e) {
                    // The caller stops the stream by throwing (e.g. the SSE parser's
                    // `event_too_large`): the operation completes with that error.
                    r.ec = e.code();
                    c.close();
                    co_return exchange_status::done;
                }
            } else {
                if (r.response.body.size() + got > lim.max_body) {
                    r.ec = errc::body_too_large;
                    co_return exchange_status::done;
                }
                r.response.body.append(buf.get(), got);
            }
        }
        if (ec) {
            r.ec = classify(st, ec, errc::connection_closed);
            co_return exchange_status::done;
        }
    }
    keep_alive = p.get().keep_alive();
    co_return exchange_status::done;
}

/// One attempt: a connection (pooled or new), the exchange, the connection back to the pool.
inline awaitable<void> attempt(client_impl& impl, op_state& st, const target& t,
                               const timeouts& tmo, const bhttp::request<bhttp::string_body>& msg,
                               const body_callback* on_body, op_result& r, bool& delivered) {
    const auto request_deadline = clock::now() + tmo.request;
    const pool_key key{t.tls, t.host, t.port};
    // A pooled connection the server closed while idle fails at once; it is replaced by a
    // fresh one, once, without counting as a retry (what browsers and curl do).
    for (bool may_reuse = true;; may_reuse = false) {
        r = op_result{};
        std::shared_ptr<connection> c = may_reuse ? impl.pool.take(key) : nullptr;
        const bool reused = c != nullptr;
        if (!c) {
            error_code ec;
            c = co_await open_connection(impl, st, t, tmo, request_deadline, ec);
            if (!c) {
                r.ec = ec;
                if (st.conn)
                    st.conn->close();
                st.conn = nullptr;
                co_return;
            }
        }
        st.watch(c);
        bool keep_alive = false;
        exchange_status status =
            c->tls ? co_await exchange(*c->tls, *c, st, tmo, impl.opts.limit, msg, request_deadline,
                                       on_body, reused, r, delivered, keep_alive)
                   : co_await exchange(c->sock, *c, st, tmo, impl.opts.limit, msg, request_deadline,
                                       on_body, reused, r, delivered, keep_alive);
        st.disarm();
        st.conn = nullptr;
        if (status == exchange_status::stale) {
            c->close();
            continue;
        }
        if (!r.ec && keep_alive && !st.fired && !st.cancelled && c->sock.is_open() && c->drained())
            impl.pool.give(key, std::move(c));
        else
            c->close();
        co_return;
    }
}

/// A header field name is a token (RFC 9110 5.1): no space, colon, CR, LF or NUL.
inline bool valid_field_name(std::string_view name) noexcept {
    if (name.empty())
        return false;
    for (unsigned char c : name) {
        const bool tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                           (c >= 'A' && c <= 'Z') ||
                           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) !=
                               std::string_view::npos;
        if (!tchar)
            return false;
    }
    return true;
}

/** A header field value holds no control character but HTAB (RFC 9110 5.5): a CR or LF would
    end the field and start another one of the sender's choosing (header injection).
*/
inline bool valid_field_value(std::string_view value) noexcept {
    for (unsigned char c : value)
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    return true;
}

inline awaitable<op_result> run(std::shared_ptr<client_impl> impl, std::shared_ptr<op_state> st,
                                http_request req, body_callback on_body) {
    op_result r;
    auto t = parse_target(req.url);
    if (!t) {
        r.ec = errc::invalid_url;
        co_return r;
    }
    // Every header the library sends passes here: one check, before any byte goes out.
    for (const auto& [name, value] : req.headers) {
        if (!valid_field_name(name) || !valid_field_value(value)) {
            r.ec = errc::invalid_header;
            co_return r;
        }
    }
    bhttp::request<bhttp::string_body> msg{req.method, t->path, 11};
    msg.set(bhttp::field::host, t->host_header);
    for (auto& [name, value] : req.headers) {
        // The framing is ours to decide.
        if (boost::beast::iequals(name, "host") || boost::beast::iequals(name, "content-length") ||
            boost::beast::iequals(name, "transfer-encoding"))
            continue;
        msg.insert(name, value);
    }
    msg.body() = std::move(req.body);
    msg.prepare_payload();

    const body_callback* cb = on_body ? &on_body : nullptr;
    const timeouts tmo = req.timeout.value_or(impl->opts.timeout);
    const retry_policy policy = req.retry.value_or(impl->opts.retry);
    for (int retry = 0;; ++retry) {
        bool delivered = false;
        co_await attempt(*impl, *st, *t, tmo, msg, cb, r, delivered);
        r.response.attempts = static_cast<unsigned>(retry) + 1;
        if (st->cancelled) {
            r.ec = errc::cancelled;
            co_return r;
        }
        const bool retryable =
            !delivered && (r.ec ? retryable_error(r.ec) : retryable_status(r.response.status));
        if (!retryable || retry >= policy.max_retries)
            co_return r;
        st->fired.reset();
        st->delay.expires_after(retry_delay(policy, retry, r));
        co_await st->delay.async_wait(use_tuple);
        if (st->cancelled) {
            r = op_result{};
            r.ec = errc::cancelled;
            r.response.attempts = static_cast<unsigned>(retry) + 1;
            co_return r;
        }
    }
}

void start(std::shared_ptr<client_impl> impl, http_request req, body_callback on_body,
           completion_handler handler) {
    auto st = std::make_shared<op_state>(
        impl->single_thread ? impl->ex : net::any_io_executor(net::make_strand(impl->ex)));
    auto slot = net::get_associated_cancellation_slot(handler);
    if (slot.is_connected()) {
        // This runs wherever the signal is emitted, not on the operation's strand: hop on.
        slot.assign([st](net::cancellation_type type) {
            if (type != net::cancellation_type::none)
                net::post(st->ex, [st] { st->cancel(); });
        });
    }
    auto hex = net::get_associated_executor(handler, impl->ex);
    auto ex = st->ex;
    // A blocking call's context is the caller's own: nobody else can destroy its client.
    if (!impl->single_thread)
        impl->track(st);
    auto owner = impl;
    net::co_spawn(ex, run(std::move(impl), st, std::move(req), std::move(on_body)),
                  [st, owner = std::move(owner), slot, hex,
                   handler = std::move(handler)](std::exception_ptr e, op_result r) mutable {
                      st->finished = true;
                      st->disarm();
                      if (!owner->single_thread)
                          owner->forget(st.get());
                      if (slot.is_connected())
                          slot.clear();
                      if (e)
                          std::rethrow_exception(e); // from a stream callback (see async_stream)
                      net::dispatch(hex,
                                    [handler = std::move(handler), r = std::move(r)]() mutable {
                                        std::move(handler)(r.ec, std::move(r.response));
                                    });
                  });
}

/** Where a thread's blocking calls run: an `io_context` driven by the calling thread itself,
    with a connection pool of its own, one per client and thread. A blocking call then does its
    I/O on the caller's thread: no hand-off to another thread and back, which on a fast network
    costs more CPU than the exchange itself.
*/
struct local_context {
    explicit local_context(const client_options& o)
        : impl(std::make_shared<client_impl>(io.get_executor(), o, true)) {}
    ~local_context() { impl->pool.clear(); }
    local_context(const local_context&) = delete;
    local_context& operator=(const local_context&) = delete;

    net::io_context io{1}; // run by one thread at a time
    std::shared_ptr<client_impl> impl;
};

/// A client's local contexts, one per thread that made a blocking call.
class local_contexts {
public:
    explicit local_contexts(client_options o) : opts_(std::move(o)) {}

    /// This thread's context for `self` (made on first use).
    static local_context& of(const std::shared_ptr<local_contexts>& self) {
        thread_list& mine = thread_list::get();
        for (auto& [owner, ctx] : mine.entries)
            if (owner.lock() == self)
                return *ctx;
        std::erase_if(mine.entries, [](const auto& e) { return e.first.expired(); });
        auto ctx = std::make_unique<local_context>(self->opts_);
        local_context& out = *ctx;
        {
            std::lock_guard lock(self->mutex_);
            self->contexts_.push_back(std::move(ctx));
        }
        mine.entries.emplace_back(self, &out);
        return out;
    }

private:
    // The contexts this thread has, by client; a thread that ends gives its own back.
    struct thread_list {
        std::vector<std::pair<std::weak_ptr<local_contexts>, local_context*>> entries;

        static thread_list& get() {
            thread_local thread_list list;
            return list;
        }

        thread_list() = default;
        thread_list(const thread_list&) = delete;
        thread_list& operator=(const thread_list&) = delete;
        ~thread_list() {
            for (auto& [owner, ctx] : entries)
                if (auto o = owner.lock()) {
                    std::lock_guard lock(o->mutex_);
                    std::erase_if(o->contexts_, [c = ctx](const auto& p) { return p.get() == c; });
                }
        }
    };

    client_options opts_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<local_context>> contexts_;
};

/// How deep this thread is in blocking calls (a stream callback may make another one).
inline int& blocking_depth() {
    thread_local int depth = 0;
    return depth;
}

} // namespace detail

client::client(boost::asio::any_io_executor ex, client_options opts)
    : impl_(std::make_shared<detail::client_impl>(std::move(ex), opts)),
      locals_(std::make_shared<detail::local_contexts>(std::move(opts))) {}

client::client(client_options opts)
    : owned_(std::make_unique<boost::asio::thread_pool>(1)),
      impl_(std::make_shared<detail::client_impl>(owned_->get_executor(), opts)),
      locals_(std::make_shared<detail::local_contexts>(std::move(opts))) {}

client::client(client&&) noexcept = default;

namespace detail {

/** Joins the thread pools of clients destroyed on their own thread, which cannot join
    themselves there.

    Never destroyed (a static that would be destroyed at exit could race with a client
    destroyed during exit): a pool still running at exit ends with the process.
*/
class pool_reaper {
public:
    static void adopt(std::unique_ptr<net::thread_pool> pool) noexcept {
        static pool_reaper& reaper = *new pool_reaper; // NOLINT: deliberately never destroyed
        std::lock_guard lock(reaper.mutex_);
        std::erase_if(reaper.jobs_, [](job& j) {
            if (!*j.done)
                return false;
            j.thread.join();
            return true;
        });
        try {
            reaper.jobs_.reserve(reaper.jobs_.size() + 1); // the push_back below cannot throw
            auto done = std::make_shared<std::atomic<bool>>(false);
            net::thread_pool* p = pool.get();
            std::thread t([p, done] {
                p->join(); // once the handler that destroyed the client has returned
                delete p;
                *done = true;
            });
            (void)pool.release(); // owned by the thread now
            reaper.jobs_.push_back({std::move(t), std::move(done)});
        } catch (...) {
            // No thread to join it with: leave the pool to the process rather than join a
            // thread from itself.
            (void)pool.release();
        }
    }

private:
    struct job {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::mutex mutex_;
    std::vector<job> jobs_;
};

} // namespace detail

client::~client() {
    if (!impl_)
        return; // moved from
    impl_->cancel_all();
    impl_->pool.clear();
    if (!owned_)
        return;
    if (owned_->get_executor().running_in_this_thread())
        detail::pool_reaper::adopt(std::move(owned_));
    else
        owned_->join();
}

boost::asio::any_io_executor client::get_executor() const {
    return impl_->ex;
}

const client_options& client::options() const noexcept {
    return impl_->opts;
}

http_response client::send(http_request req) {
    return wait(std::move(req), {});
}

http_response client::stream(http_request req, std::function<void(std::string_view)> on_body) {
    std::exception_ptr thrown;
    http_response r = wait(
        std::move(req),
        [&thrown, &on_body](std::string_view bytes) {
            try {
                on_body(bytes);
            } catch (...) {
                thrown = std::current_exception();
                throw boost::system::system_error(errc::cancelled);
            }
        },
        &thrown);
    return r;
}

http_response client::wait(http_request req, detail::body_callback on_body,
                           const std::exception_ptr* thrown) {
    http_request described;
    described.method = req.method;
    described.url = req.url;
    std::optional<std::pair<boost::system::error_code, http_response>> out;
    int& depth = detail::blocking_depth();
    if (depth == 0) {
        detail::local_context& here = detail::local_contexts::of(locals_);
        ++depth;
        struct leave {
            int& d;
            ~leave() { --d; }
        } const guard{depth};
        detail::start(here.impl, std::move(req), std::move(on_body),
                      [&out](boost::system::error_code ec, http_response r) {
                          out.emplace(ec, std::move(r));
                      });
        here.io.restart();
        here.io.run();
    } else {
        std::promise<std::pair<boost::system::error_code, http_response>> done;
        auto result = done.get_future();
        detail::start(impl_, std::move(req), std::move(on_body),
                      [&done](boost::system::error_code ec, http_response r) {
                          done.set_value({ec, std::move(r)});
                      });
        out.emplace(result.get());
    }
    if (thrown && *thrown)
        std::rethrow_exception(*thrown);
    if (!out)
        throw llmap::error(errc::cancelled, describe_failure(errc::cancelled, described));
    auto& [ec, r] = *out;
    if (ec)
        throw llmap::error(ec, describe_failure(ec, described, r.attempts));
    return std::move(r);
}

} // namespace llmap::http

#endif
