//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TOOL_LOOP_HPP
#define LLMAP_TOOL_LOOP_HPP

/** @file
    The tool loop: `llmap::run_tools` (blocking), `llmap::stream_tools` (the events of every
    step), `llmap::async_run_tools` (any Asio completion token), the typed final answer of
    `run_tools<T>`, and `llmap::agent`, a conversation that keeps its tools.
*/

#include <llmap/concepts.hpp>
#include <llmap/detail/function_ref.hpp>
#include <llmap/generate.hpp>
#include <llmap/tools.hpp>
#include <llmap/types.hpp>

#include <boost/asio/async_result.hpp>
#include <boost/asio/compose.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

/// One call of the model in a tool loop, and the tool calls of its answer as they were run.
struct run_step {
    llmap::response response{};                 ///< the model's answer
    std::vector<tool_execution> tool_results{}; ///< one per tool call of the answer, in order

    bool operator==(const run_step&) const = default;
};

/// Why a tool loop ended.
enum class run_end {
    answered,       ///< the model answered without calling a tool (or gave the typed answer)
    stop_condition, ///< `run_options::stop_when` held after a step
    max_steps       ///< `run_options::max_steps` calls were made
};

/// Return the name of `e`, spelled as the enumerator.
constexpr std::string_view to_string(run_end e) noexcept {
    switch (e) {
    case run_end::answered:
        return "answered";
    case run_end::stop_condition:
        return "stop_condition";
    case run_end::max_steps:
        return "max_steps";
    }
    return "unknown";
}

/// What a tool loop did: every step, the conversation it leaves, the usage it cost.
struct run_result {
    std::vector<run_step> steps{}; ///< one per call of the model, in order
    /** The conversation after the run: the request's messages and prompt, then every step's
        assistant turn and tool results. What to send next to go on (without `system`).
    */
    std::vector<message> messages{};
    llmap::usage usage{}; ///< summed over the steps
    run_end end = run_end::answered;

    /// The last step's text: the final answer when `end == run_end::answered`.
    std::string text() const {
        return steps.empty() ? std::string() : steps.back().response.text();
    }

    /// The last response of the model.
    const llmap::response& final_response() const {
        if (steps.empty())
            throw std::logic_error("llmap::run_result: no step was run");
        return steps.back().response;
    }
};

/** A typed final answer of a tool loop: `run_tools<T>`. */
template <class T>
struct typed_run_result : run_result {
    T value; ///< the final answer, parsed
};

/// A stop condition: given the steps so far, whether to stop after the last one.
using stop_condition = std::function<bool(const std::vector<run_step>&)>;

/// Stop after `n` steps.
inline stop_condition step_count_is(std::size_t n) {
    return [n](const std::vector<run_step>& steps) { return steps.size() >= n; };
}

/// Stop after a step in which the model called the tool `name`.
inline stop_condition has_tool_call(std::string name) {
    return [name = std::move(name)](const std::vector<run_step>& steps) {
        if (steps.empty())
            return false;
        for (auto const& t : steps.back().tool_results)
            if (t.call.name == name)
                return true;
        return false;
    };
}

/// Options of a tool loop.
struct run_options {
    /// The most calls of the model (20 by default, as the AI SDK's agents); at least 1.
    std::size_t max_steps = 20;
    /// Checked after every step that ran tools: `true` ends the loop.
    stop_condition stop_when{};
    /// Asked before a tool that needs approval runs; without it such a tool is not run.
    tool_approver approve{};
};

/// A step of a streamed tool loop begins: the model is called.
struct step_started {
    std::size_t step; ///< 0 for the first call
};
/// An event of the model's streamed answer in step `step`.
struct model_event {
    std::size_t step;
    const stream_event& event;
};
/// A tool call of step `step` was answered.
struct tool_executed {
    std::size_t step;
    const tool_execution& execution;
};
/// Step `step` ended: its record, with its tool results.
struct step_finished {
    std::size_t step;
    const run_step& record;
};
/// An event of `stream_tools`: the steps' boundaries, the model's events and the tool results.
using run_event = std::variant<step_started, model_event, tool_executed, step_finished>;

namespace detail {

template <class T>
struct is_toolset : std::false_type {};
template <class... T>
struct is_toolset<toolset<T...>> : std::true_type {};

/** The state of a tool loop, shared by its blocking, streamed and asynchronous forms: the
    request of the next call, and what to do with each answer.
*/
template <class Toolset>
class tool_loop {
public:
    tool_loop(request req, Toolset& tools, const run_options& options, std::string output_tool = {})
        : req_(std::move(req)), tools_(tools), options_(options),
          output_tool_(std::move(output_tool)) {
        if (options_.max_steps == 0)
            throw std::invalid_argument("llmap::run_tools: max_steps must be at least 1");
        if (!req_.prompt.empty())
            req_.messages.push_back(message::user(std::exchange(req_.prompt, {})));
        for (auto& d : tools_.definitions())
            req_.tools.push_back(std::move(d));
    }

    /// The request of the next call of the model.
    const request& next() const noexcept { return req_; }

    /// The number of steps recorded so far.
    std::size_t steps() const noexcept { return result_.steps.size(); }

    /// The record of the last step.
    const run_step& last() const { return result_.steps.back(); }

    /// Who approves the calls of tools that need approval (null: nobody).
    const tool_approver* approver() const noexcept {
        return options_.approve ? &options_.approve : nullptr;
    }

    /** Record the model's answer as a step; return the tool calls to answer. None means the
        loop ends: the model answered (without a call, or with the output tool).
    */
    std::vector<tool_call_part> record(response r) {
        result_.usage += r.usage;
        std::vector<tool_call_part> calls = r.tool_calls();
        if (!r.content.empty())
            req_.messages.push_back(message{.role = role::assistant, .content = r.content});
        result_.steps.push_back(run_step{.response = std::move(r)});
        bool const gave_output =
            !output_tool_.empty() &&
            std::any_of(calls.begin(), calls.end(),
                        [&](const tool_call_part& c) { return c.name == output_tool_; });
        if (gave_output)
            calls.clear();
        if (calls.empty())
            result_.end = run_end::answered;
        return calls;
    }

    /** Record the answers to the last step's calls and send them back; return whether to
        call the model again.
    */
    bool answered(std::vector<tool_execution> results) {
        run_step& step = result_.steps.back();
        message back{.role = role::tool};
        for (auto const& t : results)
            back.content.emplace_back(t.result);
        step.tool_results = std::move(results);
        req_.messages.push_back(std::move(back));
        if (options_.stop_when && options_.stop_when(result_.steps)) {
            result_.end = run_end::stop_condition;
            return false;
        }
        if (result_.steps.size() >= options_.max_steps) {
            result_.end = run_end::max_steps;
            return false;
        }
        return true;
    }

    /** Record the model's answer, run its tool calls (calling `on_tool` with each, once all
        ran) and return whether to call the model again.
    */
    template <class OnTool>
    bool on_response(response r, OnTool&& on_tool) {
        std::vector<tool_call_part> const calls = record(std::move(r));
        if (calls.empty())
            return false;
        bool const more = answered(tools_.execute_all(calls, approver()));
        for (auto const& t : result_.steps.back().tool_results)
            on_tool(t);
        return more;
    }

    /// The result, once `on_response` returned `false`.
    run_result finish() && {
        result_.messages = std::move(req_.messages);
        return std::move(result_);
    }

private:
    request req_;
    Toolset& tools_;
    const run_options& options_;
    std::string output_tool_;
    run_result result_;
};

struct ignore_tool {
    void operator()(const tool_execution&) const noexcept {}
};

template <class Model, class Toolset>
run_result run_tools_blocking(Model& model, request req, Toolset& tools, const run_options& options,
                              std::string output_tool = {}) {
    tool_loop<Toolset> loop(std::move(req), tools, options, std::move(output_tool));
    while (loop.on_response(model.complete(loop.next()), ignore_tool{})) {
    }
    return std::move(loop).finish();
}

// Each check is a class template on a plain bool, so that Clang too prints the message first.
template <bool Chat>
struct require_chat_model {
    static_assert(Chat, "llmap::run_tools: this model type has no complete(request): a tool loop "
                        "needs a chat model");
};

template <bool Streaming>
struct require_streaming_model {
    static_assert(Streaming, "llmap::stream_tools: this model type has no stream(request, "
                             "handler): a streamed tool loop needs a streaming model");
};

template <bool Async>
struct require_async_model {
    static_assert(Async, "llmap::async_run_tools: this model type has no async_complete(request, "
                         "token): an asynchronous tool loop needs one");
};

template <bool Toolset>
struct require_toolset {
    static_assert(Toolset, "llmap::run_tools: the tools must be an llmap::toolset");
};

template <bool Mutable>
struct require_mutable_toolset {
    static_assert(Mutable, "llmap::run_tools: the toolset must not be const (its tools run, and "
                           "may keep state)");
};

template <class Toolset>
constexpr bool check_toolset() {
    using T = std::remove_reference_t<Toolset>;
    constexpr bool is = is_toolset<std::remove_cv_t<T>>::value;
    static_assert(sizeof(require_toolset<is>) != 0);
    static_assert(sizeof(require_mutable_toolset < !is || !std::is_const_v < T >>) != 0);
    return is && !std::is_const_v<T>;
}

} // namespace detail

/** Run the tool loop: call `model`, run the tool calls of its answer, send the assistant
    turn and the results back, and repeat until the model answers without a tool call,
    `options.stop_when` holds or `options.max_steps` calls were made.

    The toolset's definitions are added to the request's tools. A tool call the model gets
    wrong (an unknown tool, arguments that do not fit, a tool that throws or is not approved)
    is answered to the model with the reason and recorded in the step; it does not end the
    loop. Reasoning parts and signatures of each answer go back with it.

    Works on any chat model: a concrete model of the static path, inside `visit`, and
    `any_model`.

    @par Example
    @code
    auto run = llmap::run_tools(model, {.prompt = "Weather in Paris?"}, tools, {.max_steps = 8});
    std::cout << run.text();
    @endcode

    @throws any error of the model's `complete`; `std::invalid_argument` if
    `options.max_steps` is 0.
*/
template <class Model, class Toolset>
run_result run_tools(Model& model, request req, Toolset&& tools, const run_options& options = {}) {
    constexpr bool ok = detail::check_toolset<Toolset>();
    static_assert(sizeof(detail::require_chat_model<chat_model<Model>>) != 0);
    if constexpr (chat_model<Model> && ok)
        return detail::run_tools_blocking(model, std::move(req), tools, options);
    else
        return {};
}

/** The tool loop with a typed final answer: as `run_tools`, with the answer of the last step
    asked for and parsed as `T` (as `generate<T>` does; `output.mode` chooses how). In the
    `tool` mode the answer is a call of a tool named `output.name`, which the model is made
    to call some tool at every step to give.

    @throws llmap::output_error when the final answer does not fit `T`, or when the loop
    ended before the model answered (`max_steps`, `stop_when`); any error of `complete`.
*/
template <class T, class Model, class Toolset>
typed_run_result<T> run_tools(Model& model, request req, Toolset&& tools,
                              const run_options& options = {},
                              const generate_options& output = {}) {
    constexpr bool ok = detail::check_toolset<Toolset>();
    static_assert(sizeof(detail::require_chat_model<chat_model<Model>>) != 0);
    if constexpr (chat_model<Model> && ok) {
        auto const root = detail::output_schema<T>();
        output_mode const mode = detail::resolve_output_mode(model, output.mode);
        detail::ask_for_output(req, mode, output, root.first);
        if (mode == output_mode::tool)
            req.tool_choice = tool_choice::required();
        run_result run =
            detail::run_tools_blocking(model, std::move(req), tools, options,
                                       mode == output_mode::tool ? output.name : std::string());
        std::string const text = detail::answer_text(run.final_response(), mode, output.name);
        if (run.end != run_end::answered)
            throw output_error(
                text,
                json_mismatch{"$", "the final answer",
                              "a loop that ended by " + std::string(to_string(run.end))},
                run.final_response());
        auto parsed = detail::parse_output<T>(text, root.second);
        if (!parsed)
            throw output_error(text, std::move(parsed.error()), run.final_response());
        return typed_run_result<T>{std::move(run), std::move(*parsed)};
    } else {
        return {};
    }
}

/** The tool loop, streamed: as `run_tools`, calling the model's `stream` and `on_event` with
    the events of every step (`run_event`: `step_started`, the model's `model_event`s,
    `tool_executed` for each tool call answered, `step_finished`).

    @throws any error of the model's `stream`.
*/
template <class Model, class Toolset>
run_result stream_tools(Model& model, request req, Toolset&& tools,
                        detail::function_ref<void(const run_event&)> on_event,
                        const run_options& options = {}) {
    constexpr bool ok = detail::check_toolset<Toolset>();
    static_assert(sizeof(detail::require_streaming_model<streaming_model<Model>>) != 0);
    if constexpr (streaming_model<Model> && ok) {
        detail::tool_loop<std::remove_reference_t<Toolset>> loop(std::move(req), tools, options);
        for (;;) {
            std::size_t const step = loop.steps();
            on_event(run_event(step_started{step}));
            auto forward = [&](const stream_event& e) {
                on_event(run_event(model_event{step, e}));
            };
            bool const more =
                loop.on_response(model.stream(loop.next(), forward), [&](const tool_execution& t) {
                    on_event(run_event(tool_executed{step, t}));
                });
            on_event(run_event(step_finished{step, loop.last()}));
            if (!more)
                break;
        }
        return std::move(loop).finish();
    } else {
        return {};
    }
}

namespace detail {

template <class Model, class Toolset>
struct run_tools_op {
    struct state {
        state(request req, Toolset t, run_options o)
            : tools(std::move(t)), options(std::move(o)), loop(std::move(req), tools, options) {}
        Toolset tools;
        run_options options;
        tool_loop<Toolset> loop;
    };

    Model& model;
    std::unique_ptr<state> st;

    template <class Self>
    void operator()(Self& self) {
        model.async_complete(st->loop.next(), std::move(self));
    }

    struct tools_done {};

    template <class Self>
    void operator()(Self& self, std::exception_ptr e, response r) {
        if (e)
            return self.complete(e, run_result{});
        std::vector<tool_call_part> calls;
        try {
            calls = st->loop.record(std::move(r));
        } catch (...) {
            return self.complete(std::current_exception(), run_result{});
        }
        if (calls.empty())
            return finish(self);
        if constexpr (Toolset::has_asynchronous_tools) {
            // The tools run concurrently on the handler's executor; the loop goes on when the
            // last one finished.
            // (What the call needs is taken before `self`, which owns `st`, moves.)
            auto executor = self.get_executor();
            Toolset& tools = st->tools;
            tool_approver const* approve = st->loop.approver();
            tools.async_execute_all(
                std::move(calls), approve, executor,
                [self = std::move(self)](std::exception_ptr failed,
                                         std::vector<tool_execution> results) mutable {
                    self(tools_done{}, failed, std::move(results));
                });
        } else {
            std::vector<tool_execution> results;
            try {
                results = st->tools.execute_all(calls, st->loop.approver());
            } catch (...) {
                return self.complete(std::current_exception(), run_result{});
            }
            go_on(self, std::move(results));
        }
    }

    template <class Self>
    void operator()(Self& self, tools_done, std::exception_ptr e,
                    std::vector<tool_execution> results) {
        if (e)
            return self.complete(e, run_result{});
        go_on(self, std::move(results));
    }

private:
    template <class Self>
    void go_on(Self& self, std::vector<tool_execution> results) {
        bool more = false;
        try {
            more = st->loop.answered(std::move(results));
        } catch (...) {
            return self.complete(std::current_exception(), run_result{});
        }
        if (more)
            return model.async_complete(st->loop.next(), std::move(self));
        finish(self);
    }

    template <class Self>
    void finish(Self& self) {
        run_result out = std::move(st->loop).finish();
        self.complete(nullptr, std::move(out));
    }
};

} // namespace detail

/** The tool loop, asynchronously, with any Asio completion token: completes with
    `void(std::exception_ptr, llmap::run_result)`.

    The model's `async_complete` makes each call; the tools run on the thread that completes
    it. The toolset is moved (or copied) into the operation; `model` must outlive it.

    @throws std::invalid_argument (at once, not through the handler) if `options.max_steps`
    is 0.
*/
template <class Model, class Toolset, class CompletionToken>
auto async_run_tools(Model& model, request req, Toolset tools, run_options options,
                     CompletionToken&& token) {
    detail::check_toolset<Toolset>();
    static_assert(sizeof(detail::require_async_model<async_chat_model<Model>>) != 0);
    using op = detail::run_tools_op<Model, Toolset>;
    auto st =
        std::make_unique<typename op::state>(std::move(req), std::move(tools), std::move(options));
    return boost::asio::async_compose<CompletionToken, void(std::exception_ptr, run_result)>(
        op{model, std::move(st)}, token);
}

/** A conversation with a model that keeps its tools: what a chat application keeps.

    `send` adds a user message, runs the tool loop and keeps the whole conversation (the
    assistant turns and tool results included) for the next `send`. A call that throws
    leaves the conversation as it was.

    @par Example
    @code
    llmap::agent bot(model, tools, "You are a weather assistant.");
    bot.send("Weather in Paris?");
    std::cout << bot.send("And in Rome?").text();
    @endcode
*/
template <class Model, class Toolset>
class agent {
public:
    agent(Model model, Toolset tools, std::string instructions = {}, run_options options = {})
        : model_(std::move(model)), tools_(std::move(tools)),
          instructions_(std::move(instructions)), options_(std::move(options)) {}

    /// Send `text` as the user's next message and run the loop; return what the loop did.
    run_result send(std::string text) {
        request req = base_;
        if (!instructions_.empty())
            req.system = instructions_;
        req.messages = history_;
        req.prompt = std::move(text);
        run_result r = detail::run_tools_blocking(model_, std::move(req), tools_, options_);
        history_ = r.messages;
        return r;
    }

    /// The conversation so far (without the instructions).
    const std::vector<message>& history() const noexcept { return history_; }
    /// Forget the conversation.
    void clear() noexcept { history_.clear(); }
    /// The request every call starts from (its settings: temperature, max tokens, ...; its
    /// `system` is used when the agent has no instructions).
    request& settings() noexcept { return base_; }
    Model& model() noexcept { return model_; }
    Toolset& tools() noexcept { return tools_; }

private:
    Model model_;
    Toolset tools_;
    std::string instructions_;
    run_options options_;
    request base_{};
    std::vector<message> history_{};
};

} // namespace llmap

#endif
