//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_GEMINI_EMBED_WIRE_HPP
#define LLMAP_PROVIDERS_GEMINI_EMBED_WIRE_HPP

/** @file
    Gemini's embeddings: `models/{model}:embedContent` for one text and
    `:batchEmbedContents` for several, as the AI SDK does. Pure functions, no I/O.
*/

#include <llmap/detail/json_read.hpp>
#include <llmap/providers/detail/request_body.hpp>
#include <llmap/types.hpp>

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace llmap::gemini_api::wire {

inline boost::json::object embed_content(const std::string& text, const embedding_request& req) {
    // The role as both SDKs send it (the API would infer it).
    boost::json::object o{
        {"content", {{"role", "user"}, {"parts", boost::json::array{{{"text", text}}}}}}};
    if (req.dimensions)
        o["outputDimensionality"] = *req.dimensions;
    return o;
}

/** The body of `:embedContent` (one input) or `:batchEmbedContents` (several: each request
    names the model, which the API requires).

    @param req the unified request; `dimensions` becomes `outputDimensionality`.
    @param model the model name, without the `models/` prefix.
    @param warnings receives a warning for raw options that are not an object.
    @param provider the registry name: the key of the raw options, merged into each request.
*/
inline boost::json::object embed_request_body(const embedding_request& req, std::string_view model,
                                              std::vector<warning>& warnings,
                                              std::string_view provider = "gemini") {
    if (req.inputs.size() == 1) {
        auto body = embed_content(req.inputs.front(), req);
        llmap::detail::merge_provider_options(body, req.provider_options, provider, warnings);
        return body;
    }
    boost::json::array requests;
    for (auto const& text : req.inputs) {
        auto r = embed_content(text, req);
        r["model"] = "models/" + std::string(model);
        llmap::detail::merge_provider_options(r, req.provider_options, provider, warnings);
        requests.push_back(std::move(r));
    }
    return {{"requests", std::move(requests)}};
}

/// The method of an embedding request: `embedContent` for one input, else the batch one.
inline std::string_view embed_method(const embedding_request& req) noexcept {
    return req.inputs.size() == 1 ? ":embedContent" : ":batchEmbedContents";
}

inline std::vector<float> embedding_values(const boost::json::value& v, std::string_view provider) {
    if (!v.is_object())
        detail::throw_malformed(provider, "an embedding is not an object");
    auto const* values = detail::array_member(v.get_object(), "values", provider);
    if (!values)
        detail::throw_malformed(provider, "an embedding has no \"values\"");
    std::vector<float> out;
    out.reserve(values->size());
    for (auto const& x : *values) {
        if (!x.is_number())
            detail::throw_malformed(provider, "an embedding value is not a number");
        out.push_back(static_cast<float>(x.to_number<double>()));
    }
    return out;
}

/** The unified response of an `embedContent` (`embedding`) or `batchEmbedContents`
    (`embeddings`) answer.
    @throws llmap::error `malformed_response` if neither is there.
*/
inline embedding_response parse_embed_response(boost::json::value body,
                                               std::string_view provider = "gemini") {
    if (!body.is_object())
        detail::throw_malformed(provider, "the body is not a JSON object");
    auto const& o = body.get_object();
    embedding_response r;
    if (auto const* one = detail::member(o, "embedding")) {
        r.vectors.push_back(embedding_values(*one, provider));
    } else if (auto const* many = detail::array_member(o, "embeddings", provider)) {
        for (auto const& e : *many)
            r.vectors.push_back(embedding_values(e, provider));
    } else {
        detail::throw_malformed(provider, "no \"embedding\" or \"embeddings\"");
    }
    if (auto const* u = detail::object_member(o, "usageMetadata", provider)) {
        r.usage.input_tokens = detail::count_member(*u, "promptTokenCount", provider);
        r.usage.total_tokens = detail::count_member(*u, "totalTokenCount", provider);
    }
    r.raw = std::move(body);
    return r;
}

} // namespace llmap::gemini_api::wire

#endif
