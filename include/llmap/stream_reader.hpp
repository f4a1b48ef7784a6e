//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_STREAM_READER_HPP
#define LLMAP_STREAM_READER_HPP

/** @file
    A pull-style stream: events read one at a time, blocking or awaited, instead of pushed to
    a callback.
*/

#include <llmap/concepts.hpp>
#include <llmap/error.hpp>
#include <llmap/types.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/system/system_error.hpp>

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace llmap {

namespace detail {

/** The events of one stream between the client's thread, which adds them, and the reader,
    which takes them. Shared by both, so either may go first.
*/
class stream_queue {
public:
    using handler_type =
        boost::asio::any_completion_handler<void(std::exception_ptr, std::optional<stream_event>)>;

    /// A pending `async_next`: its handler and where the handler runs.
    struct waiter_type {
        handler_type handler;
        boost::asio::any_io_executor executor;
    };

    /// From the stream's handler. Throws `cancelled` to stop a stream nobody reads.
    void push(const stream_event& e) {
        std::unique_lock lock(mutex_);
        if (abandoned_)
            throw boost::system::system_error(errc::cancelled);
        if (waiter_) {
            auto w = take_waiter();
            lock.unlock();
            deliver(std::move(w), nullptr, e);
            return;
        }
        events_.push_back(e);
        lock.unlock();
        ready_.notify_one();
    }

    /// From the stream's completion: the response, or what stopped the stream.
    void finish(std::exception_ptr failure, response r) {
        std::unique_lock lock(mutex_);
        ended_ = true;
        failure_ = std::move(failure);
        result_ = std::move(r);
        if (waiter_ && events_.empty()) {
            auto w = take_waiter();
            lock.unlock();
            deliver(std::move(w), failure_, std::nullopt);
            return;
        }
        lock.unlock();
        ready_.notify_one();
    }

    std::optional<stream_event> next() {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return !events_.empty() || ended_; });
        return take(lock);
    }

    void async_next(waiter_type w) {
        std::unique_lock lock(mutex_);
        if (events_.empty() && !ended_) {
            if (waiter_) { // one reader at a time: the second is told, the first still waits
                lock.unlock();
                deliver(std::move(w),
                        std::make_exception_ptr(
                            error(errc::cancelled, "llmap: stream_reader::async_next while another "
                                                   "async_next of the same reader is pending")),
                        std::nullopt);
                return;
            }
            waiter_.emplace(std::move(w));
            return;
        }
        std::exception_ptr failure;
        std::optional<stream_event> e;
        try {
            e = take(lock);
        } catch (...) {
            failure = std::current_exception();
        }
        lock.unlock();
        deliver(std::move(w), failure, std::move(e));
    }

    /// The reader is gone: stop the stream at its next event.
    void abandon() {
        std::unique_lock lock(mutex_);
        abandoned_ = true;
        events_.clear();
        if (waiter_) {
            auto w = take_waiter();
            lock.unlock();
            deliver(std::move(w),
                    std::make_exception_ptr(error(errc::cancelled, "llmap: the stream was closed")),
                    std::nullopt);
        }
    }

    const response& result() const {
        std::lock_guard lock(mutex_);
        if (!ended_ || !events_.empty())
            throw error(
                errc::cancelled,
                "llmap: stream_reader::result() before the stream has been read to its end");
        if (failure_)
            std::rethrow_exception(failure_);
        return result_;
    }

private:
    // Moved out of the optional, never assigned: Boost 1.81's any_completion_handler move
    // assignment wraps the handler in itself without end (it copies from an lvalue).
    waiter_type take_waiter() {
        waiter_type w(std::move(*waiter_));
        waiter_.reset();
        return w;
    }

    // The next event, or the end: nothing once the events are read, the failure if any.
    std::optional<stream_event> take(std::unique_lock<std::mutex>&) {
        if (!events_.empty()) {
            std::optional<stream_event> e(std::move(events_.front()));
            events_.pop_front();
            return e;
        }
        if (failure_)
            std::rethrow_exception(failure_);
        return std::nullopt;
    }

    // A completion never runs inside the call that initiated it, nor on the client's thread:
    // on the handler's own executor (the system executor for a plain callback).
    static void deliver(waiter_type w, std::exception_ptr failure, std::optional<stream_event> e) {
        boost::asio::post(w.executor,
                          [h = std::move(w.handler), failure, e = std::move(e)]() mutable {
                              std::move(h)(failure, std::move(e));
                          });
    }

    mutable std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<stream_event> events_;
    std::optional<waiter_type> waiter_;
    std::exception_ptr failure_;
    response result_;
    bool ended_ = false;
    bool abandoned_ = false;
};

} // namespace detail

/** The events of a stream, read one at a time: the pull-style counterpart of `stream` and
    `async_stream`'s callbacks, for a loop that reads as Node's `for await` does.

    Made by `open_stream`. One `next` or `async_next` at a time: an `async_next` while
    another is pending completes at once with `errc::cancelled`. The stream runs on the model's HTTP
   client (its own thread unless the provider was given an executor); events wait in the reader
   until they are read, so a slow reader costs memory, not a stalled connection. Read it from one
   thread or coroutine at a time. Destroying the reader before the end stops the stream at its next
   event.

    @par Example
    @code
    auto s = llmap::open_stream(model, {.prompt = "Tell me a story"});
    while (auto ev = co_await s.async_next(asio::use_awaitable))
        if (auto* t = std::get_if<llmap::text_delta>(&ev->data))
            std::cout << t->text;
    llmap::response whole = s.result();
    @endcode
*/
class stream_reader {
public:
    /// A reader of nothing: `next()` would wait forever, so do not call it.
    stream_reader() = default;

    explicit stream_reader(std::shared_ptr<detail::stream_queue> q) : queue_(std::move(q)) {}

    stream_reader(stream_reader&&) noexcept = default;
    stream_reader& operator=(stream_reader&& other) noexcept {
        if (this != &other) {
            close();
            queue_ = std::move(other.queue_);
        }
        return *this;
    }
    stream_reader(const stream_reader&) = delete;
    stream_reader& operator=(const stream_reader&) = delete;

    ~stream_reader() { close(); }

    /** Wait for the next event.

        Must not be called on the thread that runs the model's client (with the default
        client thread, any other thread will do); use `async_next` there.

        @return the event, or nothing once the stream has ended.
        @throws llmap::error what stopped the stream (after the events that came before it):
        the provider's error, a transport error, `malformed_response`.
    */
    std::optional<stream_event> next() { return queue()->next(); }

    /** Read the next event asynchronously.

        Completes with `void(std::exception_ptr, std::optional<stream_event>)`: the event, or
        nothing at the end, or the error that stopped the stream (with `use_awaitable`, thrown
        by `co_await`). The handler runs on its associated executor (a plain callback on the
        system executor), never inside this call.
    */
    template <class CompletionToken>
    auto async_next(CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken,
                                           void(std::exception_ptr, std::optional<stream_event>)>(
            [q = queue()](auto handler) {
                // Tracked: the handler's context does not run out of work while it waits.
                boost::asio::any_io_executor ex = boost::asio::prefer(
                    boost::asio::get_associated_executor(handler, boost::asio::system_executor()),
                    boost::asio::execution::outstanding_work.tracked);
                q->async_next({detail::stream_queue::handler_type(std::move(handler)), ex});
            },
            token);
    }

    /** The response `stream` would have returned, once the events are read to the end.

        @throws llmap::error `cancelled` before the end; the stream's error if it failed.
    */
    const response& result() const { return queue()->result(); }

private:
    const std::shared_ptr<detail::stream_queue>& queue() const {
        if (!queue_)
            throw error(errc::cancelled, "llmap: use of an empty (default-constructed or "
                                         "moved-from) stream_reader");
        return queue_;
    }

    void close() noexcept {
        if (queue_)
            queue_->abandon();
        queue_.reset();
    }

    std::shared_ptr<detail::stream_queue> queue_;
};

/** Start a stream and return a reader of its events.

    Works with every model that has `async_stream`: the built-in models, `any_model` (a model
    without streaming ends the reader with `unsupported_capability`), and inside `visit`.

    @param model the model. Keep it (or a copy of it) alive until the stream has ended:
    destroying the last copy of a model cancels its calls in flight, this stream included
    (the reader then ends with `errc::cancelled`).
    @param req the request (copied before this returns).
*/
template <class Model>
stream_reader open_stream(Model& model, const request& req) {
    static_assert(async_streaming_model<Model>,
                  "llmap::open_stream: this model type has no async_stream(request, "
                  "async_stream_handler, token), so its stream cannot be read as a pull stream");
    auto q = std::make_shared<detail::stream_queue>();
    if constexpr (async_streaming_model<Model>) // only the assertion's message, if not
        model.async_stream(
            req, [q](const stream_event& e) { q->push(e); },
            [q](std::exception_ptr failure, response r) { q->finish(failure, std::move(r)); });
    return stream_reader(std::move(q));
}

} // namespace llmap

#endif
