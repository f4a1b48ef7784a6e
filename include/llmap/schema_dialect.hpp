//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_SCHEMA_DIALECT_HPP
#define LLMAP_SCHEMA_DIALECT_HPP

#include <llmap/schema.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/*  Each provider accepts its own subset of JSON Schema. The functions of this header take any
    schema (one from llmap::json_schema<T>() or written by hand) and return the one to send to
    a provider, with `strict` telling whether the provider can enforce it strictly, and
    warnings for the caller to put in the response's warnings. The fallback rule is the same
    everywhere: a schema a provider cannot take strictly is sent non-strict (unchanged) with a
    warning that says why, never sent as is to meet a 400.

    - OpenAI strict (openai_strict_schema): impossible for a root that is not an object, a
      map (additionalProperties as a schema), `{}`, allOf, not, if, prefixItems, ...
    - Gemini responseJsonSchema / parametersJsonSchema (gemini_schema): never impossible (it
      has no strict switch); unsupported keywords are dropped.
    - Ollama format (ollama_schema): never impossible; unchanged.
    - Anthropic tool input_schema (anthropic_tool_schema): the root must be an object, strict
      or not; strict is impossible for recursion, a map or `{}`.
*/

namespace llmap {

/** A schema adapted to one provider (see the functions of `<llmap/schema_dialect.hpp>`). */
struct adapted_schema {
    /// The schema to send.
    boost::json::object schema{};

    /// Whether the provider can enforce `schema` strictly (send `strict: true`). When false,
    /// `schema` is the input unchanged and must be sent non-strict; `warnings` says why.
    bool strict = true;

    /// What was changed or why strict mode is impossible, for the response's warnings.
    std::vector<std::string> warnings{};
};

namespace detail {

inline bool has_type(const boost::json::object& s, std::string_view t) {
    auto const* v = s.if_contains("type");
    if (!v)
        return false;
    if (v->is_string())
        return v->get_string() == t;
    if (v->is_array())
        return std::any_of(v->get_array().begin(), v->get_array().end(),
                           [&](auto const& e) { return e.is_string() && e.get_string() == t; });
    return false;
}

inline std::string pointer_token(std::string_view key) {
    std::string out;
    for (char c : key)
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return out;
}

// A walk over every sub-schema of a document that records the keywords it drops and the
// first reason the provider cannot take the schema.
class schema_walk {
public:
    std::string impossible; // "<where>: <why>", empty while the schema is possible
    std::set<std::string> dropped;

    bool possible() const { return impossible.empty(); }

    void reject(const std::string& where, std::string_view why) {
        if (impossible.empty())
            impossible = (where.empty() ? std::string("#") : where) + ": " + std::string(why);
    }

    void keep_only(boost::json::object& s, std::initializer_list<std::string_view> allowed) {
        std::vector<std::string> gone;
        for (auto const& kv : s)
            if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end())
                gone.emplace_back(kv.key());
        for (auto const& k : gone) {
            s.erase(k);
            dropped.insert(k);
        }
    }

    // Call f(sub_schema, where) for each direct sub-schema of s that is an object.
    template <class F>
    static void for_each_sub(boost::json::object& s, const std::string& where, F&& f) {
        for (std::string_view key : {"properties", "$defs", "definitions"})
            if (auto* m = s.if_contains(key); m && m->is_object())
                for (auto& kv : m->get_object())
                    if (kv.value().is_object())
                        f(kv.value().get_object(),
                          where + "/" + std::string(key) + "/" + pointer_token(kv.key()));
        for (std::string_view key : {"items", "additionalProperties"})
            if (auto* m = s.if_contains(key); m && m->is_object())
                f(m->get_object(), where + "/" + std::string(key));
        for (std::string_view key : {"anyOf", "oneOf", "allOf", "prefixItems"})
            if (auto* m = s.if_contains(key); m && m->is_array()) {
                auto& a = m->get_array();
                for (std::size_t i = 0; i != a.size(); ++i)
                    if (a[i].is_object())
                        f(a[i].get_object(),
                          where + "/" + std::string(key) + "/" + std::to_string(i));
            }
    }

    std::vector<std::string> dropped_warning(std::string_view provider) const {
        if (dropped.empty())
            return {};
        std::string w = std::string(provider) + " does not support ";
        bool first = true;
        for (auto const& k : dropped) {
            w += (first ? "" : ", ") + k;
            first = false;
        }
        return {w + ": dropped from the schema"};
    }
};

inline bool accepts_anything(const boost::json::object& s) {
    for (std::string_view k : {"type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const"})
        if (s.contains(k))
            return false;
    return true;
}

// OpenAI strict mode: https://platform.openai.com/docs/guides/structured-outputs (supported
// schemas). What the documentation lists is kept; other keywords are dropped.
inline void openai_strict_node(boost::json::object& s, const std::string& where, schema_walk& w) {
    if (!w.possible())
        return;
    for (std::string_view k : {"allOf", "not", "if", "then", "else", "prefixItems",
                               "patternProperties", "dependentSchemas", "unevaluatedProperties"})
        if (s.contains(k))
            return w.reject(where, "\"" + std::string(k) + "\" is not supported in strict mode");
    if (auto* one = s.if_contains("oneOf")) { // the same values, as far as a model goes
        boost::json::value alternatives = std::move(*one);
        s.erase("oneOf"); // before inserting: an insertion may move the object's elements
        s["anyOf"] = std::move(alternatives);
    }
    w.keep_only(s, {"type",
                    "properties",
                    "required",
                    "additionalProperties",
                    "items",
                    "enum",
                    "const",
                    "anyOf",
                    "$ref",
                    "$defs",
                    "definitions",
                    "description",
                    "title",
                    "pattern",
                    "format",
                    "minimum",
                    "maximum",
                    "exclusiveMinimum",
                    "exclusiveMaximum",
                    "multipleOf",
                    "minItems",
                    "maxItems"});
    if (accepts_anything(s))
        return w.reject(where, "a schema that accepts any value has no strict form");
    if (s.contains("$ref") && s.size() > 1) {
        // A $ref may not have siblings (a description) in strict mode: wrap it.
        boost::json::object ref{{"$ref", std::move(s["$ref"])}};
        s.erase("$ref");
        s["anyOf"] = boost::json::array{std::move(ref)};
    }
    bool const object = has_type(s, "object") || s.contains("properties");
    if (object) {
        auto const* extra = s.if_contains("additionalProperties");
        if (extra && !(extra->is_bool() && !extra->get_bool()))
            return w.reject(where, "an object with additionalProperties (a map) has no strict "
                                   "form");
        if (!extra && !s.contains("properties"))
            return w.reject(where, "an object with no declared properties has no strict form");
        s["additionalProperties"] = false;
        if (!s.contains("properties"))
            s["properties"] = boost::json::object{};
    }
    if (has_type(s, "array") && !(s.contains("items") && s.at("items").is_object()))
        return w.reject(where, "an array needs an \"items\" schema in strict mode");

    schema_walk::for_each_sub(s, where, [&](boost::json::object& sub, const std::string& at) {
        openai_strict_node(sub, at, w);
    });
    if (!w.possible() || !object)
        return;

    // Every property is required; one that was not becomes nullable instead.
    std::set<std::string> required;
    if (auto const* r = s.if_contains("required"); r && r->is_array())
        for (auto const& n : r->get_array())
            if (n.is_string())
                required.emplace(n.get_string());
    boost::json::array all;
    for (auto& kv : s["properties"].as_object()) {
        if (!required.contains(std::string(kv.key())) && kv.value().is_object())
            make_nullable(kv.value().get_object());
        all.emplace_back(kv.key());
    }
    s["required"] = std::move(all);
}

inline std::set<std::string>& collect_refs(const boost::json::value& v,
                                           std::set<std::string>& out) {
    if (v.is_object()) {
        for (auto const& kv : v.get_object()) {
            if (kv.key() == "$ref" && kv.value().is_string())
                out.emplace(kv.value().get_string());
            else
                collect_refs(kv.value(), out);
        }
    } else if (v.is_array()) {
        for (auto const& e : v.get_array())
            collect_refs(e, out);
    }
    return out;
}

/// Whether a schema refers to itself: `"$ref": "#"`, or a cycle among its definitions.
inline bool is_recursive(const boost::json::object& root) {
    std::set<std::string> refs;
    collect_refs(root, refs);
    if (refs.contains("#"))
        return true;
    std::map<std::string, std::set<std::string>> edges; // "#/$defs/x" -> the refs in x
    for (std::string_view key : {"$defs", "definitions"})
        if (auto const* d = root.if_contains(key); d && d->is_object())
            for (auto const& kv : d->get_object()) {
                std::set<std::string> r;
                edges["#/" + std::string(key) + "/" + pointer_token(kv.key())] =
                    collect_refs(kv.value(), r);
            }
    // Depth-first search for a back edge.
    std::map<std::string, int> state; // 1: on the stack, 2: done
    auto visit = [&](auto& self, const std::string& n) -> bool {
        state[n] = 1;
        for (auto const& m : edges[n]) {
            if (state[m] == 1 || (state[m] == 0 && self(self, m)))
                return true;
        }
        state[n] = 2;
        return false;
    };
    for (auto const& e : edges)
        if (state[e.first] == 0 && visit(visit, e.first))
            return true;
    return false;
}

inline adapted_schema not_strict(boost::json::object original, std::string_view provider,
                                 const std::string& why) {
    return {std::move(original),
            false,
            {std::string(provider) + " cannot take this schema strictly (" + why +
             "); it is sent non-strict"}};
}

inline void anthropic_strict_node(boost::json::object& s, const std::string& where,
                                  schema_walk& w) {
    if (!w.possible())
        return;
    if (accepts_anything(s))
        return w.reject(where, "a schema that accepts any value has no strict form");
    w.keep_only(s, {"type", "properties", "required", "additionalProperties", "items", "enum",
                    "const", "anyOf", "allOf", "$ref", "$defs", "definitions", "description",
                    "title", "default", "format", "pattern", "minItems"});
    // Anthropic's strict tools take arrays with minItems 0 or 1 only.
    if (auto const* m = s.if_contains("minItems");
        m &&
        !((m->is_int64() && m->get_int64() <= 1) || (m->is_uint64() && m->get_uint64() <= 1))) {
        s.erase("minItems");
        w.dropped.insert("minItems above 1");
    }
    if (has_type(s, "object") || s.contains("properties")) {
        auto const* extra = s.if_contains("additionalProperties");
        if (extra && !(extra->is_bool() && !extra->get_bool()))
            return w.reject(where, "an object with additionalProperties (a map) has no strict "
                                   "form");
        s["additionalProperties"] = false;
    }
    schema_walk::for_each_sub(s, where, [&](boost::json::object& sub, const std::string& at) {
        anthropic_strict_node(sub, at, w);
    });
}

} // namespace detail

/** Adapt a schema to OpenAI's strict mode (Chat Completions `response_format` and the
    Responses `text.format` of type `json_schema`, and function tools, with `strict: true`).

    Strict mode needs: an object at the root; `"additionalProperties": false` on every object
    (added where absent); every property in `required` — a property that was optional becomes
    nullable instead (`"type": [t, "null"]`, or `anyOf` with `{"type": "null"}`), which
    `llmap::from_json` reads as an empty `std::optional`; `oneOf` is rewritten `anyOf`, a
    `$ref` with siblings is wrapped in `anyOf`; keywords strict mode does not support
    (`minLength`, `maxLength`, `default`, ...) are dropped, with a warning.

    Strict mode is impossible, and the result is the input unchanged with `strict == false`
    and a warning naming the place (a JSON pointer) and the reason, for: a root that is not an
    object; an object whose `additionalProperties` is a schema or true
    (`std::map<std::string, T>`); a schema that accepts anything (`{}`,
    `boost::json::value`); an object without properties; an array without `items`; `allOf`,
    `not`, `if`/`then`/`else`, `prefixItems`, `patternProperties`. The caller then sends
    `strict: false` and adds the warning to the response.
*/
inline adapted_schema openai_strict_schema(boost::json::object schema) {
    if (!detail::has_type(schema, "object") || schema.contains("anyOf") || schema.contains("$ref"))
        return detail::not_strict(std::move(schema), "OpenAI strict mode",
                                  "#: the root is not an object");
    boost::json::object out = schema;
    detail::schema_walk w;
    detail::openai_strict_node(out, "#", w);
    if (!w.possible())
        return detail::not_strict(std::move(schema), "OpenAI strict mode", w.impossible);
    return {std::move(out), true, w.dropped_warning("OpenAI strict mode")};
}

/** Adapt a schema to Gemini's `responseJsonSchema` / `parametersJsonSchema`.

    These take JSON Schema with `$ref`/`$defs` (recursion included), `anyOf`, `oneOf`,
    `$schema` (Rig's recorded requests send it and the API accepts them),
    `additionalProperties`, `"type": "null"` and type lists, `prefixItems`, `enum`,
    `format`, `minimum`/`maximum`, `minItems`/`maxItems` (Gemini API documentation,
    structured output). Other keywords (`minLength`, `maxLength`, `pattern`, `default`, ...)
    are dropped with a warning; `const` becomes a one-value `enum`. Gemini has no strict
    switch: it always constrains the answer, so `strict` is always true.
*/
inline adapted_schema gemini_schema(boost::json::object schema) {
    detail::schema_walk w;
    auto node = [&](auto& self, boost::json::object& s, const std::string& where) -> void {
        if (auto* c = s.if_contains("const")) {
            boost::json::array one{std::move(*c)};
            s.erase("const"); // before inserting: an insertion may move the object's elements
            s["enum"] = std::move(one);
        }
        w.keep_only(s, {"$schema",     "$id",
                        "$defs",       "$ref",
                        "$anchor",     "type",
                        "format",      "title",
                        "description", "enum",
                        "items",       "prefixItems",
                        "minItems",    "maxItems",
                        "minimum",     "maximum",
                        "anyOf",       "oneOf",
                        "properties",  "additionalProperties",
                        "required",    "propertyOrdering"});
        detail::schema_walk::for_each_sub(
            s, where,
            [&](boost::json::object& sub, const std::string& at) { self(self, sub, at); });
    };
    node(node, schema, "#");
    return {std::move(schema), true, w.dropped_warning("Gemini")};
}

/** Adapt a schema to Ollama's `format`.

    Ollama turns the schema into a grammar (llama.cpp's JSON-schema converter), which takes
    every keyword llmap::json_schema writes, `$ref` recursion included: the schema is
    returned unchanged, and `strict` is always true (the grammar constrains the answer).
*/
inline adapted_schema ollama_schema(boost::json::object schema) {
    return {std::move(schema), true, {}};
}

/** Adapt a schema to an Anthropic tool's `input_schema` (also how llmap asks Anthropic for a
    structured answer: a forced tool).

    The root must be an object (`"type": "object"`, added when the root has `properties` but
    no type); any other root (a scalar, `anyOf`, a bare `$ref`) is refused by the API even
    without strict mode: the result then has `strict == false` and a warning, and the caller
    must wrap the type in a struct.

    Without `strict` the result is the schema (root type added) with `strict == false`.
    With `strict` (tools sent with `"strict": true`): `"additionalProperties": false` on every
    object; optional properties stay optional (Anthropic allows them); numeric and string
    length limits, `maxItems` and `minItems` above 1 are dropped with a warning. Impossible,
    so sent non-strict: a recursive schema, an object with `additionalProperties` as a schema
    (a map), a schema that accepts anything.
*/
inline adapted_schema anthropic_tool_schema(boost::json::object schema, bool strict = false) {
    if (!schema.contains("type") && schema.contains("properties") && !schema.contains("$ref") &&
        !schema.contains("anyOf"))
        schema["type"] = "object";
    if (!detail::has_type(schema, "object") || schema.contains("anyOf") ||
        schema.contains("$ref")) {
        adapted_schema r{std::move(schema), false, {}};
        r.warnings.emplace_back("Anthropic tool input schemas must be objects at the root (#: "
                                "the root is not an object)");
        return r;
    }
    if (!strict) // asked for non-strict: nothing to warn about
        return {std::move(schema), false, {}};
    if (detail::is_recursive(schema))
        return detail::not_strict(std::move(schema), "Anthropic strict mode",
                                  "the schema is recursive");
    boost::json::object out = schema;
    detail::schema_walk w;
    detail::anthropic_strict_node(out, "#", w);
    if (!w.possible())
        return detail::not_strict(std::move(schema), "Anthropic strict mode", w.impossible);
    return {std::move(out), true, w.dropped_warning("Anthropic strict mode")};
}

} // namespace llmap

#endif
