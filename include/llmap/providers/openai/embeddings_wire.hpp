//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OPENAI_EMBEDDINGS_WIRE_HPP
#define LLMAP_PROVIDERS_OPENAI_EMBEDDINGS_WIRE_HPP

/** @file
    The wire format of OpenAI's Embeddings API (`POST /v1/embeddings`), which llama.cpp,
    OpenRouter, Mistral and the other OpenAI-compatible servers share: the unified embedding
    request as a JSON body, and the answer as the unified embedding response. Pure functions,
    no I/O.
*/

#include <llmap/detail/base64.hpp>
#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::openai_api::wire {

/** The JSON body of an Embeddings request.

    @param req the unified request.
    @param model the model name sent to the provider.
    @param encoding `"float"` (vectors as JSON numbers) or `"base64"` (little-endian float32,
    a third of the size on the wire: what the official SDK asks for); empty leaves the field
    out, for servers that do not know it.
    @param warnings receives a warning if the raw options are not an object.
    @param provider the key of the caller's raw options in `embedding_request::provider_options`.
    @param dimensions_field the body field of `embedding_request::dimensions`.
*/
inline boost::json::object
embeddings_request_body(const embedding_request& req, std::string_view model,
                        std::string_view encoding, std::vector<warning>& warnings,
                        std::string_view provider = "openai",
                        std::string_view dimensions_field = "dimensions") {
    boost::json::object body;
    body["model"] = model;
    boost::json::array input;
    for (auto const& s : req.inputs)
        input.push_back(boost::json::string(s));
    body["input"] = std::move(input);
    if (!encoding.empty())
        body["encoding_format"] = encoding;
    if (req.dimensions)
        body[dimensions_field] = *req.dimensions;
    // The caller's raw options for this provider win over everything above.
    llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    return body;
}

/// The floats of a base64 `embedding`: little-endian IEEE-754 float32, whatever the host.
inline std::vector<float> decode_base64_floats(std::string_view text, std::string_view provider) {
    static_assert(sizeof(float) == 4 && std::numeric_limits<float>::is_iec559);
    auto const bytes = detail::base64_decode(text);
    if (!bytes)
        detail::throw_malformed(provider, "an embedding is not valid base64");
    if (bytes->size() % 4 != 0)
        detail::throw_malformed(provider,
                                "a base64 embedding is not a whole number of float32 values");
    std::vector<float> out(bytes->size() / 4);
    for (std::size_t i = 0; i != out.size(); ++i) {
        std::uint32_t const bits =
            std::uint32_t{(*bytes)[4 * i]} | (std::uint32_t{(*bytes)[4 * i + 1]} << 8) |
            (std::uint32_t{(*bytes)[4 * i + 2]} << 16) | (std::uint32_t{(*bytes)[4 * i + 3]} << 24);
        out[i] = std::bit_cast<float>(bits);
    }
    return out;
}

/** The unified response of an Embeddings answer.

    Each `data` item's `embedding` is an array of numbers or a base64 string (as
    `encoding_format` asked); the vectors are put in the order of their `index`, which is the
    order of the inputs.

    @throws llmap::error `malformed_response` if the body is not an Embeddings answer, an
    embedding is neither form, the base64 is bad or not a whole number of floats, or the
    indexes do not number the items.
*/
inline embedding_response parse_embeddings_response(boost::json::value body,
                                                    std::string_view provider = "openai") {
    if (!body.is_object())
        detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    if (auto const* e = detail::member(o, "error")) {
        std::string message = e->is_string() ? std::string(e->get_string()) : std::string();
        if (e->is_object())
            message = detail::string_member(e->get_object(), "message", provider);
        detail::throw_malformed(provider, "the response reported an error: " + message);
    }
    auto const* data = detail::array_member(o, "data", provider);
    if (!data)
        detail::throw_malformed(provider, "no \"data\"");
    embedding_response r;
    std::vector<std::pair<std::int64_t, std::vector<float>>> indexed;
    indexed.reserve(data->size());
    for (auto const& v : *data) {
        if (!v.is_object())
            detail::throw_malformed(provider, "an embedding item is not an object");
        auto const& item = v.get_object();
        std::int64_t index = static_cast<std::int64_t>(indexed.size());
        if (detail::member(item, "index"))
            index = *detail::count_member(item, "index", provider);
        auto const* e = detail::member(item, "embedding");
        if (!e)
            detail::throw_malformed(provider, "an item has no \"embedding\"");
        if (e->is_array())
            indexed.emplace_back(index, llmap::detail::float_array(e->get_array(), provider));
        else if (e->is_string())
            indexed.emplace_back(index, decode_base64_floats(e->get_string(), provider));
        else
            detail::throw_malformed(provider, "an embedding is neither an array nor a string");
    }
    std::stable_sort(indexed.begin(), indexed.end(),
                     [](auto const& a, auto const& b) { return a.first < b.first; });
    // After sorting, the indexes must be 0, 1, 2...: a gap or a repeat would pair a vector
    // with the wrong input.
    for (std::size_t i = 0; i != indexed.size(); ++i)
        if (indexed[i].first != static_cast<std::int64_t>(i))
            detail::throw_malformed(provider, "the embedding indexes do not number the inputs");
    r.vectors.reserve(indexed.size());
    for (auto& [index, vec] : indexed)
        r.vectors.push_back(std::move(vec));
    r.model = detail::string_member(o, "model", provider);
    if (auto const* u = detail::object_member(o, "usage", provider)) {
        r.usage.input_tokens = detail::count_member(*u, "prompt_tokens", provider);
        r.usage.total_tokens = detail::count_member(*u, "total_tokens", provider);
    }
    r.raw = std::move(body);
    return r;
}

} // namespace llmap::openai_api::wire

#endif
