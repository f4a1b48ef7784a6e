//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_MIDDLEWARE_HPP
#define LLMAP_MIDDLEWARE_HPP

/** @file
    Middleware: layers around a model's chat calls that keep the model's own type and API.

    `model | layer` (or `llmap::layered(model, layer)`) gives a `layered_model` whose
    `complete`, `stream` and `async_` forms run the layer around the model's, and whose
    `operator->` reaches the wrapped model (`m->thinking_budget(2048)` on an Anthropic model).
    Layers compose: `model | llmap::defaults{...} | llmap::telemetry{...}` runs the telemetry
    layer outermost. Everything is resolved at compile time: a layer that does nothing costs
    nothing.

    The layers here: `defaults` (settings a request leaves unset), `hooks` (callbacks on the
    request and the response), `extract_reasoning` (`<think>` tags of text as reasoning),
    `telemetry` (an OpenTelemetry GenAI span per call, to a callback), `response_cache` (an
    in-memory LRU of answers, streams replayed) and `rate_limit` (a token bucket).

    A layer of your own is a copyable type with `begin(request&, const call_info&)`, which
    may change the request (or `begin(const request&, const call_info&)` for a layer that only
    reads it: the call then goes on without a copy of the request) and returns the state of
    one call; that state may have
    - `std::optional<response> replay(const stream_handler* on_event)`: an answer without a
      call (given to the caller, after its events for a stream);
    - `std::chrono::steady_clock::duration wait()`: how long to wait before the call;
    - `void event(const stream_event& e, const stream_handler& next)`: each event of a
      stream on its way to the caller (`next(e)` passes it on), and
      `void finish(const stream_handler& next)` at the stream's end;
    - `void end(const request&, response&)` after a successful call (a stream's whole
      response included) and `void fail(const request&, std::exception_ptr)` after a failed
      one.
    A call's state lives as long as the call; what layers share across calls (a cache, a
    bucket) they hold through a `std::shared_ptr`, so copies of a layered model share it.
*/

#include <llmap/concepts.hpp>
#include <llmap/error.hpp>
#include <llmap/types.hpp>

#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <chrono>
#include <concepts>
#include <cstddef>
#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace llmap {

/// What a layer knows of the call it runs around.
struct call_info {
    std::string_view operation; ///< `"chat"`
    std::string_view provider;  ///< the provider's registry name, or empty
    std::string_view model;     ///< the model name sent to the provider, or empty
};

/// A middleware layer: `begin(request&, const call_info&)` gives the state of one call.
template <class L>
concept middleware_layer = std::copy_constructible<L> &&
    requires(L& l, request& r, const call_info& c) {
    l.begin(r, c);
};

namespace detail {

template <class M>
call_info info_of(const M& m) {
    call_info i{"chat", {}, {}};
    if constexpr (requires { std::string_view(m.provider()); })
        i.provider = m.provider();
    if constexpr (requires { std::string_view(m.name()); })
        i.model = m.name();
    return i;
}

// The optional members of a call's state, with their defaults.
template <class C>
std::optional<response> replay(C& c, const stream_handler* on_event) {
    if constexpr (requires { c.replay(on_event); })
        return c.replay(on_event);
    else
        return std::nullopt;
}

template <class C>
inline constexpr bool replays = requires(C& c, const stream_handler* on) {
    c.replay(on);
};

template <class C>
std::chrono::steady_clock::duration wait_of(C& c) {
    if constexpr (requires { c.wait(); })
        return c.wait();
    else
        return {};
}

template <class C>
void end(C& c, const request& req, response& r) {
    if constexpr (requires { c.end(req, r); })
        c.end(req, r);
}

template <class C>
void fail(C& c, const request& req, std::exception_ptr e) noexcept {
    if constexpr (requires { c.fail(req, e); }) {
        try {
            c.fail(req, e);
        } catch (...) { // a failing observer must not hide the call's own error
        }
    }
}

template <class C>
inline constexpr bool filters_events = requires(C& c, const stream_event& e,
                                                const stream_handler& next) {
    c.event(e, next);
};

template <class C>
void finish(C& c, const stream_handler& next) {
    if constexpr (requires { c.finish(next); })
        c.finish(next);
}

template <class M>
inline constexpr bool is_layered = false;

} // namespace detail

/** A model with a middleware layer around its chat calls.

    It has the calls the wrapped model has (`complete`, `stream`, `embed` and their `async_`
    forms), so it goes wherever the model goes: `generate<T>`, the tool loop, `any_model`.
    Embeddings pass through untouched.

    @tparam Model the wrapped model (a layered model, for several layers).
    @tparam Layer a `middleware_layer`.
*/
template <class Model, middleware_layer Layer>
class layered_model {
public:
    layered_model(Model m, Layer l) : model_(std::move(m)), layer_(std::move(l)) {}

    /// The wrapped model (the next layer in, or the model itself).
    Model& inner() noexcept { return model_; }
    const Model& inner() const noexcept { return model_; }

    /// The model's own API, through every layer: `m->thinking_budget(2048)`.
    decltype(auto) operator->() noexcept {
        if constexpr (detail::is_layered<Model>)
            return (model_); // its own operator-> goes on inwards
        else
            return &model_;
    }
    decltype(auto) operator->() const noexcept {
        if constexpr (detail::is_layered<Model>)
            return (model_);
        else
            return &model_;
    }

    /// The layer.
    Layer& layer() noexcept { return layer_; }
    const Layer& layer() const noexcept { return layer_; }

    /// The wrapped model's name, when it has one.
    decltype(auto) name() const requires requires(const Model& m) { m.name(); }
    { return model_.name(); }

    /// The wrapped model's provider, when it has one.
    decltype(auto) provider() const requires requires(const Model& m) { m.provider(); }
    { return model_.provider(); }

    /// The wrapped model's capabilities, when it declares them.
    capability_set capabilities() const requires requires(const Model& m) { m.capabilities(); }
    { return model_.capabilities(); }

    /** Answer a request through the layer.
        @throws llmap::error what the wrapped model throws, or what the layer throws.
    */
    response complete(const request& req) requires chat_model<Model> {
        return with_request(req, [&](auto& r) -> response {
            auto call = layer_.begin(r, detail::info_of(model_));
            if constexpr (detail::replays<decltype(call)>)
                if (auto hit = call.replay(nullptr))
                    return std::move(*hit);
            wait(detail::wait_of(call));
            return send(call, r, [&] { return model_.complete(r); }); // elided: no move
        });
    }

    /** Stream the answer to a request through the layer: `on_event` gets the events the
        layer passes on.
        @throws llmap::error as `complete`.
    */
    response stream(const request& req, stream_handler on_event) requires streaming_model<Model> {
        return with_request(req, [&](auto& r) -> response {
            auto call = layer_.begin(r, detail::info_of(model_));
            if constexpr (detail::replays<decltype(call)>)
                if (auto hit = call.replay(&on_event))
                    return std::move(*hit);
            wait(detail::wait_of(call));
            return send(call, r, [&] {
                if constexpr (detail::filters_events<decltype(call)>) {
                    response out =
                        model_.stream(r, [&](const stream_event& e) { call.event(e, on_event); });
                    detail::finish(call, on_event);
                    return out;
                } else {
                    return model_.stream(r, on_event);
                }
            });
        });
    }

    /// Embed through the wrapped model (layers apply to chat calls).
    embedding_response embed(const embedding_request& req) requires embedding_model<Model> {
        return model_.embed(req);
    }

    /** Answer a request asynchronously through the layer.

        @param req the request (copied: it need not outlive the call).
        @param token any Asio completion token; the handler's signature is
        `void(std::exception_ptr, llmap::response)`. The handler runs on its associated
        executor (a cached answer is posted to it); a layer's wait runs on a timer there.
    */
    template <class CompletionToken>
    requires async_chat_model<Model>
    auto async_complete(const request& req, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, response)>(
            [this](auto handler, request r) {
                this->start(std::move(r), nullptr, std::move(handler));
            },
            token, req);
    }

    /** Stream asynchronously through the layer.

        @param req the request (copied: it need not outlive the call).
        @param on_event gets the events the layer passes on (it owns what it captures).
        @param token any Asio completion token; the handler's signature is
        `void(std::exception_ptr, llmap::response)`.
    */
    template <class CompletionToken>
    requires async_streaming_model<Model>
    auto async_stream(const request& req, async_stream_handler on_event, CompletionToken&& token) {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, response)>(
            [this](auto handler, request r, async_stream_handler on) {
                this->start(std::move(r), std::make_shared<async_stream_handler>(std::move(on)),
                            std::move(handler));
            },
            token, req, std::move(on_event));
    }

    /// Embed asynchronously through the wrapped model.
    template <class CompletionToken>
    requires requires(Model& m, const embedding_request& r) {
        m.async_embed(r, [](std::exception_ptr, embedding_response) {});
    }
    auto async_embed(const embedding_request& req, CompletionToken&& token) {
        return model_.async_embed(req, std::forward<CompletionToken>(token));
    }

private:
    using call_state = decltype(std::declval<Layer&>().begin(std::declval<request&>(),
                                                             std::declval<const call_info&>()));

    // A layer whose `begin` takes the request as `const request&` reads it only: the call
    // then goes on with the caller's request, not a copy (a layer that does nothing costs
    // nothing).
    template <class F>
    decltype(auto) with_request(const request& req, F&& f) {
        if constexpr (requires(Layer & l, const request& r, const call_info& c) {
                          l.begin(r, c);
                      }) {
            return f(req);
        } else {
            request r = req;
            return f(r);
        }
    }

    // The model's call, then the layer's end (or fail): one return, so that the response is
    // built in place.
    template <class Call, class Send>
    static response send(Call& call, const request& r, Send&& model_call) {
        constexpr bool fails = requires(const request& q, std::exception_ptr e) {
            call.fail(q, e);
        };
        constexpr bool ends = requires(const request& q, response& o) {
            call.end(q, o);
        };
        if constexpr (!fails && !ends) {
            return model_call(); // nothing to do after the call: the model's response as it is
        } else if constexpr (!fails) {
            response out = model_call(); // the layer reads (or changes) the whole response
            detail::end(call, r, out);
            return out;
        } else {
            try {
                response out = model_call();
                detail::end(call, r, out);
                return out;
            } catch (...) {
                detail::fail(call, r, std::current_exception());
                throw;
            }
        }
    }

    static void wait(std::chrono::steady_clock::duration d) {
        if (d > d.zero())
            std::this_thread::sleep_for(d);
    }

    // An asynchronous call: the layer's call state is shared by the completion and, for a
    // stream, by the event handler.
    template <class Handler>
    void start(request r, std::shared_ptr<async_stream_handler> on, Handler handler) {
        auto call = std::make_shared<call_state>(layer_.begin(r, detail::info_of(model_)));
        auto ex = boost::asio::get_associated_executor(handler);
        std::optional<response> hit;
        if (on) {
            stream_handler const h = *on;
            hit = detail::replay(*call, &h);
        } else {
            hit = detail::replay(*call, nullptr);
        }
        if (hit) {
            // From a thread of the system executor to the handler's own executor.
            boost::asio::post(boost::asio::system_executor(),
                              boost::asio::bind_executor(ex, [handler = std::move(handler),
                                                              r = std::move(*hit)]() mutable {
                                  std::move(handler)(nullptr, std::move(r));
                              }));
            return;
        }
        auto const delay = detail::wait_of(*call);
        if (delay <= delay.zero()) {
            send(model_, std::move(r), std::move(on), std::move(call), std::move(handler));
            return;
        }
        // The call is sent later: it keeps a copy of the model, which may be gone by then.
        using timer_type =
            boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                              boost::asio::wait_traits<std::chrono::steady_clock>,
                                              boost::asio::system_executor>;
        auto timer = std::make_shared<timer_type>(boost::asio::system_executor(), delay);
        timer->async_wait(boost::asio::bind_executor(
            ex, [timer, m = std::make_shared<Model>(model_), r = std::move(r), on = std::move(on),
                 call = std::move(call),
                 handler = std::move(handler)](boost::system::error_code) mutable {
                send(*m, std::move(r), std::move(on), std::move(call), std::move(handler));
            }));
    }

    template <class Handler>
    static void send(Model& model, request r, std::shared_ptr<async_stream_handler> on,
                     std::shared_ptr<call_state> call, Handler handler) {
        auto ex = boost::asio::get_associated_executor(handler);
        auto slot = boost::asio::get_associated_cancellation_slot(handler);
        auto shared_req = std::make_shared<const request>(std::move(r));
        auto done = [call, shared_req, on, handler = std::move(handler)](std::exception_ptr e,
                                                                         response out) mutable {
            if (!e) {
                try {
                    if (on) {
                        if constexpr (detail::filters_events<call_state>)
                            detail::finish(*call, stream_handler(*on));
                    }
                    detail::end(*call, *shared_req, out);
                } catch (...) {
                    e = std::current_exception();
                }
            }
            if (e)
                detail::fail(*call, *shared_req, e);
            std::move(handler)(e, e ? response{} : std::move(out));
        };
        auto bound = boost::asio::bind_cancellation_slot(
            slot, boost::asio::bind_executor(ex, std::move(done)));
        if (!on) {
            model.async_complete(*shared_req, std::move(bound));
        } else if constexpr (detail::filters_events<call_state>) {
            model.async_stream(
                *shared_req,
                [call, on](const stream_event& e) { call->event(e, stream_handler(*on)); },
                std::move(bound));
        } else {
            model.async_stream(
                *shared_req, [on](const stream_event& e) { (*on)(e); }, std::move(bound));
        }
    }

    Model model_;
    Layer layer_;
};

namespace detail {
template <class M, class L>
inline constexpr bool is_layered<layered_model<M, L>> = true;
} // namespace detail

/// `model` with `layer` around its chat calls.
template <class Model, middleware_layer Layer>
requires model<std::decay_t<Model>> layered_model<std::decay_t<Model>, Layer> layered(Model&& model,
                                                                                      Layer layer) {
    return {std::forward<Model>(model), std::move(layer)};
}

/// `model | layer`: the same as `layered(model, layer)`; layers added later run outside. It is
/// found through llmap's own layers; with a layer of your own namespace, call
/// `llmap::layered` or say `using llmap::operator|;`.
template <class Model, middleware_layer Layer>
requires model<std::decay_t<Model>> layered_model<std::decay_t<Model>, Layer>
operator|(Model&& model, Layer layer) {
    return {std::forward<Model>(model), std::move(layer)};
}

// ---- defaults -------------------------------------------------------------------------------

/** Settings for the requests that leave them unset: every optional the request does not set,
    the system prompt and the stop sequences when empty, and `provider_options` keys the
    request does not have; headers are added before the request's own.

    @par Example
    @code
    auto m = reg.model<"openai:gpt-4o">() | llmap::defaults{{.max_output_tokens = 512, .temperature
   = 0.2}};
    @endcode
*/
struct defaults {
    request settings;

    struct call {};

    call begin(request& r, const call_info&) const {
        auto fill = [](auto& field, const auto& value) {
            if (!field)
                field = value;
        };
        if (r.system.empty())
            r.system = settings.system;
        fill(r.max_output_tokens, settings.max_output_tokens);
        fill(r.temperature, settings.temperature);
        fill(r.top_p, settings.top_p);
        fill(r.top_k, settings.top_k);
        fill(r.seed, settings.seed);
        fill(r.tool_choice, settings.tool_choice);
        fill(r.reasoning, settings.reasoning);
        fill(r.timeout, settings.timeout);
        fill(r.retry, settings.retry);
        if (r.stop_sequences.empty())
            r.stop_sequences = settings.stop_sequences;
        for (auto const& [k, v] : settings.provider_options)
            if (!r.provider_options.contains(k))
                r.provider_options.emplace(k, v);
        r.headers.insert(r.headers.begin(), settings.headers.begin(), settings.headers.end());
        return {};
    }
};

// ---- hooks ----------------------------------------------------------------------------------

/** Callbacks around each chat call: `on_request` may change the request before it is sent,
    `on_response` the response before the caller gets it (a stream's whole response).
*/
struct hooks {
    std::function<void(request&)> on_request{};
    std::function<void(const request&, response&)> on_response{};

    struct call {
        std::function<void(const request&, response&)> on_response;
        void end(const request& req, response& r) const {
            if (on_response)
                on_response(req, r);
        }
    };

    call begin(request& r, const call_info&) const {
        if (on_request)
            on_request(r);
        return {on_response};
    }
};

// ---- extract_reasoning ----------------------------------------------------------------------

/** Reasoning that a model writes into its text between tags (`<think>...</think>`: DeepSeek
    R1, Qwen and others through Ollama, llama.cpp or vLLM) becomes reasoning: reasoning parts
    in the response, reasoning deltas in a stream; the text keeps the rest. A tag split
    across stream events is recognised; a text with an opening tag and no closing one is
    reasoning to its end (the model was cut off while thinking).

    With `starts_inside`, the answer begins in reasoning: for models whose chat template
    writes the opening tag into the prompt, so that only the closing one comes back (Qwen3
    through Ollama, DeepSeek R1's distills); an opening tag at the very start is then skipped.
*/
struct extract_reasoning {
    std::string open = "<think>";
    std::string close = "</think>";
    bool starts_inside = false;

    /// Split `text` into reasoning and text parts, in order.
    std::vector<content_part> split(std::string_view text) const {
        std::vector<content_part> out;
        bool inside = starts_inside;
        if (inside && text.starts_with(open))
            text.remove_prefix(open.size());
        while (!text.empty()) {
            std::string_view const tag = inside ? std::string_view(close) : std::string_view(open);
            auto const at = text.find(tag);
            std::string_view const piece = text.substr(0, at);
            if (!piece.empty()) {
                if (inside)
                    out.emplace_back(reasoning_part{std::string(piece)});
                else
                    out.emplace_back(text_part{std::string(piece)});
            }
            if (at == std::string_view::npos)
                break;
            text.remove_prefix(at + tag.size());
            inside = !inside;
        }
        return out;
    }

    class call;

    call begin(const request&, const call_info&) const;
};

class extract_reasoning::call {
public:
    explicit call(const extract_reasoning& self)
        : self_(self), inside_(self.starts_inside), skip_open_(self.starts_inside) {}

    void end(const request&, response& r) const {
        std::vector<content_part> out;
        for (auto& part : r.content) {
            if (auto const* t = std::get_if<text_part>(&part)) {
                auto pieces = self_.split(t->text);
                std::move(pieces.begin(), pieces.end(), std::back_inserter(out));
            } else {
                out.push_back(std::move(part));
            }
        }
        r.content = std::move(out);
    }

    void event(const stream_event& e, const stream_handler& next) {
        auto const* d = std::get_if<text_delta>(&e.data);
        if (!d) {
            next(e);
            return;
        }
        id_ = d->id;
        pending_ += d->text;
        if (skip_open_) { // an opening tag at the very start is skipped (see starts_inside)
            if (pending_.size() < self_.open.size() &&
                std::string_view(self_.open).starts_with(pending_))
                return; // not known yet
            if (pending_.starts_with(self_.open))
                pending_.erase(0, self_.open.size());
            skip_open_ = false;
        }
        flush(next, false);
    }

    void finish(const stream_handler& next) { flush(next, true); }

private:
    // Emit what of `pending_` is known to be text or reasoning; keep a tail that may be
    // the start of a tag (unless the stream has ended).
    void flush(const stream_handler& next, bool at_end) {
        while (!pending_.empty()) {
            std::string_view const tag = inside_ ? self_.close : self_.open;
            auto const at = pending_.find(tag);
            if (at != std::string::npos) {
                emit(next, pending_.substr(0, at));
                pending_.erase(0, at + tag.size());
                inside_ = !inside_;
                continue;
            }
            std::size_t keep = 0;
            if (!at_end)
                for (std::size_t n = std::min(tag.size() - 1, pending_.size()); n > 0; --n)
                    if (std::string_view(pending_).ends_with(tag.substr(0, n))) {
                        keep = n;
                        break;
                    }
            emit(next, pending_.substr(0, pending_.size() - keep));
            pending_.erase(0, pending_.size() - keep);
            break;
        }
    }

    void emit(const stream_handler& next, std::string text) const {
        if (text.empty())
            return;
        stream_event e;
        if (inside_)
            e.data = reasoning_delta{id_ + "-reasoning", std::move(text)};
        else
            e.data = text_delta{id_, std::move(text)};
        next(e);
    }

    extract_reasoning self_; // a copy: an asynchronous call may outlive the model
    std::string id_;
    std::string pending_;
    bool inside_;
    bool skip_open_;
};

inline extract_reasoning::call extract_reasoning::begin(const request&, const call_info&) const {
    return call(*this);
}

// ---- telemetry ------------------------------------------------------------------------------

/** One call as an OpenTelemetry span: the GenAI semantic conventions' name
    (`"chat <model>"`) and attributes (`gen_ai.operation.name`, `gen_ai.provider.name`,
    `gen_ai.request.model`, `gen_ai.request.max_tokens`, `gen_ai.request.temperature`,
    `gen_ai.response.id`, `gen_ai.response.model`, `gen_ai.response.finish_reasons`,
    `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, and `error.type` for a failed
    call).
*/
struct span {
    std::string name;
    std::chrono::system_clock::time_point start;
    std::chrono::steady_clock::duration duration{};
    boost::json::object attributes;
    bool ok = true;
};

/** Reports a `span` for every chat call to `exporter`, after the call (from the thread that
    completes it). No key ever, and no prompt or answer text unless `record_content` is set
    (then `gen_ai.input.messages` and `gen_ai.output.messages` hold them as JSON).
*/
struct telemetry {
    std::function<void(const span&)> exporter;
    bool record_content = false;

    class call;

    call begin(const request& r, const call_info& info) const;
};

class telemetry::call {
public:
    call(const telemetry& self, const request& r, const call_info& info) : self_(self) {
        s_.name = "chat";
        if (!info.model.empty())
            s_.name += " " + std::string(info.model);
        s_.start = std::chrono::system_clock::now();
        started_ = std::chrono::steady_clock::now();
        auto& a = s_.attributes;
        a["gen_ai.operation.name"] = info.operation;
        if (!info.provider.empty())
            a["gen_ai.provider.name"] = info.provider;
        if (!info.model.empty())
            a["gen_ai.request.model"] = info.model;
        if (r.max_output_tokens)
            a["gen_ai.request.max_tokens"] = *r.max_output_tokens;
        if (r.temperature)
            a["gen_ai.request.temperature"] = *r.temperature;
        if (r.top_p)
            a["gen_ai.request.top_p"] = *r.top_p;
        if (self.record_content)
            a["gen_ai.input.messages"] =
                boost::json::serialize(boost::json::value_from(r.all_messages()));
    }

    void end(const request&, const response& r) {
        auto& a = s_.attributes;
        if (!r.id.empty())
            a["gen_ai.response.id"] = r.id;
        if (!r.model.empty())
            a["gen_ai.response.model"] = r.model;
        a["gen_ai.response.finish_reasons"] = boost::json::array{to_string(r.finish)};
        if (r.usage.input_tokens)
            a["gen_ai.usage.input_tokens"] = *r.usage.input_tokens;
        if (r.usage.output_tokens)
            a["gen_ai.usage.output_tokens"] = *r.usage.output_tokens;
        if (self_.record_content)
            a["gen_ai.output.messages"] = boost::json::serialize(
                boost::json::value_from(std::vector<message>{message{role::assistant, r.content}}));
        report();
    }

    void fail(const request&, std::exception_ptr e) {
        s_.ok = false;
        std::string type = "_OTHER";
        try {
            std::rethrow_exception(e);
        } catch (const error& err) {
            type = err.code().message();
            if (err.http_status() != 0)
                s_.attributes["http.response.status_code"] = err.http_status();
        } catch (...) {
        }
        s_.attributes["error.type"] = type;
        report();
    }

private:
    void report() {
        s_.duration = std::chrono::steady_clock::now() - started_;
        if (self_.exporter)
            self_.exporter(s_);
    }

    telemetry self_; // a copy: an asynchronous call may outlive the model
    span s_;
    std::chrono::steady_clock::time_point started_;
};

inline telemetry::call telemetry::begin(const request& r, const call_info& info) const {
    return call(*this, r, info);
}

// ---- response_cache -------------------------------------------------------------------------

namespace detail {

// What a cached answer is keyed by: the model and everything of the request that shapes the
// answer (not its headers, deadline, retry policy or collect_stream).
inline std::string cache_key(const request& r, const call_info& info) {
    boost::json::object k;
    k["provider"] = info.provider;
    k["model"] = info.model;
    k["messages"] = boost::json::value_from(r.all_messages());
    auto opt = [&](const char* name, const auto& v) {
        if (v)
            k[name] = *v;
    };
    opt("max_output_tokens", r.max_output_tokens);
    opt("temperature", r.temperature);
    opt("top_p", r.top_p);
    opt("top_k", r.top_k);
    opt("seed", r.seed);
    k["stop"] = boost::json::value_from(r.stop_sequences);
    k["tools"] = boost::json::value_from(r.tools);
    if (r.tool_choice)
        k["tool_choice"] = {static_cast<int>(r.tool_choice->mode), r.tool_choice->tool_name};
    k["format"] = {static_cast<int>(r.format.type), r.format.name, r.format.schema,
                   r.format.strict};
    if (r.reasoning)
        k["reasoning"] = to_string(*r.reasoning);
    k["provider_options"] = r.provider_options;
    return boost::json::serialize(k);
}

} // namespace detail

/** An in-memory cache of answers, least recently used first out: a request asked again of
    the same model gets the stored answer without a call (a stream replays the stored
    events, then returns the stored response). Only successful, whole answers are stored.
    Copies of the layer (and of a model layered with it) share one cache; it is safe to use
    from several threads.
*/
class response_cache {
    struct state;

public:
    /// @param capacity how many answers are kept (at least 1).
    explicit response_cache(std::size_t capacity)
        : state_(std::make_shared<state>(std::max<std::size_t>(capacity, 1))) {}

    /// How many answers are stored.
    std::size_t size() const {
        std::lock_guard lock(state_->mutex);
        return state_->entries.size();
    }

    /// How many calls were answered from the cache.
    std::size_t hits() const {
        std::lock_guard lock(state_->mutex);
        return state_->hits;
    }

    class call {
    public:
        call(std::shared_ptr<state> st, std::string key)
            : st_(std::move(st)), key_(std::move(key)) {}

        std::optional<response> replay(const stream_handler* on_event);
        void event(const stream_event& e, const stream_handler& next) {
            events_.push_back(e);
            next(e);
        }
        void end(const request& req, const response& r);

    private:
        std::shared_ptr<state> st_;
        std::string key_;
        std::vector<stream_event> events_;
    };

    call begin(const request& r, const call_info& info) const {
        return call(state_, detail::cache_key(r, info));
    }

private:
    struct entry {
        std::string key;
        response answer;
        std::vector<stream_event> events; // empty for an answer that was not streamed
        bool streamed = false;
    };

    struct state {
        explicit state(std::size_t c) : capacity(c) {}
        std::mutex mutex;
        std::size_t capacity;
        std::size_t hits = 0;
        std::list<entry> entries; // most recently used first
        std::unordered_map<std::string_view, std::list<entry>::iterator> index;
    };

    std::shared_ptr<state> state_;
};

inline std::optional<response> response_cache::call::replay(const stream_handler* on_event) {
    auto& st = *st_;
    entry found;
    {
        std::lock_guard lock(st.mutex);
        auto it = st.index.find(key_);
        // A stream is replayed only from a streamed answer (its events are what it owes).
        if (it == st.index.end() || (on_event && !it->second->streamed))
            return std::nullopt;
        st.entries.splice(st.entries.begin(), st.entries, it->second);
        ++st.hits;
        found = *it->second;
    }
    if (on_event)
        for (auto const& e : found.events)
            (*on_event)(e);
    return std::move(found.answer);
}

inline void response_cache::call::end(const request& req, const response& r) {
    auto& st = *st_;
    bool const streamed = !events_.empty();
    if (streamed && !req.collect_stream)
        return; // the response lacks the content the events carried: not a whole answer
    std::lock_guard lock(st.mutex);
    if (auto it = st.index.find(key_); it != st.index.end()) {
        st.entries.erase(std::exchange(it->second, st.entries.end()));
        st.index.erase(it);
    }
    st.entries.push_front(entry{key_, r, std::move(events_), streamed});
    st.index.emplace(st.entries.front().key, st.entries.begin());
    while (st.entries.size() > st.capacity) {
        st.index.erase(st.entries.back().key);
        st.entries.pop_back();
    }
}

// ---- rate_limit -----------------------------------------------------------------------------

/** A token bucket: at most `burst` calls at once, refilled at `per_second` calls a second.
    A call that finds the bucket empty waits for its token (blocking calls sleep; the
    asynchronous ones wait on a timer). Copies share one bucket; safe from several threads.
*/
class rate_limit {
public:
    /// @param per_second the sustained rate (> 0); @param burst the bucket's size (>= 1).
    rate_limit(double per_second, double burst)
        : state_(std::make_shared<state>(per_second > 0 ? per_second : 1e-9,
                                         burst >= 1 ? burst : 1)) {}

    struct call {
        std::chrono::steady_clock::duration delay;
        std::chrono::steady_clock::duration wait() const noexcept { return delay; }
    };

    /// Take a token now, or reserve the next one and say how long to wait for it.
    call begin(const request&, const call_info&) const {
        std::lock_guard lock(state_->mutex);
        auto const now = std::chrono::steady_clock::now();
        std::chrono::duration<double> const elapsed = now - state_->last;
        state_->last = now;
        state_->tokens = std::min(state_->burst, state_->tokens + elapsed.count() * state_->rate);
        state_->tokens -= 1; // may go below 0: the call owes the time to earn it back
        if (state_->tokens >= 0)
            return {std::chrono::steady_clock::duration::zero()};
        return {std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(-state_->tokens / state_->rate))};
    }

private:
    struct state {
        state(double r, double b) : rate(r), burst(b), tokens(b) {}
        std::mutex mutex;
        double rate;
        double burst;
        double tokens;
        std::chrono::steady_clock::time_point last = std::chrono::steady_clock::now();
    };

    std::shared_ptr<state> state_;
};

} // namespace llmap

#endif
