//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TOOLS_HPP
#define LLMAP_TOOLS_HPP

/** @file
    Typed tools in a compile-time map: `llmap::make_tool<"name">(description, callable)` and
    `llmap::toolset{tool...}`.
*/

#include <llmap/detail/name_table.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/from_json.hpp>
#include <llmap/schema.hpp>
#include <llmap/types.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/describe/members.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

/// What became of one tool call of the model.
enum class tool_outcome {
    ok,                ///< the tool ran; its result was sent back
    unknown_tool,      ///< no tool of that name: the model was told which exist
    invalid_arguments, ///< the arguments do not fit the tool's type: the model was told where
    failed,            ///< the tool threw: the model was told what it said
    denied             ///< the tool needs approval and did not get it
};

/// Return the name of `o`, spelled as the enumerator.
constexpr std::string_view to_string(tool_outcome o) noexcept {
    switch (o) {
    case tool_outcome::ok:
        return "ok";
    case tool_outcome::unknown_tool:
        return "unknown_tool";
    case tool_outcome::invalid_arguments:
        return "invalid_arguments";
    case tool_outcome::failed:
        return "failed";
    case tool_outcome::denied:
        return "denied";
    }
    return "unknown";
}

/** One tool call of the model and what was answered to it.

    A call the model got wrong is answered to the model (`result.is_error`), not thrown at
    the caller: `outcome` says what went wrong and `result.result` holds the text the model
    was sent.
*/
struct tool_execution {
    tool_call_part call{};     ///< the call, as the model made it
    tool_result_part result{}; ///< what was sent back for it
    tool_outcome outcome = tool_outcome::ok;

    bool operator==(const tool_execution&) const = default;
};

/** Decides whether a tool that needs approval may run this call: `true` lets it run. */
using tool_approver = std::function<bool(const tool_call_part&)>;

namespace detail {

template <class... T>
struct type_list {};

template <class F>
struct call_signature;
#define LLMAP_DETAIL_CALL_SIGNATURE(QUALIFIERS)                                                    \
    template <class R, class C, class... A>                                                        \
    struct call_signature<R (C::*)(A...) QUALIFIERS> {                                             \
        using result = R;                                                                          \
        using arguments = type_list<A...>;                                                         \
    };
LLMAP_DETAIL_CALL_SIGNATURE()
LLMAP_DETAIL_CALL_SIGNATURE(const)
LLMAP_DETAIL_CALL_SIGNATURE(noexcept)
LLMAP_DETAIL_CALL_SIGNATURE(const noexcept)
LLMAP_DETAIL_CALL_SIGNATURE(&)
LLMAP_DETAIL_CALL_SIGNATURE(const&)
LLMAP_DETAIL_CALL_SIGNATURE(&&)
LLMAP_DETAIL_CALL_SIGNATURE(&noexcept)
LLMAP_DETAIL_CALL_SIGNATURE(const& noexcept)
#undef LLMAP_DETAIL_CALL_SIGNATURE
template <class R, class... A>
struct call_signature<R (*)(A...)> {
    using result = R;
    using arguments = type_list<A...>;
};
template <class R, class... A>
struct call_signature<R (*)(A...) noexcept> {
    using result = R;
    using arguments = type_list<A...>;
};

template <class F>
concept has_one_call_operator = requires {
    &F::operator();
};

template <class F>
concept deducible_callable = std::is_pointer_v<F> || has_one_call_operator<F>;

template <class F>
struct tool_signature_of {
    using result = void;
    using arguments = type_list<>;
};
template <class F>
requires std::is_pointer_v<F>
struct tool_signature_of<F> : call_signature<F> {
};
template <class F>
requires has_one_call_operator<F>
struct tool_signature_of<F> : call_signature<decltype(&F::operator())> {
};

/// The argument type of a tool: `void` for none, the decayed parameter type for one.
template <class List>
struct tool_argument {
    using type = void;
    static constexpr bool valid = false;
};
template <>
struct tool_argument<type_list<>> {
    using type = void;
    static constexpr bool valid = true;
};
template <class A>
struct tool_argument<type_list<A>> {
    using type = std::remove_cvref_t<A>;
    static constexpr bool valid = true;
};

template <class A>
concept tool_argument_type = std::is_void_v<A> || std::is_same_v<A, boost::json::object> ||
    (std::is_class_v<A>&& boost::describe::has_describe_members<A>::value);

template <class R>
concept tool_result_type = std::is_void_v<R> || std::is_convertible_v<R, std::string_view> ||
    boost::json::has_value_from<R>::value;

/// A tool name as the providers take it: 1 to 64 letters, digits, '_' or '-'.
constexpr bool is_valid_tool_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > 64)
        return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    return true;
}

template <bool Valid, fixed_string Name>
struct require_valid_tool_name {
    static_assert(Valid, "llmap::make_tool: a tool name is 1 to 64 letters, digits, '_' or '-' "
                         "(the name is this check's template argument)");
};

template <bool Distinct, fixed_string Name>
struct require_distinct_tool_names {
    static_assert(Distinct, "llmap::toolset: two tools have the same name (the name is this "
                            "check's template argument)");
};

// Each check below is a class template on a plain bool, so that Clang too prints the message
// first (a static_assert on a dependent expression prints "due to requirement '...'" first).
template <bool OneOrNone>
struct require_one_tool_argument {
    static_assert(OneOrNone, "llmap::make_tool: the callable must take no argument or one (a "
                             "described struct or a boost::json::object)");
};

template <class List>
struct takes_mutable_reference : std::false_type {};
template <class A>
struct takes_mutable_reference<type_list<A&>> : std::bool_constant<!std::is_const_v<A>> {};

template <bool ByValueOrConst>
struct require_argument_by_value_or_const_reference {
    static_assert(ByValueOrConst, "llmap::make_tool: take the tool's argument by value or by "
                                  "const reference (it is parsed from the model's call)");
};

template <bool AllTools>
struct require_toolset_elements {
    static_assert(AllTools, "llmap::toolset: every element must be a tool made by llmap::make_tool "
                            "(or one llmap::dynamic_tools)");
};

template <bool AtMostOne>
struct require_one_dynamic_tools {
    static_assert(AtMostOne, "llmap::toolset: at most one llmap::dynamic_tools");
};

template <bool Known, fixed_string Name>
struct require_known_tool {
    static_assert(Known, "llmap::toolset: no tool of this name in the toolset (the name is this "
                         "check's template argument)");
};

/** The one rule for the arguments of a tool call, whatever the wire format: JSON `null`, or
    an empty or blank text, are the empty object; a text that is not JSON (kept as a JSON
    string by the decoders) is refused with the text. Anything else is given as is.
*/
inline bool tool_call_arguments(const boost::json::value& in, boost::json::value& out,
                                std::string& why) {
    if (in.is_null()) {
        out = boost::json::object();
        return true;
    }
    if (in.is_string()) {
        // Text a decoder kept: read by the decoders' own rule (blank and `null` are `{}`).
        if (auto v = parse_tool_arguments(in.get_string())) {
            out = std::move(*v);
            return true;
        }
        why = "the arguments are not valid JSON: " +
              std::string(trim_blanks(in.get_string()).substr(0, 200));
        return false;
    }
    out = in;
    return true;
}

template <class R>
boost::json::value tool_result_json(R&& r) {
    using D = std::remove_cvref_t<R>;
    if constexpr (std::is_same_v<D, boost::json::value>)
        return std::forward<R>(r);
    else if constexpr (std::is_convertible_v<R, std::string_view>)
        return boost::json::string(std::string_view(r));
    else
        return boost::json::value_from(std::forward<R>(r));
}

inline void answer_error(tool_execution& ex, tool_outcome outcome, std::string text) {
    ex.outcome = outcome;
    ex.result.result = boost::json::string(text);
    ex.result.is_error = true;
}

inline void refuse_arguments(tool_execution& ex, const std::string& why) {
    answer_error(ex, tool_outcome::invalid_arguments,
                 "Invalid arguments for " + ex.call.name + ": " + why +
                     ". Call it again with arguments that fit its schema.");
}

/// Answer `ex` with what the tool threw.
inline void tool_threw(tool_execution& ex, const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& x) {
        answer_error(ex, tool_outcome::failed, ex.call.name + " failed: " + x.what());
    } catch (...) {
        answer_error(ex, tool_outcome::failed, ex.call.name + " failed.");
    }
}

/** The first rules of every call: its arguments read by the one rule, and its approval.
    Returns false with `ex` answered when the call may not run.
*/
inline bool admit_tool_call(tool_execution& ex, bool needs_approval, const tool_approver* approve,
                            boost::json::value& args) {
    std::string why;
    if (!tool_call_arguments(ex.call.arguments, args, why)) {
        refuse_arguments(ex, why);
        return false;
    }
    if (needs_approval && !(approve && *approve && (*approve)(ex.call))) {
        answer_error(ex, tool_outcome::denied,
                     "The user did not approve this call of " + ex.call.name + ".");
        return false;
    }
    return true;
}

/** Run one tool call: the shared rules around `invoke(arguments, why)`, which returns the
    result or fills `why` and returns nothing for arguments that do not fit.
*/
template <class Invoke>
void run_tool_call(tool_execution& ex, bool needs_approval, const tool_approver* approve,
                   Invoke&& invoke) {
    boost::json::value args;
    if (!admit_tool_call(ex, needs_approval, approve, args))
        return;
    std::string why;
    try {
        std::optional<boost::json::value> result = invoke(args, why);
        if (!result)
            return refuse_arguments(ex, why);
        ex.outcome = tool_outcome::ok;
        ex.result.result = std::move(*result);
    } catch (...) {
        tool_threw(ex, std::current_exception());
    }
}

template <class R>
struct awaitable_result {
    static constexpr bool is_awaitable = false;
    using type = R;
};
template <class R, class Executor>
struct awaitable_result<boost::asio::awaitable<R, Executor>> {
    static constexpr bool is_awaitable = true;
    using type = R;
};

/// Run an awaitable to its end here, on an io_context of its own.
template <class R>
R run_here(boost::asio::awaitable<R> a) {
    boost::asio::io_context ioc;
    std::future<R> f = boost::asio::co_spawn(ioc, std::move(a), boost::asio::use_future);
    ioc.run();
    return f.get();
}

} // namespace detail

/** A tool whose name is a compile-time string, made by `make_tool`.

    Its schema, the parsing of its arguments and the serialisation of its result are derived
    from the callable's signature.
*/
template <fixed_string Name, class F>
class typed_tool {
    using signature = detail::tool_signature_of<F>;

public:
    /// The tool's name.
    static constexpr fixed_string<Name.size()> name = Name;
    /// The type the arguments are parsed into; `void` for a tool without arguments.
    using arguments_type = typename detail::tool_argument<typename signature::arguments>::type;
    /// What the callable returns.
    using result_type = typename signature::result;

    typed_tool(std::string description, F f)
        : description_(std::move(description)), f_(std::move(f)) {}

    /// The tool's description, as the model is shown it.
    const std::string& description() const noexcept { return description_; }

    /// Return a copy of this tool that runs only when the run's approver says yes.
    typed_tool require_approval() const& {
        typed_tool t = *this;
        t.needs_approval_ = true;
        return t;
    }
    typed_tool require_approval() && {
        needs_approval_ = true;
        return std::move(*this);
    }

    /// Whether a call needs the run's approval.
    bool needs_approval() const noexcept { return needs_approval_; }

    /// The definition sent to the model: the name, the description and the arguments' schema.
    llmap::tool definition() const {
        boost::json::object parameters;
        if constexpr (std::is_void_v<arguments_type>)
            parameters = {{"type", "object"}, {"properties", boost::json::object()}};
        else
            parameters = json_schema<arguments_type>();
        return {.name = std::string(Name.view()),
                .description = description_,
                .parameters = std::move(parameters)};
    }

    /** Answer one call of this tool: parse its arguments, ask for approval if needed, run
        the callable and serialise its result. Never throws for a bad call or a throwing
        callable: the outcome says what happened.
    */
    tool_execution execute(const tool_call_part& call, const tool_approver* approve = nullptr) {
        tool_execution ex{.call = call, .result = {.tool_call_id = call.id, .name = call.name}};
        detail::run_tool_call(ex, needs_approval_, approve,
                              [this](const boost::json::value& args,
                                     std::string& why) -> std::optional<boost::json::value> {
                                  auto a = parse(args, why);
                                  if (!a)
                                      return std::nullopt;
                                  return call_now(*a);
                              });
        return ex;
    }

    /// Whether the callable returns `boost::asio::awaitable<R>`.
    static constexpr bool is_asynchronous = detail::awaitable_result<result_type>::is_awaitable;

    /** Answer one call of this tool as a coroutine: as `execute`, awaiting the callable when
        it returns `boost::asio::awaitable<R>` (else running it at once).
    */
    boost::asio::awaitable<tool_execution> execute_async(tool_call_part call,
                                                         const tool_approver* approve = nullptr) {
        tool_execution ex{.call = std::move(call)};
        ex.result = {.tool_call_id = ex.call.id, .name = ex.call.name};
        boost::json::value args;
        if (!detail::admit_tool_call(ex, needs_approval_, approve, args))
            co_return ex;
        std::string why;
        auto a = parse(args, why);
        if (!a) {
            detail::refuse_arguments(ex, why);
            co_return ex;
        }
        std::exception_ptr failed;
        try {
            if constexpr (is_asynchronous) {
                if constexpr (std::is_void_v<
                                  typename detail::awaitable_result<result_type>::type>) {
                    co_await run(*a);
                    ex.result.result = nullptr;
                } else {
                    ex.result.result = detail::tool_result_json(co_await run(*a));
                }
            } else {
                ex.result.result = call_now(*a);
            }
            ex.outcome = tool_outcome::ok;
        } catch (...) {
            failed = std::current_exception();
        }
        if (failed)
            detail::tool_threw(ex, failed);
        co_return ex;
    }

private:
    using stored_arguments =
        std::conditional_t<std::is_void_v<arguments_type>, std::monostate, arguments_type>;

    /// The call's arguments as the callable takes them, or nothing (with `why`).
    std::optional<stored_arguments> parse(const boost::json::value& args, std::string& why) const {
        if constexpr (std::is_void_v<arguments_type>) {
            return std::monostate{};
        } else {
            auto parsed = try_from_json<arguments_type>(args);
            if (!parsed) {
                json_mismatch const& m = parsed.error();
                why = "at " + m.path + " expected " + m.expected + ", found " + m.found;
                return std::nullopt;
            }
            return std::move(*parsed);
        }
    }

    /// Call the callable with the parsed arguments: its result, or its awaitable.
    decltype(auto) run(stored_arguments& a) {
        if constexpr (std::is_void_v<arguments_type>)
            return std::invoke(f_);
        else
            return std::invoke(f_, std::move(a));
    }

    /// Run the call to its end here, and its result as JSON (`null` for none).
    boost::json::value call_now(stored_arguments& a) {
        if constexpr (is_asynchronous) {
            if constexpr (std::is_void_v<typename detail::awaitable_result<result_type>::type>) {
                detail::run_here(run(a));
                return nullptr;
            } else {
                return detail::tool_result_json(detail::run_here(run(a)));
            }
        } else if constexpr (std::is_void_v<result_type>) {
            run(a);
            return nullptr;
        } else {
            return detail::tool_result_json(run(a));
        }
    }

    std::string description_;
    F f_;
    bool needs_approval_ = false;
};

/** Make a tool named `Name` that runs `f`.

    `f` takes nothing, or one described struct (its arguments, parsed from the model's call
    with `llmap::try_from_json`; its schema is `llmap::json_schema`), or a
    `boost::json::object` (the arguments as given). It returns a string (sent as is), any
    type Boost.JSON converts (a described struct, a number, `boost::json::value`, ...: sent as
    JSON) or nothing (sent as `null`), or `boost::asio::awaitable` of one of those: such a
    tool is awaited, and the calls of one step run concurrently (see `toolset::execute_all`).
    A name the providers do not take, a callable of two parameters or a generic lambda does
    not compile.

    @par Example
    @code
    auto weather = llmap::make_tool<"get_weather">(
        "Current weather for a city.",
        [](const weather_args& a) { return forecast{21.5, "clear"}; });
    @endcode
*/
template <fixed_string Name, class F>
auto make_tool(std::string description, F f) {
    static_assert(
        sizeof(detail::require_valid_tool_name<detail::is_valid_tool_name(Name.view()), Name>) !=
        0);
    if constexpr (!detail::deducible_callable<F>) {
        static_assert(detail::deducible_callable<F>,
                      "llmap::make_tool: the callable must have one call operator whose "
                      "parameter types are written out (not a generic lambda)");
        return typed_tool<Name, F>(std::move(description), std::move(f));
    } else {
        using signature = detail::tool_signature_of<F>;
        using argument = detail::tool_argument<typename signature::arguments>;
        static_assert(sizeof(detail::require_one_tool_argument<argument::valid>) != 0);
        static_assert(
            sizeof(detail::require_argument_by_value_or_const_reference<
                   !detail::takes_mutable_reference<typename signature::arguments>::value>) != 0);
        static_assert(detail::tool_argument_type<typename argument::type>,
                      "llmap::make_tool: the argument of a tool must be a struct described with "
                      "BOOST_DESCRIBE_STRUCT (or a boost::json::object)");
        static_assert(detail::tool_result_type<
                          typename detail::awaitable_result<typename signature::result>::type>,
                      "llmap::make_tool: the tool's result must be a string, void, or a type "
                      "boost::json::value_from converts");
        return typed_tool<Name, F>(std::move(description), std::move(f));
    }
}

/** Tools known only at run time (from a plug-in, an MCP server, a configuration file), to
    put in a @ref toolset beside its typed tools: each is a definition and a function of the
    arguments (already read by the one rule for empty and `null` arguments) to the result.
    A call is looked up among the typed tools first.
*/
class dynamic_tools {
public:
    /// One tool: its definition and what runs it.
    struct entry {
        llmap::tool definition;
        std::function<boost::json::value(const boost::json::value& arguments)> run;
        bool needs_approval = false;
    };

    dynamic_tools() = default;
    dynamic_tools(std::vector<entry> entries) : entries_(std::move(entries)) {} // NOLINT

    /// Add a tool.
    dynamic_tools& add(llmap::tool definition,
                       std::function<boost::json::value(const boost::json::value&)> run,
                       bool needs_approval = false) {
        entries_.push_back({std::move(definition), std::move(run), needs_approval});
        return *this;
    }

    const std::vector<entry>& entries() const noexcept { return entries_; }

    /// The entry named `name`, or null.
    entry* find(std::string_view name) noexcept {
        for (auto& e : entries_)
            if (e.definition.name == name)
                return &e;
        return nullptr;
    }

    /// Answer one call of the tool `e` (see `typed_tool::execute`).
    static tool_execution execute(entry& e, const tool_call_part& call,
                                  const tool_approver* approve) {
        tool_execution ex{.call = call, .result = {.tool_call_id = call.id, .name = call.name}};
        detail::run_tool_call(
            ex, e.needs_approval, approve,
            [&](const boost::json::value& args, std::string&) -> std::optional<boost::json::value> {
                return e.run(args);
            });
        return ex;
    }

private:
    std::vector<entry> entries_;
};

namespace detail {

template <class T>
struct is_typed_tool : std::false_type {};
template <fixed_string Name, class F>
struct is_typed_tool<typed_tool<Name, F>> : std::true_type {};

template <class T>
constexpr bool is_asynchronous_tool() {
    if constexpr (is_typed_tool<T>::value)
        return T::is_asynchronous;
    else
        return false;
}

template <class T>
constexpr std::string_view tool_name_of() {
    if constexpr (is_typed_tool<T>::value)
        return T::name.view();
    else
        return {};
}

} // namespace detail

/** The tools of a call: a compile-time map keyed by the tools' names.

    Built from tools made by `make_tool` (and at most one @ref dynamic_tools); two tools of
    one name do not compile. `definitions()` gives the request's tools; `execute` answers a
    call of the model through a lookup generated from the names, the registry's.

    @par Example
    @code
    auto tools = llmap::toolset{
        llmap::make_tool<"get_weather">("Current weather for a city.", get_weather),
        llmap::make_tool<"utc_time">("The current UTC time.", [] { return now(); }),
    };
    @endcode
*/
template <class... Tools>
class toolset {
    static constexpr bool all_tools_ =
        ((detail::is_typed_tool<Tools>::value || std::is_same_v<Tools, dynamic_tools>)&&...);
    static constexpr std::size_t dynamic_count_ =
        (std::size_t(0) + ... + std::size_t(std::is_same_v<Tools, dynamic_tools>));
    static_assert(sizeof(detail::require_toolset_elements<all_tools_>) != 0);
    static_assert(sizeof(detail::require_one_dynamic_tools<dynamic_count_ <= 1>) != 0);

    static constexpr std::size_t count = sizeof...(Tools);
    static constexpr std::array<std::string_view, count> names_{detail::tool_name_of<Tools>()...};
    static constexpr std::size_t duplicate_ = detail::first_duplicate(names_);
    static constexpr auto duplicate_name_ = [] {
        if constexpr (duplicate_ == count)
            return fixed_string("");
        else
            return fixed_string<names_[duplicate_].size()>(names_[duplicate_]);
    }();
    static_assert(
        sizeof(detail::require_distinct_tool_names<duplicate_ == count, duplicate_name_>) != 0);

    // The typed tools' names and their places in the tuple (a dynamic_tools has no name).
    static constexpr std::size_t typed_count =
        (std::size_t(0) + ... + std::size_t(detail::is_typed_tool<Tools>::value));
    static constexpr auto typed_ = [] {
        std::array<std::size_t, typed_count> at{};
        std::size_t n = 0;
        for (std::size_t i = 0; i != count; ++i)
            if (!names_[i].empty())
                at[n++] = i;
        return at;
    }();
    static constexpr auto typed_names_ = [] {
        std::array<std::string_view, typed_count> out{};
        for (std::size_t i = 0; i != typed_count; ++i)
            out[i] = names_[typed_[i]];
        return out;
    }();
    static constexpr auto table_ = detail::make_name_table(typed_names_);

public:
    /// Make a toolset of `tools`.
    explicit toolset(Tools... tools) : tools_(std::move(tools)...) {}

    /// The number of tools known at compile time.
    static constexpr std::size_t size() noexcept { return typed_count; }

    /// Whether a typed tool is named `name` (a constant expression).
    static constexpr bool contains(std::string_view name) noexcept {
        return table_.find(name) >= 0;
    }

    /// The tool named `Name`; a name not in the set does not compile.
    template <fixed_string Name>
    auto& get() noexcept {
        constexpr int at = table_.find(Name.view());
        static_assert(sizeof(detail::require_known_tool<(at >= 0), Name>) != 0);
        if constexpr (at >= 0)
            return std::get<typed_[at]>(tools_);
        else
            return *this;
    }

    /// A `tool_choice` that makes the model call `Name`; a name not in the set does not compile.
    template <fixed_string Name>
    static llmap::tool_choice choose() {
        static_assert(sizeof(detail::require_known_tool<contains(Name.view()), Name>) != 0);
        return llmap::tool_choice::specific(std::string(Name.view()));
    }

    /// The definitions to send with a request, in the order of the set.
    std::vector<llmap::tool> definitions() const {
        std::vector<llmap::tool> out;
        out.reserve(count);
        std::apply(
            [&](const auto&... t) {
                (
                    [&](const auto& one) {
                        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(one)>,
                                                     dynamic_tools>) {
                            for (auto const& e : one.entries())
                                out.push_back(e.definition);
                        } else {
                            out.push_back(one.definition());
                        }
                    }(t),
                    ...);
            },
            tools_);
        return out;
    }

    /** Answer one call of the model: run the tool it names (asking `approve` first for a
        tool that needs approval) and return what to send back. A call of an unknown tool,
        with arguments that do not fit, of a tool that throws or that is not approved is
        answered with an error the model can act on; this function itself does not throw
        for any of those.
    */
    tool_execution execute(const tool_call_part& call,
                           [[maybe_unused]] const tool_approver* approve = nullptr) {
        int const at = table_.find(call.name);
        if (at >= 0)
            return execute_typed(static_cast<std::size_t>(at), call, approve,
                                 std::make_index_sequence<typed_count>{});
        if constexpr (typed_count != count) {
            if (auto* e = std::get<dynamic_tools>(tools_).find(call.name))
                return dynamic_tools::execute(*e, call, approve);
        }
        tool_execution ex{.call = call, .result = {.tool_call_id = call.id, .name = call.name}};
        std::string known;
        for (auto const& d : definitions())
            known += (known.empty() ? "" : ", ") + d.name;
        detail::answer_error(ex, tool_outcome::unknown_tool,
                             "Unknown tool \"" + call.name +
                                 "\". The tools are: " + (known.empty() ? "none" : known) + ".");
        return ex;
    }

    /// Whether a tool of the set returns `boost::asio::awaitable<R>`.
    static constexpr bool has_asynchronous_tools =
        (false || ... || detail::is_asynchronous_tool<Tools>());

    /** Answer one call as a coroutine (see `execute`): a tool that returns
        `boost::asio::awaitable<R>` is awaited, any other runs at once.
    */
    boost::asio::awaitable<tool_execution> execute_async(tool_call_part call,
                                                         const tool_approver* approve = nullptr) {
        int const at = table_.find(call.name);
        if (at >= 0)
            co_return co_await async_table_[at](*this, std::move(call), approve);
        co_return execute(call, approve);
    }

    /** Answer the calls of one step, the results in the order of the calls. The tools that
        return `boost::asio::awaitable<R>` run concurrently, on an io_context of this call's
        own; the others run at once, in order.
    */
    std::vector<tool_execution> execute_all(const std::vector<tool_call_part>& calls,
                                            const tool_approver* approve = nullptr) {
        std::vector<tool_execution> out(calls.size());
        if constexpr (!has_asynchronous_tools) {
            for (std::size_t i = 0; i != calls.size(); ++i)
                out[i] = execute(calls[i], approve);
        } else {
            boost::asio::io_context ioc;
            std::exception_ptr failed;
            for (std::size_t i = 0; i != calls.size(); ++i)
                boost::asio::co_spawn(ioc, execute_async(calls[i], approve),
                                      [&out, &failed, i](std::exception_ptr e, tool_execution t) {
                                          if (e)
                                              failed = e;
                                          else
                                              out[i] = std::move(t);
                                      });
            ioc.run();
            if (failed)
                std::rethrow_exception(failed);
        }
        return out;
    }

    /** Answer the calls of one step concurrently on `executor`, then call
        `handler(std::exception_ptr, std::vector<tool_execution>)` (results in the order of the
        calls) on the thread that finished last. `calls` must not be empty; the toolset must
        outlive the operation.
    */
    template <class Executor, class Handler>
    void async_execute_all(std::vector<tool_call_part> calls, const tool_approver* approve,
                           const Executor& executor, Handler handler) {
        struct state {
            state(std::size_t n, Handler h) : results(n), pending(n), handler(std::move(h)) {}
            std::vector<tool_execution> results;
            std::atomic<std::size_t> pending;
            std::mutex mutex;
            std::exception_ptr failed;
            Handler handler;
        };
        auto st = std::make_shared<state>(calls.size(), std::move(handler));
        for (std::size_t i = 0; i != calls.size(); ++i)
            boost::asio::co_spawn(executor, execute_async(std::move(calls[i]), approve),
                                  [st, i](std::exception_ptr e, tool_execution t) {
                                      if (e) {
                                          std::lock_guard lock(st->mutex);
                                          st->failed = e;
                                      } else {
                                          st->results[i] = std::move(t);
                                      }
                                      if (st->pending.fetch_sub(1, std::memory_order_acq_rel) == 1)
                                          std::move(st->handler)(st->failed,
                                                                 std::move(st->results));
                                  });
    }

private:
    using async_entry = boost::asio::awaitable<tool_execution> (*)(toolset&, tool_call_part,
                                                                   const tool_approver*);
    template <std::size_t I>
    static boost::asio::awaitable<tool_execution>
    execute_one_async(toolset& self, tool_call_part call, const tool_approver* approve) {
        return std::get<typed_[I]>(self.tools_).execute_async(std::move(call), approve);
    }
    template <std::size_t... I>
    static constexpr std::array<async_entry, sizeof...(I)>
    make_async_table(std::index_sequence<I...>) {
        return {&execute_one_async<I>...};
    }
    static constexpr auto async_table_ = make_async_table(std::make_index_sequence<typed_count>{});

    template <std::size_t... I>
    tool_execution
    execute_typed([[maybe_unused]] std::size_t at, [[maybe_unused]] const tool_call_part& call,
                  [[maybe_unused]] const tool_approver* approve, std::index_sequence<I...>) {
        tool_execution ex;
        ((at == I ? (void)(ex = std::get<typed_[I]>(tools_).execute(call, approve)) : void()), ...);
        return ex;
    }

    std::tuple<Tools...> tools_;
};

template <class... Tools>
toolset(Tools...) -> toolset<Tools...>;

} // namespace llmap

#endif
