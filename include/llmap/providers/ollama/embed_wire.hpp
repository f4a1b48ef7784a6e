//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_OLLAMA_EMBED_WIRE_HPP
#define LLMAP_PROVIDERS_OLLAMA_EMBED_WIRE_HPP

/** @file
    The wire format of Ollama's embedding API (`POST /api/embed`): the unified embedding
    request as a JSON body, and the answer as the unified embedding response. Pure functions,
    no I/O.
*/

#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/providers/ollama/chat_wire.hpp>
#include <llmap/types.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::ollama_api::wire {

/** The JSON body of an `/api/embed` request.

    `dimensions` is sent as is; `truncate` (default `true` on the server), `keep_alive` and
    `options` come from `embedding_request::provider_options["ollama"]`, merged last.

    @param req the unified request.
    @param model the model name, passed untouched.
    @param warnings receives a warning if the raw options are not an object.
    @param provider the key of the raw options.
*/
inline boost::json::object embed_request_body(const embedding_request& req, std::string_view model,
                                              std::vector<warning>& warnings,
                                              std::string_view provider = "ollama") {
    boost::json::object body;
    body["model"] = model;
    boost::json::array input;
    for (auto const& s : req.inputs)
        input.push_back(boost::json::string(s));
    body["input"] = std::move(input);
    if (req.dimensions)
        body["dimensions"] = *req.dimensions;
    llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
    return body;
}

/** The unified response of an `/api/embed` answer: `embeddings[i]` embeds input `i`, and
    `prompt_eval_count` is the input usage.

    @throws llmap::error `malformed_response` if the body is not an embed answer,
    `http_error` if it is an error (`{"error": "..."}`).
*/
inline embedding_response parse_embed_response(boost::json::value body,
                                               std::string_view provider = "ollama") {
    if (!body.is_object())
        llmap::detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    detail::check_error(o, provider);
    auto const* vectors = llmap::detail::array_member(o, "embeddings", provider);
    if (!vectors)
        llmap::detail::throw_malformed(provider, "no \"embeddings\"");
    embedding_response r;
    r.vectors.reserve(vectors->size());
    for (auto const& v : *vectors) {
        if (!v.is_array())
            llmap::detail::throw_malformed(provider, "an embedding is not an array");
        r.vectors.push_back(llmap::detail::float_array(v.get_array(), provider));
    }
    r.model = llmap::detail::string_member(o, "model", provider);
    r.usage.input_tokens = llmap::detail::count_member(o, "prompt_eval_count", provider);
    r.usage.total_tokens = r.usage.input_tokens;
    r.raw = std::move(body);
    return r;
}

} // namespace llmap::ollama_api::wire

#endif
