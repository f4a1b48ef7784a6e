//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_REQUEST_BODY_HPP
#define LLMAP_PROVIDERS_DETAIL_REQUEST_BODY_HPP

#include <llmap/schema_dialect.hpp>
#include <llmap/types.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace llmap::detail {

/** Merge the caller's raw options for `provider` (`options[provider]`, an object) into a
    request body, last, so that they win over what llmap put there. A non-object is ignored
    with a warning.
*/
inline void merge_provider_options(boost::json::object& body, const boost::json::object& options,
                                   std::string_view provider, std::vector<warning>& warnings) {
    auto const* raw = options.if_contains(provider);
    if (!raw)
        return;
    if (!raw->is_object()) {
        warnings.push_back(warning::other("provider_options[\"" + std::string(provider) +
                                          "\"] is not an object; it was ignored"));
        return;
    }
    for (auto const& kv : raw->get_object())
        body[kv.key()] = kv.value();
}

/// The JSON array of `strings` (stop sequences, inputs).
inline boost::json::array string_array(const std::vector<std::string>& strings) {
    boost::json::array out;
    out.reserve(strings.size());
    for (auto const& s : strings)
        out.emplace_back(s);
    return out;
}

/** Put `temperature` and `top_p` into a body, or, for a model that rejects them (OpenAI's
    reasoning models), leave them out with a warning each.
*/
inline void put_sampling(boost::json::object& body, const request& req, bool rejected,
                         std::vector<warning>& warnings) {
    auto const put = [&](std::string_view name, const std::optional<double>& v) {
        if (!v)
            return;
        if (rejected)
            warnings.push_back(warning::unsupported_setting(std::string(name),
                                                            "not supported by reasoning models"));
        else
            body[name] = *v;
    };
    put("temperature", req.temperature);
    put("top_p", req.top_p);
}

/** The schema to send for a JSON-schema answer or a tool, adapted to the provider by `adapt`
    (a function of `<llmap/schema_dialect.hpp>`), and whether to send it strict: only where
    `strict` was asked for and the provider can enforce the schema strictly. Each note of the
    adaptation (a keyword dropped, why strict mode is impossible) becomes a warning on
    `setting`, so that a schema the provider cannot take strictly is sent non-strict rather
    than refused with a 400.
*/
template <class Adapt>
adapted_schema adapt_schema(const boost::json::object& schema, bool strict, Adapt&& adapt,
                            std::string_view setting, std::vector<warning>& warnings) {
    adapted_schema a = adapt(schema);
    for (auto& note : a.warnings)
        warnings.push_back(warning::unsupported_setting(std::string(setting), std::move(note)));
    a.strict = a.strict && strict;
    return a;
}

} // namespace llmap::detail

#endif
