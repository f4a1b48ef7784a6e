//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The Ollama provider's test runner: the other files of this folder add their suites.
#define BOOST_TEST_MODULE provider_ollama
#include <boost/test/unit_test.hpp>
