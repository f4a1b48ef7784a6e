//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_LLMAP_HPP
#define LLMAP_LLMAP_HPP

/** @file
    The umbrella header: everything llmap offers.
*/

#include <llmap/any_model.hpp>
#include <llmap/catalog.hpp>
#include <llmap/concepts.hpp>
#include <llmap/config.hpp>
#include <llmap/default_registry.hpp>
#include <llmap/error.hpp>
#include <llmap/fallback.hpp>
#include <llmap/fixed_string.hpp>
#include <llmap/generate.hpp>
#include <llmap/id.hpp>
#include <llmap/middleware.hpp>
#include <llmap/providers/anthropic.hpp>
#include <llmap/providers/azure.hpp>
#include <llmap/providers/cohere.hpp>
#include <llmap/providers/gemini.hpp>
#include <llmap/providers/ollama.hpp>
#include <llmap/providers/openai.hpp>
#include <llmap/providers/openai_compatible.hpp>
#include <llmap/registry.hpp>
#include <llmap/router.hpp>
#include <llmap/stream_reader.hpp>
#include <llmap/tool_loop.hpp>
#include <llmap/tools.hpp>
#include <llmap/types.hpp>

#endif
