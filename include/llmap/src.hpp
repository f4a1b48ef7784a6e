//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_SRC_HPP
#define LLMAP_SRC_HPP

/** The compiled part of llmap, for separate compilation: include this header in exactly one
    translation unit of a program whose translation units all define
    `LLMAP_SEPARATE_COMPILATION` (see <llmap/detail/linkage.hpp>).

    @par Example
    @code
    // llmap_src.cpp, compiled with -DLLMAP_SEPARATE_COMPILATION like the rest of the program
    #include <llmap/src.hpp>
    @endcode
*/

#ifndef LLMAP_SEPARATE_COMPILATION
#error                                                                                             \
    "<llmap/src.hpp> is for separate compilation: define LLMAP_SEPARATE_COMPILATION in every translation unit, or do not include it (llmap is header-only by default)"
#endif

#include <llmap/http/impl/client.ipp>

#endif
