//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_ROUTER_HPP
#define LLMAP_ROUTER_HPP

/** @file
    One logical model over several deployments: several keys, base URLs or regions of one
    provider (models of one type), or several providers (`router<any_model>`).
*/

#include <llmap/any_model.hpp>
#include <llmap/concepts.hpp>
#include <llmap/error.hpp>
#include <llmap/fallback.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llmap {

/// How a router picks a deployment for a call.
enum class route_strategy {
    round_robin,    ///< each in turn
    least_in_flight ///< the one with the fewest calls in flight (in turn among equals)
};

/** How a router spreads calls and rests its deployments (designated-initializer friendly).

    @par Example
    @code
    llmap::router<llmap::openai::responses_model> r(
        {key1_model, key2_model}, {.strategy = llmap::route_strategy::least_in_flight,
                                   .max_in_flight = 16});
    @endcode
*/
struct router_options {
    route_strategy strategy = route_strategy::round_robin;
    /// Calls in flight at most per deployment; 0 for no limit. A blocking call waits up to
    /// `queue_timeout` for a free deployment; an asynchronous one fails at once with
    /// `errc::no_deployment` (it does not queue: its caller decides when to try again).
    std::size_t max_in_flight = 0;
    /// How long a blocking call waits for a deployment under `max_in_flight`.
    std::chrono::milliseconds queue_timeout{30'000};
    /// Consecutive failures (errors that pass a call on) after which a deployment rests.
    unsigned failures_to_rest = 3;
    /// How long a deployment rests after those failures, or after a 429 that did not say
    /// how long to wait (a 429 with `retry-after` rests exactly that long).
    std::chrono::milliseconds rest{30'000};
    /// Which errors pass the call on to another deployment (and count as the deployment's
    /// failures); empty for `llmap::fallback_passes_on`: those a retry could fix.
    std::function<bool(const error&)> pass_on{};
};

/** What a router knows of one of its deployments. */
struct deployment_state {
    std::size_t in_flight = 0;  ///< calls running now
    std::uint64_t calls = 0;    ///< calls it was given
    std::uint64_t failures = 0; ///< calls that failed with an error that passes on
    unsigned consecutive_failures = 0;
    bool resting = false; ///< not given calls until its rest is over
};

namespace detail {

// The shared state of a router and its copies: the deployments' counters, under one mutex.
class route_table {
public:
    route_table(std::size_t n, router_options o) : opts_(std::move(o)), slots_(n) {}

    const router_options& options() const noexcept { return opts_; }
    std::size_t size() const noexcept { return slots_.size(); }

    bool passes_on(const error& e) const {
        return opts_.pass_on ? opts_.pass_on(e) : fallback_passes_on(e);
    }

    /** A deployment for a call, not one of `tried`: the strategy's pick among those that are
        not resting and under their limit. Without one: waits (`wait` true) while some are
        only full, then throws `no_deployment`.
    */
    std::size_t acquire(const std::vector<bool>& tried, bool wait) {
        std::unique_lock lock(mutex_);
        auto const deadline = std::chrono::steady_clock::now() + opts_.queue_timeout;
        for (;;) {
            auto const now = std::chrono::steady_clock::now();
            bool full_only = false;
            std::size_t best = npos;
            for (std::size_t k = 0; k != slots_.size(); ++k) {
                std::size_t const i = (next_ + k) % slots_.size();
                auto const& s = slots_[i];
                if (tried[i] || s.rest_until > now)
                    continue;
                if (opts_.max_in_flight != 0 && s.in_flight >= opts_.max_in_flight) {
                    full_only = true;
                    continue;
                }
                if (best == npos)
                    best = i;
                if (opts_.strategy == route_strategy::round_robin)
                    break;
                if (s.in_flight < slots_[best].in_flight)
                    best = i;
            }
            if (best != npos) {
                next_ = (best + 1) % slots_.size();
                ++slots_[best].in_flight;
                ++slots_[best].calls;
                return best;
            }
            if (!full_only || !wait || cv_.wait_until(lock, deadline) == std::cv_status::timeout)
                throw error(errc::no_deployment,
                            full_only ? "llmap: every deployment of the router is at its limit "
                                        "of calls in flight"
                                      : "llmap: every deployment of the router is resting "
                                        "after failures");
        }
    }

    /// The call on deployment `i` ended: well (`failure` null), or with `failure`.
    void release(std::size_t i, const error* failure) {
        {
            std::lock_guard lock(mutex_);
            auto& s = slots_[i];
            --s.in_flight;
            if (!failure) {
                s.consecutive_failures = 0;
            } else if (passes_on(*failure)) {
                ++s.failures;
                ++s.consecutive_failures;
                auto const now = std::chrono::steady_clock::now();
                if (failure->http_status() == 429) {
                    auto const wait = failure->retry_after().value_or(opts_.rest);
                    // A server's wait is capped far beyond any rest, so it cannot overflow.
                    auto const longest = std::chrono::hours(24 * 365);
                    s.rest_until =
                        now + std::min<std::chrono::steady_clock::duration>(wait, longest);
                } else if (s.consecutive_failures >= opts_.failures_to_rest) {
                    s.rest_until = now + opts_.rest;
                    s.consecutive_failures = 0;
                }
            } else {
                s.consecutive_failures = 0; // the deployment answered: the call was at fault
            }
        }
        cv_.notify_one();
    }

    std::vector<deployment_state> states() const {
        std::lock_guard lock(mutex_);
        auto const now = std::chrono::steady_clock::now();
        std::vector<deployment_state> out;
        for (auto const& s : slots_)
            out.push_back(
                {s.in_flight, s.calls, s.failures, s.consecutive_failures, s.rest_until > now});
        return out;
    }

private:
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    struct slot {
        std::size_t in_flight = 0;
        std::uint64_t calls = 0;
        std::uint64_t failures = 0;
        unsigned consecutive_failures = 0;
        std::chrono::steady_clock::time_point rest_until{};
    };

    router_options opts_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<slot> slots_;
    std::size_t next_ = 0;
};

} // namespace detail

/** One logical model over several deployments.

    Each call goes to one deployment, picked by the strategy among those not resting and under
    their limit of calls in flight. A call that fails with an error that passes on (see
    `router_options::pass_on`) goes to another deployment not tried yet (a stream only before
    its first event); when every deployment failed, the last error is the caller's. A
    deployment rests after `failures_to_rest` such failures in a row, or after a 429 for as
    long as its `retry-after` said.

    Copies share the deployments' state. A router is safe to use from many threads and
    coroutines at once, as the models it holds are.

    @tparam Model the deployments' type: a concrete model (several keys or regions of one
    provider) or `llmap::any_model` (several providers).
*/
template <class Model>
class router {
public:
    /// @param deployments at least one; @param options see `router_options`.
    explicit router(std::vector<Model> deployments, router_options options = {})
        : models_(std::make_shared<std::vector<Model>>(std::move(deployments))),
          table_(std::make_shared<detail::route_table>(models_->size(), std::move(options))) {
        if (models_->empty())
            throw error(errc::no_deployment, "llmap: a router needs at least one deployment");
    }

    /// How many deployments.
    std::size_t size() const noexcept { return models_->size(); }

    /// Deployment `i`, with its own API.
    Model& deployment(std::size_t i) { return (*models_)[i]; }

    /// What the router knows of each deployment now.
    std::vector<deployment_state> states() const { return table_->states(); }

    /// Answer a request on a deployment (another one if it fails with an error that passes on).
    response complete(const request& req) requires chat_model<Model> {
        return run([&](Model& m) { return m.complete(req); }, nullptr);
    }

    /// Stream the answer to a request (on another deployment only before the first event).
    response stream(const request& req, stream_handler on_event) requires streaming_model<Model> {
        bool started = false;
        auto relay = [&](const stream_event& e) {
            started = true;
            on_event(e);
        };
        return run([&](Model& m) { return m.stream(req, relay); }, &started);
    }

    /// Embed the request's inputs on a deployment.
    embedding_response embed(const embedding_request& req) requires embedding_model<Model> {
        return run([&](Model& m) { return m.embed(req); }, nullptr);
    }

    /** Answer a request asynchronously on a deployment (another one if it fails with an error
        that passes on).
        @param req the request (copied).
        @param token any Asio completion token; the handler's signature is
        `void(std::exception_ptr, llmap::response)`. With every deployment at its limit the
        call fails at once with `errc::no_deployment`.
    */
    template <class CompletionToken>
    requires async_chat_model<Model>
    auto async_complete(const request& req, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, response)>(
            [models = models_, table = table_](auto handler, request r) {
                auto op = std::make_shared<async_op<decltype(handler)>>(models, table, std::move(r),
                                                                        std::move(handler));
                async_op<decltype(handler)>::next(std::move(op));
            },
            token, req);
    }

private:
    template <class Call>
    auto run(Call&& call, const bool* started) {
        std::vector<bool> tried(models_->size(), false);
        for (;;) {
            std::size_t const i = table_->acquire(tried, true);
            tried[i] = true;
            try {
                auto out = call((*models_)[i]);
                table_->release(i, nullptr);
                return out;
            } catch (const error& e) {
                table_->release(i, &e);
                bool const last = std::find(tried.begin(), tried.end(), false) == tried.end();
                if ((started && *started) || !table_->passes_on(e) || last)
                    throw;
            } catch (...) {
                table_->release(i, nullptr); // not the deployment's failure
                throw;
            }
        }
    }

    // An asynchronous call: one deployment after another until one answers or the error is
    // the caller's. The completion runs on the handler's executor.
    template <class Handler>
    struct async_op : std::enable_shared_from_this<async_op<Handler>> {
        async_op(std::shared_ptr<std::vector<Model>> m, std::shared_ptr<detail::route_table> t,
                 request r, Handler h)
            : models(std::move(m)), table(std::move(t)), req(std::move(r)), handler(std::move(h)),
              tried(models->size(), false) {}

        static void next(std::shared_ptr<async_op> self) {
            auto ex = boost::asio::get_associated_executor(self->handler);
            std::size_t i = 0;
            try {
                i = self->table->acquire(self->tried, false);
            } catch (...) {
                fail_later(std::move(self), ex, std::current_exception());
                return;
            }
            self->tried[i] = true;
            auto& model = (*self->models)[i];
            try {
                model.async_complete(
                    self->req, boost::asio::bind_executor(ex, [self, i](std::exception_ptr e,
                                                                        response out) mutable {
                        if (!e) {
                            self->table->release(i, nullptr);
                            finish(std::move(self), nullptr, std::move(out));
                            return;
                        }
                        bool pass = false;
                        try {
                            std::rethrow_exception(e);
                        } catch (const error& err) {
                            self->table->release(i, &err);
                            pass = self->table->passes_on(err);
                        } catch (...) {
                            self->table->release(i, nullptr);
                        }
                        bool const last = std::find(self->tried.begin(), self->tried.end(),
                                                    false) == self->tried.end();
                        if (pass && !last)
                            next(std::move(self));
                        else
                            finish(std::move(self), e, {});
                    }));
            } catch (...) { // the deployment could not start the call (a missing key)
                auto const e = std::current_exception();
                try {
                    std::rethrow_exception(e);
                } catch (const error& err) {
                    self->table->release(i, &err);
                } catch (...) {
                    self->table->release(i, nullptr);
                }
                fail_later(std::move(self), ex, e);
            }
        }

        // Completed on the handler's executor, never inside the initiating call.
        template <class Executor>
        static void fail_later(std::shared_ptr<async_op> self, const Executor& ex,
                               std::exception_ptr e) {
            boost::asio::post(boost::asio::system_executor(),
                              boost::asio::bind_executor(ex, [self = std::move(self), e]() mutable {
                                  finish(std::move(self), e, {});
                              }));
        }

        static void finish(std::shared_ptr<async_op> self, std::exception_ptr e, response r) {
            Handler h = std::move(self->handler);
            self.reset();
            std::move(h)(e, std::move(r));
        }

        std::shared_ptr<std::vector<Model>> models;
        std::shared_ptr<detail::route_table> table;
        request req;
        Handler handler;
        std::vector<bool> tried;
    };

    std::shared_ptr<std::vector<Model>> models_;
    std::shared_ptr<detail::route_table> table_;
};

} // namespace llmap

#endif
