//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_GENERATE_HPP
#define LLMAP_GENERATE_HPP

/** @file
    Structured output into a C++ type: `llmap::generate<T>(model, request)`.
*/

#include <llmap/concepts.hpp>
#include <llmap/detail/function_ref.hpp>
#include <llmap/detail/json_prefix.hpp>
#include <llmap/error.hpp>
#include <llmap/from_json.hpp>
#include <llmap/schema.hpp>
#include <llmap/types.hpp>

#include <boost/json/serialize.hpp>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace llmap {

/// How `generate` asks a model for an answer of a given type.
enum class output_mode {
    /// `native` where the model declares structured output, `prompted` elsewhere.
    automatic,
    /// The provider's JSON-schema response format (`request::format`): OpenAI's and
    /// Mistral's `response_format`, Gemini's `responseJsonSchema`, Ollama's `format`,
    /// Cohere's `response_format`, Anthropic's forced tool.
    native,
    /// One tool the model is made to call; its arguments are the answer.
    tool,
    /// The schema in the system prompt; the JSON is read from the answer's text (a
    /// Markdown code fence around it is accepted).
    prompted
};

/// Options of `generate`.
struct generate_options {
    output_mode mode = output_mode::automatic;
    /// The schema's (or the tool's) name, which some providers show the model.
    std::string name = "output";
    /// What the answer is: the tool's description in the `tool` mode.
    std::string description{};
    /** How many times an answer that does not fit the type is sent back to the model with
        the reason, for another try. Each try's usage is counted in the result.
    */
    int max_repairs = 0;
};

/// An answer parsed into `T`, with the response it came from.
template <class T>
struct generated {
    T value;                  ///< the parsed answer
    llmap::response response; ///< the last response; its usage summed over every try
    int repairs = 0;          ///< how many repair tries were needed
};

/** The error of an answer that does not fit the type asked for: `errc::invalid_output`,
    with the answer's text and where the first mismatch is.
*/
class output_error : public error {
public:
    output_error(std::string text, json_mismatch mismatch, llmap::response r)
        : error(errc::invalid_output,
                "llmap: the answer does not fit the type asked for: " + mismatch.path +
                    ": expected " + mismatch.expected + ", found " + mismatch.found),
          text_(std::move(text)), mismatch_(std::move(mismatch)), response_(std::move(r)) {}

    /// The answer as the model gave it (the JSON text, or the tool call's arguments).
    const std::string& text() const noexcept { return text_; }
    /// The JSON path of the first mismatch, e.g. `$.items[2].name`.
    const std::string& path() const noexcept { return mismatch_.path; }
    /// The first mismatch: its path, what was expected there and what was found.
    const json_mismatch& mismatch() const noexcept { return mismatch_; }
    /// The response of the last try (usage summed over every try).
    const llmap::response& response() const noexcept { return response_; }

private:
    std::string text_;
    json_mismatch mismatch_;
    llmap::response response_;
};

namespace detail {

/// The schema of `T` as the root of an answer: an object (providers require one), so a
/// type that is not a struct is wrapped as `{"value": ...}`.
template <class T>
std::pair<boost::json::object, bool> output_schema() {
    boost::json::object s = json_schema<T>();
    auto const* type = s.if_contains("type");
    if (type && type->is_string() && type->get_string() == "object")
        return {std::move(s), false};
    boost::json::object wrapped{{"type", "object"},
                                {"properties", boost::json::object{{"value", std::move(s)}}},
                                {"required", boost::json::array{"value"}},
                                {"additionalProperties", false}};
    return {std::move(wrapped), true};
}

template <bool Streaming>
struct require_streaming_output {
    static_assert(Streaming, "llmap::stream_generate: this model type has no stream(request, "
                             "handler): a streamed typed answer needs a streaming model");
};

template <class Model>
output_mode resolve_output_mode(const Model& model, output_mode asked) {
    if (asked != output_mode::automatic)
        return asked;
    return capabilities_of(model).contains(capability::structured_output) ? output_mode::native
                                                                          : output_mode::prompted;
}

/// What the answer says, as JSON text: the tool call's arguments in the `tool` mode.
inline std::string answer_text(const response& r, output_mode mode, std::string_view tool_name) {
    if (mode != output_mode::tool)
        return r.text();
    for (const content_part& p : r.content)
        if (auto const* c = std::get_if<tool_call_part>(&p); c && c->name == tool_name)
            return boost::json::serialize(c->arguments);
    return r.text(); // no call: whatever it said instead, reported as not JSON of the type
}

/// Ask `req` for an answer of `schema`, the way `mode` says (see `output_mode`).
inline void ask_for_output(request& req, output_mode mode, const generate_options& options,
                           const boost::json::object& schema) {
    switch (mode) {
    case output_mode::tool:
        req.tools.push_back(
            tool{.name = options.name, .description = options.description, .parameters = schema});
        req.tool_choice = tool_choice::specific(options.name);
        break;
    case output_mode::prompted:
        if (!req.system.empty())
            req.system += "\n\n";
        req.system += "Answer with one JSON value and nothing else. It must match this JSON "
                      "schema:\n" +
                      boost::json::serialize(schema);
        break;
    default:
        req.format = response_format::json_schema(options.name, schema);
        break;
    }
}

/// Parse an answer's JSON text into `T`; `wrapped` if it was asked for as `{"value": ...}`.
template <class T>
boost::system::result<T, json_mismatch> parse_output(std::string_view text, bool wrapped) {
    if (!wrapped)
        return try_parse_output<T>(text);
    auto v = try_parse_output<boost::json::value>(text);
    if (!v)
        return v.error();
    auto const* o = v->if_object();
    auto const* inner = o ? o->if_contains("value") : nullptr;
    if (!inner)
        return json_mismatch{"$", "an object with the member \"value\"",
                             boost::json::serialize(*v).substr(0, 200)};
    auto t = try_from_json<T>(*inner);
    if (!t) {
        json_mismatch m = t.error();
        m.path = "$.value" + m.path.substr(1);
        return m;
    }
    return std::move(*t);
}

template <class T, class Model, class Call>
generated<T> generate_with(Model& model, request req, const generate_options& options, Call&& call);
} // namespace detail

/** Ask `model` for an answer of type `T` and parse it.

    The schema is `llmap::json_schema<T>()`; how it is sent depends on `options.mode` (see
    `output_mode`; by default the provider's native format where the model declares
    structured output, the schema in the system prompt elsewhere). A type whose schema is
    not an object is asked for as `{"value": ...}` and unwrapped.

    Works on any model with `complete`: a concrete model of the static path, inside `visit`,
    and `any_model` (whose `complete` throws `unsupported_capability` for a model without
    chat).

    @par Example
    @code
    auto g = llmap::generate<forecast>(model, {.prompt = "Weather in Paris now?"});
    std::cout << g.value.celsius;
    @endcode

    @throws llmap::output_error (`errc::invalid_output`) when the answer does not fit `T`
    after `options.max_repairs` repair tries; any error of the model's `complete`.
*/
template <class T, class Model>
generated<T> generate(Model& model, request req, const generate_options& options = {}) {
    if constexpr (!chat_model<Model>) {
        static_assert(chat_model<Model>,
                      "llmap::generate: this model type has no complete(request): a typed answer "
                      "needs a chat model");
        std::terminate(); // not reached: the assertion stops the compilation first
    } else {
        return detail::generate_with<T>(
            model, std::move(req), options,
            [&](const request& r, output_mode, bool) { return model.complete(r); });
    }
}

/// Receives the partial answers of `stream_generate`.
using partial_handler = detail::function_ref<void(const boost::json::value&)>;

/** Stream an answer of type `T`: as `generate`, with the model's `stream`, calling
    `on_partial` with the answer so far each time it grows.

    A partial answer is a JSON value: the answer's text up to its last complete member, with
    a string in progress closed and every open object and array closed (nothing is guessed:
    a member whose value has not begun is left out). Members appear in the order the model
    writes them. In the `tool` mode the text is the output tool's arguments as they stream.
    The result is the final answer, parsed and checked as `generate` does; a repair try
    streams again from an empty answer.

    @throws as `generate`, and any error of the model's `stream`.
*/
template <class T, class Model>
generated<T> stream_generate(Model& model, request req, partial_handler on_partial,
                             const generate_options& options = {}) {
    if constexpr (!streaming_model<Model>) {
        static_assert(sizeof(detail::require_streaming_output<streaming_model<Model>>) != 0);
        std::terminate(); // not reached: the assertion stops the compilation first
    } else {
        return detail::generate_with<T>(
            model, std::move(req), options, [&](const request& r, output_mode mode, bool wrapped) {
                std::string text;
                std::string tool_id;
                std::optional<boost::json::value> last;
                auto grow = [&](std::string_view piece) {
                    text += piece;
                    auto v = detail::json_prefix_value(text);
                    if (!v)
                        return;
                    if (wrapped) {
                        auto const* o = v->if_object();
                        auto const* inner = o ? o->if_contains("value") : nullptr;
                        if (!inner)
                            return;
                        v = *inner;
                    }
                    if (last && *last == *v)
                        return;
                    last = std::move(v);
                    on_partial(*last);
                };
                return model.stream(r, [&](const stream_event& e) {
                    if (mode == output_mode::tool) {
                        if (auto const* s = std::get_if<tool_call_start>(&e.data);
                            s && s->name == options.name)
                            tool_id = s->id;
                        else if (auto const* d = std::get_if<tool_call_delta>(&e.data);
                                 d && !tool_id.empty() && d->id == tool_id)
                            grow(d->arguments_delta);
                    } else if (auto const* t = std::get_if<text_delta>(&e.data)) {
                        grow(t->text);
                    }
                });
            });
    }
}

namespace detail {

template <class T, class Model, class Call>
generated<T> generate_with(Model& model, request req, const generate_options& options,
                           Call&& call) {
    // Not a structured binding: Clang 14 cannot capture one in the lambda below.
    auto const root = output_schema<T>();
    boost::json::object const& schema = root.first;
    bool const wrapped = root.second;
    output_mode const mode = resolve_output_mode(model, options.mode);
    ask_for_output(req, mode, options, schema);

    usage total;
    for (int attempt = 0;; ++attempt) {
        response r = call(req, mode, wrapped);
        total += r.usage;
        std::string const text = answer_text(r, mode, options.name);
        auto parsed = parse_output<T>(text, wrapped);
        r.usage = total;
        if (parsed)
            return generated<T>{std::move(*parsed), std::move(r), attempt};
        if (attempt >= options.max_repairs)
            throw output_error(text, std::move(parsed.error()), std::move(r));

        // Send the answer back with the reason, and ask again.
        json_mismatch const& m = parsed.error();
        std::string const why = "That answer does not fit the schema: at " + m.path + " expected " +
                                m.expected + ", found " + m.found + ".";
        if (!req.prompt.empty())
            req.messages.push_back(message::user(std::exchange(req.prompt, {})));
        message said{.role = role::assistant, .content = r.content};
        req.messages.push_back(std::move(said));
        if (mode == output_mode::tool) {
            message result{.role = role::tool};
            for (const content_part& p : r.content)
                if (auto const* c = std::get_if<tool_call_part>(&p))
                    result.content.emplace_back(tool_result_part{.tool_call_id = c->id,
                                                                 .name = c->name,
                                                                 .result = boost::json::string(why),
                                                                 .is_error = true});
            if (!result.content.empty())
                req.messages.push_back(std::move(result));
            req.prompt = "Call " + options.name + " again with arguments that fit its schema.";
        } else {
            req.prompt = why + " Answer again with only the corrected JSON.";
        }
    }
}

} // namespace detail

} // namespace llmap

#endif
