//
// Copyright (c) 2026 The llmap authors
//
// Distributed under the Boost Software License, Version 1.0. (See accompanying
// file LICENSE or copy at http://www.boost.org/LICENSE_1_0.txt)
//

// The native Gemini provider's tests: its wire format against the recorded traffic of
// ../shared/fixtures (wire.cpp) and the provider end to end over loopback HTTP (http.cpp).

#define BOOST_TEST_MODULE provider_gemini
#include <boost/test/unit_test.hpp>
