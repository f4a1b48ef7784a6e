//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The one translation unit of the separate-compilation test that compiles llmap's transport.

#include <llmap/src.hpp>
