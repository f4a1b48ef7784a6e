//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// End-to-end client benchmarks against bench_server (a separate process, so the server's CPU
// is not the client's): scripts/run-benchmarks.sh starts the server and runs this.
//
//   e2e_benchmark --url http://127.0.0.1:PORT/v1 --mode complete [--clients floor,static,...]
//                 [--connections 1,8] [--seconds 3] [--warmup 1] [--json FILE]
//   e2e_benchmark --url ... --mode stream [--clients static,any_model] [--streams 20]
//   e2e_benchmark --url ... --mode memory [--mb 50] [--collect]
//
// complete: every client sends the same one-shot chat request (system + user prompt,
//   max 8 tokens) and parses the recorded ~0.7 KB answer, in a loop, on 1 or more keep-alive
//   connections (one thread each). Reported: requests per second (wall clock) and the
//   client's CPU per request (getrusage of this whole process: user + system, all threads,
//   the HTTP client's own I/O thread included), over the timed window after a warm-up.
//   Clients:
//   - floor: a hand-written Beast client per thread: a fixed request, `http::read` of the
//     answer, `boost::json::parse` and the message text taken out;
//   - static: `reg.model<"openai-chat:gpt-4.1-mini">()` made once per thread, then
//     `complete()` (llmap's blocking call);
//   - visit: `reg.visit(id, f)` with a run-time id on every request (lookup, model, call);
//   - any_model: `reg.make(id).complete()` on every request (lookup, type erasure, call).
//   All llmap clients share one registry (`llmap::default_registry`, 21 providers), so one
//   HTTP client and its connection pool, as an application would.
// stream: the recorded stream of 1,246 chunks, one after the other on one connection.
//   Reported per stream (median and fastest): time to last token (request start to the last
//   text delta), the handler's events per second, and the wire chunks per second.
// memory: one generated stream of --mb MB of text deltas through a handler that keeps
//   nothing (`request::collect_stream = false` unless --collect), with the process's peak
//   RSS sampled as the stream goes: it stays flat when nothing is kept.

#include <llmap/default_registry.hpp>
#include <llmap/http/sse.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

constexpr std::string_view kSystem = "You are a helpful assistant.";
constexpr std::string_view kPrompt = "Reply with exactly: cobalt";
constexpr std::string_view kExpected = "cobalt"; // the recorded answer's text
constexpr std::string_view kId = "openai-chat:gpt-4.1-mini";

struct options {
    std::string url;
    std::string mode = "complete";
    std::vector<std::string> clients;
    std::vector<int> connections{1, 8};
    double seconds = 3;
    double warmup = 1;
    int streams = 20;
    int mb = 50;
    bool collect = false;
    std::string json_out;
};

std::vector<std::string> split(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const std::size_t comma = s.find(',');
        out.emplace_back(s.substr(0, comma));
        s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
    }
    return out;
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::runtime_error("missing value after " + std::string(a));
            return argv[++i];
        };
        if (a == "--url")
            o.url = value();
        else if (a == "--mode")
            o.mode = value();
        else if (a == "--clients")
            o.clients = split(value());
        else if (a == "--connections") {
            o.connections.clear();
            for (auto const& c : split(value()))
                o.connections.push_back(std::stoi(c));
        } else if (a == "--seconds")
            o.seconds = std::stod(value());
        else if (a == "--warmup")
            o.warmup = std::stod(value());
        else if (a == "--streams")
            o.streams = std::stoi(value());
        else if (a == "--mb")
            o.mb = std::stoi(value());
        else if (a == "--collect")
            o.collect = true;
        else if (a == "--json")
            o.json_out = value();
        else
            throw std::runtime_error("unknown argument " + std::string(a));
    }
    if (o.url.empty())
        throw std::runtime_error("--url is required");
    if (o.clients.empty())
        o.clients = o.mode == "complete" ? split("floor,static,visit,any_model")
                                         : split("static,any_model");
    return o;
}

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec * 1e-6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

long peak_rss_kib() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

double seconds_since(steady::time_point t0) {
    return std::chrono::duration<double>(steady::now() - t0).count();
}

llmap::request chat_request() {
    return {.system = std::string(kSystem), .prompt = std::string(kPrompt), .max_output_tokens = 8};
}

// The text of a unified response (all its text parts).
std::string text_of(const llmap::response& r) {
    std::string out;
    for (auto const& p : r.content)
        if (auto const* t = std::get_if<llmap::text_part>(&p))
            out += t->text;
    return out;
}

void expect(bool ok, const std::string& what) {
    if (!ok)
        throw std::runtime_error("verification failed: " + what);
}

// ---- the hand-written floor -------------------------------------------------------------

class floor_client {
public:
    floor_client(const boost::urls::url_view& u, const std::string& body)
        : sock_(io_),
          req_(bhttp::verb::post, std::string(u.encoded_path()) + "/chat/completions", 11) {
        tcp::resolver resolver(io_);
        net::connect(sock_, resolver.resolve(u.host(), u.port()));
        sock_.set_option(tcp::no_delay(true));
        req_.set(bhttp::field::host, u.encoded_host_and_port());
        req_.set(bhttp::field::authorization, "Bearer sk-bench");
        req_.set(bhttp::field::content_type, "application/json");
        req_.body() = body;
        req_.prepare_payload();
    }

    // One request; returns the answer's message text.
    std::string once() {
        bhttp::write(sock_, req_);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(sock_, buf_, res);
        if (res.result_int() != 200)
            throw std::runtime_error("floor: HTTP " + std::to_string(res.result_int()));
        const json::value v = json::parse(res.body());
        return std::string(v.at("choices").at(0).at("message").at("content").as_string());
    }

private:
    net::io_context io_;
    tcp::socket sock_;
    boost::beast::flat_buffer buf_;
    bhttp::request<bhttp::string_body> req_;
};

// The body the floor sends: the same JSON llmap's chat model sends for the request.
std::string floor_body() {
    json::object o;
    o["model"] = "gpt-4.1-mini";
    json::array msgs;
    msgs.push_back(json::object{{"role", "system"}, {"content", kSystem}});
    msgs.push_back(json::object{{"role", "user"}, {"content", kPrompt}});
    o["messages"] = std::move(msgs);
    o["max_tokens"] = 8;
    return json::serialize(o);
}

// ---- timing -----------------------------------------------------------------------------

struct row {
    std::string bench, client;
    int connections = 1;
    json::object values;
};

std::vector<row> rows;

/** Runs `connections` threads, each looping over the request its factory made, for
    warm-up + timed seconds; counts requests and CPU over the timed window only. */
void run_complete(const options& o, const std::string& client, int connections,
                  const std::function<std::function<void()>()>& make_worker) {
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    std::atomic<int> failed{0};
    std::string failure;
    std::vector<std::thread> threads;
    for (int i = 0; i < connections; ++i)
        threads.emplace_back([&, w = make_worker()] {
            try {
                while (!stop.load(std::memory_order_relaxed)) {
                    w();
                    done.fetch_add(1, std::memory_order_relaxed);
                }
            } catch (const std::exception& e) {
                if (failed.fetch_add(1) == 0)
                    failure = e.what();
                stop = true;
            }
        });
    std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup));
    const long n0 = done.load();
    const double c0 = cpu_seconds();
    const auto t0 = steady::now();
    std::this_thread::sleep_for(std::chrono::duration<double>(o.seconds));
    const long n1 = done.load();
    const double c1 = cpu_seconds();
    const double wall = seconds_since(t0);
    stop = true;
    for (auto& t : threads)
        t.join();
    if (failed)
        throw std::runtime_error(client + ": " + failure);
    const double n = static_cast<double>(n1 - n0);
    row r{"complete", client, connections, {}};
    r.values["requests"] = n1 - n0;
    r.values["seconds"] = wall;
    r.values["req_per_s"] = n / wall;
    r.values["cpu_us_per_req"] = (c1 - c0) / n * 1e6;
    std::printf("complete  %-10s c=%d  %9.0f req/s  %7.1f us CPU/req\n", client.c_str(),
                connections, n / wall, (c1 - c0) / n * 1e6);
    std::fflush(stdout);
    rows.push_back(std::move(r));
}

llmap::default_registry make_registry(const options& o) {
    llmap::provider_config cfg;
    cfg.api_key = "sk-bench";
    cfg.base_url = o.url;
    return llmap::default_registry{{"openai-chat", cfg}};
}

void bench_complete(const options& o) {
    const auto reg = make_registry(o);
    const boost::urls::url_view u = boost::urls::parse_uri(o.url).value();
    const std::string body = floor_body();
    const std::string id(kId); // a run-time id for visit and make
    for (auto const& client : o.clients) {
        std::function<std::function<void()>()> make;
        if (client == "floor") {
            make = [&]() -> std::function<void()> {
                auto c = std::make_shared<floor_client>(u, body);
                expect(c->once() == kExpected, "floor's answer");
                return [c] { (void)c->once(); };
            };
        } else if (client == "static") {
            make = [&]() -> std::function<void()> {
                auto m = reg.model<"openai-chat:gpt-4.1-mini">();
                const auto req = chat_request();
                expect(text_of(m.complete(req)) == kExpected, "static answer");
                return [m, req]() mutable { (void)m.complete(req); };
            };
        } else if (client == "visit") {
            make = [&]() -> std::function<void()> {
                const auto req = chat_request();
                auto call = [&reg, &id, req] {
                    return reg.visit(id, [&](auto& m) { return m.complete(req); });
                };
                expect(text_of(call()) == kExpected, "visit answer");
                return [call] { (void)call(); };
            };
        } else if (client == "any_model") {
            make = [&]() -> std::function<void()> {
                const auto req = chat_request();
                auto call = [&reg, &id, req] { return reg.make(id).complete(req); };
                expect(text_of(call()) == kExpected, "any_model answer");
                return [call] { (void)call(); };
            };
        } else {
            throw std::runtime_error("unknown client " + client);
        }
        for (int c : o.connections)
            run_complete(o, client, c, make);
    }
}

// ---- streaming --------------------------------------------------------------------------

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The data events of the recorded stream bench_server sends (bench_server.cpp's kStream,
// exchange 1).
std::size_t recorded_chunks() {
    const json::value v = json::parse(read_file(
        std::string(LLMAP_SOURCE_DIR) + "/../shared/fixtures/rig/openrouter/reasoning_roundtrip/"
                                        "streaming.json"));
    std::size_t n = 0;
    llmap::http::sse_parser p;
    p.feed(v.at(1).at("response").at("body").as_string(),
           [&](const llmap::http::sse_event& e) { n += e.data != "[DONE]"; });
    return n;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void bench_stream(const options& o) {
    const auto reg = make_registry(o);
    const std::size_t chunks = recorded_chunks();
    const auto req = [] {
        auto r = chat_request();
        r.collect_stream = true; // the default: the call also returns the whole answer
        return r;
    }();
    const std::string id(kId);
    for (auto const& client : o.clients) {
        std::function<llmap::response(const llmap::stream_handler&)> run;
        if (client == "static")
            run = [&, m = reg.model<"openai-chat:gpt-4.1-mini">()](
                      const llmap::stream_handler& h) mutable { return m.stream(req, h); };
        else if (client == "any_model")
            run = [&](const llmap::stream_handler& h) { return reg.make(id).stream(req, h); };
        else
            throw std::runtime_error("unknown stream client " + client);
        std::vector<double> ttlt, rate;
        std::size_t events = 0, text = 0;
        double cpu = 0;
        for (int i = -2; i < o.streams; ++i) { // two warm-up streams
            events = 0;
            text = 0;
            steady::time_point last{};
            const double c0 = cpu_seconds();
            const auto t0 = steady::now();
            const llmap::response r = run([&](const llmap::stream_event& e) {
                ++events;
                if (auto const* d = std::get_if<llmap::text_delta>(&e.data)) {
                    text += d->text.size();
                    last = steady::now();
                }
            });
            const double c1 = cpu_seconds();
            expect(text > 0 && text == text_of(r).size(), client + " stream text");
            if (i < 0)
                continue;
            const double t = std::chrono::duration<double>(last - t0).count();
            ttlt.push_back(t);
            rate.push_back(static_cast<double>(events) / t);
            cpu += c1 - c0;
        }
        row out{"stream", client, 1, {}};
        out.values["streams"] = o.streams;
        out.values["events"] = events;
        out.values["chunks"] = chunks;
        out.values["ttlt_ms_median"] = median(ttlt) * 1e3;
        out.values["ttlt_ms_min"] = *std::min_element(ttlt.begin(), ttlt.end()) * 1e3;
        out.values["events_per_s"] = median(rate);
        out.values["chunks_per_s"] = static_cast<double>(chunks) / median(ttlt);
        out.values["cpu_us_per_stream"] = cpu / o.streams * 1e6;
        std::printf("stream    %-10s %zu events, %zu chunks: time to last token %.2f ms "
                    "(median), %.0f events/s, %.0f chunks/s, %.0f us CPU/stream\n",
                    client.c_str(), events, chunks, median(ttlt) * 1e3, median(rate),
                    static_cast<double>(chunks) / median(ttlt), cpu / o.streams * 1e6);
        std::fflush(stdout);
        rows.push_back(std::move(out));
    }
}

// ---- memory -----------------------------------------------------------------------------

void bench_memory(const options& o) {
    const auto reg = make_registry(o);
    // The model name tells bench_server how many MB to stream.
    auto stream_mb = [&](int mb, const std::function<void(std::size_t)>& progress) {
        llmap::request const req{.prompt = "long", .collect_stream = o.collect};
        auto m = reg.provider<"openai-chat">().model("stream-mb-" + std::to_string(mb));
        std::size_t text = 0;
        const llmap::response r = m.stream(req, [&](const llmap::stream_event& e) {
            if (auto const* d = std::get_if<llmap::text_delta>(&e.data)) {
                text += d->text.size();
                progress(text);
            }
        });
        expect(r.finish == llmap::finish_reason::stop, "the stream ran to its end");
        expect(o.collect == !r.content.empty(), "collect_stream is honoured");
        return text;
    };
    // Warm up the client, the allocator and the pool with a 1 MB stream, then the real one.
    (void)stream_mb(1, [](std::size_t) {});
    const long base = peak_rss_kib();
    json::array samples;
    std::size_t next = 0;
    const std::size_t total = stream_mb(o.mb, [&](std::size_t text) {
        if (text >= next) {
            samples.push_back(json::object{{"text_mb", static_cast<double>(text) / (1 << 20)},
                                           {"peak_rss_kib", peak_rss_kib()}});
            next += std::size_t{5} << 20;
        }
    });
    samples.push_back(json::object{{"text_mb", static_cast<double>(total) / (1 << 20)},
                                   {"peak_rss_kib", peak_rss_kib()}});
    row out{"memory", o.collect ? "static, collect_stream" : "static", 1, {}};
    out.values["stream_mb"] = o.mb;
    out.values["text_mb"] = static_cast<double>(total) / (1 << 20);
    out.values["peak_rss_kib_before"] = base;
    out.values["peak_rss_kib_after"] = peak_rss_kib();
    out.values["samples"] = std::move(samples);
    std::printf("memory    %s: %.1f MB of text streamed; peak RSS %ld KiB after the warm-up, "
                "%ld KiB at the end\n",
                out.client.c_str(), static_cast<double>(total) / (1 << 20), base, peak_rss_kib());
    rows.push_back(std::move(out));
}

void write_json(const options& o) {
    if (o.json_out.empty())
        return;
    json::array out;
    for (auto const& r : rows) {
        json::object j = r.values;
        j["bench"] = r.bench;
        j["client"] = "llmap " + r.client;
        if (r.client == "floor")
            j["client"] = "floor (Beast + Boost.JSON)";
        j["connections"] = r.connections;
        out.push_back(std::move(j));
    }
    std::ofstream f(o.json_out);
    f << json::serialize(out) << "\n";
    if (!f)
        throw std::runtime_error("cannot write " + o.json_out);
}

} // namespace

int main(int argc, char** argv) {
    try {
        const options o = parse_args(argc, argv);
        if (o.mode == "complete")
            bench_complete(o);
        else if (o.mode == "stream")
            bench_stream(o);
        else if (o.mode == "memory")
            bench_memory(o);
        else
            throw std::runtime_error("unknown mode " + o.mode);
        write_json(o);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "e2e_benchmark: %s\n", e.what());
        return 1;
    }
}
