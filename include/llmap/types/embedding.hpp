//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_EMBEDDING_HPP
#define LLMAP_TYPES_EMBEDDING_HPP

#include <llmap/types/usage.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace llmap {

/** A call of an embedding model: one vector per input text. */
struct embedding_request {
    std::vector<std::string> inputs{};
    std::optional<int> dimensions{}; ///< output size, for models that can shorten vectors

    /// Raw JSON per provider, keyed by provider name, merged into that provider's body.
    boost::json::object provider_options{};

    /// Extra HTTP headers for this call.
    std::vector<std::pair<std::string, std::string>> headers{};

    bool operator==(const embedding_request&) const = default;
};

/** The result of an embedding call: `vectors[i]` embeds `inputs[i]`. */
struct embedding_response {
    std::vector<std::vector<float>> vectors{};
    llmap::usage usage{};
    std::string model{};
    boost::json::value raw{}; ///< the provider's response body

    bool operator==(const embedding_response&) const = default;
};

} // namespace llmap

#endif
