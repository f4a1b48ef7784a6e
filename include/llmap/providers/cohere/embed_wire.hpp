//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_COHERE_EMBED_WIRE_HPP
#define LLMAP_PROVIDERS_COHERE_EMBED_WIRE_HPP

/** @file
    The wire format of Cohere's Embed API (`POST /v2/embed`): the unified embedding request as
    a JSON body, and the answer as the unified embedding response. Pure functions, no I/O.
*/

#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/value.hpp>

#include <string_view>
#include <utility>
#include <vector>

namespace llmap::cohere_api::wire {

/// The `input_type` sent when the caller's options give none.
inline constexpr std::string_view default_input_type = "search_document";

/** The JSON body of an Embed request: `texts`, `embedding_types: ["float"]`, `input_type`,
    and `output_dimension` from `embedding_request::dimensions`.

    `input_type` (required by API v2) is `search_document`: vectors to be stored and searched,
    the common use of a batch of texts. For a query, give
    `{"cohere": {"input_type": "search_query"}}` in `provider_options` (the AI SDK defaults to
    `search_query`); `classification` and `clustering` are the other choices. The raw options
    are merged last, so they can also set `truncate`, `max_tokens` or `priority`.

    @param req the unified request.
    @param model the model name sent to the provider.
    @param warnings receives a warning if the raw options are not an object.
    @param provider the key of the caller's raw options in `embedding_request::provider_options`.
*/
inline boost::json::object embed_request_body(const embedding_request& req, std::string_view model,
                                              std::vector<warning>& warnings,
                                              std::string_view provider = "cohere") {
    boost::json::object body;
    body["model"] = model;
    boost::json::array texts;
    for (auto const& s : req.inputs)
        texts.push_back(boost::json::string(s));
    body["texts"] = std::move(texts);
    body["input_type"] = default_input_type;
    body["embedding_types"] = boost::json::array{"float"};
    if (req.dimensions)
        body["output_dimension"] = *req.dimensions;
    llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    return body;
}

/** The unified response of an Embed answer.

    The vectors are `embeddings.float` (what `embedding_types: ["float"]` asks for) or, in an
    answer of API v1 without `embedding_types`, `embeddings` itself; they are in the order of
    the inputs. The usage is `meta.tokens.input_tokens` if present, else the billed
    `meta.billed_units.input_tokens` (which the AI SDK reports).

    @throws llmap::error `malformed_response` if the body is not an Embed answer or holds no
    float vectors.
*/
inline embedding_response parse_embed_response(boost::json::value body,
                                               std::string_view provider = "cohere") {
    using namespace llmap::detail;
    if (!body.is_object())
        throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    auto const* e = member(o, "embeddings");
    if (!e)
        throw_malformed(provider, "no \"embeddings\"");
    boost::json::array const* vectors = nullptr;
    if (e->is_array()) {
        vectors = &e->get_array();
    } else if (e->is_object()) {
        vectors = array_member(e->get_object(), "float", provider);
        if (!vectors)
            throw_malformed(provider, "no float embeddings (\"embeddings.float\")");
    } else {
        throw_malformed(provider, "\"embeddings\" is neither an object nor an array");
    }
    embedding_response r;
    r.vectors.reserve(vectors->size());
    for (auto const& v : *vectors) {
        if (!v.is_array())
            throw_malformed(provider, "an embedding is not an array");
        r.vectors.push_back(llmap::detail::float_array(v.get_array(), provider));
    }
    if (auto const* meta = object_member(o, "meta", provider)) {
        auto const* tokens = object_member(*meta, "tokens", provider);
        if (!tokens)
            tokens = object_member(*meta, "billed_units", provider);
        if (tokens)
            r.usage.input_tokens = count_member(*tokens, "input_tokens", provider);
    }
    r.raw = std::move(body);
    return r;
}

} // namespace llmap::cohere_api::wire

#endif
