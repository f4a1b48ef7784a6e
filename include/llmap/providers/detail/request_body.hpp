//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_PROVIDERS_DETAIL_REQUEST_BODY_HPP
#define LLMAP_PROVIDERS_DETAIL_REQUEST_BODY_HPP

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

} // namespace llmap::detail

#endif
