//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TEST_SUPPORT_PRISM_HPP
#define LLMAP_TEST_SUPPORT_PRISM_HPP

// What every wire-conformance test shares: Prism 5.14.2 as a validating proxy (started by
// ../shared/conformance/prism-proxy, which installs it from the npm registry), and a tap in
// front of it that records each request and Prism's whole answer (llmap's error message keeps
// only 300 characters of a 422 body; judging a violation needs all of Prism's list).
//
//   llmap --> tap (loopback) --> Prism proxy --errors --> upstream (loopback, canned answers)

#include "test_server.hpp"

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>

#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#ifndef LLMAP_SOURCE_DIR
#error "LLMAP_SOURCE_DIR must name the source tree (the build defines it)"
#endif

namespace llmap::test::prism {

namespace json = boost::json;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
namespace ts = llmap::test;

/// The shared conformance material: specs/, sdk-requests/, prism-proxy.
inline const std::string conformance_dir = LLMAP_SOURCE_DIR "/../shared/conformance";

// ---- tap: passes everything to Prism and back, recording both ---------------------------

struct tapped {
    std::string target;
    std::string request_body;
    unsigned status = 0;
    std::string response_body;
};

class tap {
public:
    explicit tap(unsigned short prism_port) : prism_port_(prism_port) {}

    void operator()(const ts::test_server::request& req, ts::test_session& s) {
        tapped t{std::string(req.target()), req.body(), 0, {}};
        boost::asio::io_context ioc;
        tcp::socket sock(ioc);
        boost::system::error_code ec;
        sock.connect({boost::asio::ip::address_v4::loopback(), prism_port_}, ec);
        bhttp::response<bhttp::string_body> res;
        if (!ec) {
            auto forward = req;
            forward.keep_alive(false);
            bhttp::write(sock, forward, ec);
        }
        if (!ec) {
            boost::beast::flat_buffer buf;
            bhttp::response_parser<bhttp::string_body> p;
            p.body_limit(64 * 1024 * 1024);
            bhttp::read(sock, buf, p, ec);
            res = p.release();
        }
        if (ec) {
            t.status = 599;
            t.response_body = "tap: cannot reach the proxy: " + ec.message();
        } else {
            t.status = res.result_int();
            t.response_body = res.body();
        }
        {
            // Recorded before the answer goes out: the caller looks as soon as it has it.
            std::lock_guard lock(mutex_);
            log_.push_back(t);
        }
        if (ec) {
            s.respond(502, t.response_body);
        } else {
            std::string const type(res[bhttp::field::content_type]);
            s.respond(t.status, res.body(),
                      {{"Content-Type", type.empty() ? "application/json" : type}});
        }
    }

    std::vector<tapped> log() const {
        std::lock_guard lock(mutex_);
        return log_;
    }

private:
    unsigned short prism_port_;
    mutable std::mutex mutex_;
    std::vector<tapped> log_;
};

// ---- the proxy ----------------------------------------------------------------------------

inline unsigned short free_port() {
    boost::asio::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
    auto const port = a.local_endpoint().port();
    a.close();
    return port;
}

inline std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Prism, started through the shared script; stopped (and reaped) on destruction.
class prism_proxy {
public:
    prism_proxy(const std::string& spec, const std::string& upstream, unsigned short port)
        : log_path_("/tmp/llmap-prism-" + std::to_string(::getpid()) + "-" + std::to_string(port) +
                    ".log") {
        std::string const cmd = "bash " + shell_quote(conformance_dir + "/prism-proxy") + " " +
                                shell_quote(spec) + " " + shell_quote(upstream) + " " +
                                std::to_string(port) + " " + shell_quote(log_path_);
        FILE* f = ::popen(cmd.c_str(), "r");
        if (!f)
            throw std::runtime_error("cannot run " + cmd);
        std::string out;
        std::array<char, 256> buf{};
        while (std::fgets(buf.data(), static_cast<int>(buf.size()), f))
            out += buf.data();
        int const rc = ::pclose(f);
        if (rc != 0 || out.empty())
            throw std::runtime_error("prism-proxy failed (exit " + std::to_string(rc) +
                                     "): is Node 20 with npm installed? command: " + cmd);
        pid_ = static_cast<pid_t>(std::stol(out));
    }
    prism_proxy(const prism_proxy&) = delete;
    prism_proxy& operator=(const prism_proxy&) = delete;

    ~prism_proxy() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            // Not our child (the script's), so it cannot be waited for: poll until it is gone.
            for (int i = 0; i != 100 && ::kill(pid_, 0) == 0; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (::kill(pid_, 0) == 0)
                ::kill(pid_, SIGKILL);
        }
        std::remove(log_path_.c_str());
    }

private:
    std::string log_path_;
    pid_t pid_ = -1;
};

inline std::string location_of(const json::value& v) {
    std::string s;
    for (auto const& part : v.at("location").as_array()) {
        if (!s.empty())
            s += '.';
        s += part.as_string();
    }
    return s;
}

// Prism's violations, once each, the deepest first (a oneOf that no branch matches lists
// every branch's complaints; the deepest ones say what is wrong), at most 40.
inline std::string list_violations(const json::array& validation) {
    std::vector<std::pair<std::size_t, std::string>> lines;
    for (auto const& v : validation) {
        std::string line = location_of(v) + ": " + std::string(v.at("message").as_string());
        std::pair<std::size_t, std::string> entry{v.at("location").as_array().size(),
                                                  std::move(line)};
        if (std::find(lines.begin(), lines.end(), entry) == lines.end())
            lines.push_back(std::move(entry));
    }
    std::stable_sort(lines.begin(), lines.end(),
                     [](auto const& a, auto const& b) { return a.first > b.first; });
    std::string out;
    std::size_t shown = 0;
    for (auto const& [depth, line] : lines) {
        if (shown++ == 40) {
            out += "\n    ... and " + std::to_string(lines.size() - 40) + " more";
            break;
        }
        out += "\n    " + line;
    }
    return out;
}

inline bool only_response_violations(const json::array& validation) {
    for (auto const& v : validation)
        if (v.at("location").as_array().at(0) != "response")
            return false;
    return true;
}

} // namespace llmap::test::prism

#endif
