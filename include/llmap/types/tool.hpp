//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_TOOL_HPP
#define LLMAP_TYPES_TOOL_HPP

#include <llmap/types/content.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <string>
#include <utility>

namespace llmap {

/** A tool (function) the model may call.

    @par Example
    @code
    llmap::tool weather{
        .name = "get_weather",
        .description = "Current weather for a city.",
        .parameters = {{"type", "object"},
                       {"properties", {{"city", {{"type", "string"}}}}},
                       {"required", {"city"}}},
    };
    @endcode
*/
struct tool {
    std::string name{};
    std::string description{};
    boost::json::object parameters{}; ///< JSON schema of the arguments object

    /// Raw JSON per provider for this tool, keyed by provider name (Anthropic reads
    /// `cache_control` here); other providers ignore the key.
    boost::json::object provider_options{};

    bool operator==(const tool&) const = default;
};

/** How the model may use the tools of a request. */
struct tool_choice {
    enum class kind {
        auto_,    ///< the model decides (the default)
        none,     ///< the model must not call a tool
        required, ///< the model must call some tool
        tool      ///< the model must call the tool named `tool_name`
    };

    kind mode = kind::auto_;
    std::string tool_name{}; ///< used only when `mode == kind::tool`

    /// Return the choice that lets the model decide.
    static tool_choice auto_choice() { return {}; }

    /// Return the choice that forbids tool calls.
    static tool_choice none() { return {.mode = kind::none}; }

    /// Return the choice that requires some tool call.
    static tool_choice required() { return {.mode = kind::required}; }

    /// Return the choice that requires a call of the tool named `name`.
    static tool_choice specific(std::string name) {
        return {.mode = kind::tool, .tool_name = std::move(name)};
    }

    bool operator==(const tool_choice&) const = default;
};

// JSON conversion of a tool: {"name": ..., "description": ..., "parameters": {...}}.

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const tool& t) {
    boost::json::object o(jv.storage());
    o["name"] = t.name;
    o["description"] = t.description;
    o["parameters"] = t.parameters;
    if (!t.provider_options.empty())
        o["provider_options"] = t.provider_options;
    jv = std::move(o);
}

inline tool tag_invoke(boost::json::value_to_tag<tool>, const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "tool");
    tool t{.name = detail::json_string_field(o, "name", true),
           .description = detail::json_string_field(o, "description")};
    if (const boost::json::value* p = o.if_contains("parameters"))
        t.parameters = detail::json_object_of(*p, "tool parameters");
    if (const boost::json::value* po = o.if_contains("provider_options"))
        t.provider_options = detail::json_object_of(*po, "tool provider_options");
    return t;
}

} // namespace llmap

#endif
