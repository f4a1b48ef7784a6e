//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_ENV_HPP
#define LLMAP_DETAIL_ENV_HPP

#include <cstdlib>
#include <string>

namespace llmap::detail {

/// The value of an environment variable, or empty when it is unset.
inline std::string getenv_or_empty(const std::string& name) {
    // std::getenv is not required to be thread-safe against setenv; llmap never calls setenv.
    const char* v = std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe)
    return v ? std::string(v) : std::string();
}

} // namespace llmap::detail

#endif
