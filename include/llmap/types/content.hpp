//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_CONTENT_HPP
#define LLMAP_TYPES_CONTENT_HPP

#include <llmap/detail/base64.hpp>

#include <boost/json/object.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace llmap {

/** A piece of plain text in a message or response. */
struct text_part {
    std::string text{};

    bool operator==(const text_part&) const = default;
};

/** An image, given either by URL or by its bytes.

    Exactly one of `url` and `data` is meant to be set; providers that accept only one form
    convert (or report a warning) at their boundary. `media_type` is the IANA type such as
    `image/png`; it may be empty for a URL, when the provider infers it.
*/
struct image_part {
    std::string url{};
    std::vector<std::uint8_t> data{};
    std::string media_type{};

    /// Return an image referenced by URL (`https:` or a `data:` URL).
    static image_part from_url(std::string url, std::string media_type = "") {
        return {.url = std::move(url), .media_type = std::move(media_type)};
    }

    /// Return an image given by its encoded bytes (PNG, JPEG, ...).
    static image_part from_bytes(std::vector<std::uint8_t> bytes, std::string media_type) {
        return {.data = std::move(bytes), .media_type = std::move(media_type)};
    }

    /// Return `true` if the image is referenced by URL rather than carried inline.
    bool is_url() const noexcept { return !url.empty(); }

    bool operator==(const image_part&) const = default;
};

/** A document or other file (PDF, audio, ...), given either by URL or by its bytes.

    Same shape as @ref image_part; `filename` is passed on to providers that show or need it.
*/
struct file_part {
    std::string url{};
    std::vector<std::uint8_t> data{};
    std::string media_type{};
    std::string filename{};

    /// Return a file referenced by URL.
    static file_part from_url(std::string url, std::string media_type = "",
                              std::string filename = "") {
        return {.url = std::move(url),
                .media_type = std::move(media_type),
                .filename = std::move(filename)};
    }

    /// Return a file given by its bytes.
    static file_part from_bytes(std::vector<std::uint8_t> bytes, std::string media_type,
                                std::string filename = "") {
        return {.data = std::move(bytes),
                .media_type = std::move(media_type),
                .filename = std::move(filename)};
    }

    /// Return `true` if the file is referenced by URL rather than carried inline.
    bool is_url() const noexcept { return !url.empty(); }

    bool operator==(const file_part&) const = default;
};

/** A call of a tool, requested by the model.

    `arguments` is the parsed JSON object of arguments. Providers send arguments as a JSON
    text; when that text is not valid JSON, `arguments` holds it as a JSON string instead and
    the response carries a warning, so a bad call can still be reported back to the model.

    `signature` is an opaque token some providers attach to a call and require back with it
    (Gemini's `thoughtSignature`); empty when there is none. It is the last member so that
    positional and designated initialisation written before it existed stay valid.
*/
struct tool_call_part {
    std::string id{};
    std::string name{};
    boost::json::value arguments = boost::json::object();
    std::string signature{};

    bool operator==(const tool_call_part&) const = default;
};

/** The result of a tool call, sent back to the model.

    `name` repeats the tool name because some providers (Gemini) match results by name
    rather than by call id.
*/
struct tool_result_part {
    std::string tool_call_id{};
    std::string name{};
    boost::json::value result{};
    bool is_error = false;

    bool operator==(const tool_result_part&) const = default;
};

/** The model's reasoning ("thinking") output.

    Anthropic requires thinking blocks to be sent back unchanged in a tool loop, so the
    opaque `signature` is kept. When `redacted` is `true` the provider withheld the
    reasoning and `text` holds its encrypted payload (Anthropic's `redacted_thinking.data`),
    which must be sent back verbatim.
*/
struct reasoning_part {
    std::string text{};
    std::string signature{};
    bool redacted = false;

    bool operator==(const reasoning_part&) const = default;
};

/** A source the model cited: a web page or document its answer draws on.

    Perplexity's citations and search results, Gemini's grounding chunks and Cohere's
    citations come back as source parts, in the order the provider gives them. Sources are
    output only: a request that carries one back sends nothing for it.
*/
struct source_part {
    std::string id{};    ///< the provider's id, or its position ("1", "2", ...) if it has none
    std::string url{};   ///< where the source is, if the provider gives an address
    std::string title{}; ///< its title, if known

    bool operator==(const source_part&) const = default;
};

/** One part of the content of a message or response. */
using content_part = std::variant<text_part, image_part, file_part, tool_call_part,
                                  tool_result_part, reasoning_part, source_part>;

namespace detail {

// Small accessors shared by the JSON conversions of the data model. They throw
// std::invalid_argument, as Boost.JSON's own accessors (as_object, ...) do in this version.

[[noreturn]] inline void throw_json_error(std::string_view what) {
    throw std::invalid_argument("llmap: " + std::string(what));
}

inline const boost::json::object& json_object_of(const boost::json::value& v,
                                                 std::string_view what) {
    if (!v.is_object())
        throw_json_error(std::string(what) + " must be a JSON object");
    return v.get_object();
}

inline std::string json_string_field(const boost::json::object& o, std::string_view key,
                                     bool required = false) {
    const boost::json::value* v = o.if_contains(key);
    if (!v) {
        if (required)
            throw_json_error("missing key \"" + std::string(key) + "\"");
        return {};
    }
    if (!v->is_string())
        throw_json_error("key \"" + std::string(key) + "\" must be a string");
    return std::string(v->get_string());
}

inline bool json_bool_field(const boost::json::object& o, std::string_view key) {
    const boost::json::value* v = o.if_contains(key);
    if (!v)
        return false;
    if (!v->is_bool())
        throw_json_error("key \"" + std::string(key) + "\" must be a boolean");
    return v->get_bool();
}

// Bytes go out as base64 "data"; a URL as "url". Shared by images and files.
inline void put_media(boost::json::object& o, const std::string& url,
                      const std::vector<std::uint8_t>& data, const std::string& media_type) {
    if (!url.empty())
        o["url"] = url;
    else
        o["data"] = base64_encode(data);
    if (!media_type.empty())
        o["media_type"] = media_type;
}

inline void get_media(const boost::json::object& o, std::string& url,
                      std::vector<std::uint8_t>& data, std::string& media_type) {
    url = json_string_field(o, "url");
    if (o.contains("data")) {
        auto bytes = base64_decode(json_string_field(o, "data"));
        if (!bytes)
            throw_json_error("key \"data\" is not valid base64");
        data = std::move(*bytes);
    }
    media_type = json_string_field(o, "media_type");
}

// A part's "type" is optional when converting to that specific part, but must match.
inline void check_part_type(const boost::json::object& o, std::string_view type) {
    if (const boost::json::value* v = o.if_contains("type")) {
        if (!v->is_string() || v->get_string() != type)
            throw_json_error("content part type must be \"" + std::string(type) + "\"");
    }
}

} // namespace detail

// JSON conversions (found by Boost.JSON through ADL). Every part serialises as an object
// with a "type" key: "text", "image", "file", "tool_call", "tool_result" or "reasoning".
// Converting from JSON throws std::invalid_argument on a malformed part.

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const text_part& p) {
    jv = {{"type", "text"}, {"text", p.text}};
}

inline text_part tag_invoke(boost::json::value_to_tag<text_part>, const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "text part");
    detail::check_part_type(o, "text");
    return {.text = detail::json_string_field(o, "text", true)};
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const image_part& p) {
    boost::json::object o(jv.storage());
    o["type"] = "image";
    detail::put_media(o, p.url, p.data, p.media_type);
    jv = std::move(o);
}

inline image_part tag_invoke(boost::json::value_to_tag<image_part>, const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "image part");
    detail::check_part_type(o, "image");
    image_part p;
    detail::get_media(o, p.url, p.data, p.media_type);
    return p;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const file_part& p) {
    boost::json::object o(jv.storage());
    o["type"] = "file";
    detail::put_media(o, p.url, p.data, p.media_type);
    if (!p.filename.empty())
        o["filename"] = p.filename;
    jv = std::move(o);
}

inline file_part tag_invoke(boost::json::value_to_tag<file_part>, const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "file part");
    detail::check_part_type(o, "file");
    file_part p;
    detail::get_media(o, p.url, p.data, p.media_type);
    p.filename = detail::json_string_field(o, "filename");
    return p;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                       const tool_call_part& p) {
    boost::json::object o(jv.storage());
    o["type"] = "tool_call";
    o["id"] = p.id;
    o["name"] = p.name;
    o["arguments"] = p.arguments;
    if (!p.signature.empty())
        o["signature"] = p.signature;
    jv = std::move(o);
}

inline tool_call_part tag_invoke(boost::json::value_to_tag<tool_call_part>,
                                 const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "tool call part");
    detail::check_part_type(o, "tool_call");
    tool_call_part p{.id = detail::json_string_field(o, "id"),
                     .name = detail::json_string_field(o, "name", true)};
    if (const boost::json::value* a = o.if_contains("arguments"))
        p.arguments = *a;
    p.signature = detail::json_string_field(o, "signature");
    return p;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                       const tool_result_part& p) {
    boost::json::object o(jv.storage());
    o["type"] = "tool_result";
    o["tool_call_id"] = p.tool_call_id;
    o["name"] = p.name;
    o["result"] = p.result;
    o["is_error"] = p.is_error;
    jv = std::move(o);
}

inline tool_result_part tag_invoke(boost::json::value_to_tag<tool_result_part>,
                                   const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "tool result part");
    detail::check_part_type(o, "tool_result");
    tool_result_part p{.tool_call_id = detail::json_string_field(o, "tool_call_id"),
                       .name = detail::json_string_field(o, "name")};
    if (const boost::json::value* r = o.if_contains("result"))
        p.result = *r;
    p.is_error = detail::json_bool_field(o, "is_error");
    return p;
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv,
                       const reasoning_part& p) {
    boost::json::object o(jv.storage());
    o["type"] = "reasoning";
    o["text"] = p.text;
    if (!p.signature.empty())
        o["signature"] = p.signature;
    if (p.redacted)
        o["redacted"] = true;
    jv = std::move(o);
}

inline reasoning_part tag_invoke(boost::json::value_to_tag<reasoning_part>,
                                 const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "reasoning part");
    detail::check_part_type(o, "reasoning");
    return {.text = detail::json_string_field(o, "text"),
            .signature = detail::json_string_field(o, "signature"),
            .redacted = detail::json_bool_field(o, "redacted")};
}

// content_part is a std::variant of llmap types, so ADL finds these too; Boost.JSON prefers
// them to its generic variant conversion, which would pick the first alternative that fits
// instead of dispatching on "type".
inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const source_part& p) {
    boost::json::object o(jv.storage());
    o["type"] = "source";
    o["id"] = p.id;
    o["url"] = p.url;
    if (!p.title.empty())
        o["title"] = p.title;
    jv = std::move(o);
}

inline source_part tag_invoke(boost::json::value_to_tag<source_part>,
                              const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "source part");
    detail::check_part_type(o, "source");
    return {.id = detail::json_string_field(o, "id"),
            .url = detail::json_string_field(o, "url"),
            .title = detail::json_string_field(o, "title")};
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const content_part& p) {
    std::visit([&](const auto& part) { jv = boost::json::value_from(part, jv.storage()); }, p);
}

inline content_part tag_invoke(boost::json::value_to_tag<content_part>,
                               const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "content part");
    const std::string type = detail::json_string_field(o, "type", true);
    if (type == "text")
        return boost::json::value_to<text_part>(jv);
    if (type == "image")
        return boost::json::value_to<image_part>(jv);
    if (type == "file")
        return boost::json::value_to<file_part>(jv);
    if (type == "tool_call")
        return boost::json::value_to<tool_call_part>(jv);
    if (type == "tool_result")
        return boost::json::value_to<tool_result_part>(jv);
    if (type == "reasoning")
        return boost::json::value_to<reasoning_part>(jv);
    if (type == "source")
        return boost::json::value_to<source_part>(jv);
    detail::throw_json_error("unknown content part type \"" + type + "\"");
}

} // namespace llmap

#endif
