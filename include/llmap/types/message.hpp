//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_MESSAGE_HPP
#define LLMAP_TYPES_MESSAGE_HPP

#include <llmap/types/content.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap {

/** Who wrote a message. */
enum class role {
    system,
    user,
    assistant,
    tool ///< results of tool calls, sent back to the model
};

/** Return the lowercase name of `r` ("system", "user", "assistant", "tool"). */
constexpr std::string_view to_string(role r) noexcept {
    switch (r) {
    case role::system:
        return "system";
    case role::user:
        return "user";
    case role::assistant:
        return "assistant";
    case role::tool:
        return "tool";
    }
    return "unknown";
}

/** Return the role named `name` (lowercase, as @ref to_string gives), or `std::nullopt`. */
constexpr std::optional<role> role_from_string(std::string_view name) noexcept {
    if (name == "system")
        return role::system;
    if (name == "user")
        return role::user;
    if (name == "assistant")
        return role::assistant;
    if (name == "tool")
        return role::tool;
    return std::nullopt;
}

/** One turn of a conversation: a role and the parts it is made of.

    @par Example
    @code
    std::vector<llmap::message> history{
        llmap::message::user("What is in this picture?"),
    };
    history[0].content.push_back(llmap::image_part::from_url("https://example.com/cat.png"));
    @endcode
*/
struct message {
    // Qualified because the member of the same name hides the enum inside the class.
    llmap::role role = llmap::role::user;
    std::vector<content_part> content{};

    /** Raw JSON per provider for this message, keyed by provider name, as
        @ref request::provider_options is for the whole call. Anthropic reads
        `{"anthropic": {"cache_control": {"type": "ephemeral"}}}` here to mark a prompt-cache
        breakpoint at the end of the message; other providers ignore the key.
    */
    boost::json::object provider_options{};

    /// Return a system message with one text part.
    static message system(std::string text) { return make(llmap::role::system, std::move(text)); }

    /// Return a user message with one text part.
    static message user(std::string text) { return make(llmap::role::user, std::move(text)); }

    /// Return an assistant message with one text part.
    static message assistant(std::string text) {
        return make(llmap::role::assistant, std::move(text));
    }

    /** Return the concatenation of the text parts, without separators.

        Other parts (images, tool calls, reasoning, ...) are skipped.
    */
    std::string text() const {
        std::string out;
        for (const content_part& p : content)
            if (const auto* t = std::get_if<text_part>(&p))
                out += t->text;
        return out;
    }

    bool operator==(const message&) const = default;

private:
    static message make(llmap::role r, std::string text) {
        message m{.role = r};
        m.content.emplace_back(text_part{std::move(text)});
        return m;
    }
};

// JSON conversions. A role is its name; a message is
// {"role": "user", "content": [{"type": "text", "text": "Hi"}, ...]}. When converting from
// JSON, "content" may also be a plain string, taken as one text part, as in most chat APIs.

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, role r) {
    jv = to_string(r);
}

inline role tag_invoke(boost::json::value_to_tag<role>, const boost::json::value& jv) {
    if (jv.is_string())
        if (auto r = role_from_string(jv.get_string()))
            return *r;
    detail::throw_json_error("a role must be one of \"system\", \"user\", \"assistant\", \"tool\"");
}

inline void tag_invoke(boost::json::value_from_tag, boost::json::value& jv, const message& m) {
    boost::json::object o(jv.storage());
    o["role"] = to_string(m.role);
    boost::json::array content(jv.storage());
    content.reserve(m.content.size());
    for (const content_part& p : m.content)
        content.push_back(boost::json::value_from(p, jv.storage()));
    o["content"] = std::move(content);
    if (!m.provider_options.empty())
        o["provider_options"] = m.provider_options;
    jv = std::move(o);
}

inline message tag_invoke(boost::json::value_to_tag<message>, const boost::json::value& jv) {
    const auto& o = detail::json_object_of(jv, "message");
    const boost::json::value* r = o.if_contains("role");
    if (!r)
        detail::throw_json_error("missing key \"role\"");
    message m{.role = boost::json::value_to<role>(*r)};
    const boost::json::value* c = o.if_contains("content");
    if (!c)
        detail::throw_json_error("missing key \"content\"");
    if (c->is_string()) {
        m.content.emplace_back(text_part{std::string(c->get_string())});
    } else if (c->is_array()) {
        m.content.reserve(c->get_array().size());
        for (const boost::json::value& p : c->get_array())
            m.content.push_back(boost::json::value_to<content_part>(p));
    } else {
        detail::throw_json_error("key \"content\" must be an array or a string");
    }
    if (const boost::json::value* po = o.if_contains("provider_options"))
        m.provider_options = detail::json_object_of(*po, "message provider_options");
    return m;
}

} // namespace llmap

#endif
