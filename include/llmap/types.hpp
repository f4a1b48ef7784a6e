//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_TYPES_HPP
#define LLMAP_TYPES_HPP

// The unified data model: requests, responses, stream events and embeddings, the same for
// every provider.

#include <llmap/types/content.hpp>
#include <llmap/types/embedding.hpp>
#include <llmap/types/message.hpp>
#include <llmap/types/request.hpp>
#include <llmap/types/response.hpp>
#include <llmap/types/stream.hpp>
#include <llmap/types/tool.hpp>
#include <llmap/types/usage.hpp>

#endif
