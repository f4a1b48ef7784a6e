//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// llmap/router.hpp: one model over several deployments, each a loopback server answering with
// a recorded Ollama answer (or the status a test sets); concurrency from many threads.

#include <llmap/router.hpp>

#include <llmap/providers/ollama.hpp>

#include "../support/fixtures.hpp"
#include "../support/test_server.hpp"

#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fx = test::fixtures;
namespace ts = llmap::test;

std::string recorded_answer() {
    for (auto& e : fx::rig_exchanges("ollama"))
        if (e.file.filename() == "optional_argument.json" && e.index == 1)
            return e.response_body;
    BOOST_FAIL("no recorded answer tools/optional_argument.json #1");
    return {};
}

/// A deployment: a loopback server that answers with the recorded answer, or with `status`
/// (and `retry-after` when set), after `delay`; it counts its calls and the most it had at
/// once.
class deployment {
public:
    explicit deployment(std::string answer)
        : answer_(std::move(answer)), srv_([this](auto const& q, auto& s) { on(q, s); }) {}

    llmap::ollama::chat_model model() const {
        llmap::provider_config c;
        c.base_url = srv_.url("");
        c.transport.retry.max_retries = 0;
        return llmap::ollama{c}.model("qwen3:4b");
    }

    void answer_with(unsigned status, std::string retry_after = {}) {
        std::lock_guard lock(mutex_);
        status_ = status;
        retry_after_ = std::move(retry_after);
    }
    void delay(std::chrono::milliseconds d) {
        std::lock_guard lock(mutex_);
        delay_ = d;
    }

    int calls() const { return calls_; }
    int most_at_once() const { return most_; }

private:
    void on(const ts::test_server::request&, ts::test_session& s) {
        unsigned status = 0;
        std::string retry_after;
        std::chrono::milliseconds delay{};
        {
            std::lock_guard lock(mutex_);
            status = status_;
            retry_after = retry_after_;
            delay = delay_;
        }
        ++calls_;
        int const now = ++in_flight_;
        int seen = most_.load();
        while (now > seen && !most_.compare_exchange_weak(seen, now)) {
        }
        if (delay.count() > 0)
            s.sleep(delay);
        --in_flight_;
        if (status != 200) {
            std::vector<std::pair<std::string, std::string>> h{
                {"content-type", "application/json"}};
            if (!retry_after.empty())
                h.emplace_back("retry-after", retry_after);
            s.respond(status, R"({"error":"busy"})", h);
            return;
        }
        s.respond(200, answer_, {{"content-type", "application/json"}});
    }

    std::string answer_;
    std::mutex mutex_;
    unsigned status_ = 200;
    std::string retry_after_;
    std::chrono::milliseconds delay_{0};
    std::atomic<int> calls_{0}, in_flight_{0}, most_{0};
    ts::test_server srv_;
};

using chat_router = llmap::router<llmap::ollama::chat_model>;

/// The code of a failure. (A failed asynchronous call is awaited through a promise the test
/// owns, not use_future: ThreadSanitizer cannot see libstdc++'s exception reference counts,
/// and a future whose last owner is the completing thread looks like a race to it.)
boost::system::error_code code_of(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const llmap::error& err) {
        return err.code();
    } catch (...) {
    }
    return {};
}

std::vector<llmap::ollama::chat_model>
models_of(const std::vector<std::unique_ptr<deployment>>& ds) {
    std::vector<llmap::ollama::chat_model> out;
    for (auto const& d : ds)
        out.push_back(d->model());
    return out;
}

std::vector<std::unique_ptr<deployment>> deployments(std::size_t n) {
    auto const answer = recorded_answer();
    std::vector<std::unique_ptr<deployment>> out;
    for (std::size_t i = 0; i != n; ++i)
        out.push_back(std::make_unique<deployment>(answer));
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(round_robin_spreads_the_calls) {
    auto ds = deployments(3);
    chat_router r(models_of(ds));
    for (int i = 0; i != 9; ++i)
        BOOST_TEST(r.complete({.prompt = "x"}).model == "qwen3:4b");
    for (auto const& d : ds)
        BOOST_TEST(d->calls() == 3);
    for (auto const& s : r.states())
        BOOST_TEST((s.calls == 3u && s.in_flight == 0u && !s.resting));
}

BOOST_AUTO_TEST_CASE(a_429_rests_its_deployment_as_long_as_it_asked) {
    auto ds = deployments(2);
    // A rest of ten minutes unless the server says otherwise: it says three seconds.
    chat_router r(models_of(ds), {.rest = std::chrono::minutes(10)});
    ds[0]->answer_with(429, "3");
    // The error carries the wait the server asked for.
    try {
        (void)ds[0]->model().complete({.prompt = "x"});
        BOOST_FAIL("expected the 429");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.retry_after() == std::chrono::milliseconds(3000)));
    }
    // The first call meets the 429 and passes on to the other deployment.
    BOOST_TEST(r.complete({.prompt = "x"}).text().find("banana") != std::string::npos);
    BOOST_TEST(ds[0]->calls() == 2);
    BOOST_TEST(r.states()[0].resting);
    for (int i = 0; i != 4; ++i)
        (void)r.complete({.prompt = "x"});
    BOOST_TEST(ds[0]->calls() == 2); // resting: no call for three seconds
    BOOST_TEST(ds[1]->calls() == 5);
    // Three seconds later (not ten minutes) it is back.
    ds[0]->answer_with(200);
    std::this_thread::sleep_for(std::chrono::milliseconds(3100));
    BOOST_TEST(!r.states()[0].resting);
    for (int i = 0; i != 2; ++i)
        (void)r.complete({.prompt = "x"});
    BOOST_TEST(ds[0]->calls() == 3);
}

BOOST_AUTO_TEST_CASE(repeated_failures_rest_a_deployment) {
    auto ds = deployments(2);
    chat_router r(models_of(ds), {.failures_to_rest = 2, .rest = std::chrono::seconds(60)});
    ds[1]->answer_with(503);
    for (int i = 0; i != 6; ++i) // every call is answered: by deployment 0 after a 503
        (void)r.complete({.prompt = "x"});
    BOOST_TEST(ds[1]->calls() == 2); // two failures in a row, then it rests
    BOOST_TEST(r.states()[1].resting);
    BOOST_TEST(r.states()[1].failures == 2u);

    // With both resting there is nothing to call.
    ds[0]->answer_with(503);
    BOOST_CHECK_THROW((void)r.complete({.prompt = "x"}), llmap::error);
    BOOST_CHECK_THROW((void)r.complete({.prompt = "x"}), llmap::error);
    try {
        (void)r.complete({.prompt = "x"});
        BOOST_FAIL("expected no_deployment");
    } catch (const llmap::error& e) {
        BOOST_TEST((e.code() == llmap::errc::no_deployment));
    }
}

BOOST_AUTO_TEST_CASE(an_error_that_does_not_pass_on_is_the_callers) {
    auto ds = deployments(2);
    chat_router r(models_of(ds));
    ds[0]->answer_with(400);
    try {
        (void)r.complete({.prompt = "x"});
        BOOST_FAIL("expected the 400");
    } catch (const llmap::error& e) {
        BOOST_TEST(e.http_status() == 400);
    }
    BOOST_TEST(ds[1]->calls() == 0);
    BOOST_TEST(!r.states()[0].resting);
}

BOOST_AUTO_TEST_CASE(least_in_flight_picks_the_idle_deployment) {
    auto ds = deployments(2);
    ds[0]->delay(std::chrono::seconds(2)); // long enough for three calls on a slow machine
    chat_router r(models_of(ds), {.strategy = llmap::route_strategy::least_in_flight});
    std::thread slow([&] { (void)r.complete({.prompt = "slow"}); });
    while (r.states()[0].in_flight == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    for (int i = 0; i != 3; ++i) // deployment 0 is busy: all go to 1
        (void)r.complete({.prompt = "x"});
    slow.join();
    BOOST_TEST(ds[0]->calls() == 1);
    BOOST_TEST(ds[1]->calls() == 3);
}

BOOST_AUTO_TEST_CASE(the_limit_of_calls_in_flight_holds) {
    auto ds = deployments(1);
    ds[0]->delay(std::chrono::milliseconds(600));
    chat_router r(models_of(ds), {.max_in_flight = 1});
    // Blocking calls wait their turn.
    std::vector<std::thread> threads;
    for (int i = 0; i != 3; ++i)
        threads.emplace_back([&] { (void)r.complete({.prompt = "x"}); });
    for (auto& t : threads)
        t.join();
    BOOST_TEST(ds[0]->calls() == 3);
    BOOST_TEST(ds[0]->most_at_once() == 1);

    // An asynchronous call does not queue: with the deployment busy it fails at once.
    std::thread busy([&] { (void)r.complete({.prompt = "x"}); });
    while (r.states()[0].in_flight == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::promise<std::exception_ptr> failed; // owned here: see async_failure
    r.async_complete({.prompt = "x"},
                     [&](std::exception_ptr e, llmap::response) { failed.set_value(e); });
    BOOST_TEST((code_of(failed.get_future().get()) == llmap::errc::no_deployment));
    busy.join();
    BOOST_TEST(r.async_complete({.prompt = "x"}, boost::asio::use_future).get().model ==
               "qwen3:4b");

    // A blocking call that waits longer than the queue allows gives up.
    chat_router quick(models_of(ds),
                      {.max_in_flight = 1, .queue_timeout = std::chrono::milliseconds(50)});
    std::thread holder([&] { (void)quick.complete({.prompt = "x"}); });
    while (quick.states()[0].in_flight == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    BOOST_CHECK_THROW((void)quick.complete({.prompt = "x"}), llmap::error);
    holder.join();
}

BOOST_AUTO_TEST_CASE(asynchronous_calls_pass_on) {
    auto ds = deployments(2);
    chat_router r(models_of(ds));
    ds[0]->answer_with(503);
    auto out = r.async_complete({.prompt = "x"}, boost::asio::use_future).get();
    BOOST_TEST(out.text().find("banana") != std::string::npos);
    BOOST_TEST(ds[0]->calls() == 1);
    BOOST_TEST(ds[1]->calls() == 1);
    ds[1]->answer_with(503);
    std::promise<std::exception_ptr> failed;
    r.async_complete({.prompt = "x"},
                     [&](std::exception_ptr e, llmap::response) { failed.set_value(e); });
    auto const e = failed.get_future().get();
    BOOST_TEST((e != nullptr));
    try {
        std::rethrow_exception(e);
    } catch (const llmap::error& err) {
        BOOST_TEST(err.http_status() == 503); // the last deployment's error
    }
}

BOOST_AUTO_TEST_CASE(eight_threads_a_thousand_calls_each) {
    // Many threads through one router (and its copies) to three loopback deployments under a
    // limit: every call answered, the limit never exceeded, the counters exact (and, in the
    // ThreadSanitizer build of CI, no data race).
    auto ds = deployments(3);
    chat_router r(models_of(ds),
                  {.strategy = llmap::route_strategy::least_in_flight, .max_in_flight = 2});
    constexpr int threads = 8, calls = 1000;
    std::atomic<int> answered{0};
    std::vector<std::thread> pool;
    for (int t = 0; t != threads; ++t)
        pool.emplace_back([&, copy = r, t]() mutable {
            for (int i = 0; i != calls; ++i) {
                auto const out = (t % 2 == 0 ? copy : r).complete({.prompt = "x"});
                if (out.model == "qwen3:4b")
                    ++answered;
            }
        });
    for (auto& t : pool)
        t.join();
    BOOST_TEST(answered == threads * calls);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i != ds.size(); ++i) {
        BOOST_TEST(ds[i]->most_at_once() <= 2);
        BOOST_TEST(r.states()[i].in_flight == 0u);
        total += r.states()[i].calls;
        BOOST_TEST(r.states()[i].calls == static_cast<std::uint64_t>(ds[i]->calls()));
    }
    BOOST_TEST(total == static_cast<std::uint64_t>(threads * calls));
}

BOOST_AUTO_TEST_SUITE_END()
