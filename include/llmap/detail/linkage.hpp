//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

#ifndef LLMAP_DETAIL_LINKAGE_HPP
#define LLMAP_DETAIL_LINKAGE_HPP

/** How llmap's compiled parts are linked, after Boost.JSON and Boost.Beast.

    By default llmap is header-only: every function is defined in the headers (`inline`), and
    every translation unit that uses the transport compiles it (Beast, Asio's coroutines,
    OpenSSL, the providers' wire formats). Define `LLMAP_SEPARATE_COMPILATION` in every
    translation unit of a program (a compile definition of the target) and include
    <llmap/src.hpp> in exactly one of them: the headers then only declare those functions,
    and that one translation unit defines them, so the others compile much faster.

    `LLMAP_DECL` marks a function declaration whose definition is in an `impl/<name>.ipp` file.
*/
#ifdef LLMAP_SEPARATE_COMPILATION
#define LLMAP_DECL
#else
#define LLMAP_DECL inline
#endif

#endif
