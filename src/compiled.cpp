//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The one translation unit of the `llmap::compiled` library (CMake): llmap's compiled part,
// built once, for programs whose translation units define LLMAP_SEPARATE_COMPILATION (the
// target does that for everything that links it).
#include <llmap/src.hpp>
